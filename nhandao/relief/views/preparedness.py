"""Preparedness (teams, hazard-prone communes, drills, the season's readiness) and deployments."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.core.access import RELIEF_MANAGE, RELIEF_REPORT, RELIEF_VIEW
from nhandao.core.forms import apply_errors
from nhandao.core.pagination import paginate
from nhandao.org import access

from .. import selectors
from .. import selectors_preparedness as prep
from ..forms import preparedness as forms
from ..models import READINESS_ITEMS, SEASON_MONTHS, IncidentKind
from ..services import preparedness as services


def _season(request) -> int:
    raw = request.GET.get("nam", "")
    today = timezone.localdate()
    default = today.year if today.month <= SEASON_MONTHS[1] else today.year + 1
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year + 1 else default


# Teams ---------------------------------------------------------------------------------------------
@login_required
def preparedness(request):
    access.require(request.user, RELIEF_VIEW)
    return render(
        request,
        "relief/preparedness.html",
        {
            "page": paginate(request, prep.teams(request.user)),
            "can_manage": access.has_perm(request.user, RELIEF_MANAGE),
        },
    )


@login_required
def team_create(request):
    access.require(request.user, RELIEF_MANAGE)
    form = forms.TeamForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm đội ứng phó."))
            return redirect(team)
    return render(
        request,
        "relief/form.html",
        {"form": form, "title": _("Thêm đội ứng phó"), "back": reverse("relief:preparedness")},
    )


@login_required
def team_detail(request, pk):
    team = prep.team_get(request.user, pk)
    return render(
        request,
        "relief/team_detail.html",
        {
            "team": team,
            "page": paginate(request, prep.team_contacts(team)),
            "drills": team.drills.order_by("-held_on")[:10],
        },
    )


# Hazard-prone communes -------------------------------------------------------------------------------
@login_required
def hazards(request):
    access.require(request.user, RELIEF_VIEW)
    labels = dict(IncidentKind.choices)
    page = paginate(request, prep.hazard_areas(request.user))
    for area in page.object_list:
        area.hazard_labels = [str(labels.get(h, h)) for h in area.hazards]
    return render(
        request,
        "relief/hazards.html",
        {"page": page, "can_manage": access.has_perm(request.user, RELIEF_MANAGE)},
    )


@login_required
def hazard_set(request):
    access.require(request.user, RELIEF_MANAGE)
    form = forms.HazardAreaForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.hazard_area_set(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã cập nhật xã có nguy cơ."))
            return redirect("relief:hazards")
    return render(
        request,
        "relief/form.html",
        {"form": form, "title": _("Xã có nguy cơ thiên tai"), "back": reverse("relief:hazards")},
    )


# Drills ----------------------------------------------------------------------------------------------
@login_required
def drills(request):
    access.require(request.user, RELIEF_VIEW)
    return render(
        request,
        "relief/drills.html",
        {
            "page": paginate(request, prep.drills(request.user)),
            "can_manage": access.has_perm(request.user, RELIEF_MANAGE),
        },
    )


@login_required
def drill_create(request):
    access.require(request.user, RELIEF_MANAGE)
    form = forms.DrillForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.drill_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi buổi diễn tập."))
            return redirect("relief:drills")
    return render(
        request,
        "relief/form.html",
        {"form": form, "title": _("Ghi buổi diễn tập"), "back": reverse("relief:drills")},
    )


# The season's readiness ---------------------------------------------------------------------------------
@login_required
def readiness(request):
    """The status of every commune in the user's scope (the city: all of them) for one season."""
    access.require(request.user, RELIEF_VIEW)
    season = _season(request)
    status = prep.readiness_status(request.user, season)
    page = paginate(request, status.communes)
    page.rows = prep.readiness_rows(list(page.object_list), season)
    return render(
        request,
        "relief/readiness.html",
        {"status": status, "page": page, "season": season, "n_items": len(READINESS_ITEMS)},
    )


@login_required
def readiness_set(request, commune):
    season = _season(request)
    unit, check = prep.readiness_get(request.user, commune, season)
    access.require(request.user, RELIEF_REPORT, unit)
    initial = {
        "items": [c for c, ok in (check.items if check else {}).items() if ok],
        "note": check.note if check else "",
    }
    form = forms.ReadinessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.readiness_set(actor=request.user, commune=unit, season=season, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu rà soát sẵn sàng."))
            return redirect(f"{reverse('relief:readiness')}?nam={season}")
    return render(
        request,
        "relief/form.html",
        {
            "form": form,
            "title": _("Rà soát sẵn sàng mùa mưa bão %(y)s") % {"y": season},
            "subtitle": unit.name,
            "back": reverse("relief:readiness"),
        },
    )


# Deployments --------------------------------------------------------------------------------------------
@login_required
def deployments(request, pk):
    incident = selectors.incident_get(request.user, pk)
    return render(
        request,
        "relief/deployments.html",
        {
            "incident": incident,
            "page": paginate(request, prep.deployments_of(request.user, incident)),
            "figures": prep.response_figures(incident),
            "can_manage": access.has_perm(request.user, RELIEF_MANAGE),
        },
    )


@login_required
def deployment_create(request, pk):
    incident = selectors.incident_get(request.user, pk)
    access.require(request.user, RELIEF_MANAGE)
    form = forms.DeploymentForm(request.POST or None, user=request.user, incident=incident)
    if request.method == "POST" and form.is_valid():
        try:
            deployment = services.deployment_create(
                actor=request.user, incident=incident, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã điều động."))
            return redirect(deployment)
    return render(
        request,
        "relief/form.html",
        {
            "form": form,
            "title": _("Điều động đội, tình nguyện viên"),
            "subtitle": incident.name,
            "back": reverse("relief:deployments", args=[incident.pk]),
        },
    )


@login_required
def deployment_detail(request, pk):
    deployment = prep.deployment_get(request.user, pk)
    return render(
        request,
        "relief/deployment_detail.html",
        {
            "deployment": deployment,
            "page": paginate(request, prep.deployment_members(deployment)),
            "form": forms.HoursForm(),
            "can_manage": access.has_perm(request.user, RELIEF_MANAGE, deployment.unit),
        },
    )


@login_required
@require_POST
def deployment_hours(request, pk):
    """Hours of one day for the members of the deployment: field gio-<member pk> (blank = none)."""
    deployment = prep.deployment_get(request.user, pk)
    access.require(request.user, RELIEF_MANAGE, deployment.unit)
    form = forms.HoursForm(request.POST)
    back = redirect(deployment)
    if not form.is_valid():
        messages.error(request, _("Hãy nhập ngày (dd/mm/yyyy)."))
        return back
    lines = []
    members = {m.pk: m for m in deployment.members.select_related("person")}
    for key, raw in request.POST.items():
        if not key.startswith("gio-") or not raw.strip():
            continue
        member = members.get(int(key[4:])) if key[4:].isdigit() else None
        if member is None:
            messages.error(request, _("Người không có trong đợt điều động này."))
            return back
        try:
            hours = Decimal(raw.strip().replace(",", "."))
        except InvalidOperation:
            messages.error(
                request,
                _("%(n)s: số giờ “%(v)s” không hợp lệ.") % {"n": member.person.full_name, "v": raw[:20]},
            )
            return back
        lines.append(services.HoursLine(member=member, date=form.cleaned_data["date"], hours=hours))
    try:
        services.deployment_hours_log(actor=request.user, deployment=deployment, lines=lines)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã ghi giờ vào hồ sơ tình nguyện viên."))
    return back
