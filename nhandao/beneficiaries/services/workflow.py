"""The review workflow (proposed → reviewed → confirmed → active → closed) and merging files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import BENEFICIARIES_CONFIRM, BENEFICIARIES_EDIT, BENEFICIARIES_MERGE
from nhandao.core.text import clean_spaces
from nhandao.org import access
from nhandao.people.models import Person

from ..choices import HEAD_RELATIONSHIPS, CaseKind, CaseStatus, CloseReason, CommitmentStatus, Relationship
from ..models import Case, CaseCategory, Commitment, Consent, HelpRecord, Member
from ._common import _check_visible, _not_future, _require_open, _today, _user, commune_of_ward
from .cases import _lock, _step, refresh_case
from .stats import refresh_stats


# Workflow -----------------------------------------------------------------------------------
def _transition(actor, case, action, new_status, changes, on, reference="", note=""):
    old = case.status
    case.status = new_status
    case.save()
    _step(actor, case, new_status, on, reference, note)
    audit.record(
        actor=actor,
        action=action,
        obj=case,
        changes={"status": {"before": old, "after": new_status}, **changes},
        data={"reference": reference, "note": note} if reference or note else None,
    )
    refresh_stats([case.unit_id])
    return case


@transaction.atomic
def case_review(*, actor, case: Case, reviewed_on: dt.date, minutes: str, note: str = "") -> Case:
    """Proposed → reviewed openly in the community (date and minutes reference)."""
    case = _lock(case)
    _check_visible(actor, case)
    access.require(actor, BENEFICIARIES_EDIT, case.unit, needs_unit=True)
    _require_open(case)
    if case.status != CaseStatus.PROPOSED:
        raise ValidationError(
            _("Chỉ hồ sơ đang đề xuất mới ghi kết quả bình xét (hồ sơ đang: %(s)s).")
            % {"s": case.get_status_display().lower()}
        )
    if reviewed_on is None:
        raise ValidationError({"reviewed_on": _("Cần ngày bình xét.")})
    _not_future(reviewed_on, "reviewed_on", _("Ngày bình xét"))
    minutes = clean_spaces(minutes)[:120]
    if not minutes:
        raise ValidationError({"minutes": _("Cần số, ngày của biên bản họp bình xét tại cộng đồng.")})
    case.reviewed_on, case.review_minutes = reviewed_on, minutes
    return _transition(
        actor,
        case,
        "beneficiaries.case.reviewed",
        CaseStatus.REVIEWED,
        {
            "reviewed_on": {"before": None, "after": reviewed_on},
            "review_minutes": {"before": "", "after": minutes},
        },
        reviewed_on,
        minutes,
        note,
    )


@transaction.atomic
def case_confirm(*, actor, case: Case, confirmed_on: dt.date, reference: str = "", note: str = "") -> Case:
    """Reviewed → confirmed by the commune.  Needs the confirm permission on the commune itself."""
    case = _lock(case)
    _check_visible(actor, case)
    access.require(actor, BENEFICIARIES_CONFIRM, case.commune, needs_unit=True)
    _require_open(case)
    if case.status != CaseStatus.REVIEWED:
        raise ValidationError(
            _("Hồ sơ phải được bình xét công khai tại cộng đồng trước khi xã xác nhận (hồ sơ đang: %(s)s).")
            % {"s": case.get_status_display().lower()}
        )
    if confirmed_on is None:
        raise ValidationError({"confirmed_on": _("Cần ngày xác nhận.")})
    _not_future(confirmed_on, "confirmed_on", _("Ngày xác nhận"))
    if case.reviewed_on and confirmed_on < case.reviewed_on:
        raise ValidationError({"confirmed_on": _("Ngày xác nhận trước ngày bình xét.")})
    today = _today()
    current = CaseCategory.objects.filter(case=case).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=min(confirmed_on, today))
    )
    if not current.exists():
        raise ValidationError(
            _("Hồ sơ chưa có diện đối tượng nào còn hiệu lực; hãy bổ sung diện trước khi xác nhận.")
        )
    case.confirmed_on, case.confirmed_by = confirmed_on, _user(actor)
    case.confirmation_ref = clean_spaces(reference)[:120]
    return _transition(
        actor,
        case,
        "beneficiaries.case.confirmed",
        CaseStatus.CONFIRMED,
        {"confirmed_on": {"before": None, "after": confirmed_on}},
        confirmed_on,
        case.confirmation_ref,
        note,
    )


def _activate(actor, case: Case, on: dt.date) -> Case:
    case.activated_on = on
    return _transition(
        actor,
        case,
        "beneficiaries.case.activated",
        CaseStatus.ACTIVE,
        {"activated_on": {"before": None, "after": on}},
        on,
    )


@transaction.atomic
def case_activate(*, actor, case: Case, on: dt.date | None = None) -> Case:
    """Confirmed → active (also done by the first help or commitment)."""
    case = _lock(case)
    _check_visible(actor, case)
    access.require(actor, BENEFICIARIES_EDIT, case.unit, needs_unit=True)
    _require_open(case)
    if case.status != CaseStatus.CONFIRMED:
        raise ValidationError(_("Chỉ hồ sơ đã được xã xác nhận mới chuyển sang đang trợ giúp."))
    return _activate(actor, case, on or _today())


def activate_if_confirmed(actor, case: Case, on: dt.date) -> None:
    """Called inside the help and commitment services' transactions."""
    if case.status == CaseStatus.CONFIRMED:
        _activate(actor, case, max(on, case.confirmed_on or on))


