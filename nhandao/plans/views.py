from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.core import indicators
from nhandao.core.access import PLANS_MANAGE, PLANS_VIEW
from nhandao.core.exports import ExportColumn, export_response
from nhandao.core.forms import apply_errors
from nhandao.core.pagination import paginate
from nhandao.org import access

from . import forms, reporting, selectors, services
from .models import DocumentStatus, EntryStatus, ReportStatus, RespondentKind, RoundStatus


def _is_manager(user) -> bool:
    return access.scope(user, PLANS_MANAGE).everything


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# Plans --------------------------------------------------------------------------------------


@login_required
def plan_list(request):
    qs = selectors.plan_list(request.user)
    return render(
        request,
        "plans/plan_list.html",
        {"page": paginate(request, qs), "can_manage": _is_manager(request.user)},
    )


@login_required
def plan_create(request):
    access.require(request.user, PLANS_MANAGE, everywhere=True)
    form = forms.PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        lines = lambda text: [line.strip() for line in (text or "").splitlines() if line.strip()]  # noqa: E731
        data["legal_basis"] = [{"reference": line} for line in lines(data["legal_basis"])]
        data["purposes"] = lines(data["purposes"])
        try:
            plan = services.plan_create(actor=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận kế hoạch."))
            return redirect(plan)
    return render(request, "plans/form.html", {"form": form, "title": _("Ghi nhận kế hoạch")})


@login_required
def plan_detail(request, pk):
    plan = selectors.plan_get(request.user, pk)
    contents = plan.contents.filter(parent__isnull=True).prefetch_related("items").order_by("order")
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "contents": contents,
            "duties": selectors.plan_duties(request.user, plan),
            "rounds": plan.rounds.order_by("-period_end")[:20],
            "can_manage": _is_manager(request.user),
            "copy_form": forms.CopyForm(initial={"year": plan.year + 1}),
            "full": request.GET.get("toan-van") == "1",
        },
    )


