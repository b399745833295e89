"""Retention (Law 91/2025 Điều 14: data are deleted when the purpose is fulfilled or the time to
keep them has passed): rules per kind of record, as data with defaults, applied by
`manage.py apply_retention [--dry-run]` through the same shredder as a deletion request.

A rule lists the records past their time (`candidates`) and forgets one (`apply`); a row of
`RetentionRule` changes the number of days or switches the rule off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from nhandao.beneficiaries.choices import OPEN_STATUSES, CloseReason
from nhandao.beneficiaries.models import Case
from nhandao.beneficiaries.subject_data import closed_cases_before, forget_case
from nhandao.blood.models import Donor as BloodDonor
from nhandao.core import audit
from nhandao.funds.models import Donor as FundDonor
from nhandao.messaging.models import Message
from nhandao.people.choices import RoleStatus
from nhandao.people.models import PersonRole

from . import shredder
from .models import RetentionRule, SubjectRequest


@dataclass(frozen=True)
class Rule:
    kind: str
    label: str
    keep_days: int
    action: str  # what `apply` does, in words, for the dry run
    candidates: Callable[[dt.date], Iterable]
    apply: Callable[[object], None]
    describe: Callable[[object], str]


def _person_still_needed(person) -> bool:
    """Someone with an open file, an active registry role, a donor or blood-donor profile keeps
    their name: only the closed file is forgotten."""

    return (
        shredder.is_shredded(person)
        or Case.objects.filter(Q(head=person) | Q(members__person=person), status__in=OPEN_STATUSES).exists()
        or PersonRole.objects.filter(person=person, status=RoleStatus.ACTIVE).exists()
        or FundDonor.objects.filter(person=person).exists()
        or BloodDonor.objects.filter(person=person).exists()
    )


def _closed_cases(not_approved: bool):
    def candidates(before: dt.date):
        qs = closed_cases_before(before).exclude(address_detail="", phone="", circumstances="")
        reason = Q(close_reason=CloseReason.NOT_APPROVED)
        return (
            (qs.filter(reason) if not_approved else qs.exclude(reason)).select_related("head").order_by("id")
        )

    return candidates


def _forget_case(case) -> None:
    forget_case(case)
    if not _person_still_needed(case.head) and not shredder.blockers(case.head):
        shredder.shred_person(actor=None, person=case.head, reason=f"retention:{case.number}")


def _old_messages(before: dt.date):
    return Message.objects.filter(created_at__date__lt=before).exclude(body="").order_by("id")


def _forget_message(message) -> None:
    type(message).objects.filter(pk=message.pk).update(address="", subject="", body="")


def _lapsed_emergency_consents(before: dt.date):
    return (
        BloodDonor.objects.filter(emergency_consent=True)
        .filter(
            Q(last_donation_on__lt=before)
            | Q(last_donation_on__isnull=True, emergency_consent_at__date__lt=before)
        )
        .order_by("id")
    )


def _lapse_emergency_consent(donor) -> None:
    type(donor).objects.filter(pk=donor.pk).update(emergency_consent=False, emergency_consent_at=None)


def _closed_requests(before: dt.date):
    return (
        SubjectRequest.objects.filter(closed_on__lt=before)
        .exclude(claimed_name="", claimed_phone="", claimed_id_number="", details="")
        .order_by("id")
    )


def _forget_request(request) -> None:
    SubjectRequest.objects.filter(pk=request.pk).update(
        claimed_name="", claimed_phone="", claimed_id_number="", details=""
    )


DEFAULTS: tuple[Rule, ...] = (
    Rule(
        "beneficiaries.closed_case",
        "Hồ sơ trợ giúp đã đóng",
        5 * 365,
        "xoá địa chỉ, điện thoại, hoàn cảnh, số giấy tờ; ẩn danh hoá chủ hộ nếu không còn liên quan",
        _closed_cases(not_approved=False),
        _forget_case,
        lambda c: f"{c.number} (đóng ngày {c.closed_on:%d/%m/%Y})",
    ),
    Rule(
        "beneficiaries.rejected_case",
        "Hồ sơ không được bình xét, xác nhận",
        365,
        "xoá địa chỉ, điện thoại, hoàn cảnh, số giấy tờ; ẩn danh hoá người đề nghị nếu không còn liên quan",
        _closed_cases(not_approved=True),
        _forget_case,
        lambda c: f"{c.number} (đóng ngày {c.closed_on:%d/%m/%Y})",
    ),
    Rule(
        "blood.emergency_consent",
        "Đồng ý được gọi hiến máu khẩn cấp đã quá hạn",
        2 * 365,
        "coi như hết hiệu lực (người hiến phải đồng ý lại)",
        _lapsed_emergency_consents,
        _lapse_emergency_consent,
        lambda d: f"người hiến máu #{d.pk}",
    ),
    Rule(
        "messaging.message",
        "Nội dung tin nhắn đã gửi",
        2 * 365,
        "xoá địa chỉ nhận, tiêu đề và nội dung (giữ trạng thái, ngày gửi)",
        _old_messages,
        _forget_message,
        lambda m: f"tin nhắn #{m.pk} ({timezone.localtime(m.created_at):%d/%m/%Y})",
    ),
    Rule(
        "privacy.closed_request",
        "Thông tin tự khai trong yêu cầu về dữ liệu cá nhân đã kết thúc",
        3 * 365,
        "xoá họ tên, điện thoại, số CCCD tự khai và nội dung",
        _closed_requests,
        _forget_request,
        lambda r: r.number,
    ),
)


def effective_rules() -> list[tuple[Rule, int]]:
    """Each default rule with its number of days (a RetentionRule row overrides; inactive: left out)."""
    rows = {r.kind: r for r in RetentionRule.objects.all()}
    result = []
    for rule in DEFAULTS:
        row = rows.get(rule.kind)
        if row is not None and not row.active:
            continue
        result.append((rule, row.keep_days if row is not None else rule.keep_days))
    return result


@dataclass
class Outcome:
    rule: Rule
    keep_days: int
    before: dt.date
    items: list[str]


def run(*, dry_run: bool, today: dt.date | None = None) -> list[Outcome]:
    today = today or timezone.localdate()
    outcomes = []
    for rule, days in effective_rules():
        before = today - dt.timedelta(days=days)
        records = list(rule.candidates(before))
        described = [rule.describe(r) for r in records]
        if not dry_run and records:
            with transaction.atomic():
                for record in records:
                    rule.apply(record)
                audit.record(
                    actor=None,
                    action="privacy.retention.applied",
                    object_type_label="privacy.retentionrule",
                    object_id=rule.kind,
                    object_repr=rule.label,
                    data={"before": before, "count": len(records), "items": described[:200]},
                )
        outcomes.append(Outcome(rule, days, before, described))
    return outcomes