@transaction.atomic
def case_close(*, actor, case: Case, closed_on: dt.date, reason: str, note: str = "") -> Case:
    """Any open state → closed, with a reason; its running commitments end the same day."""
    case = _lock(case)
    _check_visible(actor, case)
    access.require(actor, BENEFICIARIES_EDIT, case.unit, needs_unit=True)
    _require_open(case)
    if reason not in CloseReason.values or reason == CloseReason.MERGED:
        raise ValidationError({"reason": _("Chọn lý do đóng hồ sơ.")})
    if reason == CloseReason.OTHER and not (note or "").strip():
        raise ValidationError({"note": _("Ghi rõ lý do khác.")})
    if closed_on is None:
        raise ValidationError({"closed_on": _("Cần ngày đóng hồ sơ.")})
    _not_future(closed_on, "closed_on", _("Ngày đóng hồ sơ"))
    case.closed_on, case.close_reason, case.close_note = closed_on, reason, clean_spaces(note)[:300]
    _end_commitments(actor, case, closed_on, CloseReason(reason).label)
    if reason == CloseReason.DECEASED and case.kind == CaseKind.INDIVIDUAL and not case.head.deceased_on:
        Person.objects.filter(pk=case.head_id).update(deceased_on=closed_on)
    return _transition(
        actor,
        case,
        "beneficiaries.case.closed",
        CaseStatus.CLOSED,
        {"close_reason": {"before": "", "after": reason}, "closed_on": {"before": None, "after": closed_on}},
        closed_on,
        "",
        case.close_note,
    )


def _end_commitments(actor, case: Case, on: dt.date, reason) -> None:
    for commitment in Commitment.objects.select_for_update().filter(
        case=case, status=CommitmentStatus.ACTIVE
    ):
        commitment.status = CommitmentStatus.ENDED
        commitment.ended_on = max(on, commitment.starts_on)
        commitment.end_reason = str(_("Hồ sơ đóng: %(r)s") % {"r": reason})[:300]
        commitment.save(update_fields=["status", "ended_on", "end_reason"])
        audit.record(
            actor=actor,
            action="beneficiaries.commitment.ended",
            obj=commitment,
            changes={"status": {"before": CommitmentStatus.ACTIVE, "after": CommitmentStatus.ENDED}},
            data={"reason": commitment.end_reason},
        )