@login_required
def duty_create(request, pk):
    plan = selectors.plan_get(request.user, pk)
    access.require(request.user, PLANS_MANAGE, everywhere=True)
    form = forms.DutyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.duty_add(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm nhiệm vụ."))
            return redirect(plan)
    return render(request, "plans/form.html", {"form": form, "title": _("Thêm nhiệm vụ"), "back": plan})


@login_required
def content_create(request, pk):
    """Add an item (1–5) or a sub-item (a–đ) of section II, with its content areas."""
    plan = selectors.plan_get(request.user, pk)
    access.require(request.user, PLANS_MANAGE, everywhere=True)
    form = forms.ContentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.content_add(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm nội dung kế hoạch."))
            return redirect(plan)
    return render(
        request, "plans/form.html", {"form": form, "title": _("Thêm nội dung (phần II)"), "back": plan}
    )


@login_required
def content_edit(request, pk):
    content = selectors.content_get(request.user, pk)
    access.require(request.user, PLANS_MANAGE, everywhere=True)
    form = forms.ContentEditForm(request.POST or None, initial={"text": content.text, "areas": content.areas})
    if request.method == "POST" and form.is_valid():
        try:
            services.content_update(actor=request.user, content=content, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã sửa nội dung kế hoạch."))
            return redirect(content.plan)
    title = _("Sửa mục %(c)s (phần II)") % {"c": content.code}
    return render(request, "plans/form.html", {"form": form, "title": title, "back": content.plan})


@login_required
@require_POST
def plan_copy(request, pk):
    plan = selectors.plan_get(request.user, pk)
    access.require(request.user, PLANS_MANAGE, everywhere=True)
    form = forms.CopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy nhập năm của kế hoạch mới."))
        return redirect(plan)
    try:
        copy = services.plan_copy(actor=request.user, plan=plan, year=form.cleaned_data["year"])
    except ValidationError as exc:
        _error(request, exc)
        return redirect(plan)
    messages.success(request, _("Đã sao chép kế hoạch sang năm %(y)s.") % {"y": copy.year})
    return redirect(copy)


# Rounds -------------------------------------------------------------------------------------


@login_required
def round_create(request, pk):
    plan = selectors.plan_get(request.user, pk)
    access.require(request.user, PLANS_MANAGE, everywhere=True)
    form = forms.RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rnd = services.round_open(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã mở đợt báo cáo."))
            return redirect(rnd)
    return render(request, "plans/form.html", {"form": form, "title": _("Mở đợt báo cáo"), "back": plan})


@login_required
def round_list(request):
    qs = selectors.round_list(request.user)
    return render(request, "plans/round_list.html", {"page": paginate(request, qs)})


@login_required
def round_board(request, pk):
    rnd = selectors.round_get(request.user, pk)
    board = selectors.round_board(request.user, rnd)
    page = paginate(request, board.reports)
    manager = _is_manager(request.user)
    return render(
        request,
        "plans/round_board.html",
        {
            "round": rnd,
            "board": board,
            "page": page,
            "figure_rows": board.rows[:200],
            "breakdown_tables": board.breakdown_tables(),
            "unit_breakdowns": board.unit_breakdown_tables(limit=200),
            "agency_duties": selectors.duty_statuses(request.user, rnd),
            "overdue_recommendations": selectors.open_recommendations(request.user, overdue_only=True)[:10],
            "issues_open": selectors.issues_visible(request.user)
            .filter(round=rnd)
            .exclude(status="resolved")
            .count(),
            "can_manage": manager,
            "documents": rnd.documents.all() if manager else [],
            "issue_form": forms.IssueForm(initial={"issued_on": timezone.localdate()}),
        },
    )


@login_required
@require_POST
def round_close(request, pk):
    rnd = selectors.round_get(request.user, pk)
    try:
        services.round_close(actor=request.user, round=rnd)
        messages.success(request, _("Đã khóa đợt báo cáo."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(rnd)


def _unit_value(board, code: str, key: str, column: str):
    return lambda row: board.unit_value(row[0], code, key, column)


@login_required
def round_xlsx(request, pk):
    """The per-unit figures of the round (what the units submitted, frozen), as XLSX: the city's
    table (a commune reads its own figures on the board)."""
    rnd = selectors.round_get(request.user, pk)
    access.require(request.user, PLANS_VIEW, everywhere=True)
    board = selectors.round_board(request.user, rnd)
    columns = [
        ExportColumn(lambda row: row[0].respondent, _("Đơn vị"), width=40),
        ExportColumn(lambda row: row[0].get_status_display(), _("Trạng thái")),
        ExportColumn(lambda row: row[0].figures_as_of, _("Số liệu tính đến"), kind="date"),
    ]
    for ind in board.indicators:
        columns.append(
            ExportColumn(
                (lambda code: lambda row: row[1].get(code))(ind.code),
                ind.label,
                kind="money" if ind.money else "int",
            )
        )
    # Money per fund and campaign: two columns (raised, spent) for each fund or campaign of the round.
    for breakdown in indicators.all_breakdowns():
        for total in board.breakdowns.get(breakdown.code, []):
            for column, column_label in breakdown.columns:
                columns.append(
                    ExportColumn(
                        _unit_value(board, breakdown.code, total["key"], column),
                        f"{_(total['label'])} — {column_label}",
                        kind="money" if breakdown.money else "int",
                    )
                )
    return export_response(
        actor=request.user,
        columns=columns,
        rows=board.rows,
        fmt="xlsx",
        filename=f"so-lieu-dot-{rnd.pk}",
        what="plans.round_figures",
        title=rnd.name,
    )


@login_required
@require_POST
def document_generate(request, pk):
    rnd = selectors.round_get(request.user, pk)
    access.require(request.user, PLANS_MANAGE, everywhere=True)
    document = rnd.documents.filter(status=DocumentStatus.DRAFT).first()
    services.document_generate(actor=request.user, round=rnd, data=reporting.round_docx(rnd, document))
    messages.success(request, _("Đã tạo dự thảo báo cáo của thành phố."))
    return redirect(rnd)


@login_required
@require_POST
def document_issue(request, pk):
    document = selectors.document_get(request.user, pk)
    access.require(request.user, PLANS_MANAGE, everywhere=True)
    form = forms.IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy nhập ngày ban hành (dd/mm/yyyy)."))
        return redirect(document.round)
    try:
        services.document_issue(
            actor=request.user,
            document=document,
            issued_on=form.cleaned_data["issued_on"],
            number=form.cleaned_data["number"],
            data_for=lambda d: reporting.round_docx(d.round, d),
        )
        messages.success(request, _("Đã ban hành văn bản."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(document.round)


@login_required
def document_download(request, pk):
    document = selectors.document_get(request.user, pk)
    if not document.file:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"bao-cao-{document.round_id}-{document.number or 'du-thao'}.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


# Reports ------------------------------------------------------------------------------------


@login_required
def report_list(request):
    selectors.require_reader(request.user)
    status = request.GET.get("trang-thai", "")
    qs = selectors.report_list(request.user, status=status)
    return render(
        request,
        "plans/report_list.html",
        {"page": paginate(request, qs), "status": status, "statuses": ReportStatus.choices},
    )


def _entry_values(post, entries) -> dict[int, dict]:
    return {
        e.duty_id: {field: post.get(f"{field}-{e.duty_id}", "") for field in services.ENTRY_FIELDS}
        for e in entries
    }


@login_required
def report_detail(request, pk):
    report = selectors.report_get(request.user, pk)
    entries = list(report.entries.select_related("duty").order_by("duty__order"))
    may_fill = services.may_fill(request.user, report) and report.editable
    if request.method == "POST":
        if not may_fill:
            raise Http404
        try:
            services.report_save(
                actor=request.user, report=report, entries=_entry_values(request.POST, entries)
            )
            messages.success(request, _("Đã lưu bản nháp."))
            return redirect(report)
        except ValidationError as exc:
            _error(request, exc)
    definitions = {i.code: i for i in indicators.all_indicators()}
    figures = [(definitions.get(f.code), f) for f in report.figures.all() if f.code in definitions]
    return render(
        request,
        "plans/report_detail.html",
        {
            "report": report,
            "entries": entries,
            "figures": figures,
            "breakdown_tables": indicators.tables(report.breakdowns),
            "may_fill": may_fill,
            "can_manage": _is_manager(request.user),
            "versions": report.versions.order_by("-number"),
            "attachments": report.attachments.all(),
            "issues": report.issues.select_related("agency").order_by("pk"),
            "statuses": forms.ENTRY_STATUS_CHOICES,
            "attachment_form": forms.AttachmentForm(),
            "decision_form": forms.DecisionForm(),
            "round_closed": report.round.status == RoundStatus.CLOSED,
            "is_society": report.kind == RespondentKind.SOCIETY,
        },
    )


def _report_action(request, pk, action, done):
    report = selectors.report_get(request.user, pk)
    try:
        action(report)
        messages.success(request, done)
    except ValidationError as exc:
        _error(request, exc)
    return redirect(report)


@login_required
@require_POST
def report_figures(request, pk):
    return _report_action(
        request,
        pk,
        lambda r: services.figures_refresh(actor=request.user, report=r),
        _("Đã cập nhật số liệu từ dữ liệu hiện có."),
    )


@login_required
@require_POST
def figure_correct(request, pk):
    form = forms.FigureForm(request.POST)
    if not form.is_valid():
        report = selectors.report_get(request.user, pk)
        messages.error(request, _("Số liệu điều chỉnh phải là số nguyên không âm."))
        return redirect(report)
    data = form.cleaned_data
    return _report_action(
        request,
        pk,
        lambda r: services.figure_correct(
            actor=request.user, report=r, code=data["code"], value=data["value"], reason=data["reason"]
        ),
        _("Đã ghi số liệu điều chỉnh."),
    )


@login_required
@require_POST
def attachment_add(request, pk):
    form = forms.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        report = selectors.report_get(request.user, pk)
        messages.error(request, _("Hãy chọn tệp đính kèm."))
        return redirect(report)
    return _report_action(
        request,
        pk,
        lambda r: services.attachment_add(actor=request.user, report=r, upload=form.cleaned_data["upload"]),
        _("Đã đính kèm tệp."),
    )


@login_required
@require_POST
def report_submit(request, pk):
    return _report_action(
        request, pk, lambda r: services.report_submit(actor=request.user, report=r), _("Đã nộp báo cáo.")
    )


@login_required
@require_POST
def report_decide(request, pk):
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        report = selectors.report_get(request.user, pk)
        messages.error(request, _("Hãy chọn tiếp nhận hoặc trả lại."))
        return redirect(report)
    accept = form.cleaned_data["decision"] == "accept"
    return _report_action(
        request,
        pk,
        lambda r: services.report_decide(
            actor=request.user, report=r, accept=accept, comment=form.cleaned_data["comment"]
        ),
        _("Đã tiếp nhận báo cáo.") if accept else _("Đã trả lại báo cáo."),
    )


@login_required
@require_POST
def report_reopen(request, pk):
    return _report_action(
        request,
        pk,
        lambda r: services.report_reopen(actor=request.user, report=r),
        _("Đã mở lại cho đơn vị nộp báo cáo."),
    )


@login_required
def version_detail(request, pk, number):
    version = selectors.version_get(request.user, pk, number)
    definitions = {i.code: i for i in indicators.all_indicators()}
    figures = [(definitions.get(code), f) for code, f in (version.content.get("figures") or {}).items()]
    labels = dict(EntryStatus.choices)
    entries = [
        {**e, "status_label": labels.get(e.get("status"), "—")} for e in version.content.get("entries", [])
    ]
    return render(
        request,
        "plans/version_detail.html",
        {
            "version": version,
            "report": version.report,
            "figures": figures,
            "breakdown_tables": indicators.tables(version.content.get("breakdowns") or {}),
            "entries": entries,
        },
    )


@login_required
def attachment_download(request, pk):
    attachment = selectors.attachment_get(request.user, pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
