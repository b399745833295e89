"""Humanitarian addresses: commitments, deliveries, the follow-up book, sponsors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core.access import BENEFICIARIES_EDIT, BENEFICIARIES_VIEW
from nhandao.core.collation import vi
from nhandao.core.forms import apply_errors
from nhandao.core.pagination import LIST_CAP, paginate
from nhandao.org import access
from nhandao.org.models import Unit

from .. import forms, selectors, services
from ..models import Member
from ._common import (
    DELIVERING_KINDS,
    form_page,
    log_outside_view,
    pick_people,
    unit_from_query,
)
from .cases import _place_of
from .help import default_delivering_unit


@login_required
def commitment_list(request):
    access.require(request.user, BENEFICIARIES_VIEW)
    user = request.user
    unit = unit_from_query(request)
    form = forms.CommitmentFilterForm(request.GET or None)
    f = selectors.CommitmentFilter(unit=unit)
    if form.is_valid():
        f.state = form.cleaned_data["tinh_trang"]
        f.kind = form.cleaned_data["hinh_thuc"]
        f.sponsor = form.cleaned_data["nha_tai_tro"]
    page = paginate(request, selectors.commitments(user, f), cap=LIST_CAP)
    local = selectors.local_communes(user)
    today = timezone.localdate()
    grace = selectors.HelpRules.current().late_grace_days
    for c in page.object_list:
        c.details_visible = c.case.share_consent or c.case.commune_id in local
        c.late = c.is_late(today, grace)
    return render(
        request,
        "beneficiaries/commitment_list.html",
        {
            "form": form,
            "unit": unit,
            "page": page,
            "state": f.state,
            "sponsor": selectors.visible_sponsors(user).filter(pk=f.sponsor).first() if f.sponsor else None,
        },
    )


@login_required
def commitment_create(request, pk):
    user = request.user
    case = selectors.case_get(user, pk)
    access.require(user, BENEFICIARIES_EDIT, case.unit)
    refusal = services.case_help_refusal(case)
    sponsors = selectors.visible_sponsors(user).order_by(vi("name"))
    initial = {}
    if request.GET.get("nha-tai-tro", "").isdigit():
        initial["sponsor"] = sponsors.filter(pk=int(request.GET["nha-tai-tro"])).first()
    form = forms.CommitmentForm(request.POST or None, sponsors=sponsors, initial=initial)
    if request.method == "POST" and form.is_valid() and not refusal:
        d = dict(form.cleaned_data)
        d["amount"] = d["amount"] or 0
        try:
            commitment = services.commitment_create(actor=user, case=case, **d)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Đã gắn địa chỉ nhân đạo với %(s)s.") % {"s": commitment.sponsor.name}
            )
            return redirect(commitment)
    return form_page(
        request,
        _("Gắn địa chỉ nhân đạo (nhà tài trợ cam kết)"),
        form,
        case,
        extra={"refusal": refusal, "can_add_sponsor": access.has_perm(user, BENEFICIARIES_EDIT)},
        template="beneficiaries/commitment_form.html",
    )


@login_required
def commitment_detail(request, pk):
    user = request.user
    commitment = selectors.commitment_get(user, pk)
    case = commitment.case
    today = timezone.localdate()
    can_edit = access.has_perm(user, BENEFICIARIES_EDIT, commitment.unit)
    return render(
        request,
        "beneficiaries/commitment_detail.html",
        {
            "commitment": commitment,
            "case": case,
            "visible": selectors.details_visible(user, case),
            "deliveries": selectors.commitment_deliveries(commitment),
            "ended": commitment.ended(today),
            "late": commitment.is_late(today),
            "can_edit": can_edit,
        },
    )


@login_required
def commitment_deliver(request, pk):
    user = request.user
    commitment = selectors.commitment_get(user, pk)
    case = commitment.case
    access.require(user, BENEFICIARIES_EDIT, commitment.unit)
    units = selectors.editable_units(user, kinds=DELIVERING_KINDS)
    members = Member.objects.filter(case=case, left_on__isnull=True).select_related("person")
    form = forms.DeliveryForm(
        request.POST or None,
        members=members,
        units=units,
        initial={"delivering_unit": default_delivering_unit(user, case), "value": commitment.amount or ""},
    )
    earlier = []
    refusal = None
    if commitment.ended():
        end = commitment.ended_on or commitment.ends_on
        refusal = _("Cam kết đã kết thúc ngày %(d)s; không thể ghi nhận lần trao mới.") % {
            "d": end.strftime("%d/%m/%Y")
        }
    if request.method == "POST" and form.is_valid() and not refusal:
        d = form.cleaned_data
        try:
            record = services.commitment_deliver(
                actor=user,
                commitment=commitment,
                date=d["date"],
                value=d["value"],
                description=d["description"],
                delivering_unit=d["delivering_unit"],
                person=d["member"].person if d["member"] else None,
                volunteers=pick_people(user, d["volunteers"]),
                duplicate_reason=d["duplicate_reason"],
            )
        except services.DoubleHelpSuspected as exc:
            earlier = access.split_visible(user, BENEFICIARIES_VIEW, exc.earlier)
            form.add_error("duplicate_reason", exc.messages[0])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận lần trao."))
            return redirect(record.commitment)
    return form_page(
        request,
        _("Ghi nhận lần trao: %(c)s") % {"c": commitment.description},
        form,
        case,
        back=commitment.get_absolute_url(),
        extra={"refusal": refusal, "earlier": earlier},
        template="beneficiaries/help_form.html",
    )


@login_required
def commitment_end(request, pk):
    user = request.user
    commitment = selectors.commitment_get(user, pk)
    access.require(user, BENEFICIARIES_EDIT, commitment.unit)
    form = forms.CommitmentEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_end(actor=user, commitment=commitment, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã kết thúc cam kết."))
            return redirect(commitment)
    return form_page(
        request, _("Kết thúc cam kết"), form, commitment.case, back=commitment.get_absolute_url()
    )


@login_required
def follow_up_book(request, pk):
    """Sổ theo dõi sự trợ giúp of one humanitarian address, print-ready A4."""
    user = request.user
    commitment = selectors.commitment_get(user, pk)
    case = commitment.case
    if not selectors.details_visible(user, case):
        raise PermissionDenied
    log_outside_view(user, case, what="follow_up_book")

    deliveries = list(selectors.commitment_deliveries(commitment).filter(status="valid"))
    return render(
        request,
        "beneficiaries/print_book.html",
        {
            "commitment": commitment,
            "case": case,
            "deliveries": deliveries,
            "blank_rows": range(max(0, 12 - len(deliveries))),
            "total": sum(r.value for r in deliveries),
            "today": timezone.localdate(),
            "place": _place_of(case.commune),
            "members": selectors.case_members(case, include_left=False),
        },
    )


# Sponsors ------------------------------------------------------------------------------------------
@login_required
def sponsor_list(request):
    access.require(request.user, BENEFICIARIES_VIEW)
    user = request.user
    unit = unit_from_query(request)
    q = request.GET.get("q", "")[:100]
    page = paginate(request, selectors.sponsors(user, q=q, unit=unit), cap=LIST_CAP)
    return render(
        request,
        "beneficiaries/sponsor_list.html",
        {"page": page, "unit": unit, "q": q, "can_edit": access.has_perm(user, BENEFICIARIES_EDIT)},
    )


@login_required
def sponsor_create(request):
    user = request.user
    access.require(user, BENEFICIARIES_EDIT)
    units = selectors.editable_units(user)
    form = forms.SponsorForm(
        request.POST or None,
        units=units,
        sponsor_units=Unit.objects.active().order_by("path"),
        initial={"unit": units.first()},
    )
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        unit = d.pop("unit")
        kind = d.pop("kind")
        sponsor_unit = d.pop("sponsor_unit")
        try:
            sponsor = services.sponsor_create(
                actor=user, unit=unit, kind=kind, sponsor_unit=sponsor_unit, **d
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm nhà tài trợ %(n)s.") % {"n": sponsor.name})
            back = request.GET.get("tiep", "")
            if back.startswith("/") and not back.startswith("//"):
                return redirect(f"{back}?nha-tai-tro={sponsor.pk}")
            return redirect(sponsor)
    return form_page(request, _("Thêm nhà tài trợ"), form, back="/nha-tai-tro/")


@login_required
def sponsor_detail(request, pk):
    user = request.user
    sponsor = selectors.sponsor_get(user, pk)
    f = selectors.CommitmentFilter(sponsor=sponsor.pk, state="all")
    page = paginate(request, selectors.commitments(user, f), cap=LIST_CAP)
    local = selectors.local_communes(user)
    for c in page.object_list:
        c.details_visible = c.case.share_consent or c.case.commune_id in local
    return render(
        request,
        "beneficiaries/sponsor_detail.html",
        {
            "sponsor": sponsor,
            "page": page,
            "can_edit": access.has_perm(user, BENEFICIARIES_EDIT, sponsor.unit),
        },
    )


@login_required
def sponsor_edit(request, pk):
    user = request.user
    sponsor = selectors.sponsor_get(user, pk)
    access.require(user, BENEFICIARIES_EDIT, sponsor.unit)
    initial = {
        k: getattr(sponsor, k) for k in ("name", "contact_person", "phone", "email", "address", "note")
    }
    form = forms.SponsorEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.sponsor_update(actor=user, sponsor=sponsor, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(sponsor)
    return form_page(request, _("Sửa nhà tài trợ"), form, back=sponsor.get_absolute_url())
