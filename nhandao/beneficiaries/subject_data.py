"""What the beneficiary files hold about a person, and how they forget them (core.subjects).

Health categories and evidence numbers are the person's own data: the access export shows them
to the person.  Shredding blanks the household's phone, address and circumstances where the
person heads it, and the evidence numbers of their categories; help records (dates, kinds,
amounts) stay, because the fund's books and the statistics count them.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from nhandao.core.subjects import Section, text

from .choices import CaseStatus
from .models import Case, CaseCategory, Consent, HelpRecord
from .services.cases import refresh_case


def _cases(person):
    return Case.objects.filter(Q(head=person) | Q(members__person=person)).distinct().order_by("id")


def collect(person) -> list[Section]:
    cases = Section(
        "Hồ sơ trợ giúp",
        [
            {
                "Số hồ sơ": c.number,
                "Trạng thái": c.get_status_display(),
                "Chủ hộ": c.head.full_name,
                "Địa chỉ": c.address_detail,
                "Điện thoại": c.phone,
                "Hoàn cảnh": c.circumstances,
                "Ngày đóng": text(c.closed_on),
            }
            for c in _cases(person).select_related("head")
        ],
    )
    categories = Section(
        "Diện đối tượng",
        [
            {
                "Diện": cc.category.name,
                "Số giấy tờ": cc.evidence_number,
                "Hiệu lực từ": text(cc.valid_from),
                "Hiệu lực đến": text(cc.valid_to),
            }
            for cc in CaseCategory.objects.filter(person=person).select_related("category").order_by("id")
        ],
    )
    consents = Section(
        "Sự đồng ý (hồ sơ trợ giúp)",
        [
            {
                "Mục đích": c.get_purpose_display(),
                "Ngày đồng ý": text(c.given_on),
                "Ngày rút lại": text(c.withdrawn_on),
            }
            for c in Consent.objects.filter(person=person).order_by("given_on", "id")
        ],
    )
    help_given = Section(
        "Trợ giúp đã nhận",
        [
            {
                "Ngày": text(h.date),
                "Hình thức": h.get_kind_display(),
                "Nội dung": h.description,
                "Giá trị (đồng)": text(h.value),
            }
            for h in HelpRecord.objects.filter(Q(person=person) | Q(case__head=person)).order_by("date", "id")
        ],
    )
    return [s for s in (cases, categories, consents, help_given) if s.rows]


def shred(person, actor) -> int:
    changed = 0
    for case in Case.objects.select_for_update().filter(head=person).order_by("id"):
        forget_case(case)
        changed += 1
    for case in Case.objects.filter(members__person=person).exclude(head=person).distinct().order_by("id"):
        refresh_case(case)  # the member's old name leaves the case's search key
    changed += (
        CaseCategory.objects.filter(person=person).exclude(evidence_number="").update(evidence_number="")
    )
    changed += Consent.objects.filter(person=person).exclude(collected_by="").update(collected_by="")
    return changed


def forget_case(case) -> None:
    """Blank what identifies a household on its file (retention, or its head's deletion)."""

    case.phone = ""
    case.address_detail = ""
    case.circumstances = ""
    case.close_note = ""
    case.review_minutes = ""
    case.save(
        update_fields=[
            "phone",
            "address_detail",
            "circumstances",
            "close_note",
            "review_minutes",
            "updated_at",
        ]
    )
    CaseCategory.objects.filter(case=case).exclude(evidence_number="").update(evidence_number="")
    refresh_case(case)


def withdraw(person, actor) -> int:
    """Every consent in force of the person's files is withdrawn today (Law 91/2025 Điều 12)."""

    today = timezone.localdate()
    consents = Consent.objects.filter(person=person, withdrawn_on__isnull=True)
    case_ids = set(consents.values_list("case_id", flat=True))
    n = consents.update(withdrawn_on=today, withdrawal_note="Rút lại theo yêu cầu của chủ thể dữ liệu")
    for case in Case.objects.filter(pk__in=case_ids).order_by("id"):
        refresh_case(case)
    return n


def closed_cases_before(day: dt.date):
    """Closed cases (retention: closed files after N years; files not approved sooner)."""

    return Case.objects.filter(status=CaseStatus.CLOSED, closed_on__lt=day)
