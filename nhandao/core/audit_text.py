"""The audit trail in words: "Đỗ Thị Hằng ghi nhận khoản ủng hộ BN2026-000053 của Hội CTĐ phường
Lê Chân", and each changed field by its label with its values formatted (money, dates, choices).

An event's code (`funds.donation.recorded`) stays in the database and in the filters; people read
the sentence.  The sentence is built from three parts, none of which needs the domain apps:

* the verb, from the code's last part (`recorded` → "ghi nhận"); an app may give one of its codes a
  verb of its own with `register_verb(code, verb)` (in its AppConfig.ready);
* what was acted on: the model's verbose name, found from `object_type` ("funds.donation" →
  "khoản ủng hộ") through the app registry, then the record as it was named when it was written;
* the unit, as it was named when it was written.

Changed fields are labelled by the model field's verbose name; values are shown as a person reads
them: a choice by its label, a date dd/mm/yyyy, a yes/no, an amount of money "1.250.000 ₫" (an
integer field named `amount`, `value`, `balance`, `goal` or ending in `_amount`, `_total`,
`_balance`: the project's money columns), a linked record by the name stored with it.  Values that
the trail masks (ID numbers) stay masked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .formatting import date as fmt_date
from .formatting import datetime as fmt_datetime
from .formatting import money

# The last part of an event's code -> the verb.  Codes are the project's own: English past
# participles, one word each.
VERBS: dict[str, Promise] = {
    "created": gettext_lazy("tạo"),
    "added": gettext_lazy("thêm"),
    "updated": gettext_lazy("sửa"),
    "recorded": gettext_lazy("ghi nhận"),
    "drafted": gettext_lazy("lập"),
    "approved": gettext_lazy("duyệt"),
    "rejected": gettext_lazy("không duyệt"),
    "withdrawn": gettext_lazy("rút lại"),
    "reversed": gettext_lazy("hủy bằng bút toán đảo"),
    "cancelled": gettext_lazy("hủy"),
    "closed": gettext_lazy("đóng"),
    "opened": gettext_lazy("mở"),
    "reopened": gettext_lazy("mở lại"),
    "ended": gettext_lazy("kết thúc"),
    "activated": gettext_lazy("đưa vào sử dụng"),
    "deactivated": gettext_lazy("ngừng sử dụng"),
    "viewed": gettext_lazy("xem"),
    "exported": gettext_lazy("xuất"),
    "export": gettext_lazy("xuất dữ liệu"),
    "imported": gettext_lazy("nhập"),
    "uploaded": gettext_lazy("tải lên"),
    "discarded": gettext_lazy("bỏ"),
    "checked": gettext_lazy("kiểm tra"),
    "committed": gettext_lazy("ghi vào hệ thống"),
    "refused": gettext_lazy("không ghi được"),
    "merged": gettext_lazy("hợp nhất hồ sơ trùng vào"),
    "merged_away": gettext_lazy("gộp sang hồ sơ khác"),
    "moved": gettext_lazy("chuyển"),
    "renamed": gettext_lazy("đổi tên"),
    "transferred": gettext_lazy("chuyển sinh hoạt"),
    "assigned": gettext_lazy("giao"),
    "revoked": gettext_lazy("thu hồi"),
    "matched": gettext_lazy("khớp"),
    "bank_matched": gettext_lazy("khớp với sao kê"),
    "rematched": gettext_lazy("đối chiếu lại"),
    "requeued": gettext_lazy("đưa lại vào hàng chờ"),
    "locked": gettext_lazy("khóa sổ"),
    "issued": gettext_lazy("cấp"),
    "reissued": gettext_lazy("cấp lại"),
    "paid": gettext_lazy("nộp"),
    "exempted": gettext_lazy("miễn"),
    "set": gettext_lazy("đặt"),
    "confirmed": gettext_lazy("xác nhận"),
    "reviewed": gettext_lazy("rà soát"),
    "given": gettext_lazy("ghi nhận"),
    "applied": gettext_lazy("áp dụng"),
    "suspended": gettext_lazy("tạm dừng"),
    "resumed": gettext_lazy("cho hoạt động lại"),
    "deceased": gettext_lazy("ghi nhận đã mất"),
    "dissolved": gettext_lazy("giải thể"),
    "logged": gettext_lazy("ghi"),
    "seeded": gettext_lazy("tạo dữ liệu mẫu"),
    "deleted": gettext_lazy("xóa"),
}
# Whole codes whose verb the last part does not say; apps add theirs with register_verb().
CODE_VERBS: dict[str, Promise | str] = {}

MONEY_NAMES = {"amount", "value", "balance", "goal"}
MONEY_SUFFIXES = ("_amount", "_total", "_balance")
EMPTY = "—"


def register_verb(code: str, verb: Promise | str) -> None:
    CODE_VERBS[code] = verb


# Sensitive reads (core.audit.record_read): "read.<app>.<model>".
READ_VERB = gettext_lazy("xem dữ liệu nhạy cảm của")


def verb(code: str) -> str:
    if code in CODE_VERBS:
        return str(CODE_VERBS[code])
    if code.startswith("read."):
        return str(READ_VERB)
    last = code.rsplit(".", 1)[-1]
    found = VERBS.get(last)
    return str(found) if found is not None else last.replace("_", " ")


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str


def sentence(event) -> str:
    """Who did what to which record, of which unit, in the user's language."""
    actor = event.actor_label or _("Hệ thống")
    model = _model(event.object_type)
    what = str(model._meta.verbose_name) if model is not None else ""
    record = " ".join(part for part in (what, event.object_repr) if part)
    text = f"{actor} {verb(event.action)}"
    if record:
        text += f" {record}"
    if event.unit_label and event.unit_label != event.object_repr:
        text += " " + _("của %(unit)s") % {"unit": event.unit_label}
    return text


