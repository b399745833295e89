"""Every write of the plans app: plans and their duties, rounds, reports, versions, documents.

Each service checks the actor's permission (org.access.require), validates with a Vietnamese
message naming the field, writes in one transaction and records an audit event.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit, indicators
from nhandao.core.access import PLANS_AGENCY_REPORT, PLANS_MANAGE, PLANS_REPORT
from nhandao.core.choices import ContentArea
from nhandao.core.text import clean_spaces
from nhandao.org import access
from nhandao.org.models import Agency, Unit, UnitKind

from .models import (
    Assignee,
    CityDocument,
    Decision,
    DocumentStatus,
    Duty,
    DutyRole,
    EntryStatus,
    Plan,
    PlanContent,
    Recurrence,
    Report,
    ReportAttachment,
    ReportEntry,
    ReportFigure,
    ReportStatus,
    ReportVersion,
    RespondentKind,
    Round,
    RoundKind,
    RoundStatus,
)

FIXTURE = Path(__file__).parent / "fixtures" / "ke-hoach-hai-phong-2023.json"
MAX_ATTACHMENT = 20 * 1024 * 1024
ENTRY_FIELDS = ("status", "done", "figures", "difficulties", "proposals")


def _manage(actor) -> None:
    access.require(actor, PLANS_MANAGE, everywhere=True)


def city_unit() -> Unit:
    """The city society: the root unit of the installation that is still active."""
    unit = Unit.objects.filter(parent__isnull=True, valid_to__isnull=True).order_by("pk").first()
    if unit is None:
        raise ValidationError(_("Chưa có Hội Chữ thập đỏ thành phố trong cây tổ chức."))
    return unit


# Plans --------------------------------------------------------------------------------------


def _check_agency(agency: Agency | None, on: dt.date) -> None:
    """A duty goes to an agency still at work, or one whose duties someone holds now."""
    if agency is None:
        raise ValidationError({"agency": _("Hãy chọn cơ quan được giao nhiệm vụ.")})
    agency = Agency.objects.get(pk=agency.pk)  # as stored: the caller's copy may predate its closing
    if not agency.is_active(on) and not agency.current_holders(on):
        raise ValidationError(
            {
                "agency": _(
                    "Cơ quan “%(a)s” đã ngừng hoạt động và không có cơ quan tiếp nhận nhiệm vụ: "
                    "hãy giao nhiệm vụ cho cơ quan đang hoạt động."
                )
                % {"a": agency.name}
            }
        )


def _areas(values) -> list[str]:
    values = [str(v) for v in values or []]
    bad = [v for v in values if v not in ContentArea.values]
    if bad:
        raise ValidationError({"areas": _("Lĩnh vực không hợp lệ: %(v)s.") % {"v": ", ".join(bad)}})
    return values


@transaction.atomic
def plan_create(
    *,
    actor,
    year: int,
    title: str,
    issuer: str,
    number: int | None = None,
    symbol: str = "KH-UBND",
    issued_on: dt.date | None = None,
    legal_basis: list | None = None,
    preamble: str = "",
    purposes: list | None = None,
    requirements: list | None = None,
    signer: dict | None = None,
    recipients: list | None = None,
    full_text: str = "",
    place: str = "Hải Phòng",
) -> Plan:
    _manage(actor)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Hãy nhập trích yếu của kế hoạch.")})
    if not clean_spaces(issuer):
        raise ValidationError({"issuer": _("Hãy nhập cơ quan ban hành.")})
    if number is not None and Plan.objects.filter(number=number, symbol=symbol, year=year).exists():
        raise ValidationError(
            {"number": _("Số %(n)s/%(s)s năm %(y)s đã được dùng.") % {"n": number, "s": symbol, "y": year}}
        )
    plan = Plan(
        year=year,
        title=title,
        issuer=clean_spaces(issuer),
        number=number,
        symbol=clean_spaces(symbol) or "KH-UBND",
        issued_on=issued_on,
        legal_basis=legal_basis or [],
        preamble=preamble or "",
        purposes=purposes or [],
        requirements=requirements or [],
        signer=signer or {},
        recipients=recipients or [],
        full_text=full_text or "",
        place=place,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    plan.full_clean()
    plan.save()
    audit.record(
        actor=actor,
        action="plans.plan.created",
        obj=plan,
        changes=audit.created(plan, exclude=("id", "full_text")),
    )
    return plan


@transaction.atomic
def content_add(*, actor, plan: Plan, number: str, text: str, letter: str = "", areas=()) -> PlanContent:
    _manage(actor)
    number, letter, text = clean_spaces(number), clean_spaces(letter), (text or "").strip()
    if not number or not text:
        raise ValidationError({"text": _("Hãy nhập số mục và nội dung.")})
    parent = None
    if letter:
        parent = plan.contents.filter(number=number, letter="").first()
        if parent is None:
            raise ValidationError(
                {"number": _("Chưa có mục %(n)s để thêm điểm %(l)s.") % {"n": number, "l": letter}}
            )
    order = (plan.contents.aggregate(m=Max("order"))["m"] or 0) + 1
    content = PlanContent.objects.create(
        plan=plan, parent=parent, number=number, letter=letter, text=text, areas=_areas(areas), order=order
    )
    audit.record(actor=actor, action="plans.content.added", obj=content, changes=audit.created(content))
    return content


@transaction.atomic
def duty_add(
    *,
    actor,
    plan: Plan,
    section: str,
    heading: str,
    text: str,
    assignee: str,
    role: str,
    recurrence: str,
    agency: Agency | None = None,
    contents=(),
    areas=(),
    on: dt.date | None = None,
) -> Duty:
    _manage(actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Hãy nhập nội dung nhiệm vụ.")})
    if assignee not in Assignee.values:
        raise ValidationError({"assignee": _("Hãy chọn nơi được giao nhiệm vụ.")})
    if role not in DutyRole.values:
        raise ValidationError({"role": _("Hãy chọn chủ trì hoặc phối hợp.")})
    if recurrence not in Recurrence.values:
        raise ValidationError({"recurrence": _("Hãy chọn định kỳ thực hiện.")})
    if assignee == Assignee.AGENCY:
        _check_agency(agency, on or timezone.localdate())
    else:
        agency = None
    order = (plan.duties.aggregate(m=Max("order"))["m"] or 0) + 1
    section = clean_spaces(section)
    duty = Duty.objects.create(
        plan=plan,
        section=section,
        item=plan.duties.filter(section=section).count() + 1,
        heading=clean_spaces(heading)[:200],
        order=order,
        text=text,
        assignee=assignee,
        agency=agency,
        role=role,
        recurrence=recurrence,
        areas=_areas(areas),
    )
    if contents:
        duty.contents.set(contents)
    audit.record(actor=actor, action="plans.duty.added", obj=duty, changes=audit.created(duty))
    return duty


@transaction.atomic
def plan_load(*, actor, path: Path = FIXTURE) -> Plan:
    """Record a plan from its JSON fixture (the Hải Phòng 2023 plan ships as one)."""
    _manage(actor)
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    plan = plan_create(
        actor=actor,
        year=data["year"],
        title=data["title"],
        issuer=data["issuer"],
        number=data.get("number"),
        symbol=data.get("symbol") or "KH-UBND",
        issued_on=dt.date.fromisoformat(data["issued_on"]) if data.get("issued_on") else None,
        legal_basis=data.get("legal_basis") or [],
        preamble=data.get("preamble", ""),
        purposes=data.get("purposes") or [],
        requirements=data.get("requirements") or [],
        signer=data.get("signer") or {},
        recipients=data.get("recipients") or [],
        full_text=data.get("full_text", ""),
        place=data.get("place", "Hải Phòng"),
    )
    by_code: dict[str, PlanContent] = {}
    for item in data["contents"]:
        parent = content_add(
            actor=actor, plan=plan, number=item["number"], text=item["text"], areas=item["areas"]
        )
        by_code[parent.code] = parent
        for sub in item["items"]:
            child = content_add(
                actor=actor,
                plan=plan,
                number=item["number"],
                letter=sub["letter"],
                text=sub["text"],
                areas=sub["areas"],
            )
            by_code[child.code] = child
    agencies = {a.code: a for a in Agency.objects.all()}
    # The plan is of its year: its agencies were all at work when it was issued.
    issued = dt.date(data["year"], 12, 31)
    for group in data["assignments"]:
        agency = agencies.get(group["agency"]) if group.get("agency") else None
        if group.get("agency") and agency is None:
            raise ValidationError({"agency": _("Không tìm thấy cơ quan mã %(c)s.") % {"c": group["agency"]}})
        for duty in group["duties"]:
            duty_add(
                actor=actor,
                plan=plan,
                section=group["number"],
                heading=group["heading"],
                text=duty["text"],
                assignee=group["assignee"],
                agency=agency,
                role=duty["role"],
                recurrence=duty["recurrence"],
                contents=[by_code[c] for c in duty["contents"]],
                areas=duty["areas"],
                on=issued,
            )
    return plan


@transaction.atomic
def plan_copy(*, actor, plan: Plan, year: int) -> Plan:
    """Start next year's plan from this one: same contents and duties, no number yet; a duty of an
    agency merged since goes to the agency that holds it now."""
    _manage(actor)
    today = timezone.localdate()
    copy = plan_create(
        actor=actor,
        year=year,
        title=plan.title,
        issuer=plan.issuer,
        symbol=plan.symbol,
        legal_basis=plan.legal_basis,
        preamble=plan.preamble,
        purposes=plan.purposes,
        requirements=plan.requirements,
        signer=plan.signer,
        recipients=plan.recipients,
        place=plan.place,
    )
    copy.copied_from = plan
    copy.save(update_fields=["copied_from"])
    mapping: dict[int, PlanContent] = {}
    for content in plan.contents.order_by("order"):
        mapping[content.pk] = PlanContent.objects.create(
            plan=copy,
            parent=mapping.get(content.parent_id),
            number=content.number,
            letter=content.letter,
            text=content.text,
            areas=content.areas,
            order=content.order,
        )
    for duty in plan.duties.select_related("agency").prefetch_related("contents").order_by("order"):
        agency = duty.agency
        if agency is not None and not agency.is_active(today):
            holders = agency.current_holders(today)
            if not holders:
                raise ValidationError(
                    {
                        "agency": _(
                            "Nhiệm vụ %(d)s giao cho “%(a)s” đã ngừng hoạt động, không có cơ quan tiếp nhận."
                        )
                        % {"d": duty.code, "a": agency.name}
                    }
                )
            agency = holders[0]
        new = Duty.objects.create(
            plan=copy,
            section=duty.section,
            heading=duty.heading if agency == duty.agency else (str(agency.name) if agency else duty.heading),
            order=duty.order,
            item=duty.item,
            text=duty.text,
            assignee=duty.assignee,
            agency=agency,
            role=duty.role,
            recurrence=duty.recurrence,
            areas=duty.areas,
        )
        new.contents.set([mapping[c.pk] for c in duty.contents.all()])
    audit.record(actor=actor, action="plans.plan.copied", obj=copy, data={"from": plan.pk, "year": year})
    return copy


# Rounds -------------------------------------------------------------------------------------


def _lower_first(name: str) -> str:
    """'Phường Lê Chân' -> 'phường Lê Chân', as it reads after 'Ủy ban nhân dân'."""
    return name[:1].lower() + name[1:]


def duties_for(plan: Plan, kind: str, agency: Agency | None, on: dt.date) -> list[Duty]:
    """The plan's duties that concern a respondent: an agency's own and those of the agencies it
    succeeded (followed through Agency.current_holders), the committees', the Red Cross's."""
    duties = list(plan.duties.select_related("agency").order_by("order"))
    if kind == RespondentKind.SOCIETY:
        return [d for d in duties if d.assignee == Assignee.RED_CROSS]
    if kind == RespondentKind.COMMITTEE:
        return [d for d in duties if d.assignee == Assignee.COMMITTEES]
    result = []
    for d in duties:
        if d.assignee != Assignee.AGENCY or d.agency is None or agency is None:
            continue
        if d.agency_id == agency.pk or agency in d.agency.current_holders(on):
            result.append(d)
    return result


@transaction.atomic
def round_open(
    *,
    actor,
    plan: Plan,
    name: str,
    kind: str,
    period_start: dt.date,
    period_end: dt.date,
    deadline: dt.date,
    agencies=(),
    societies: bool = True,
    committees: bool = True,
    created_at: dt.datetime | None = None,
) -> Round:
    """Open a round: one report per respondent (the chosen agencies, every commune-level Red
    Cross society, every commune People's Committee), each with the duties that concern it."""
    _manage(actor)
    name = clean_spaces(name)
    if not name:
        raise ValidationError({"name": _("Hãy nhập tên đợt báo cáo.")})
    if kind not in RoundKind.values:
        raise ValidationError({"kind": _("Loại đợt báo cáo không hợp lệ.")})
    if period_start is None or period_end is None or period_end < period_start:
        raise ValidationError({"period_end": _("Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu.")})
    if deadline is None or deadline < period_end:
        raise ValidationError(
            {
                "deadline": _(
                    "Hạn nộp %(d)s trước ngày kết thúc kỳ báo cáo %(e)s: hạn nộp phải từ ngày kết thúc kỳ trở đi."
                )
                % {
                    "d": deadline.strftime("%d/%m/%Y") if deadline else "—",
                    "e": period_end.strftime("%d/%m/%Y"),
                }
            }
        )
    agencies = list(agencies)
    today = timezone.localdate()
    closed = [a.name for a in agencies if not a.is_active(today)]
    if closed:
        raise ValidationError(
            {"agencies": _("Cơ quan đã ngừng hoạt động: %(a)s.") % {"a": ", ".join(closed)}}
        )
    if not agencies and not societies and not committees:
        raise ValidationError({"agencies": _("Hãy chọn đơn vị báo cáo.")})
    rnd = Round.objects.create(
        plan=plan,
        name=name,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        deadline=deadline,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=created_at or timezone.now(),
    )
    city = city_unit()
    communes = list(
        Unit.objects.filter(
            kind=UnitKind.COMMUNE, path__startswith=city.path, valid_to__isnull=True
        ).order_by("path")
    )
    committee_agency = (
        Agency.objects.filter(kind="committee", valid_to__isnull=True, legacy_district__isnull=True)
        .order_by("pk")
        .first()
    )
    reports: list[Report] = []
    for agency in agencies:
        reports.append(
            Report(round=rnd, kind=RespondentKind.AGENCY, unit=city, agency=agency, respondent=agency.name)
        )
    if societies:
        reports += [
            Report(round=rnd, kind=RespondentKind.SOCIETY, unit=u, respondent=u.name) for u in communes
        ]
    if committees:
        reports += [
            Report(
                round=rnd,
                kind=RespondentKind.COMMITTEE,
                unit=u,
                agency=committee_agency,
                respondent=_("Ủy ban nhân dân %(w)s")
                % {"w": _lower_first(u.ward.name if u.ward_id else u.name)},
            )
            for u in Unit.objects.filter(pk__in=[c.pk for c in communes])
            .select_related("ward")
            .order_by("path")
        ]
    Report.objects.bulk_create(reports)
    # The unit is selected: record_many streams the events into a COPY (no query may run meanwhile).
    reports = list(rnd.reports.select_related("agency", "unit"))
    entries = []
    cache: dict[tuple, list[Duty]] = {}
    for report in reports:
        key = (report.kind, report.agency_id if report.kind == RespondentKind.AGENCY else None)
        if key not in cache:
            cache[key] = duties_for(plan, report.kind, report.agency, period_end)
        entries += [ReportEntry(report=report, duty=d) for d in cache[key]]
    ReportEntry.objects.bulk_create(entries, batch_size=2000)
    audit.record(
        actor=actor,
        action="plans.round.opened",
        obj=rnd,
        changes=audit.created(rnd),
        data={"reports": len(reports), "agencies": [a.pk for a in agencies]},
    )
    audit.record_many(
        actor=actor, action="plans.report.created", objects=reports, label=lambda r: r.respondent
    )
    return rnd


@transaction.atomic
def round_close(*, actor, round: Round) -> Round:
    _manage(actor)
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if rnd.status == RoundStatus.CLOSED:
        raise ValidationError(_("Đợt báo cáo đã khóa."))
    rnd.status, rnd.closed_at = RoundStatus.CLOSED, timezone.now()
    rnd.save(update_fields=["status", "closed_at"])
    audit.record(
        actor=actor,
        action="plans.round.closed",
        obj=rnd,
        changes={"status": {"before": "open", "after": "closed"}},
    )
    return rnd


# Reports ------------------------------------------------------------------------------------


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
    return {"entries": entries, "figures": figures, "attachments": attachments}


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


# The city's document ------------------------------------------------------------------------


@transaction.atomic
def document_generate(*, actor, round: Round, data: bytes, year: int | None = None) -> CityDocument:
    """Store a (re)generated draft of the round's consolidated report; `data` is the DOCX."""
    _manage(actor)
    document = round.documents.select_for_update().filter(status=DocumentStatus.DRAFT).first()
    if document is None:
        document = CityDocument(round=round, year=year or timezone.localdate().year)
    elif document.file:
        document.file.delete(save=False)
    document.file.save("bao-cao.docx", ContentFile(data), save=False)
    document.save()
    audit.record(
        actor=actor,
        action="plans.document.generated",
        obj=document,
        data={"round": round.pk, "bytes": len(data)},
    )
    return document


@transaction.atomic
def document_issue(
    *, actor, document: CityDocument, issued_on: dt.date, data_for, number: int | None = None
) -> CityDocument:
    """Assign the number (the next free one of the year unless given), store the final file and
    freeze the document.  `data_for(document)` renders the DOCX with its number and date."""
    _manage(actor)
    document = CityDocument.objects.select_for_update().get(pk=document.pk)
    if document.status == DocumentStatus.ISSUED:
        raise ValidationError(_("Văn bản đã ban hành, không thay đổi được."))
    year = issued_on.year
    if number is None:
        number = (
            CityDocument.objects.filter(symbol=document.symbol, year=year).aggregate(m=Max("number"))["m"]
            or 0
        ) + 1
    if CityDocument.objects.filter(symbol=document.symbol, year=year, number=number).exists():
        raise ValidationError(
            {
                "number": _("Số %(n)s/%(s)s năm %(y)s đã được dùng cho văn bản khác.")
                % {"n": number, "s": document.symbol, "y": year}
            }
        )
    document.number, document.year, document.issued_on = number, year, issued_on
    document.status = DocumentStatus.ISSUED
    document.issued_by = actor if getattr(actor, "is_authenticated", False) else None
    if document.file:
        document.file.delete(save=False)
    document.file.save("bao-cao.docx", ContentFile(data_for(document)), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        raise ValidationError(
            {
                "number": _("Số %(n)s/%(s)s năm %(y)s đã được dùng cho văn bản khác.")
                % {"n": number, "s": document.symbol, "y": year}
            }
        ) from None
    audit.record(
        actor=actor,
        action="plans.document.issued",
        obj=document,
        changes={
            "number": {"before": None, "after": number},
            "status": {"before": "draft", "after": "issued"},
        },
    )
    return document
