"""The indicator registry: figures a report takes from live data.

Each app contributes its indicators from its AppConfig.ready() (people: members, volunteers …;
funds: money raised and spent; beneficiaries: help given; later blood, relief …):

    from nhandao.core.indicators import Indicator, register

    register(Indicator(
        code="people.members_new",
        label=_("Hội viên mới kết nạp"),
        definition=_("Vai trò hội viên bắt đầu trong kỳ, thuộc đơn vị và các đơn vị cấp dưới."),
        compute=members_new,            # (unit, start, end) -> int
        area="",                        # a ContentArea value, or "" for organisation figures
        money=False,
        order=10,
    ))

`compute(unit, start, end)` counts over the unit's whole subtree (unit.path prefix) for the
period [start, end] (dates included) and returns an int (whole đồng for money).  The plans app
calls `compute_all` when a report is filled and freezes the values when it is submitted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    code: str
    label: object  # a lazy translation
    definition: object
    compute: Callable[[object, dt.date, dt.date], int]
    area: str = ""
    money: bool = False
    order: int = 50


_REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    existing = _REGISTRY.get(indicator.code)
    if existing is not None and existing != indicator:
        raise ValueError(f"indicator {indicator.code} registered twice")
    _REGISTRY[indicator.code] = indicator
    return indicator


def all_indicators() -> list[Indicator]:
    return sorted(_REGISTRY.values(), key=lambda i: (i.order, i.code))


def get(code: str) -> Indicator | None:
    return _REGISTRY.get(code)


def compute_all(unit, start: dt.date, end: dt.date) -> dict[str, int]:
    return {i.code: int(i.compute(unit, start, end) or 0) for i in all_indicators()}
