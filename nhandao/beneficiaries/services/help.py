"""Recording help, the double-help check, cancelling, evidence files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import BENEFICIARIES_EDIT, BENEFICIARIES_VIEW
from nhandao.core.choices import ContentArea
from nhandao.core.formatting import date as fmt_date
from nhandao.core.formatting import money
from nhandao.core.text import clean_spaces, normalize
from nhandao.org import access
from nhandao.org.models import Unit
from nhandao.people.models import Person

from .. import evidence as evidence_rules
from ..choices import (
    HELPABLE_STATUSES,
    PERIOD_DAYS,
    ConsentPurpose,
    EvidenceKind,
    HelpKind,
    HelpStatus,
    SourceType,
)
from ..models import Case, Commitment, HelpEvidence, HelpRecord, HelpRules, HelpVolunteer, Member, Sponsor
from ._common import _check_visible, _today, _user
from .cases import refresh_case
from .stats import refresh_stats
from .workflow import activate_if_confirmed


class DoubleHelpSuspected(ValidationError):
    """The recipient already received help of the same kind in the window (or in the same
    campaign), from any unit.  `earlier` lists those records; give a reason to continue."""

    def __init__(self, message, earlier):
        super().__init__(message)
        self.earlier = earlier


# Eligibility (the fund module relies on these) ----------------------------------------------
def case_help_refusal(case: Case) -> str | None:
    """Why a case cannot receive help now, in Vietnamese; None when it can."""
    if case.merged_into_id:
        return _("Hồ sơ %(n)s đã được hợp nhất vào hồ sơ %(m)s; hãy trợ giúp theo hồ sơ còn lại.") % {
            "n": case.number,
            "m": f"HS-{case.merged_into_id:06d}",
        }
    if case.status not in HELPABLE_STATUSES:
        return _(
            "Hồ sơ %(n)s chưa được xã xác nhận (đang: %(s)s); chỉ hồ sơ đã được bình xét và xác nhận mới được "
            "trợ giúp."
        ) % {"n": case.number, "s": case.get_status_display().lower()}
    return None


def case_can_receive_help(case: Case) -> bool:
    return case_help_refusal(case) is None


# Double help ----------------------------------------------------------------------------------
def earlier_help(
    *,
    case: Case,
    kind: str,
    date: dt.date,
    campaign: str = "",
    person: Person | None = None,
    exclude_commitment: Commitment | None = None,
    exclude_pk: int | None = None,
    rules: HelpRules | None = None,
) -> list[HelpRecord]:
    """Valid help to the same recipient, from ANY unit: same kind within the configured window
    (either side of `date`), or the same campaign.  The recipient is the household (every
    file sharing a current member with this one) or, for help to one member, that person."""
    rules = rules or HelpRules.current()
    if person is not None:
        cases_of_person = Member.objects.filter(person=person, left_on__isnull=True).values("case_id")
        recipient = Q(person=person) | Q(person__isnull=True, case_id__in=cases_of_person)
    else:
        persons = Member.objects.filter(case=case, left_on__isnull=True).values("person_id")
        sharing = Member.objects.filter(person_id__in=persons, left_on__isnull=True).values("case_id")
        recipient = Q(case=case) | Q(case_id__in=sharing)
    days = dt.timedelta(days=rules.double_help_days)
    match = Q(kind=kind, date__gte=date - days, date__lte=date + days)
    key = normalize(campaign)
    if key and rules.same_campaign_check:
        match |= Q(campaign_key=key)
    qs = HelpRecord.objects.filter(recipient, match, status=HelpStatus.VALID)
    if exclude_commitment is not None:
        qs = qs.exclude(commitment=exclude_commitment)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(
        qs.select_related("unit", "delivering_unit", "case__commune", "person").order_by("-date", "-id")[:10]
    )


def double_help_message(earlier: list[HelpRecord], actor=None) -> str:
    """The warning asking for a reason; help given by a unit outside the actor's scope is
    only said to exist (access.split_visible), never its unit, value or source."""
    found = access.split_visible(actor, BENEFICIARIES_VIEW, earlier)
    if not found.visible:
        return _(
            "Người nhận đã được trợ giúp %(k)s gần đây ở một đơn vị ngoài phạm vi của bạn. "
            "Nếu vẫn trợ giúp, hãy ghi lý do."
        ) % {"k": earlier[0].get_kind_display().lower()}
    first = found.visible[0]
    return _(
        "Người nhận đã được trợ giúp %(k)s ngày %(d)s (%(v)s, %(u)s%(c)s). Nếu vẫn trợ giúp, hãy ghi lý do."
    ) % {
        "k": first.get_kind_display().lower(),
        "d": fmt_date(first.date),
        "v": money(first.value),
        "u": first.delivering_unit.name,
        "c": f", {first.campaign}" if first.campaign else "",
    }


# Recording -------------------------------------------------------------------------------------
def _clean_help(
    *,
    actor,
    case,
    date,
    kind,
    area,
    value,
    description,
    delivering_unit,
    person,
    source_type,
    source,
    sponsor,
):
    errors: dict[str, list[str]] = {}

    def err(field, message):
        errors.setdefault(field, []).append(message)

    if date is None:
        err("date", _("Cần ngày trao."))
    elif date > _today():
        err("date", _("Ngày trao không được ở tương lai."))
    if kind not in HelpKind.values:
        err("kind", _("Chọn hình thức trợ giúp."))
    if area not in ContentArea.values:
        err("area", _("Chọn lĩnh vực hoạt động (một trong bảy lĩnh vực của Luật Hoạt động chữ thập đỏ)."))
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        err("value", _("Giá trị là số tiền đồng, số nguyên không âm."))
    if not clean_spaces(description):
        err("description", _("Cần ghi nội dung trợ giúp (ví dụ: 10 kg gạo, 1 thùng mì)."))
    if delivering_unit is None:
        err("delivering_unit", _("Chọn đơn vị trao."))
    elif actor is not None and not access.has_perm(actor, BENEFICIARIES_EDIT, delivering_unit):
        err("delivering_unit", _("Đơn vị trao phải thuộc phạm vi của bạn."))
    if person is not None and not Member.objects.filter(case=case, person=person).exists():
        err("person", _("Người nhận phải là thành viên của hộ."))
    if source_type not in SourceType.values:
        err("source_type", _("Chọn nguồn trợ giúp."))
    elif source_type == SourceType.SPONSOR and sponsor is None and not clean_spaces(source):
        err("source", _("Ghi tên nhà tài trợ."))
    elif source_type in (SourceType.FUND, SourceType.CAMPAIGN, SourceType.OTHER) and not clean_spaces(source):
        err("source", _("Ghi tên nguồn (quỹ, cuộc vận động, …)."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def help_record_create(
    *,
    actor,
    case: Case,
    date: dt.date,
    kind: str,
    value: int,
    description: str,
    delivering_unit: Unit,
    area: str = ContentArea.RELIEF,
    person: Person | None = None,
    source_type: str = SourceType.UNIT,
    source: str = "",
    sponsor: Sponsor | None = None,
    commitment: Commitment | None = None,
    campaign: str = "",
    source_ref: str = "",
    volunteers: Iterable[Person] = (),
    duplicate_reason: str = "",
    recorded_by=None,
) -> HelpRecord:
    """Record one act of help to a confirmed case and return it.

    `actor=None` is the system or another module that decided access itself (the fund's
    approval: the approver holds funds.approve, not beneficiaries.edit); `recorded_by`
    then names the user credited in the record and the audit trail.

    Refused (ValidationError) when the case is not confirmed (see case_help_refusal), the
    commitment has ended, or a field is wrong.  When the recipient already received the same
    kind of help in the window (or in the same campaign) from any unit, DoubleHelpSuspected
    lists the earlier records unless `duplicate_reason` is given; the reason is stored.
    """
    case = Case.objects.select_for_update().select_related("unit", "commune", "head").get(pk=case.pk)
    _check_visible(actor, case)
    access.require(actor, BENEFICIARIES_EDIT, case.unit, needs_unit=True)
    refusal = case_help_refusal(case)
    if refusal:
        raise ValidationError(refusal)
    source = clean_spaces(source)[:200]
    if sponsor is not None and not source:
        source = sponsor.name[:200]
    _clean_help(
        actor=actor,
        case=case,
        date=date,
        kind=kind,
        area=area,
        value=value,
        description=description,
        delivering_unit=delivering_unit,
        person=person,
        source_type=source_type,
        source=source,
        sponsor=sponsor,
    )
    if commitment is not None:
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        _check_delivery(commitment, case, date)
        sponsor = sponsor or commitment.sponsor
    volunteers = list(volunteers)
    reason = clean_spaces(duplicate_reason)[:300]
    earlier = earlier_help(
        case=case, kind=kind, date=date, campaign=campaign, person=person, exclude_commitment=commitment
    )
    if earlier and not reason:
        raise DoubleHelpSuspected(double_help_message(earlier, actor), earlier)
    record = HelpRecord.objects.create(
        case=case,
        person=person,
        unit=case.unit,
        delivering_unit=delivering_unit,
        date=date,
        kind=kind,
        area=area,
        value=value,
        description=clean_spaces(description)[:300],
        source_type=source_type,
        source=source,
        sponsor=sponsor,
        commitment=commitment,
        campaign=clean_spaces(campaign)[:200],
        campaign_key=normalize(campaign)[:200],
        source_ref=(source_ref or "")[:64],
        duplicate_of=earlier[0] if earlier else None,
        duplicate_reason=reason if earlier else "",
        recorded_by=_user(actor) or _user(recorded_by),
    )
    if volunteers:
        HelpVolunteer.objects.bulk_create(
            [HelpVolunteer(help=record, person=p) for p in dict.fromkeys(volunteers)]
        )
    if commitment is not None:
        refresh_commitment(commitment)
    refresh_case(case)
    activate_if_confirmed(actor, case, date)
    audit.record(
        actor=actor if actor is not None else _user(recorded_by),
        action="beneficiaries.help.recorded",
        obj=record,
        changes=audit.created(record),
        data={
            "volunteers": [p.pk for p in volunteers],
            "earlier": [r.pk for r in earlier],
        }
        if volunteers or earlier
        else None,
    )
    refresh_stats([case.unit_id])
    return record


@transaction.atomic
def help_record_cancel(*, actor, record: HelpRecord, reason: str, cancelled_by=None) -> HelpRecord:
    """A wrong record is cancelled, never deleted; the cancellation stays visible.

    As for help_record_create, `actor=None` with `cancelled_by` is another module that
    decided access itself (the fund reversing its payment)."""
    record = HelpRecord.objects.select_for_update().select_related("case__unit").get(pk=record.pk)
    _check_visible(actor, record.case)
    access.require(actor, BENEFICIARIES_EDIT, record.unit, needs_unit=True)
    if record.status == HelpStatus.CANCELLED:
        raise ValidationError(_("Lần trợ giúp này đã bị hủy trước đó."))
    if record.source_ref and actor is not None:
        # Made by another module's record (a fund payment): cancelled with it, or the books and
        # the register would disagree.
        raise ValidationError(
            _(
                "Lần trợ giúp này được ghi từ chứng từ %(r)s (%(s)s); hãy hủy chứng từ đó (đảo khoản chi ở Quỹ), "
                "lần trợ giúp sẽ được hủy theo."
            )
            % {"r": record.source_ref, "s": record.source or record.get_source_type_display()}
        )
    reason = clean_spaces(reason)[:300]
    if not reason:
        raise ValidationError({"reason": _("Cần ghi lý do hủy.")})
    record.status = HelpStatus.CANCELLED
    record.cancelled_at = timezone.now()
    record.cancelled_by = _user(actor) or _user(cancelled_by)
    record.cancel_reason = reason
    record.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    if record.commitment_id:
        refresh_commitment(record.commitment)
    refresh_case(record.case)
    audit.record(
        actor=actor if actor is not None else _user(cancelled_by),
        action="beneficiaries.help.cancelled",
        obj=record,
        changes={"status": {"before": HelpStatus.VALID, "after": HelpStatus.CANCELLED}},
        data={"reason": reason},
    )
    refresh_stats([record.unit_id])
    return record


@transaction.atomic
def evidence_add(*, actor, record: HelpRecord, upload, kind: str) -> HelpEvidence:
    record = HelpRecord.objects.select_related("case__unit").get(pk=record.pk)
    _check_visible(actor, record.case)
    access.require(actor, BENEFICIARIES_EDIT, record.unit, needs_unit=True)

    if kind not in EvidenceKind.values:
        raise ValidationError({"kind": _("Chọn loại minh chứng.")})
    if kind == EvidenceKind.PHOTO and not record.case.has_consent(ConsentPurpose.PHOTOS):
        raise ValidationError(
            {
                "kind": _(
                    "Hồ sơ %(case)s chưa có sự đồng ý cho chụp ảnh (hoặc đã rút lại): không lưu ảnh trao tặng. "
                    "Chỉ tải lên biên nhận, hoặc ghi nhận sự đồng ý trước."
                )
                % {"case": record.case.number}
            }
        )
    content_type = evidence_rules.check_upload(upload)
    original = (getattr(upload, "name", "") or "minh-chung")[-200:]
    item = HelpEvidence(
        help=record,
        kind=kind,
        original_name=original,
        content_type=content_type,
        size=upload.size,
        uploaded_by=_user(actor),
    )
    item.file.save(f"x{evidence_rules.EXTENSIONS[content_type]}", upload, save=False)
    try:
        item.save()
        audit.record(
            actor=actor,
            action="beneficiaries.evidence.added",
            obj=item,
            changes={
                "kind": {"before": None, "after": kind},
                "original_name": {"before": None, "after": original},
            },
            data={"help": record.pk, "size": item.size, "content_type": content_type},
        )
    except Exception:
        # The file reached the disk before the row: do not leave it behind.
        item.file.storage.delete(item.file.name)
        raise
    return item


# Commitments ----------------------------------------------------------------------------------
def _check_delivery(commitment: Commitment, case: Case, date: dt.date | None) -> None:
    if commitment.case_id != case.pk:
        raise ValidationError({"commitment": _("Cam kết này không thuộc hồ sơ đang ghi.")})
    if commitment.ended(date or _today()):
        end = commitment.ended_on or commitment.ends_on
        raise ValidationError(
            _("Cam kết “%(c)s” đã kết thúc ngày %(d)s; không thể ghi nhận lần trao mới.")
            % {"c": commitment.description, "d": fmt_date(end)}
        )
    if date is not None and commitment.ends_on is not None and date > commitment.ends_on:
        raise ValidationError(
            {
                "date": _("Ngày trao sau ngày cam kết kết thúc (%(d)s); không thể ghi nhận.")
                % {"d": fmt_date(commitment.ends_on)}
            }
        )
    if date is not None and date < commitment.starts_on:
        raise ValidationError(
            {
                "date": _("Ngày trao trước ngày cam kết bắt đầu (%(d)s).")
                % {"d": fmt_date(commitment.starts_on)}
            }
        )


def refresh_commitment(commitment: Commitment) -> Commitment:
    agg = HelpRecord.objects.filter(commitment=commitment, status=HelpStatus.VALID).aggregate(
        n=Count("id"), value=Sum("value"), last=Max("date")
    )
    commitment.delivered_count = agg["n"] or 0
    commitment.delivered_value = agg["value"] or 0
    commitment.last_delivery_on = agg["last"]
    commitment.next_due_on = next_due(commitment.period, commitment.starts_on, agg["last"])
    commitment.save(update_fields=["delivered_count", "delivered_value", "last_delivery_on", "next_due_on"])
    return commitment


def next_due(period: str, starts_on: dt.date, last: dt.date | None) -> dt.date | None:
    """When the next delivery is expected: one period after the last (the start when none yet)."""
    days = PERIOD_DAYS.get(period)
    if last is None:
        return starts_on
    if days is None:
        return None
    return last + dt.timedelta(days=days)