@transaction.atomic
def case_reopen(*, actor, case: Case, note: str) -> Case:
    """Closed → proposed again (circumstances worsened): the review starts over."""
    case = _lock(case)
    _check_visible(actor, case)
    access.require(actor, BENEFICIARIES_CONFIRM, case.commune, needs_unit=True)
    if case.merged_into_id or case.status != CaseStatus.CLOSED:
        raise ValidationError(_("Chỉ mở lại được hồ sơ đã đóng (không phải hồ sơ đã hợp nhất)."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Cần ghi lý do mở lại hồ sơ.")})
    case.reviewed_on = case.confirmed_on = case.activated_on = case.closed_on = None
    case.review_minutes = case.confirmation_ref = case.close_reason = case.close_note = ""
    case.confirmed_by = None
    return _transition(
        actor, case, "beneficiaries.case.reopened", CaseStatus.PROPOSED, {}, _today(), "", note
    )


# Merge ----------------------------------------------------------------------------------------
MERGE_CHOOSABLE = ("ward", "address_detail", "phone", "circumstances")


def merge_conflicts(keep: Case, remove: Case) -> list[str]:
    result = []
    for name in MERGE_CHOOSABLE:
        attr = f"{name}_id" if name == "ward" else name
        a, b = getattr(keep, attr), getattr(remove, attr)
        if a not in (None, "") and b not in (None, "") and a != b:
            result.append(name)
    return result


@transaction.atomic
def case_merge(*, actor, keep: Case, remove: Case, take_from_removed: Iterable[str] = ()) -> Case:
    """Merge the file `remove` into `keep` (two files of the same household, possibly in two
    communes): members, categories, consents, commitments and help records move to `keep`;
    `remove` stays as a closed tombstone pointing at `keep`, so its trail still resolves."""
    if keep.pk == remove.pk:
        raise ValidationError(_("Không thể hợp nhất một hồ sơ với chính nó."))
    first, second = sorted([keep.pk, remove.pk])
    locked = {
        c.pk: c
        for c in Case.objects.select_for_update()
        .select_related("unit", "commune", "head", "ward")
        .filter(pk__in=[first, second])
    }
    keep, remove = locked[keep.pk], locked[remove.pk]
    for case in (keep, remove):
        _check_visible(actor, case)
        access.require(actor, BENEFICIARIES_MERGE, case.unit, needs_unit=True)
        if case.merged_into_id:
            raise ValidationError(_("Hồ sơ %(n)s đã được hợp nhất trước đó.") % {"n": case.number})
    if keep.kind != remove.kind:
        raise ValidationError(_("Không hợp nhất hồ sơ hộ với hồ sơ cá nhân."))
    take = set(take_from_removed)
    if take - set(MERGE_CHOOSABLE):
        raise ValueError(sorted(take - set(MERGE_CHOOSABLE)))
    before = audit.snapshot(keep, MERGE_CHOOSABLE)
    for name in MERGE_CHOOSABLE:
        attr = f"{name}_id" if name == "ward" else name
        mine, theirs = getattr(keep, attr), getattr(remove, attr)
        if theirs not in (None, "") and (mine in (None, "") or name in take):
            setattr(keep, attr, theirs)
    if keep.ward_id != before["ward"]:
        commune = commune_of_ward(keep.ward)
        if commune is None or not (actor is None or access.has_perm(actor, BENEFICIARIES_MERGE, commune)):
            raise ValidationError({"ward": _("Địa chỉ được chọn thuộc đơn vị ngoài phạm vi của bạn.")})
        keep.unit = keep.commune = commune
    moved = {}
    kept_people = set(
        Member.objects.filter(case=keep, left_on__isnull=True).values_list("person_id", flat=True)
    )
    members = Member.objects.filter(case=remove)
    moved["members"] = 0
    for member in members:
        if member.left_on is None and member.person_id in kept_people:
            member.left_on, member.left_reason = _today(), str(_("Hợp nhất hồ sơ trùng"))
            member.save(update_fields=["left_on", "left_reason"])
            continue
        if member.relationship in HEAD_RELATIONSHIPS:
            member.relationship = Relationship.OTHER
        member.case = keep
        member.save(update_fields=["case", "relationship"])
        moved["members"] += 1
    moved["categories"] = CaseCategory.objects.filter(case=remove).update(case=keep)
    moved["consents"] = Consent.objects.filter(case=remove).update(case=keep)
    moved["commitments"] = Commitment.objects.filter(case=remove).update(case=keep, unit=keep.unit)
    moved["help_records"] = HelpRecord.objects.filter(case=remove).update(case=keep, unit=keep.unit)
    HelpRecord.objects.filter(case=keep).update(unit=keep.unit)
    # The furthest workflow state wins (a confirmed file stays confirmed).
    order = [
        CaseStatus.CLOSED,
        CaseStatus.PROPOSED,
        CaseStatus.REVIEWED,
        CaseStatus.CONFIRMED,
        CaseStatus.ACTIVE,
    ]
    if order.index(remove.status) > order.index(keep.status):
        for field in (
            "status",
            "reviewed_on",
            "review_minutes",
            "confirmed_on",
            "confirmed_by",
            "confirmation_ref",
            "activated_on",
        ):
            setattr(keep, field, getattr(remove, field))
        keep.closed_on, keep.close_reason, keep.close_note = None, "", ""
    keep.save()
    refresh_case(keep)
    remove.status = CaseStatus.CLOSED
    remove.closed_on = _today()
    remove.close_reason = CloseReason.MERGED
    remove.close_note = str(_("Hợp nhất vào hồ sơ %(n)s") % {"n": keep.number})
    remove.merged_into = keep
    remove.save()
    _step(actor, remove, CaseStatus.CLOSED, _today(), keep.number, remove.close_note)
    refresh_case(remove)
    changes = audit.diff(before, audit.snapshot(keep, MERGE_CHOOSABLE))
    audit.record(
        actor=actor,
        action="beneficiaries.case.merged",
        obj=keep,
        changes=changes,
        data={"merged": {"id": remove.pk, "repr": remove.number}, "moved": moved},
    )
    audit.record(
        actor=actor,
        action="beneficiaries.case.merged_away",
        obj=remove,
        changes={"merged_into": {"before": None, "after": {"id": keep.pk, "repr": keep.number}}},
    )
    refresh_stats({keep.unit_id, remove.unit_id})
    return keep
