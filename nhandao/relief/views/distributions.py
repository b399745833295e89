"""Distributions: plans, the household list, receipts confirmed on a phone, the printable list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.beneficiaries import api
from nhandao.core.access import RELIEF_DISTRIBUTE, RELIEF_MANAGE, RELIEF_VIEW
from nhandao.core.collation import vi
from nhandao.core.formatting import date as fmt_date
from nhandao.core.forms import apply_errors
from nhandao.core.pagination import paginate
from nhandao.org import access

from .. import selectors
from ..forms.distributions import ConfirmForm, PackageForm, PackageLines, PlanForm, SpotRegistrationForm
from ..models import Package, PlanStatus
from ..services import distributions as services


@login_required
def distribution_create(request, pk):
    incident = selectors.incident_get(request.user, pk)
    communes = selectors.reportable_communes(request.user, RELIEF_MANAGE, incident)
    access.require(request.user, RELIEF_MANAGE, communes.first() if communes.exists() else incident.unit)
    warehouses = (
        selectors.warehouses_visible(request.user, RELIEF_MANAGE).filter(is_active=True).order_by(vi("name"))
    )
    form = PlanForm(request.POST or None, communes=communes, warehouses=warehouses)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, incident=incident, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lập đợt phát hàng."))
            return redirect(plan)
    return render(
        request,
        "relief/form.html",
        {
            "form": form,
            "title": _("Lập đợt phát hàng cứu trợ"),
            "subtitle": incident.name,
            "back": incident.get_absolute_url(),
        },
    )


@login_required
def distribution_detail(request, pk):
    plan = selectors.distribution_get(request.user, pk)
    user = request.user
    page = paginate(request, selectors.recipients_of(plan))
    return render(
        request,
        "relief/distribution_detail.html",
        {
            "plan": plan,
            "incident": plan.incident,
            "page": page,
            "labels": api.case_labels(user, [r.case for r in page.object_list]),
            "progress": selectors.distribution_progress(plan),
            "package_lines": plan.package.lines.select_related("item"),
            "can_manage": plan.status == PlanStatus.OPEN
            and access.has_perm(user, RELIEF_MANAGE, plan.commune),
            "can_distribute": plan.status == PlanStatus.OPEN
            and access.has_perm(user, RELIEF_DISTRIBUTE, plan.commune),
        },
    )


@login_required
@require_POST
def distribution_fill(request, pk):
    plan = selectors.distribution_get(request.user, pk)
    access.require(request.user, RELIEF_MANAGE, plan.commune)
    try:
        added = services.recipients_from_register(actor=request.user, plan=plan)
        messages.success(request, _("Đã thêm %(n)s hộ từ sổ đối tượng.") % {"n": added})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(plan)


@login_required
@require_POST
def distribution_close(request, pk):
    plan = selectors.distribution_get(request.user, pk)
    access.require(request.user, RELIEF_MANAGE, plan.commune)
    try:
        services.plan_close(actor=request.user, plan=plan)
        messages.success(request, _("Đã kết thúc đợt phát."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(plan)


@login_required
def recipient_register(request, pk):
    """Register on the spot a household not in the register, with the register's duplicate check."""
    plan = selectors.distribution_get(request.user, pk)
    access.require(request.user, RELIEF_DISTRIBUTE, plan.commune)
    form = SpotRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recipient_register(actor=request.user, plan=plan, **form.cleaned_data)
        except api.DuplicateCaseSuspected as exc:
            form.add_error(None, exc.messages[0])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã đăng ký hộ vào sổ đối tượng (chờ xã xác nhận) và thêm vào danh sách phát."),
            )
            return redirect(plan)
    return render(
        request,
        "relief/form.html",
        {
            "form": form,
            "title": _("Đăng ký hộ tại điểm phát"),
            "subtitle": f"{plan.package.name} · {plan.commune.name}",
            "back": plan.get_absolute_url(),
        },
    )


@login_required
def recipient_confirm(request, pk):
    recipient = selectors.recipient_get(request.user, pk)
    plan = recipient.plan
    access.require(request.user, RELIEF_DISTRIBUTE, plan.commune)
    form = ConfirmForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            _recipient, created = services.recipient_confirm(
                actor=request.user, recipient=recipient, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if created:
                messages.success(request, _("Đã xác nhận hộ nhận hàng; đã xuất kho và ghi vào hồ sơ."))
            else:
                messages.info(request, _("Hộ này đã được xác nhận nhận hàng trước đó."))
            return redirect(plan)
    label = api.case_labels(request.user, [recipient.case])[recipient.case.pk]
    return render(
        request,
        "relief/form.html",
        {
            "form": form,
            "title": _("Xác nhận nhận hàng"),
            "subtitle": f"{label.number} {label.name} · {plan.package.name}",
            "back": plan.get_absolute_url(),
        },
    )


PRINT_PAGE = 5_000  # households per printed part (a commune's whole list; longer lists print in parts)


@login_required
def distribution_print(request, pk):
    """The printable list (Decree 30 layout) with a signature column: a commune's list of 5,000
    households in one page, read as plain rows (no model instances) and joined here (escaped by
    format_html) rather than looped by the template engine.  Longer lists print in parts of
    PRINT_PAGE (?phan=N; the row numbers run on from part to part)."""
    plan = selectors.distribution_get(request.user, pk)
    total = selectors.distribution_progress(plan)["listed"]
    parts = max(1, -(-total // PRINT_PAGE))
    raw = request.GET.get("phan", "1")
    part = min(max(int(raw), 1), parts) if raw.isdigit() and len(raw) < 6 else 1
    start = (part - 1) * PRINT_PAGE
    listed = selectors.recipient_print_rows(plan, start, start + PRINT_PAGE)
    labels = api.case_labels_of_facts(request.user, (facts for facts, _received in listed))
    rows = format_html_join(
        "\n",
        '<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class="sign"></td></tr>',
        (
            (i, labels[facts.pk].number, labels[facts.pk].name, fmt_date(received))
            for i, (facts, received) in enumerate(listed, start=start + 1)
        ),
    )
    return render(
        request,
        "relief/distribution_print.html",
        {
            "plan": plan,
            "rows": rows,
            "package_lines": plan.package.lines.select_related("item"),
            "today": timezone.localdate(),
            "part": part,
            "parts": range(1, parts + 1) if parts > 1 else None,
            "n_parts": parts,
            "total": total,
        },
    )


@login_required
def package_list(request):
    access.require(request.user, RELIEF_VIEW)
    return render(
        request,
        "relief/package_list.html",
        {
            "page": paginate(request, Package.objects.prefetch_related("lines__item").order_by(vi("name"))),
            "can_manage": access.scope(request.user, RELIEF_MANAGE).everything,
        },
    )


@login_required
def package_create(request):
    access.require(request.user, RELIEF_MANAGE, everywhere=True)
    form = PackageForm(request.POST or None)
    lines = PackageLines(request.POST or None, prefix="dong")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        rows = [
            f.cleaned_data
            for f in lines.forms
            if f.cleaned_data.get("item") and f.cleaned_data.get("quantity")
        ]
        try:
            services.package_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                lines=[services.PackageItem(r["item"], r["quantity"]) for r in rows],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm gói cứu trợ."))
            return redirect("relief:packages")
    return render(
        request,
        "relief/document_form.html",
        {"form": form, "lines": lines, "title": _("Thêm gói cứu trợ"), "warehouse": None},
    )
