"""Filling a report: drafts, figures and corrections, attachments, submission, the city's decision."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit, indicators
from nhandao.core.access import PLANS_AGENCY_REPORT, PLANS_REPORT
from nhandao.core.text import clean_spaces
from nhandao.org import access

from ..models import (
    Decision,
    EntryStatus,
    Report,
    ReportAttachment,
    ReportFigure,
    ReportStatus,
    ReportVersion,
    RespondentKind,
    RoundStatus,
)
from . import difficulties
from .common import ENTRY_FIELDS, MAX_ATTACHMENT, _manage


def may_fill(user, report: Report) -> bool:
    """A commune's officers fill their commune's reports; an agency reporter its agency's."""
    if user is None:
        return True
    if access.has_perm(user, PLANS_REPORT, report.unit):
        return True
    return (
        report.agency_id is not None
        and report.agency_id in access.agencies_of(user)
        and access.has_perm(user, PLANS_AGENCY_REPORT, report.unit)
    )


def _require_fill(actor, report: Report) -> None:
    if not may_fill(actor, report):
        raise PermissionDenied(_("Bạn không có quyền lập báo cáo này."))


def _locked(report: Report) -> Report:
    locked = Report.objects.select_for_update().select_related("round", "unit").get(pk=report.pk)
    if not locked.editable:
        raise ValidationError(
            _("Báo cáo đang ở trạng thái “%(s)s”: không sửa được.") % {"s": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def report_save(*, actor, report: Report, entries: dict[int, dict]) -> Report:
    """Save the draft: for each duty (by id) its status, what was done, figures, difficulties, proposals."""
    _require_fill(actor, report)
    report = _locked(report)
    current = {e.duty_id: e for e in report.entries.all()}
    unknown = set(entries) - set(current)
    if unknown:
        raise ValidationError(_("Nhiệm vụ không thuộc báo cáo này."))
    changed = []
    changes = {}
    for duty_id, values in entries.items():
        entry = current[duty_id]
        before = audit.snapshot(entry, ENTRY_FIELDS)
        for field in ENTRY_FIELDS:
            if field in values:
                value = (values[field] or "").strip()
                if field == "status" and value and value not in EntryStatus.values:
                    raise ValidationError(
                        {"status": _("Tình trạng của nhiệm vụ %(d)s không hợp lệ.") % {"d": entry.duty.code}}
                    )
                setattr(entry, field, value)
        diff = audit.diff(before, audit.snapshot(entry, ENTRY_FIELDS))
        if diff:
            changed.append(entry)
            changes[str(duty_id)] = diff
    for entry in changed:
        entry.save(update_fields=list(ENTRY_FIELDS))
    if changed:
        report.save(update_fields=["updated_at"])
        audit.record(actor=actor, action="plans.report.saved", obj=report, changes=changes)
    return report


def _compute(report: Report, now: dt.datetime) -> None:
    """Refresh the computed figures of a Red Cross society's report from live data (corrections kept)."""
    if report.kind != RespondentKind.SOCIETY:
        return
    values = indicators.compute_all(report.unit, report.round.period_start, report.round.period_end)
    kept = {f.code: f for f in report.figures.all()}
    # Replaced in two statements; an officer's correction and its reason stay with their code.
    report.figures.all().delete()
    ReportFigure.objects.bulk_create(
        ReportFigure(
            report=report,
            code=code,
            computed=value,
            computed_at=now,
            corrected=kept[code].corrected if code in kept else None,
            reason=kept[code].reason if code in kept else "",
            corrected_by_id=kept[code].corrected_by_id if code in kept else None,
        )
        for code, value in values.items()
    )
    report.breakdowns = indicators.compute_breakdowns(
        report.unit, report.round.period_start, report.round.period_end
    )
    report.save(update_fields=["breakdowns"])


@transaction.atomic
def figures_refresh(*, actor, report: Report, now: dt.datetime | None = None) -> Report:
    _require_fill(actor, report)
    report = _locked(report)
    now = now or timezone.now()
    _compute(report, now)
    report.figures_as_of = now
    report.save(update_fields=["figures_as_of", "updated_at"])
    audit.record(actor=actor, action="plans.report.figures_refreshed", obj=report, data={"as_of": now})
    return report


@transaction.atomic
def figure_correct(*, actor, report: Report, code: str, value: int | None, reason: str) -> ReportFigure:
    """Correct a computed figure; the computed value stays beside it, with the reason."""
    _require_fill(actor, report)
    report = _locked(report)
    figure = report.figures.filter(code=code).first()
    if figure is None:
        raise ValidationError({"code": _("Không có chỉ tiêu “%(c)s” trong báo cáo.") % {"c": code}})
    reason = clean_spaces(reason)
    label = indicators.get(code).label if indicators.get(code) else code
    if value is not None and not reason:
        raise ValidationError({"reason": _("Điều chỉnh chỉ tiêu “%(c)s” phải ghi lý do.") % {"c": label}})
    if value is not None and value < 0:
        raise ValidationError({"value": _("Số liệu của chỉ tiêu “%(c)s” không được âm.") % {"c": label}})
    before = audit.snapshot(figure, ["corrected", "reason"])
    figure.corrected = value
    figure.reason = reason if value is not None else ""
    figure.corrected_by = actor if getattr(actor, "is_authenticated", False) else None
    figure.save(update_fields=["corrected", "reason", "corrected_by"])
    audit.record(
        actor=actor,
        action="plans.figure.corrected",
        obj=report,
        changes=audit.diff(before, audit.snapshot(figure, ["corrected", "reason"])),
        data={"code": code, "computed": figure.computed},
    )
    return figure


# What may be attached: the extension and the file's first bytes must agree.
ATTACHMENT_KINDS = {
    ".pdf": ("pdf", (b"%PDF-",)),
    ".docx": ("docx", (b"PK\x03\x04",)),
    ".xlsx": ("xlsx", (b"PK\x03\x04",)),
    ".png": ("png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("jpeg", (b"\xff\xd8\xff",)),
}


@transaction.atomic
def attachment_add(*, actor, report: Report, upload) -> ReportAttachment:
    _require_fill(actor, report)
    report = _locked(report)
    name = Path(upload.name or "").name[:200]
    suffix = Path(name).suffix.lower()
    if upload.size > MAX_ATTACHMENT:
        raise ValidationError({"upload": _("Tệp “%(n)s” lớn hơn 20 MB.") % {"n": name}})
    kind = ATTACHMENT_KINDS.get(suffix)
    head = upload.read(8)
    upload.seek(0)
    if kind is None or not any(head.startswith(m) for m in kind[1]):
        raise ValidationError(
            {"upload": _("Tệp “%(n)s” không phải PDF, DOCX, XLSX hoặc ảnh (PNG, JPEG).") % {"n": name}}
        )
    attachment = ReportAttachment(
        report=report,
        name=name,
        kind=kind[0],
        size=upload.size,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    audit.record(
        actor=actor, action="plans.attachment.added", obj=report, data={"name": name, "size": upload.size}
    )
    return attachment


def _frozen(report: Report) -> dict:
    entries = [
        {
            "duty": e.duty_id,
            "code": e.duty.code,
            "text": e.duty.text,
            **{f: getattr(e, f) for f in ENTRY_FIELDS},
        }
        for e in report.entries.select_related("duty").order_by("duty__order")
    ]
    figures = {
        f.code: {"computed": f.computed, "corrected": f.corrected, "reason": f.reason, "value": f.value}
        for f in report.figures.all()
    }
    attachments = [
        {"id": a.pk, "name": a.name, "kind": a.kind, "size": a.size} for a in report.attachments.all()
    ]
    return {
        "entries": entries,
        "figures": figures,
        "breakdowns": report.breakdowns or {},
        "attachments": attachments,
    }


@transaction.atomic
def report_submit(*, actor, report: Report, now: dt.datetime | None = None) -> ReportVersion:
    """Freeze a version: the entries and the figures computed now ("số liệu tính đến …")."""
    _require_fill(actor, report)
    report = _locked(report)
    rnd = report.round
    if rnd.status == RoundStatus.CLOSED and not report.reopened:
        raise ValidationError(
            _("Đợt báo cáo “%(r)s” đã khóa: không nộp được nữa. Hãy đề nghị thành phố mở lại cho đơn vị.")
            % {"r": rnd.name}
        )
    missing = report.entries.filter(status="").select_related("duty").first()
    if missing is not None:
        raise ValidationError(
            {"status": _("Chưa chọn tình trạng thực hiện của nhiệm vụ %(d)s.") % {"d": missing.duty.code}}
        )
    now = now or timezone.now()
    _compute(report, now)
    number = report.version_count + 1
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        content=_frozen(report),
        figures_as_of=now,
        submitted_at=now,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    before = report.status
    report.status = ReportStatus.SUBMITTED
    report.version_count = number
    report.submitted_at = now
    report.figures_as_of = now
    report.reopened = False
    report.save(
        update_fields=["status", "version_count", "submitted_at", "figures_as_of", "reopened", "updated_at"]
    )
    difficulties.raise_from(report, number, now, actor)
    audit.record(
        actor=actor,
        action="plans.report.submitted",
        obj=report,
        changes={"status": {"before": before, "after": report.status}},
        data={"version": number, "figures_as_of": now},
    )
    return version


@transaction.atomic
def report_decide(
    *, actor, report: Report, accept: bool, comment: str = "", now: dt.datetime | None = None
) -> Report:
    """The city accepts the submitted version, or returns it with comments."""
    _manage(actor)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Chỉ xem xét được báo cáo đã nộp."))
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError({"comment": _("Trả lại báo cáo phải ghi ý kiến để đơn vị bổ sung.")})
    version = report.versions.order_by("-number").first()
    version.decision = Decision.ACCEPTED if accept else Decision.RETURNED
    version.comment = comment
    version.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    version.decided_at = now or timezone.now()
    version.save(update_fields=["decision", "comment", "decided_by", "decided_at"])
    before = report.status
    report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    report.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="plans.report.accepted" if accept else "plans.report.returned",
        obj=report,
        changes={"status": {"before": before, "after": report.status}},
        data={"version": version.number, "comment": comment},
    )
    return report


@transaction.atomic
def report_reopen(*, actor, report: Report) -> Report:
    """Let one respondent submit after the round closed."""
    _manage(actor)
    report = Report.objects.select_for_update().select_related("round").get(pk=report.pk)
    if report.round.status != RoundStatus.CLOSED:
        raise ValidationError(_("Đợt báo cáo chưa khóa: đơn vị vẫn nộp được."))
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
        raise ValidationError(_("Báo cáo đã nộp."))
    report.reopened = True
    report.save(update_fields=["reopened", "updated_at"])
    audit.record(
        actor=actor,
        action="plans.report.reopened",
        obj=report,
        changes={"reopened": {"before": False, "after": True}},
    )
    return report
