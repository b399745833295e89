"""Views of the difficulties and proposals register and of inspection and supervision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.core.access import PLANS_INSPECT, PLANS_MANAGE, PLANS_REPORT, PLANS_VIEW
from nhandao.core.forms import apply_errors
from nhandao.core.pagination import paginate
from nhandao.org import access
from nhandao.org.models import Unit, UnitKind

from . import forms, selectors, services
from .models import InspectionStatus, IssueStatus, RecommendationStatus
from .services.inspections import RESULTS


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# The difficulties and proposals register --------------------------------------------------------


@login_required
def issue_list(request):
    selectors.require_reader(request.user)
    round_id = request.GET.get("dot", "")
    agency_id = request.GET.get("co-quan", "")
    status = request.GET.get("trang-thai", "")
    qs = selectors.issue_list(request.user, round_id=round_id, agency_id=agency_id, status=status)
    rounds = selectors.round_list(request.user).order_by("-period_end")[:20]
    return render(
        request,
        "plans/issue_list.html",
        {
            "page": paginate(request, qs),
            "counts": selectors.issue_counts(
                request.user, round_id=access.int_pk(round_id) if round_id else None
            ),
            "rounds": rounds,
            "round_id": round_id,
            "agency_id": agency_id,
            "status": status,
            "statuses": IssueStatus.choices,
        },
    )


@login_required
def issue_detail(request, pk):
    issue = selectors.issue_get(request.user, pk)
    manager = access.scope(request.user, PLANS_MANAGE).everything
    return render(
        request,
        "plans/issue_detail.html",
        {
            "issue": issue,
            "responses": issue.responses.select_related("by", "agency"),
            "may_answer": services.may_answer(request.user, issue) and issue.status != IssueStatus.RESOLVED,
            "can_manage": manager,
            "response_form": forms.IssueResponseForm(),
            "address_form": forms.IssueAddressForm(initial={"agency": issue.agency_id}) if manager else None,
        },
    )


@login_required
@require_POST
def issue_respond(request, pk):
    issue = selectors.issue_get(request.user, pk)
    if not services.may_answer(request.user, issue):
        raise Http404
    form = forms.IssueResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy nhập nội dung trả lời."))
        return redirect(issue)
    try:
        services.issue_respond(actor=request.user, issue=issue, **form.cleaned_data)
        messages.success(request, _("Đã ghi trả lời."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(issue)


@login_required
@require_POST
def issue_address(request, pk):
    issue = selectors.issue_get(request.user, pk)
    access.require(request.user, PLANS_MANAGE, everywhere=True)
    form = forms.IssueAddressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn cơ quan trả lời."))
        return redirect(issue)
    try:
        services.issue_address(actor=request.user, issue=issue, agency=form.cleaned_data["agency"])
        messages.success(request, _("Đã chuyển đến cơ quan trả lời."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(issue)


# Inspections --------------------------------------------------------------------------------------


def _inspect_units(user):
    """The units a user may inspect: communes and the city, active, in the plans.inspect scope."""
    units = Unit.objects.filter(
        kind__in=[UnitKind.PROVINCE, UnitKind.COMMUNE], valid_to__isnull=True
    ).order_by("path")
    return access.in_scope(user, PLANS_INSPECT, units, path_field="path")


@login_required
def inspection_plans(request):
    plans = selectors.inspection_plans(request.user)
    may = access.scope(request.user, PLANS_INSPECT).everything
    form = forms.InspectionPlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        access.require(request.user, PLANS_INSPECT, everywhere=True)
        if form.is_valid():
            try:
                plan = services.inspection_plan_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã lập kế hoạch kiểm tra."))
                return redirect(plan)
    return render(
        request,
        "plans/inspection_plans.html",
        {"page": paginate(request, plans), "form": form, "may_inspect": may},
    )


@login_required
def inspection_plan(request, pk):
    plan = selectors.inspection_plan_get(request.user, pk)
    return render(
        request,
        "plans/inspection_plan.html",
        {
            "plan": plan,
            "page": paginate(request, selectors.inspection_list(request.user, plan)),
            "overdue": selectors.open_recommendations(request.user, overdue_only=True)[:20],
            "may_inspect": access.has_perm(request.user, PLANS_INSPECT),
            "may_configure": access.scope(request.user, PLANS_INSPECT).everything,
        },
    )


@login_required
def checklist_edit(request, pk):
    plan = selectors.inspection_plan_get(request.user, pk)
    access.require(request.user, PLANS_INSPECT, everywhere=True)
    form = forms.ChecklistForm(request.POST or None, checklist=plan.checklist)
    if request.method == "POST" and form.is_valid():
        try:
            services.checklist_set(actor=request.user, plan=plan, checklist=form.items())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu danh mục kiểm tra."))
            return redirect(plan)
    return render(request, "plans/form.html", {"form": form, "title": _("Danh mục kiểm tra"), "back": plan})


@login_required
def inspection_create(request, pk):
    plan = selectors.inspection_plan_get(request.user, pk)
    access.require(request.user, PLANS_INSPECT)
    form = forms.InspectionForm(request.POST or None, units=_inspect_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_schedule(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã đưa cuộc kiểm tra vào kế hoạch."))
            return redirect(inspection)
    return render(request, "plans/form.html", {"form": form, "title": _("Thêm cuộc kiểm tra"), "back": plan})


@login_required
def inspection_detail(request, pk):
    inspection = selectors.inspection_get(request.user, pk)
    may = access.has_perm(request.user, PLANS_INSPECT, inspection.unit)
    units = Unit.objects.filter(path__startswith=inspection.unit.path, valid_to__isnull=True).order_by("path")
    return render(
        request,
        "plans/inspection_detail.html",
        {
            "inspection": inspection,
            "checklist": services.checklist_of(inspection),
            "results": list(RESULTS.items()),
            "recommendations": inspection.recommendations.select_related("unit"),
            "may_inspect": may,
            "record_form": forms.RecordForm(initial={"recorded_on": inspection.ends_on}),
            "rec_form": forms.RecommendationForm(units=units),
            "recorded": inspection.status == InspectionStatus.RECORDED,
        },
    )


@login_required
@require_POST
def inspection_record(request, pk):
    inspection = selectors.inspection_get(request.user, pk)
    access.require(request.user, PLANS_INSPECT, inspection.unit)
    form = forms.RecordForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy nhập ngày lập biên bản (dd/mm/yyyy) và kết quả kiểm tra."))
        return redirect(inspection)
    answers = {
        i: (request.POST.get(f"result-{i}", ""), request.POST.get(f"note-{i}", ""))
        for i, _item in services.checklist_of(inspection)
    }
    try:
        services.inspection_record(
            actor=request.user, inspection=inspection, answers=answers, **form.cleaned_data
        )
        messages.success(request, _("Đã lập biên bản kiểm tra."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(inspection)


@login_required
@require_POST
def recommendation_create(request, pk):
    inspection = selectors.inspection_get(request.user, pk)
    access.require(request.user, PLANS_INSPECT, inspection.unit)
    units = Unit.objects.filter(path__startswith=inspection.unit.path, valid_to__isnull=True)
    form = forms.RecommendationForm(request.POST, units=units)
    if not form.is_valid():
        messages.error(request, _("Hãy nhập kiến nghị và thời hạn (dd/mm/yyyy)."))
        return redirect(inspection)
    try:
        services.recommendation_add(actor=request.user, inspection=inspection, **form.cleaned_data)
        messages.success(request, _("Đã ghi kiến nghị."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(inspection)


@login_required
def recommendation_list(request):
    access.require(request.user, PLANS_VIEW)
    overdue = request.GET.get("qua-han") == "1"
    qs = selectors.open_recommendations(request.user, overdue_only=overdue)
    return render(
        request,
        "plans/recommendation_list.html",
        {"page": paginate(request, qs), "overdue": overdue, "today": timezone.localdate()},
    )


@login_required
def recommendation_detail(request, pk):
    rec = selectors.recommendation_get(request.user, pk)
    open_ = rec.status != RecommendationStatus.CLOSED
    return render(
        request,
        "plans/recommendation_detail.html",
        {
            "rec": rec,
            "notes": rec.notes.select_related("by"),
            "may_answer": open_ and access.has_perm(request.user, PLANS_REPORT, rec.unit),
            "may_follow": open_ and access.has_perm(request.user, PLANS_INSPECT, rec.unit),
            "note_form": forms.NoteForm(),
        },
    )


@login_required
@require_POST
def recommendation_answer(request, pk):
    rec = selectors.recommendation_get(request.user, pk)
    access.require(request.user, PLANS_REPORT, rec.unit)
    form = forms.NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy nhập nội dung trả lời."))
        return redirect(rec)
    try:
        services.recommendation_answer(actor=request.user, recommendation=rec, text=form.cleaned_data["text"])
        messages.success(request, _("Đã gửi trả lời kiến nghị."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(rec)


@login_required
@require_POST
def recommendation_follow_up(request, pk):
    rec = selectors.recommendation_get(request.user, pk)
    access.require(request.user, PLANS_INSPECT, rec.unit)
    form = forms.NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy nhập ý kiến theo dõi."))
        return redirect(rec)
    try:
        services.recommendation_follow_up(
            actor=request.user,
            recommendation=rec,
            text=form.cleaned_data["text"],
            close=form.cleaned_data["close"],
        )
        messages.success(request, _("Đã ghi ý kiến theo dõi."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(rec)
