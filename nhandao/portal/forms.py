"""Query parameters of the public pages: anything may arrive, so everything is parsed by hand
with Vietnamese messages naming the field; a bad value filters nothing and never errors."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from nhandao.core import money
from nhandao.core.formatting import parse_date
from nhandao.core.text import normalize

MAX_TEXT = 100
MIN_NAME = 3  # letters of a name fragment: the trigram index serves three and more
MAX_AMOUNT = 10**15  # far beyond any gift; larger numbers would overflow a bigint
_REFERENCE = re.compile(r"^[A-Za-z0-9.\-_/]{1,40}$")


@dataclass
class GiftQuery:
    query: str = ""
    amount: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    account_suffix: str = ""
    reference: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)

    @property
    def filters(self) -> dict:
        return {
            "query": self.query,
            "amount": self.amount,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "account_suffix": self.account_suffix,
            "reference": self.reference,
        }

    @property
    def is_filtered(self) -> bool:
        return any(v not in (None, "") for v in self.filters.values())


def _text(params, name: str, limit: int = MAX_TEXT) -> str:
    value = params.get(name, "")
    if not isinstance(value, str):
        return ""
    # Control characters (NUL breaks PostgreSQL text) are dropped; the rest is kept for display.
    value = "".join(ch for ch in value if ch.isprintable())
    return " ".join(value.split())[:limit]


def parse_day(text: str) -> dt.date:
    day = parse_date(text)
    if not (dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31)):
        raise ValueError(text)
    return day


def gift_query(params) -> GiftQuery:
    q = GiftQuery()
    q.raw = {name: _text(params, name) for name in ("q", "so_tien", "tu_ngay", "den_ngay", "tai_khoan", "ma")}
    q.query = q.raw["q"]
    if q.query and len(normalize(q.query).replace(" ", "")) < MIN_NAME:
        # One or two letters match nearly every name and no index narrows them.
        q.errors["q"] = _("Tên: hãy nhập ít nhất %(n)s chữ cái.") % {"n": MIN_NAME}
        q.query = ""
    if q.raw["so_tien"]:
        try:
            q.amount = money.parse_amount(q.raw["so_tien"])
        except money.MoneyError:
            q.amount = None
        if not q.amount or q.amount > MAX_AMOUNT:
            q.amount = None
            q.errors["so_tien"] = _("Số tiền: hãy nhập một số đồng dương, ví dụ 500000 hoặc 500.000.")
    for name, attr, label in (
        ("tu_ngay", "date_from", _("Từ ngày")),
        ("den_ngay", "date_to", _("Đến ngày")),
    ):
        if q.raw[name]:
            try:
                setattr(q, attr, parse_day(q.raw[name]))
            except ValueError:
                q.errors[name] = _("%(field)s: ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.") % {
                    "field": label
                }
    if q.date_from and q.date_to and q.date_from > q.date_to:
        q.errors["den_ngay"] = _("Đến ngày: phải sau hoặc bằng Từ ngày.")
        q.date_to = None
    if q.raw["tai_khoan"]:
        digits = q.raw["tai_khoan"].replace("*", "").replace("•", "").replace(" ", "")
        if len(digits) >= 3 and digits.isalnum() and len(digits) <= 30:
            q.account_suffix = digits[-3:].upper()
        else:
            q.errors["tai_khoan"] = _("Tài khoản: hãy nhập 3 chữ số cuối của tài khoản chuyển, ví dụ 334.")
    if q.raw["ma"]:
        if _REFERENCE.match(q.raw["ma"]):
            q.reference = q.raw["ma"]
        else:
            q.errors["ma"] = _("Mã tham chiếu: chỉ gồm chữ, số và các dấu . - _ /, tối đa 40 ký tự.")
    return q


@dataclass
class EverywhereQuery:
    """The one search's parameters: the gift filters, and where to look (`noi`: a campaign's code or
    `quy-<id>` for a unit's general fund; `don_vi`: a unit's campaigns and general fund)."""

    gifts: GiftQuery
    campaign_code: str = ""
    fund_id: int | None = None
    unit: int | None = None
    place: str = ""  # as chosen, for the form

    @property
    def errors(self) -> dict[str, str]:
        return self.gifts.errors

    @property
    def is_filtered(self) -> bool:
        return (
            self.gifts.is_filtered
            or bool(self.campaign_code)
            or self.fund_id is not None
            or self.unit is not None
        )


_FUND_PLACE = re.compile(r"^quy-(\d{1,9})$")
_CAMPAIGN_PLACE = re.compile(r"^[A-Za-z0-9]{1,12}$")


def everywhere_query(params) -> EverywhereQuery:
    q = EverywhereQuery(gifts=gift_query(params))
    place = _text(params, "noi", 20)
    if place:
        if m := _FUND_PLACE.match(place):
            q.fund_id, q.place = int(m.group(1)), place
        elif _CAMPAIGN_PLACE.match(place):
            q.campaign_code = q.place = place.upper()
        else:
            q.errors["noi"] = _("Nơi nhận: lựa chọn không hợp lệ.")
    unit = _text(params, "don_vi", 12)
    if unit:
        if unit.isdigit() and len(unit) <= 9:
            q.unit = int(unit)
        else:
            q.errors["don_vi"] = _("Đơn vị: lựa chọn không hợp lệ.")
    return q


@dataclass
class CampaignQuery:
    unit: int | None = None
    status: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def campaign_query(params, *, statuses: set[str]) -> CampaignQuery:
    q = CampaignQuery()
    unit = _text(params, "don_vi", 12)
    if unit:
        if unit.isdigit() and len(unit) <= 9:
            q.unit = int(unit)
        else:
            q.errors["don_vi"] = _("Đơn vị: lựa chọn không hợp lệ.")
    status = _text(params, "trang_thai", 12)
    if status:
        if status in statuses:
            q.status = status
        else:
            q.errors["trang_thai"] = _("Trạng thái: lựa chọn không hợp lệ.")
    return q
