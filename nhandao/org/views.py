from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.core.access import (
    AUDIT_VIEW,
    ORG_ASSIGN_ROLES,
    ORG_MANAGE,
    ORG_MANAGE_AGENCIES,
    ORG_VIEW,
)
from nhandao.core.forms import apply_errors
from nhandao.core.pagination import paginate

from . import access, forms, selectors, services
from .models import Agency, RoleAssignment


@login_required
def tree(request):
    access.require(request.user, ORG_VIEW)
    query = request.GET.get("q", "").strip()[:100]
    include_closed = request.GET.get("closed") == "1"
    context = {"query": query, "include_closed": include_closed}
    if query:
        context["page"] = paginate(
            request, selectors.unit_search(request.user, query, include_closed=include_closed)
        )
    else:
        roots = list(access.home_units(request.user, ORG_VIEW, include_closed=include_closed))
        context["roots"] = roots
        context["root_children"] = {
            root.pk: list(selectors.unit_children(request.user, root, include_closed=include_closed)[:200])
            for root in roots[:10]
        }
    return render(request, "org/tree.html", context)


@login_required
def unit_children(request, pk):
    unit = access.get_unit_or_404(request.user, pk, ORG_VIEW)
    include_closed = request.GET.get("closed") == "1"
    children = selectors.unit_children(request.user, unit, include_closed=include_closed)
    return render(
        request,
        "org/_children.html",
        {"unit": unit, "children": children[:500], "include_closed": include_closed},
    )


@login_required
def unit_detail(request, pk):
    unit = access.get_unit_or_404(request.user, pk, ORG_VIEW)
    include_closed = request.GET.get("closed") == "1"
    predecessors, successors = selectors.unit_successions(unit)
    user = request.user
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "breadcrumbs": selectors.unit_breadcrumbs(user, unit),
            "children_page": paginate(
                request, selectors.unit_children(user, unit, include_closed=include_closed)
            ),
            "include_closed": include_closed,
            "officers": selectors.unit_officers(unit),
            "counters": selectors.unit_counts(unit, user),
            "predecessors": predecessors,
            "successors": successors,
            "can_manage": access.has_perm(user, ORG_MANAGE, unit),
            "can_assign": access.has_perm(user, ORG_ASSIGN_ROLES, unit),
            "can_audit": access.has_perm(user, AUDIT_VIEW, unit),
        },
    )


