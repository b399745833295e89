"""The numbers that roll up (aggregates only) and the city's settings (categories, rules)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core.access import BENEFICIARIES_CONFIGURE, BENEFICIARIES_STATS, BENEFICIARIES_VIEW
from nhandao.core.choices import ContentArea
from nhandao.core.collation import vi
from nhandao.core.forms import apply_errors
from nhandao.org import access

from .. import forms, selectors, services
from ..choices import CaseStatus, CommitmentKind, HelpKind
from ..models import Category, HelpRules
from ._common import form_page, unit_from_query


@login_required
def statistics(request):
    """Cases by category and status, humanitarian addresses, help by kind, area, month and year,
    per unit below: numbers only, nobody identified (agency reporters see this page too)."""
    access.require(request.user, BENEFICIARIES_STATS)
    user = request.user
    unit = unit_from_query(request, BENEFICIARIES_STATS)
    if unit is None:
        unit = access.home_units(user, BENEFICIARIES_STATS).order_by("path").first()
        if unit is None:
            raise PermissionDenied
    this_year = timezone.localdate().year
    raw = request.GET.get("nam", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= this_year + 1 else this_year
    data = selectors.statistics(unit, year)
    kinds, areas, commitment_kinds = (
        dict(HelpKind.choices),
        dict(ContentArea.choices),
        dict(CommitmentKind.choices),
    )
    for row in data["by_kind"]:
        row["label"] = kinds.get(row["kind"], row["kind"])
    for row in data["by_area"]:
        row["label"] = areas.get(row["area"], row["area"])
    for row in data["addresses"]["by_kind"]:
        row["label"] = commitment_kinds.get(row["kind"], row["kind"])
    statuses = [(s, label) for s, label in CaseStatus.choices if s != CaseStatus.CLOSED]
    for row in data["by_category"]:
        row["cells"] = [row.get(s, 0) for s, _label in statuses]
    return render(
        request,
        "beneficiaries/statistics.html",
        {
            "unit": unit,
            "year": year,
            "years": list(range(this_year, this_year - 6, -1)),
            "data": data,
            "statuses": statuses,
            "status_counts": [(label, data["by_status"].get(s, 0)) for s, label in CaseStatus.choices],
            "max_month": max([m["value"] for m in data["by_month"]] + [1]),
            "perms_view": access.has_perm(user, BENEFICIARIES_VIEW, unit),
        },
    )


@login_required
def settings_page(request):
    user = request.user
    access.require(user, BENEFICIARIES_CONFIGURE, everywhere=True)
    rules = HelpRules.current()
    form = forms.RulesForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        try:
            services.rules_update(
                actor=user, **{k: form.cleaned_data[k] for k in forms.RulesForm.Meta.fields}
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu quy định."))
            return redirect("beneficiaries:settings")
    return render(
        request,
        "beneficiaries/settings.html",
        {"form": form, "categories": Category.objects.order_by("order", vi("name"))},
    )


@login_required
def category_edit(request, pk=None):
    user = request.user
    access.require(user, BENEFICIARIES_CONFIGURE, everywhere=True)
    category = None
    if pk is not None:
        category = Category.objects.filter(pk=pk).first()
        if category is None:
            raise Http404
    form = forms.CategoryConfigForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(
                actor=user,
                category=category,
                **{k: form.cleaned_data[k] for k in forms.CategoryConfigForm.Meta.fields},
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu diện đối tượng."))
            return redirect("beneficiaries:settings")

    title = _("Sửa diện: %(n)s") % {"n": category.name} if category else _("Thêm diện đối tượng")
    return form_page(request, title, form, back="/cai-dat/tro-giup/")
