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

from .audit import SYSTEM_LABEL
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
    "accepted": gettext_lazy("chấp nhận"),
    "addressed": gettext_lazy("xử lý"),
    "adjusted": gettext_lazy("điều chỉnh"),
    "adopted": gettext_lazy("ghi nhận việc nhân rộng"),
    "answered": gettext_lazy("phản hồi"),
    "booked_late": gettext_lazy("ghi nhận muộn vào cuộc vận động"),
    "changed": gettext_lazy("sửa"),
    "checked_in": gettext_lazy("tiếp đón"),
    "checklist": gettext_lazy("cập nhật danh mục kiểm tra của"),
    "consent_granted": gettext_lazy("ghi nhận đồng ý nhận tin"),
    "copied": gettext_lazy("sao chép"),
    "corrected": gettext_lazy("đính chính"),
    "create": gettext_lazy("tạo"),
    "criteria": gettext_lazy("đặt tiêu chí cho"),
    "decided": gettext_lazy("ra quyết định về"),
    "declared": gettext_lazy("khai báo"),
    "delete": gettext_lazy("xóa"),
    "dispatched": gettext_lazy("xuất đi"),
    "display_changed": gettext_lazy("đổi cách công khai tên của"),
    "figure_added": gettext_lazy("thêm số liệu cho"),
    "figures_refreshed": gettext_lazy("cập nhật số liệu của"),
    "file_added": gettext_lazy("thêm tệp cho"),
    "filed": gettext_lazy("gửi"),
    "filled": gettext_lazy("điền"),
    "folded": gettext_lazy("gộp"),
    "formula": gettext_lazy("đặt công thức cho"),
    "frozen": gettext_lazy("chốt"),
    "generated": gettext_lazy("tạo"),
    "head_changed": gettext_lazy("đổi chủ hộ của"),
    "hours_logged": gettext_lazy("ghi giờ tình nguyện cho"),
    "item_added": gettext_lazy("thêm mục vào"),
    "left": gettext_lazy("ghi nhận thành viên rời"),
    "listed": gettext_lazy("lập danh sách"),
    "member_added": gettext_lazy("thêm thành viên vào"),
    "member_left": gettext_lazy("ghi nhận thành viên rời"),
    "message_delivered": gettext_lazy("ghi nhận đã chuyển tin nhắn"),
    "message_recorded": gettext_lazy("ghi tin nhắn"),
    "participant_added": gettext_lazy("thêm học viên vào"),
    "planned": gettext_lazy("lập kế hoạch"),
    "published": gettext_lazy("đăng"),
    "raised": gettext_lazy("nêu"),
    "received": gettext_lazy("nhận"),
    "redrafted": gettext_lazy("đưa về bản nháp"),
    "registered": gettext_lazy("đăng ký"),
    "registered_on_spot": gettext_lazy("đăng ký tại chỗ"),
    "removed": gettext_lazy("gỡ"),
    "returned": gettext_lazy("trả lại"),
    "saved": gettext_lazy("lưu"),
    "scheduled": gettext_lazy("lên lịch"),
    "screened": gettext_lazy("khám sàng lọc"),
    "shredded": gettext_lazy("xóa dữ liệu cá nhân trong"),
    "signed_out_everywhere": gettext_lazy("đăng xuất khỏi mọi thiết bị"),
    "sought_consent": gettext_lazy("hỏi ý kiến đồng ý"),
    "status": gettext_lazy("cập nhật trạng thái"),
    "submitted": gettext_lazy("gửi"),
    "suppressed": gettext_lazy("chặn gửi tin"),
    "unlocked": gettext_lazy("mở khóa"),
    "update": gettext_lazy("sửa"),
    "upload_refused": gettext_lazy("từ chối tệp tải lên"),
    "consents_withdrawn": gettext_lazy("rút lại sự đồng ý"),
    "erased": gettext_lazy("xóa"),
    "verified": gettext_lazy("xác minh"),
    "acknowledged": gettext_lazy("xác nhận đã nhận"),
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
    actor = event.actor_label
    if not actor or actor == SYSTEM_LABEL:  # stored in lower case mid-sentence style; a sentence begins here
        actor = _("Hệ thống")
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
