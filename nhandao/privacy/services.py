"""Every write of the privacy module: data-subject requests and tracing cases (audited, atomic).

Deadlines (Law 91/2025/QH15 on personal data protection; Decree 356/2025/NĐ-CP, in force
01/01/2026, replacing Decree 13/2023 and its 72 hours):
- the controller answers a request within 02 working days of receiving it (Decree 356/2025,
  the article on carrying out the data subject's rights: "phản hồi trong vòng 02 ngày làm việc");
- it carries out withdrawal of consent, restriction and objection within 15 days, 20 days where a
  processor or third party must also stop; access, correction and deletion within 10 to 20 days
  (secondary sources on Decree 356, e.g. CDLAF and VnExpress 08/01/2026: verify the article and the
  exact figure per right against the published text before relying on them: they are data here);
- one extension of at most 15 days.
Working days follow `core.vncalendar` (Tết and Giỗ Tổ from the lunar calendar).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import PRIVACY_ERASE, PRIVACY_HANDLE, TRACING_MANAGE
from nhandao.core.vncalendar import add_working_days
from nhandao.org import access

from . import shredder
from .models import (
    OPEN_REQUEST_STATUSES,
    MessageDirection,
    RedCrossMessage,
    RequestChannel,
    RequestKind,
    RequestStatus,
    RequestStep,
    SoughtConsent,
    SubjectRequest,
    TracingCase,
    TracingStatus,
    VerificationMethod,
)

ACK_WORKING_DAYS = 2
DUE_DAYS = {
    RequestKind.ACCESS: 10,
    RequestKind.CORRECTION: 10,
    RequestKind.DELETION: 20,
    RequestKind.RESTRICTION: 15,
    RequestKind.OBJECTION: 15,
    RequestKind.WITHDRAWAL: 15,
}


def deadlines(kind: str, received_on: dt.date) -> tuple[dt.date, dt.date]:
    """(acknowledge by, carry out by) for a request of `kind` received on `received_on`."""
    return add_working_days(received_on, ACK_WORKING_DAYS), received_on + dt.timedelta(days=DUE_DAYS[kind])


def _step(request: SubjectRequest, actor, action: str, note: str = "", **data) -> None:
    label = (actor.get_full_name() or actor.get_username()) if actor is not None else "hệ thống"
    RequestStep.objects.create(request=request, actor=actor, actor_label=label, action=action, note=note)
    audit.record(actor=actor, action=f"privacy.request.{action}", obj=request, data={"note": note, **data})


def _out_of_scope() -> PermissionDenied:
    return PermissionDenied(_("Người này không thuộc phạm vi đơn vị của bạn: không thể tiếp nhận yêu cầu."))


# Data-subject requests -------------------------------------------------------------------------
def request_file(
    *, actor, person, kind: str, details: str = "", received_on: dt.date | None = None
) -> SubjectRequest:
    """An officer files a request on behalf of a person of the registry in their scope (the
    person came in or called; the officer saw their papers: verified in person)."""
    if kind not in RequestKind.values:
        raise ValidationError({"kind": _("Loại yêu cầu không hợp lệ.")})
    if actor is not None and not access.has_perm(actor, PRIVACY_HANDLE, person.unit):
        raise _out_of_scope()
    received_on = received_on or timezone.localdate()
    ack_due, due = deadlines(kind, received_on)
    with transaction.atomic():
        request = SubjectRequest.objects.create(
            unit=person.unit,
            person=person,
            kind=kind,
            status=RequestStatus.RECEIVED,
            channel=RequestChannel.OFFICER,
            details=details.strip(),
            received_on=received_on,
            ack_due_on=ack_due,
            due_on=due,
            verification=VerificationMethod.IN_PERSON,
            verified_by=actor,
            owner=actor,
            created_by=actor,
        )
        _step(request, actor, "filed", request.get_kind_display())
    return request


def request_file_public(
    *, unit, kind: str, name: str, phone: str, id_number: str = "", details: str = ""
) -> SubjectRequest:
    """A member of the public files a request; nobody is matched until an officer verifies who
    they are (calling back the registered phone or seeing the ID card): the page answers the same
    whether or not the registry knows them."""
    if kind not in RequestKind.values:
        raise ValidationError({"kind": _("Loại yêu cầu không hợp lệ.")})
    received_on = timezone.localdate()
    ack_due, due = deadlines(kind, received_on)
    with transaction.atomic():
        request = SubjectRequest.objects.create(
            unit=unit,
            kind=kind,
            status=RequestStatus.VERIFYING,
            channel=RequestChannel.PUBLIC,
            details=details.strip(),
            claimed_name=name.strip(),
            claimed_phone=phone.strip(),
            claimed_id_number=id_number.strip(),
            received_on=received_on,
            ack_due_on=ack_due,
            due_on=due,
        )
        _step(request, None, "filed", request.get_kind_display(), channel="public")
    return request


def _locked(actor, request: SubjectRequest, perm: str = PRIVACY_HANDLE) -> SubjectRequest:
    access.require(actor, perm, request.unit, needs_unit=True)
    return (
        SubjectRequest.objects.select_for_update(of=("self",))
        .select_related("unit", "person")
        .get(pk=request.pk)
    )


def _require_open(request: SubjectRequest) -> None:
    if request.status not in OPEN_REQUEST_STATUSES:
        raise ValidationError(_("Yêu cầu %(number)s đã kết thúc.") % {"number": request.number})


@transaction.atomic
def request_verify(*, actor, request: SubjectRequest, person, method: str) -> SubjectRequest:
    """The officer confirms who sent a public request and which person of the registry it is."""
    request = _locked(actor, request)
    if request.status != RequestStatus.VERIFYING:
        raise ValidationError(_("Yêu cầu này đã được xác minh."))
    if method not in VerificationMethod.values:
        raise ValidationError({"verification": _("Hãy chọn cách đã xác minh người yêu cầu.")})
    if actor is not None and not access.has_perm(actor, PRIVACY_HANDLE, person.unit):
        raise _out_of_scope()
    request.person = person
    request.unit = person.unit
    request.verification = method
    request.verified_by = actor
    request.status = RequestStatus.RECEIVED
    request.save(update_fields=["person", "unit", "verification", "verified_by", "status"])
    _step(request, actor, "verified", request.get_verification_display(), person=person.pk)
    return request


@transaction.atomic
def request_acknowledge(*, actor, request: SubjectRequest, note: str = "") -> SubjectRequest:
    request = _locked(actor, request)
    if request.status != RequestStatus.RECEIVED:
        raise ValidationError(_("Chỉ phản hồi tiếp nhận được yêu cầu đã xác minh, chưa phản hồi."))
    request.status = RequestStatus.ACKNOWLEDGED
    request.acknowledged_on = timezone.localdate()
    request.owner = request.owner or actor
    request.save(update_fields=["status", "acknowledged_on", "owner"])
    _step(request, actor, "acknowledged", note)
    return request


@transaction.atomic
def request_take(*, actor, request: SubjectRequest) -> SubjectRequest:
    request = _locked(actor, request)
    _require_open(request)
    request.owner = actor
    request.save(update_fields=["owner"])
    _step(request, actor, "assigned")
    return request


def _ready_to_carry_out(request: SubjectRequest) -> None:
    _require_open(request)
    if request.person_id is None or request.status == RequestStatus.VERIFYING:
        raise ValidationError(_("Hãy xác minh người yêu cầu trước khi thực hiện."))


@transaction.atomic
def request_decide(*, actor, request: SubjectRequest, decision: str, effect: str = "", refuse: bool = False):
    """Record the decision and its effect (correction, restriction, objection; or a refusal of any
    kind, with its reason), which ends the request."""
    request = _locked(actor, request)
    if not decision.strip():
        raise ValidationError({"decision": _("Hãy ghi quyết định và lý do.")})
    if not refuse:
        _ready_to_carry_out(request)
        if request.kind in (RequestKind.DELETION, RequestKind.WITHDRAWAL, RequestKind.ACCESS):
            raise ValidationError(_("Loại yêu cầu này được thực hiện bằng nút riêng của nó."))
    else:
        _require_open(request)
    request.decision = decision.strip()
    request.effect = effect.strip()
    request.status = RequestStatus.REFUSED if refuse else RequestStatus.DONE
    request.closed_on = timezone.localdate()
    request.save(update_fields=["decision", "effect", "status", "closed_on"])
    _step(request, actor, "refused" if refuse else "decided", request.decision)
    return request


@transaction.atomic
def request_withdraw(*, actor, request: SubjectRequest) -> SubjectRequest:
    """Withdrawal of consent: every app withdraws the consents it records (messaging's consent
    records, the beneficiary files' consents, the blood donor's emergency call consent)."""
    request = _locked(actor, request)
    _ready_to_carry_out(request)
    if request.kind != RequestKind.WITHDRAWAL:
        raise ValidationError(_("Yêu cầu này không phải là rút lại sự đồng ý."))
    counts = shredder.withdraw_consents(actor=actor, person=request.person)
    request.status = RequestStatus.DONE
    request.decision = request.decision or "Rút lại toàn bộ sự đồng ý đang có hiệu lực."
    request.effect = "; ".join(f"{name}: {n}" for name, n in counts.items())
    request.closed_on = timezone.localdate()
    request.save(update_fields=["status", "decision", "effect", "closed_on"])
    _step(request, actor, "consents_withdrawn", request.effect, counts=counts)
    return request


def request_erase(*, actor, request: SubjectRequest) -> SubjectRequest:
    """Deletion: the person is pseudonymised everywhere (privacy.shredder).  Refused, with the
    reason and nothing written, while a payment for them is in draft."""
    access.require(actor, PRIVACY_ERASE, request.unit, needs_unit=True)
    with transaction.atomic():
        request = _locked(actor, request, PRIVACY_ERASE)
        _ready_to_carry_out(request)
        if request.kind != RequestKind.DELETION:
            raise ValidationError(_("Yêu cầu này không phải là yêu cầu xoá dữ liệu."))
        counts = shredder.shred_person(actor=actor, person=request.person, reason=request.number)
        SubjectRequest.objects.filter(person=request.person).update(
            claimed_name="", claimed_phone="", claimed_id_number=""
        )
        request.refresh_from_db()
        request.status = RequestStatus.DONE
        request.decision = request.decision or "Xoá (ẩn danh hoá) dữ liệu của người yêu cầu."
        request.effect = "\n".join(
            ["; ".join(f"{name}: {n}" for name, n in counts.items()), *shredder.remaining(request.person)]
        )[:2000]
        request.closed_on = timezone.localdate()
        request.save(update_fields=["status", "decision", "effect", "closed_on"])
        _step(request, actor, "erased", request.effect, counts=counts)
    return request


@transaction.atomic
def request_export_done(*, actor, request: SubjectRequest, fmt: str) -> None:
    """The access export left the system (JSON or PDF): audited; the first one ends the request."""
    request = _locked(actor, request)
    if request.person_id is None:
        raise ValidationError(_("Hãy xác minh người yêu cầu trước khi thực hiện."))
    if request.kind == RequestKind.ACCESS and request.is_open:
        request.status = RequestStatus.DONE
        request.decision = request.decision or "Cung cấp toàn bộ dữ liệu đang lưu giữ."
        request.closed_on = timezone.localdate()
        request.save(update_fields=["status", "decision", "closed_on"])
    _step(request, actor, "exported", fmt, format=fmt)


# Restoring family links ------------------------------------------------------------------------
NEXT_STATUS = {
    TracingStatus.OPENED: TracingStatus.SEARCHING,
    TracingStatus.SEARCHING: TracingStatus.FOUND,
    TracingStatus.FOUND: TracingStatus.DELIVERED,
    TracingStatus.DELIVERED: TracingStatus.CLOSED,
}

TRACING_FIELDS = (
    "enquirer_name",
    "enquirer_phone",
    "enquirer_address",
    "sought_name",
    "sought_birth_year",
    "relationship",
    "circumstances",
    "last_known_place",
    "last_known_on",
)


def tracing_open(
    *, actor, unit, enquirer_consent: bool, consent_on: dt.date | None = None, **fields
) -> TracingCase:
    """Open a case.  The ICRC's RFL code of conduct: no case without the enquirer's informed
    consent to the search (recorded with its date)."""
    access.require(actor, TRACING_MANAGE, unit, needs_unit=True)
    if not enquirer_consent:
        raise ValidationError(
            {
                "enquirer_consent": _(
                    "Chưa có sự đồng ý của người yêu cầu tìm kiếm: không thể mở hồ sơ. "
                    "Hãy giải thích mục đích và ghi nhận sự đồng ý trước."
                )
            }
        )
    unknown = set(fields) - set(TRACING_FIELDS)
    if unknown:
        raise ValueError(f"unknown tracing fields: {sorted(unknown)}")
    today = timezone.localdate()
    case = TracingCase(
        unit=unit,
        status=TracingStatus.OPENED,
        enquirer_consent_on=consent_on or today,
        opened_on=today,
        created_by=actor,
        **fields,
    )
    case.full_clean()
    with transaction.atomic():
        case.save()
        audit.record(actor=actor, action="privacy.tracing.opened", obj=case, object_repr=case.number)
    return case


def _tracing_locked(actor, case: TracingCase) -> TracingCase:
    access.require(actor, TRACING_MANAGE, case.unit, needs_unit=True)
    return TracingCase.objects.select_for_update().select_related("unit").get(pk=case.pk)


@transaction.atomic
def tracing_advance(*, actor, case: TracingCase, note: str = "") -> TracingCase:
    case = _tracing_locked(actor, case)
    target = NEXT_STATUS.get(case.status)
    if target is None:
        raise ValidationError(_("Hồ sơ đã đóng."))
    if target == TracingStatus.DELIVERED and case.sought_consent != SoughtConsent.GIVEN:
        raise ValidationError(
            _("Người được tìm chưa đồng ý chia sẻ thông tin: không được chuyển tin cho người yêu cầu.")
        )
    if target == TracingStatus.FOUND and note:
        case.found_details = note.strip()
    before = case.status
    case.status = target
    if target == TracingStatus.CLOSED:
        case.closed_on = timezone.localdate()
        case.close_note = note.strip()[:300]
    case.save()
    audit.record(
        actor=actor,
        action="privacy.tracing.status",
        obj=case,
        object_repr=case.number,
        changes={"status": {"from": before, "to": target}},
    )
    return case


@transaction.atomic
def tracing_close(*, actor, case: TracingCase, note: str) -> TracingCase:
    case = _tracing_locked(actor, case)
    if case.status == TracingStatus.CLOSED:
        raise ValidationError(_("Hồ sơ đã đóng."))
    if not note.strip():
        raise ValidationError({"note": _("Hãy ghi lý do đóng hồ sơ.")})
    before = case.status
    case.status = TracingStatus.CLOSED
    case.closed_on = timezone.localdate()
    case.close_note = note.strip()[:300]
    case.save()
    audit.record(
        actor=actor,
        action="privacy.tracing.status",
        obj=case,
        object_repr=case.number,
        changes={"status": {"from": before, "to": TracingStatus.CLOSED}},
    )
    return case


@transaction.atomic
def tracing_sought_consent(*, actor, case: TracingCase, consent: str) -> TracingCase:
    case = _tracing_locked(actor, case)
    if consent not in (SoughtConsent.GIVEN, SoughtConsent.REFUSED):
        raise ValidationError({"consent": _("Hãy chọn ý kiến của người được tìm.")})
    if case.status not in (TracingStatus.FOUND, TracingStatus.DELIVERED):
        raise ValidationError(_("Chỉ ghi ý kiến của người được tìm sau khi đã tìm thấy họ."))
    before = case.sought_consent
    case.sought_consent = consent
    case.sought_consent_on = timezone.localdate()
    case.save(update_fields=["sought_consent", "sought_consent_on"])
    audit.record(
        actor=actor,
        action="privacy.tracing.sought_consent",
        obj=case,
        object_repr=case.number,
        changes={"sought_consent": {"from": before, "to": consent}},
    )
    return case


@transaction.atomic
def message_record(*, actor, case: TracingCase, direction: str, text: str, written_on: dt.date | None = None):
    case = _tracing_locked(actor, case)
    if case.status == TracingStatus.CLOSED:
        raise ValidationError(_("Hồ sơ đã đóng."))
    if direction not in MessageDirection.values:
        raise ValidationError({"direction": _("Hãy chọn chiều của thư.")})
    if not text.strip():
        raise ValidationError({"text": _("Thư chưa có nội dung.")})
    message = RedCrossMessage.objects.create(
        case=case,
        direction=direction,
        text=text.strip(),
        written_on=written_on or timezone.localdate(),
        recorded_by=actor,
    )
    audit.record(actor=actor, action="privacy.tracing.message_recorded", obj=message, object_repr=case.number)
    return message


@transaction.atomic
def message_deliver(*, actor, message: RedCrossMessage) -> RedCrossMessage:
    case = _tracing_locked(actor, message.case)
    message = RedCrossMessage.objects.select_for_update().get(pk=message.pk)
    if message.delivered_on is not None:
        raise ValidationError(_("Thư này đã được chuyển."))
    if message.direction == MessageDirection.TO_ENQUIRER and case.sought_consent != SoughtConsent.GIVEN:
        raise ValidationError(
            _("Người được tìm chưa đồng ý chia sẻ thông tin: không được chuyển thư cho người yêu cầu.")
        )
    message.delivered_on = timezone.localdate()
    message.save(update_fields=["delivered_on"])
    audit.record(
        actor=actor, action="privacy.tracing.message_delivered", obj=message, object_repr=case.number
    )
    return message