def _form_view(request, pk, form_class, template, handle, perm=ORG_MANAGE, form_kwargs=None, title=""):
    unit = access.get_unit_or_404(request.user, pk, ORG_VIEW)
    access.require(request.user, perm, unit)
    kwargs = form_kwargs(unit) if form_kwargs else {}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            result = handle(unit, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(result)
    return render(
        request,
        template,
        {
            "unit": unit,
            "form": form,
            "title": title,
            "breadcrumbs": selectors.unit_breadcrumbs(request.user, unit),
        },
    )


@login_required
def unit_create(request, pk):
    def handle(parent, data):
        child = services.unit_create(
            actor=request.user, parent=parent, **{k: v for k, v in data.items() if v != ""}
        )
        messages.success(request, _("Đã tạo đơn vị “%(name)s”.") % {"name": child.name})
        return child.get_absolute_url()

    return _form_view(
        request,
        pk,
        forms.UnitCreateForm,
        "org/unit_form.html",
        handle,
        form_kwargs=lambda unit: {"parent": unit},
        title=_("Thêm đơn vị trực thuộc"),
    )


@login_required
def unit_edit(request, pk):
    def handle(unit, data):
        services.unit_update(actor=request.user, unit=unit, **data)
        messages.success(request, _("Đã lưu thay đổi."))
        return reverse("org:unit", args=[unit.pk])

    def initial(unit):
        return {
            "initial": {
                "name": unit.name,
                "code": unit.code,
                "branch_type": unit.branch_type,
                "ward": unit.ward_id or "",
                "address": unit.address,
                "phone": unit.phone,
                "email": unit.email,
            }
        }

    return _form_view(
        request,
        pk,
        forms.UnitEditForm,
        "org/unit_form.html",
        handle,
        form_kwargs=initial,
        title=_("Sửa thông tin, đổi tên đơn vị"),
    )


@login_required
def unit_move(request, pk):
    def handle(unit, data):
        services.unit_move(actor=request.user, unit=unit, new_parent=data["new_parent"])
        messages.success(request, _("Đã chuyển đơn vị."))
        return reverse("org:unit", args=[unit.pk])

    return _form_view(
        request,
        pk,
        forms.UnitMoveForm,
        "org/unit_form.html",
        handle,
        form_kwargs=lambda unit: {"unit": unit, "user": request.user},
        title=_("Chuyển đơn vị"),
    )


@login_required
def unit_merge(request, pk):
    def handle(unit, data):
        services.unit_merge(
            actor=request.user, unit=unit, into=data["into"], on=data["on"], reason=data["reason"]
        )
        messages.success(
            request, _("Đã sáp nhập “%(a)s” vào “%(b)s”.") % {"a": unit.name, "b": data["into"].name}
        )
        return reverse("org:unit", args=[data["into"].pk])

    return _form_view(
        request,
        pk,
        forms.UnitMergeForm,
        "org/unit_form.html",
        handle,
        form_kwargs=lambda unit: {"unit": unit, "user": request.user},
        title=_("Sáp nhập đơn vị"),
    )


@login_required
def unit_close(request, pk):
    def handle(unit, data):
        services.unit_close(
            actor=request.user,
            unit=unit,
            on=data["on"],
            reason=data["reason"],
            successors=list(data["successors"]),
        )
        messages.success(request, _("Đã ghi nhận đơn vị ngừng hoạt động."))
        return reverse("org:unit", args=[unit.pk])

    return _form_view(
        request,
        pk,
        forms.UnitCloseForm,
        "org/unit_form.html",
        handle,
        form_kwargs=lambda unit: {"unit": unit, "user": request.user},
        title=_("Giải thể, ngừng hoạt động"),
    )


@login_required
def role_assign(request, pk):
    def handle(unit, data):
        services.role_assign(actor=request.user, unit=unit, **data)
        messages.success(request, _("Đã phân quyền cho %(user)s.") % {"user": data["user"]})
        return reverse("org:unit", args=[unit.pk]) + "#officers"

    return _form_view(
        request,
        pk,
        forms.RoleAssignForm,
        "org/unit_form.html",
        handle,
        perm=ORG_ASSIGN_ROLES,
        title=_("Phân quyền"),
    )


@login_required
@require_POST
def role_revoke(request, pk):
    assignment = get_object_or_404(RoleAssignment.objects.select_related("unit"), pk=pk)
    if not access.has_perm(request.user, ORG_VIEW, assignment.unit):
        raise Http404
    access.require(request.user, ORG_ASSIGN_ROLES, assignment.unit)
    try:
        services.role_revoke(actor=request.user, assignment=assignment)
        messages.success(request, _("Đã thu hồi quyền."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("org:unit", args=[assignment.unit_id]) + "#officers")


# Agencies -------------------------------------------------------------------
@login_required
def agency_list(request):
    access.require(request.user, ORG_VIEW)
    query = request.GET.get("q", "").strip()[:100]
    page = paginate(request, selectors.agencies(query=query))
    return render(
        request,
        "org/agency_list.html",
        {
            "page": page,
            "query": query,
            "can_manage": access.has_perm(request.user, ORG_MANAGE_AGENCIES),
        },
    )


@login_required
def agency_detail(request, pk):
    access.require(request.user, ORG_VIEW)
    agency = get_object_or_404(Agency, pk=pk)
    return render(
        request,
        "org/agency_detail.html",
        {
            "agency": agency,
            "holders": agency.current_holders(),
            "successions": agency.successions.select_related("successor"),
            "predecessions": agency.predecessions.select_related("predecessor"),
            "can_manage": access.has_perm(request.user, ORG_MANAGE_AGENCIES),
        },
    )


@login_required
def agency_create(request):
    access.require(request.user, ORG_MANAGE_AGENCIES)
    form = forms.AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm cơ quan."))
            return redirect("org:agency", pk=agency.pk)
    return render(request, "org/agency_form.html", {"form": form, "title": _("Thêm cơ quan phối hợp")})


@login_required
def agency_close(request, pk):
    access.require(request.user, ORG_MANAGE_AGENCIES)
    agency = get_object_or_404(Agency, pk=pk)
    form = forms.AgencyCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        successors = [(data["primary"], True, "")] + [
            (a, False, "") for a in data["others"] if a != data["primary"]
        ]
        try:
            services.agency_close(
                actor=request.user,
                agency=agency,
                on=data["on"],
                successors=successors,
                reference=data["reference"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận cơ quan ngừng hoạt động."))
            return redirect("org:agency", pk=agency.pk)
    return render(
        request,
        "org/agency_form.html",
        {"form": form, "agency": agency, "title": _("Sáp nhập, giải thể cơ quan")},
    )


# Audit trail ------------------------------------------------------------------
@login_required
def audit_list(request):
    access.require(request.user, AUDIT_VIEW)
    form = forms.AuditFilterForm(request.GET or None, object_types=selectors.audit_object_types())
    f = selectors.AuditFilter()
    unit = None
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            actor = get_user_model().objects.filter(username__iexact=data["actor"].strip()).first()
            f.actor = actor.pk if actor else -1
        if data["unit"]:
            unit = access.get_unit_or_404(request.user, data["unit"], AUDIT_VIEW)
            f.unit = unit
        f.object_type = data["object_type"] or ""
        f.action = (data["action"] or "").strip()
        f.date_from, f.date_to = data["date_from"], data["date_to"]
    page = paginate(request, selectors.audit_events(request.user, f))
    return render(request, "org/audit_list.html", {"form": form, "page": page, "unit": unit})


@login_required
def audit_detail(request, pk):
    access.require(request.user, AUDIT_VIEW)
    event = selectors.audit_event_get(request.user, pk)
    return render(request, "org/audit_detail.html", {"event": event})