def _is_money(field: models.Field) -> bool:
    if not isinstance(field, models.IntegerField) or field.choices:
        return False
    return field.name in MONEY_NAMES or field.name.endswith(MONEY_SUFFIXES)


def value_text(field: models.Field | None, value: Any) -> str:
    """A stored value of the trail as a person reads it."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, dict) and "repr" in value:  # a linked record, as audit._jsonable keeps it
        return str(value["repr"]) or f"#{value.get('id')}"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if field is not None:
        if field.choices:
            labels = {str(k): v for k, v in field.flatchoices}
            if str(value) in labels:
                return str(labels[str(value)])
        if isinstance(field, models.DateTimeField) and isinstance(value, str):
            try:
                return fmt_datetime(dt.datetime.fromisoformat(value))
            except ValueError:
                return value
        if isinstance(field, models.DateField) and isinstance(value, str):
            try:
                return fmt_date(dt.date.fromisoformat(value[:10]))
            except ValueError:
                return value
        if isinstance(field, models.BooleanField) and value in (0, 1):
            return _("Có") if value else _("Không")
        if _is_money(field) and isinstance(value, int):
            return money(value)
        if isinstance(field, models.ForeignKey) and isinstance(value, int):
            return f"#{value}"
    if isinstance(value, list):
        return ", ".join(value_text(None, v) for v in value)
    return str(value)


def changes(event) -> list[Change]:
    """The changed fields of an event, labelled and formatted, in the trail's order."""
    model = _model(event.object_type)
    rows = []
    for name, change in (event.changes or {}).items():
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except Exception:  # a field since removed, or a name that is not a field
                field = None
        label = str(getattr(field, "verbose_name", "") or name)
        if isinstance(change, dict) and ("before" in change or "after" in change):
            before, after = change.get("before"), change.get("after")
        else:  # an event that stored only the new value
            before, after = None, change
        rows.append(
            Change(name, label[:1].upper() + label[1:], value_text(field, before), value_text(field, after))
        )
    return rows
