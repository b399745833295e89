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

A figure that a report gives in rows (money raised and spent per fund and campaign) is a
`Breakdown`: `compute(unit, start, end)` returns its rows, each
`{"key": str, "label": str, "order": int, "values": {column code: int}}` (plain JSON: the plans app
freezes them in the submitted version as they are); the rows of many units add up by key
(`sum_rows`: the city's roll-up).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext


@dataclass(frozen=True)
class Indicator:
    code: str
    label: object  # a lazy translation
    definition: object
    compute: Callable[[object, dt.date, dt.date], int]
    area: str = ""
    money: bool = False
    order: int = 50
    # Optional: (units, start, end) -> {unit pk: int} for many units at once (a ranking of 114
    # communes); `compute_for` falls back to `compute` unit by unit.
    compute_many: Callable[[list, dt.date, dt.date], dict[int, int]] | None = None


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


def compute_for(code: str, units: list, start: dt.date, end: dt.date) -> dict[int, int]:
    """{unit pk: value} of one indicator for many units (each over its own subtree)."""
    indicator = _REGISTRY[code]
    if indicator.compute_many is not None:
        return {u.pk: int(v or 0) for u, v in zip(units, _many(indicator, units, start, end), strict=True)}
    return {u.pk: int(indicator.compute(u, start, end) or 0) for u in units}


def _many(indicator: Indicator, units: list, start: dt.date, end: dt.date) -> list[int]:
    values = indicator.compute_many(units, start, end)
    return [values.get(u.pk, 0) for u in units]


@dataclass(frozen=True)
class Breakdown:
    code: str
    label: object  # a lazy translation
    definition: object
    columns: tuple  # ((column code, lazy label), ...)
    compute: Callable[[object, dt.date, dt.date], list[dict]]
    area: str = ""
    money: bool = True
    order: int = 50


_BREAKDOWNS: dict[str, Breakdown] = {}


def register_breakdown(breakdown: Breakdown) -> Breakdown:
    existing = _BREAKDOWNS.get(breakdown.code)
    if existing is not None and existing != breakdown:
        raise ValueError(f"breakdown {breakdown.code} registered twice")
    _BREAKDOWNS[breakdown.code] = breakdown
    return breakdown


def all_breakdowns() -> list[Breakdown]:
    return sorted(_BREAKDOWNS.values(), key=lambda b: (b.order, b.code))


def get_breakdown(code: str) -> Breakdown | None:
    return _BREAKDOWNS.get(code)


def compute_breakdowns(unit, start: dt.date, end: dt.date) -> dict[str, list[dict]]:
    """{breakdown code: rows} of every registered breakdown for the unit's subtree."""
    return {b.code: sum_rows([b.compute(unit, start, end)]) for b in all_breakdowns()}


def sum_rows(row_lists) -> list[dict]:
    """The rows of many units added up by key (label and order of the first seen), sorted by
    (order, label); values are whole numbers."""
    out: dict[str, dict] = {}
    for rows in row_lists:
        for row in rows or []:
            total = out.setdefault(
                row["key"],
                {
                    "key": row["key"],
                    "label": row.get("label", ""),
                    "order": row.get("order", 0),
                    "values": {},
                },
            )
            for column, value in (row.get("values") or {}).items():
                total["values"][column] = total["values"].get(column, 0) + int(value or 0)
    return sorted(out.values(), key=lambda r: (r["order"], r["label"], r["key"]))


def column_totals(rows: list[dict]) -> dict[str, int]:
    """The sum of each column over the rows (a table's last line)."""
    totals: dict[str, int] = {}
    for row in rows:
        for column, value in row["values"].items():
            totals[column] = totals.get(column, 0) + int(value or 0)
    return totals


@dataclass
class Table:
    """A breakdown laid out for a page or a document: labels translated, a total line."""

    breakdown: Breakdown
    rows: list[tuple[str, list[int]]]
    totals: list[int]

    @property
    def columns(self) -> list:
        return [label for _code, label in self.breakdown.columns]


def table(breakdown: Breakdown, rows: list[dict] | None) -> Table:
    """One breakdown's rows laid out; a row's label is data, translated when it is a msgid (the
    general funds' row)."""
    rows = sum_rows([rows or []])
    codes = [code for code, _label in breakdown.columns]
    totals = column_totals(rows)
    return Table(
        breakdown,
        [(gettext(r["label"]) if r["label"] else "", [r["values"].get(c, 0) for c in codes]) for r in rows],
        [totals.get(c, 0) for c in codes],
    )


def tables(frozen: dict[str, list[dict]]) -> list[Table]:
    """The tables of `frozen` ({code: rows}, as a report or a roll-up holds them), in registry order."""
    return [table(b, (frozen or {}).get(b.code)) for b in all_breakdowns()]


def _prefixes(path: str):
    """'000001.000007.000042.' -> '000001.', '000001.000007.', '000001.000007.000042.'"""
    end = path.find(".")
    while end != -1:
        yield path[: end + 1]
        end = path.find(".", end + 1)


def rollup(leaf_values: dict[str, int], units: list) -> dict[int, int]:
    """Sums of additive figures grouped by the path of the unit that recorded them, rolled up to
    each of `units` (its whole subtree): the helper of a `compute_many`."""
    by_path = {u.path: u.pk for u in units}
    out = dict.fromkeys(by_path.values(), 0)
    for path, value in leaf_values.items():
        for prefix in _prefixes(path or ""):
            if prefix in by_path:
                out[by_path[prefix]] += int(value or 0)
    return out


def rollup_distinct(pairs: list[tuple[str, object]], units: list) -> dict[int, int]:
    """Distinct things (people, cases) per unit subtree from (recording unit's path, thing) pairs."""
    by_path = {u.path: u.pk for u in units}
    seen: dict[int, set] = {pk: set() for pk in by_path.values()}
    for path, thing in pairs:
        for prefix in _prefixes(path or ""):
            if prefix in by_path:
                seen[by_path[prefix]].add(thing)
    return {pk: len(things) for pk, things in seen.items()}


def common_path(units: list) -> str:
    """The longest path prefix (whole segments) shared by `units`: a `compute_many` filters on it."""
    paths = [u.path for u in units]
    if not paths:
        return ""
    prefix = paths[0]
    for path in paths[1:]:
        while not path.startswith(prefix):
            prefix = prefix[: prefix.rstrip(".").rfind(".") + 1] if "." in prefix.rstrip(".") else ""
    return prefix
