from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.core.access import CAMPAIGNS_MANAGE, CAMPAIGNS_VIEW, FUNDS_RECORD, FUNDS_VIEW
from nhandao.core.forms import apply_errors
from nhandao.core.pagination import paginate
from nhandao.funds import public as fund_public
from nhandao.funds import selectors as fund_selectors
from nhandao.funds.forms import PeriodForm
from nhandao.org import access

from . import forms, selectors, services
from .models import Campaign, CampaignStatus


@login_required
def campaign_list(request):
    access.require(request.user, CAMPAIGNS_VIEW)
    form = forms.CampaignFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.campaign_list(request.user, query=data.get("q") or "", status=data.get("status") or "")
    qs = qs.annotate(
        raised=Coalesce(Sum("donations__amount", filter=Q(donations__status="posted")), 0),
    )
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "form": form,
            "page": paginate(request, qs),
            "can_manage": access.has_perm(request.user, CAMPAIGNS_MANAGE),
        },
    )


@login_required
def campaign_create(request):
    access.require(request.user, CAMPAIGNS_MANAGE)
    form = forms.CampaignForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data["kind"] == "appeal" and "restricted" not in request.POST:
            data["restricted"] = True
        try:
            campaign = services.campaign_create(actor=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo cuộc vận động, mã tham chiếu %(c)s.") % {"c": campaign.code})
            return redirect(campaign)
    return render(
        request, "campaigns/campaign_form.html", {"form": form, "title": _("Phát động cuộc vận động")}
    )


@login_required
def campaign_detail(request, pk):
    campaign = selectors.campaign_get(request.user, pk)
    user = request.user
    period = PeriodForm(request.GET or None)
    data = period.cleaned_data if period.is_valid() else {}
    date_from, date_to = data.get("date_from"), data.get("date_to")
    totals = fund_public.campaign_totals(campaign, date_from=date_from, date_to=date_to)
    scope = access.scope(user, FUNDS_VIEW)
    own = None
    if not scope.everything and not scope.allows(campaign.unit) and len(scope.paths) == 1:
        own = fund_public.campaign_totals(
            campaign, unit_path=scope.paths[0], date_from=date_from, date_to=date_to
        )
    by_unit = [u for u in fund_public.campaign_totals_by_unit(campaign) if scope.allows_path(u["path"])]
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "period": period,
            "in_period": bool(date_from or date_to),
            "totals": totals,
            "own": own,
            "by_unit": by_unit[:200],
            "progress": min(100, totals.raised * 100 // campaign.goal) if campaign.goal else None,
            "disbursements": fund_selectors.disbursements_visible(
                user, fund_selectors.DisbursementFilter(campaign_id=campaign.pk)
            )[:20]
            if access.has_perm(user, FUNDS_VIEW)
            else [],
            "can_manage": access.has_perm(user, CAMPAIGNS_MANAGE, campaign.unit),
            "can_record": access.has_perm(user, FUNDS_RECORD) and campaign.status == CampaignStatus.OPEN,
            "can_see_funds": access.has_perm(user, FUNDS_VIEW),
        },
    )


@login_required
def campaign_edit(request, pk):
    campaign = selectors.campaign_get(request.user, pk)
    access.require(request.user, CAMPAIGNS_MANAGE, campaign.unit)
    initial = {f: getattr(campaign, f) for f in services.DISCLOSURE_FIELDS}
    form = forms.CampaignEditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        document = data.pop("mobilisation_document")
        try:
            services.campaign_update(
                actor=request.user, campaign=campaign, mobilisation_document=document, **data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(campaign)
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "title": _("Sửa cuộc vận động"), "campaign": campaign},
    )


def _transition(request, pk, service, done):
    campaign = selectors.campaign_get(request.user, pk)
    access.require(request.user, CAMPAIGNS_MANAGE, campaign.unit)
    try:
        service(actor=request.user, campaign=campaign)
        messages.success(request, done)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(campaign)


@login_required
@require_POST
def campaign_open(request, pk):
    return _transition(request, pk, services.campaign_open, _("Đã mở tiếp nhận."))


@login_required
@require_POST
def campaign_close(request, pk):
    return _transition(request, pk, services.campaign_close, _("Đã kết thúc tiếp nhận."))


def campaign_document(request, pk):
    """The mobilisation document: public for public campaigns (Decree 93), otherwise staff in scope only."""
    campaign = Campaign.objects.filter(pk=pk).first()
    if campaign is None or not campaign.mobilisation_document:
        raise Http404
    public = campaign.is_public and campaign.status != CampaignStatus.DRAFT
    if not public:
        try:
            selectors.campaign_get(request.user, pk)
        except Http404:
            raise
    return FileResponse(
        campaign.mobilisation_document.open("rb"),
        content_type="application/pdf",
        filename=f"van-ban-van-dong-{campaign.code}.pdf",
    )
