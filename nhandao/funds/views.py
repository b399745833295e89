"""Fund pages: thin views over selectors (reads) and services (writes)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.beneficiaries import api as beneficiaries
from nhandao.core.access import (
    BENEFICIARIES_VIEW,
    FUNDS_APPROVE,
    FUNDS_DRAFT,
    FUNDS_MANAGE,
    FUNDS_RECORD,
    FUNDS_VIEW,
)
from nhandao.core.exports import query_filters
from nhandao.core.forms import apply_errors
from nhandao.core.pagination import LIST_CAP, paginate
from nhandao.org import access

from . import forms, public, receipts, selectors, services, xlsx
from .models import (
    MAX_CASES_PER_DISBURSEMENT,
    Attachment,
    ChainHead,
    DisbursementStatus,
    Display,
    PledgeStatus,
    RecordStatus,
)


# Funds -----------------------------------------------------------------------------------------
@login_required
def fund_list(request):
    access.require(request.user, FUNDS_VIEW)
    query = request.GET.get("q", "").strip()[:100]
    include_closed = request.GET.get("closed") == "1"
    page = paginate(request, selectors.fund_list(request.user, query=query, include_closed=include_closed))
    return render(
        request,
        "funds/fund_list.html",
        {
            "page": page,
            "query": query,
            "include_closed": include_closed,
            "can_manage": access.has_perm(request.user, FUNDS_MANAGE),
            "can_record": access.has_perm(request.user, FUNDS_RECORD),
            "waiting": selectors.awaiting_approval(request.user).count()
            if access.has_perm(request.user, FUNDS_APPROVE)
            else 0,
        },
    )


@login_required
def fund_create(request):
    access.require(request.user, FUNDS_MANAGE)
    form = forms.FundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            fund = services.fund_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã mở quỹ “%(name)s”.") % {"name": fund.name})
            return redirect(fund)
    return render(
        request, "funds/form.html", {"form": form, "title": _("Mở quỹ"), "back": reverse("funds:funds")}
    )


@login_required
def fund_detail(request, pk):
    fund = selectors.fund_get(request.user, pk)
    period = forms.PeriodForm(request.GET or None)
    date_from, date_to = period.period(dt.date(timezone.localdate().year, 1, 1))
    user = request.user
    return render(
        request,
        "funds/fund_detail.html",
        {
            "fund": fund,
            "period": period,
            "date_from": date_from,
            "date_to": date_to,
            "balances": selectors.fund_balances(fund),
            "movements": selectors.fund_movements(fund, date_from, date_to),
            "stock": selectors.fund_stock(fund),
            "pledges": selectors.pledges_visible(user, status=PledgeStatus.OPEN).filter(fund=fund)[:20],
            "drafts": selectors.disbursements_visible(
                user, selectors.DisbursementFilter(status=DisbursementStatus.DRAFT, fund=fund)
            )[:20],
            "can_record": access.has_perm(user, FUNDS_RECORD, fund.unit),
            "can_draft": access.has_perm(user, FUNDS_DRAFT, fund.unit),
            "can_manage": access.has_perm(user, FUNDS_MANAGE, fund.unit),
        },
    )


@login_required
def fund_movements_xlsx(request, pk):
    fund = selectors.fund_get(request.user, pk)
    period = forms.PeriodForm(request.GET or None)
    date_from, date_to = period.period(dt.date(timezone.localdate().year, 1, 1))
    rows = selectors.fund_movements(fund, date_from, date_to)
    return xlsx.movements(fund, rows, date_from, date_to, actor=request.user, filters=query_filters(request))


@login_required
def fund_close(request, pk):
    fund = selectors.fund_get(request.user, pk)
    access.require(request.user, FUNDS_MANAGE, fund.unit)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_close(actor=request.user, fund=fund, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã đóng quỹ."))
            return redirect(fund)
    return render(
        request,
        "funds/form.html",
        {"form": form, "title": _("Đóng quỹ"), "subtitle": fund.name, "back": fund.get_absolute_url()},
    )


@login_required
def account_book(request, pk):
    account = selectors.account_get(request.user, pk)
    period = forms.PeriodForm(request.GET or None)
    date_from, date_to = period.period(dt.date(timezone.localdate().year, 1, 1))
    book = selectors.account_book(account, date_from, date_to)
    if request.GET.get("format") == "xlsx":
        return xlsx.book(book, unit=account.fund.unit, actor=request.user, filters=query_filters(request))
    page = paginate(request, book.entries)
    return render(
        request,
        "funds/account_book.html",
        {
            "account": account,
            "fund": account.fund,
            "book": book,
            "period": period,
            "page": page,
            "rows": selectors.book_rows(book, list(page.object_list)),
        },
    )


# Donations ------------------------------------------------------------------------------------------
def _int_param(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def _donation_filter(request, form) -> selectors.DonationFilter:
    f = selectors.DonationFilter(
        fund_id=_int_param(request, "fund"), campaign_id=_int_param(request, "campaign")
    )
    if form.is_valid():
        data = form.cleaned_data
        f.query = data["q"] or ""
        f.channel = data["channel"] or ""
        f.date_from, f.date_to = data["date_from"], data["date_to"]
        f.amount = data["amount"]
    return f


@login_required
def donation_list(request):
    access.require(request.user, FUNDS_VIEW)
    form = forms.DonationFilterForm(request.GET or None)
    qs = selectors.donations_visible(request.user, _donation_filter(request, form))
    if request.GET.get("format") == "xlsx":
        return xlsx.donations(
            qs, actor=request.user, filters=query_filters(request), title=_("Danh sách khoản ủng hộ")
        )
    return render(
        request,
        "funds/donation_list.html",
        {
            "form": form,
            # Counted up to a cap: an exact COUNT over a city's 200,000 gifts cost more than the page.
            "page": paginate(request, qs, cap=LIST_CAP),
            "can_record": access.has_perm(request.user, FUNDS_RECORD),
        },
    )


def _initial_donation(request) -> dict:
    """Pre-fill from the query string; a donor or pledge outside the user's scope pre-fills nothing.

    fund, campaign and unit are choice fields whose querysets are already scoped.
    """
    initial = {}
    for key in ("fund", "campaign", "donor", "pledge", "unit"):
        value = request.GET.get(key, "")
        if value.isdigit() and len(value) < 12:
            initial[key] = int(value)
    if "donor" in initial:
        try:
            donor = selectors.donor_get(request.user, initial["donor"])
        except Http404:
            del initial["donor"]
        else:
            initial["donor_name"] = donor.name
            initial["display"] = donor.display
    if "pledge" in initial:
        try:
            selectors.pledge_get(request.user, initial["pledge"])
        except Http404:
            del initial["pledge"]
    return initial


def _resolve_donor(user, pk):
    if not pk:
        return None
    try:
        return selectors.donor_get(user, pk)
    except Http404:
        raise ValidationError({"donor_name": _("Không tìm thấy nhà hảo tâm.")}) from None


def _resolve_pledge(user, pk):
    if not pk:
        return None
    try:
        return selectors.pledge_get(user, pk)
    except Http404:
        raise ValidationError({"donor_name": _("Không tìm thấy cam kết.")}) from None


@login_required
def donation_create(request):
    access.require(request.user, FUNDS_RECORD)
    form = forms.DonationForm(
        request.POST or None, request.FILES or None, user=request.user, initial=_initial_donation(request)
    )
    goods = forms.GoodsFormSet(request.POST or None, prefix="goods")
    if request.method == "POST" and form.is_valid() and goods.is_valid():
        data = form.cleaned_data
        try:
            donation = services.donation_record(
                actor=request.user,
                fund=data["fund"],
                unit=data["unit"],
                campaign=data["campaign"],
                channel=data["channel"],
                amount=data["amount"],
                currency=data["currency"],
                original_amount=data["original_amount"] if data["currency"] != "VND" else None,
                exchange_rate=data["exchange_rate"] if data["currency"] != "VND" else None,
                bank_account=data["bank_account"] if data["channel"] == "bank" else None,
                external_ref=data["external_ref"] if data["channel"] == "bank" else "",
                received_on=data["received_on"],
                donor=_resolve_donor(request.user, data["donor"]),
                donor_name=data["donor_name"],
                display=data["display"],
                pledge=_resolve_pledge(request.user, data["pledge"]),
                note=data["note"],
                items=[line for f in goods.forms if (line := f.line())]
                if data["channel"] == "in_kind"
                else [],
                attachments=[data["attachment"]] if data["attachment"] else [],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã ghi nhận khoản ủng hộ, biên nhận số %(n)s.") % {"n": donation.receipt_label},
            )
            return redirect(donation)
    return render(request, "funds/donation_form.html", {"form": form, "goods": goods})


@login_required
def donation_detail(request, pk):
    donation = selectors.donation_get(request.user, pk)
    user = request.user
    can_record = access.has_perm(user, FUNDS_RECORD, donation.unit)
    return render(
        request,
        "funds/donation_detail.html",
        {
            "donation": donation,
            "postings": selectors.donation_postings(donation),
            "items": donation.items.all(),
            "attachments": donation.attachments.all(),
            "fulfilments": donation.fulfilments.select_related("pledge"),
            "pledges": selectors.open_pledges_for(user, donation.fund)[:50]
            if can_record and not donation.pledge_id and donation.channel != "in_kind"
            else [],
            "can_record": can_record,
            "can_reverse": access.has_perm(user, FUNDS_APPROVE, donation.unit)
            and donation.status == RecordStatus.POSTED,
            "displays": Display.choices,
            "reason_form": forms.ReasonForm(),
        },
    )


def _verify_url(request, donation) -> str:
    return request.build_absolute_uri(reverse("portal:verify_receipt", args=[donation.verify_code]))


@login_required
def receipt_html(request, pk):
    donation = selectors.donation_get(request.user, pk)
    return render(
        request, "funds/receipt.html", {"receipt": receipts.build(donation, _verify_url(request, donation))}
    )


@login_required
def receipt_pdf(request, pk):
    donation = selectors.donation_get(request.user, pk)
    content = receipts.pdf(receipts.build(donation, _verify_url(request, donation)))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-nhan-{donation.receipt_label}.pdf"'
    return response


@login_required
def donation_reverse(request, pk):
    donation = selectors.donation_get(request.user, pk)
    access.require(request.user, FUNDS_APPROVE, donation.unit)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.donation_reverse(
                actor=request.user, donation=donation, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã hủy khoản ủng hộ bằng bút toán đảo."))
            return redirect(donation)
    return render(
        request,
        "funds/form.html",
        {
            "form": form,
            "title": _("Hủy khoản ủng hộ bằng bút toán đảo"),
            "subtitle": str(donation),
            "back": donation.get_absolute_url(),
        },
    )


@login_required
@require_POST
def donation_display(request, pk):
    donation = selectors.donation_get(request.user, pk)
    access.require(request.user, FUNDS_RECORD, donation.unit)
    try:
        services.donation_set_display(
            actor=request.user, donation=donation, display=request.POST.get("display", "")
        )
        messages.success(request, _("Đã đổi cách hiển thị công khai."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(donation)


@login_required
@require_POST
def donation_apply(request, pk):
    donation = selectors.donation_get(request.user, pk)
    access.require(request.user, FUNDS_RECORD, donation.unit)
    try:
        pledge = selectors.pledge_get(request.user, request.POST.get("pledge"))
        services.donation_apply_to_pledge(actor=request.user, donation=donation, pledge=pledge)
        messages.success(request, _("Đã ghi khoản ủng hộ vào cam kết %(c)s.") % {"c": pledge.code})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(donation)


@login_required
@require_POST
def attachment_upload(request, kind, pk):
    getter = {
        "ung-ho": selectors.donation_get,
        "chi": selectors.disbursement_get,
        "cam-ket": selectors.pledge_get,
    }
    if kind not in getter:
        raise Http404
    owner = getter[kind](request.user, pk)
    field = {"ung-ho": "donation", "chi": "disbursement", "cam-ket": "pledge"}[kind]
    access.require(request.user, FUNDS_DRAFT if field == "disbursement" else FUNDS_RECORD, owner.unit)
    try:
        services.attachment_add(actor=request.user, upload=request.FILES.get("file"), **{field: owner})
        messages.success(request, _("Đã đính kèm tệp."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(owner)


@login_required
def attachment_download(request, pk):
    attachment = Attachment.objects.select_related("donation", "pledge", "disbursement").filter(pk=pk).first()
    owner = attachment and (attachment.donation or attachment.pledge or attachment.disbursement)
    if owner is None or not access.has_perm(request.user, FUNDS_VIEW, owner.unit):
        raise Http404
    return FileResponse(
        attachment.file.open("rb"), content_type=attachment.content_type, filename=attachment.name
    )


# Donors -----------------------------------------------------------------------------------------------
@login_required
def donor_list(request):
    access.require(request.user, FUNDS_VIEW)
    query = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "funds/donor_list.html",
        {
            "page": paginate(request, selectors.donors_visible(request.user, query)),
            "query": query,
            "can_record": access.has_perm(request.user, FUNDS_RECORD),
        },
    )


@login_required
def donor_create(request):
    access.require(request.user, FUNDS_RECORD)
    form = forms.DonorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            donor = services.donor_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm nhà hảo tâm."))
            return redirect(donor)
    return render(
        request,
        "funds/form.html",
        {"form": form, "title": _("Thêm nhà hảo tâm"), "back": reverse("funds:donors")},
    )


@login_required
def donor_detail(request, pk):
    donor = selectors.donor_get(request.user, pk)
    donations = selectors.donations_visible(request.user).filter(donor=donor)
    return render(
        request,
        "funds/donor_detail.html",
        {
            "donor": donor,
            "page": paginate(request, donations),
            "pledges": selectors.pledges_visible(request.user).filter(donor=donor)[:50],
            "can_record": access.has_perm(request.user, FUNDS_RECORD, donor.unit),
        },
    )


@login_required
def donor_edit(request, pk):
    donor = selectors.donor_get(request.user, pk)
    access.require(request.user, FUNDS_RECORD, donor.unit)
    person = donor.kind == "person"
    initial = {k: getattr(donor, k) for k in services.donors.DONOR_EDITABLE}
    form = forms.DonorEditForm(request.POST or None, initial=initial, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.donor_update(actor=request.user, donor=donor, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(donor)
    return render(
        request,
        "funds/form.html",
        {
            "form": form,
            "title": _("Sửa nhà hảo tâm"),
            "subtitle": donor.name,
            "back": donor.get_absolute_url(),
        },
    )


# Pledges ------------------------------------------------------------------------------------------------
@login_required
def pledge_list(request):
    access.require(request.user, FUNDS_VIEW)
    status = request.GET.get("status", "")
    status = status if status in PledgeStatus.values else ""
    query = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "funds/pledge_list.html",
        {
            "page": paginate(request, selectors.pledges_visible(request.user, status=status, query=query)),
            "status": status,
            "query": query,
            "statuses": PledgeStatus.choices,
            "can_record": access.has_perm(request.user, FUNDS_RECORD),
        },
    )


@login_required
def pledge_create(request):
    access.require(request.user, FUNDS_RECORD)
    form = forms.PledgeForm(request.POST or None, user=request.user, initial=_initial_donation(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pledge = services.pledge_record(
                actor=request.user,
                fund=data["fund"],
                unit=data["unit"],
                campaign=data["campaign"],
                donor=_resolve_donor(request.user, data["donor"]),
                donor_name=data["donor_name"],
                display=data["display"],
                amount=data["amount"],
                pledged_on=data["pledged_on"],
                due_on=data["due_on"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận cam kết, mã tham chiếu %(c)s.") % {"c": pledge.code})
            return redirect(pledge)
    return render(
        request,
        "funds/form.html",
        {"form": form, "title": _("Ghi nhận cam kết ủng hộ"), "back": reverse("funds:pledges")},
    )


@login_required
def pledge_detail(request, pk):
    pledge = selectors.pledge_get(request.user, pk)
    return render(
        request,
        "funds/pledge_detail.html",
        {
            "pledge": pledge,
            "progress": selectors.pledge_progress(pledge),
            "fulfilments": pledge.fulfilments.select_related("donation").order_by("id"),
            "attachments": pledge.attachments.all(),
            "can_record": access.has_perm(request.user, FUNDS_RECORD, pledge.unit),
            "can_cancel": access.has_perm(request.user, FUNDS_APPROVE, pledge.unit)
            and pledge.status == PledgeStatus.OPEN,
            "reason_form": forms.ReasonForm(),
        },
    )


@login_required
@require_POST
def pledge_cancel(request, pk):
    pledge = selectors.pledge_get(request.user, pk)
    access.require(request.user, FUNDS_APPROVE, pledge.unit)
    try:
        services.pledge_cancel(actor=request.user, pledge=pledge, reason=request.POST.get("reason", ""))
        messages.success(request, _("Đã hủy phần còn lại của cam kết."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(pledge)


# Disbursements ---------------------------------------------------------------------------------------------
@login_required
def disbursement_list(request):
    access.require(request.user, FUNDS_VIEW)
    status = request.GET.get("status", "")
    status = status if status in DisbursementStatus.values else ""
    query = request.GET.get("q", "").strip()[:100]
    qs = selectors.disbursements_visible(
        request.user, selectors.DisbursementFilter(status=status, query=query)
    )
    if request.GET.get("format") == "xlsx":
        return xlsx.disbursements(
            qs, actor=request.user, filters=query_filters(request), title=_("Danh sách khoản chi")
        )
    return render(
        request,
        "funds/disbursement_list.html",
        {
            "page": paginate(request, qs),
            "status": status,
            "query": query,
            "statuses": DisbursementStatus.choices,
            "can_draft": access.has_perm(request.user, FUNDS_DRAFT),
        },
    )


@login_required
def disbursement_create(request):
    access.require(request.user, FUNDS_DRAFT)
    fund_pk = request.GET.get("fund", "")
    if not fund_pk:
        return render(
            request,
            "funds/choose_fund.html",
            {
                "funds": forms.open_funds(request.user, FUNDS_DRAFT)[:500],
                "next": reverse("funds:disbursement_create"),
            },
        )
    fund = selectors.fund_get(request.user, fund_pk, FUNDS_DRAFT)
    stock = selectors.fund_stock(fund)
    form = forms.DisbursementForm(request.POST or None, fund=fund, user=request.user)
    issue = forms.IssueFormSet(request.POST or None, prefix="goods", form_kwargs={"stock": stock})
    case_rows = min(_int_param(request, "so-ho") or 5, MAX_CASES_PER_DISBURSEMENT)
    # A post without the case rows (a script, an older page) names no case.
    cases = forms.case_share_formset(
        request.POST if "cases-TOTAL_FORMS" in request.POST else None,
        rows=case_rows,
        max_rows=MAX_CASES_PER_DISBURSEMENT,
    )
    cases_ok = cases.is_valid() if cases.is_bound else True
    if request.method == "POST" and form.is_valid() and issue.is_valid() and cases_ok:
        data = form.cleaned_data
        shares = [
            services.CaseShare(
                case=beneficiaries.Case(pk=f.cleaned_data["case"]),
                amount=f.cleaned_data.get("amount"),
                duplicate_reason=f.cleaned_data.get("duplicate_reason", ""),
            )
            for f in (cases.forms if cases.is_bound else [])
            if f.cleaned_data.get("case")
        ]
        try:
            disbursement = services.disbursement_draft(
                actor=request.user,
                fund=fund,
                items=[
                    (f.cleaned_data["item"], f.cleaned_data["quantity"])
                    for f in issue.forms
                    if f.cleaned_data.get("item")
                ],
                cases=shares,
                **data,
            )
        except services.DoubleHelpNeedsReason as exc:
            apply_errors(form, exc)
            for f in cases.forms:
                f.earlier = _earlier_shown(request.user, exc.earlier.get(f.cleaned_data.get("case"), []))
            form.add_error(None, _("Hãy ghi lý do vẫn trợ giúp ở dòng của từng hồ sơ được nêu, rồi gửi lại."))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Đã lập khoản chi %(v)s, chờ duyệt.") % {"v": disbursement.voucher_label}
            )
            return redirect(disbursement)
    return render(
        request,
        "funds/disbursement_form.html",
        {
            "form": form,
            "issue": issue,
            "cases": cases,
            "eligible": selectors.eligible_cases_for(request.user, fund),
            "more_rows": min(case_rows + 10, MAX_CASES_PER_DISBURSEMENT),
            "fund": fund,
            "stock": stock,
        },
    )


@login_required
def disbursement_detail(request, pk):
    d = selectors.disbursement_get(request.user, pk)
    return _render_detail(request, d)


def _earlier_shown(user, earlier: list) -> access.Split:
    """Earlier help of another unit is only counted, never shown (see access.split_visible)."""
    return access.split_visible(user, BENEFICIARIES_VIEW, earlier)


def _render_detail(request, d, *, earlier: dict | None = None, status: int = 200):
    """The disbursement page; after an approval refused for double help, `earlier` maps
    each case asking for a reason to its earlier help records."""
    user = request.user
    can_approve = access.has_perm(user, FUNDS_APPROVE, d.unit)
    linked = selectors.disbursement_cases(user, d)
    for row in linked:
        row.earlier = _earlier_shown(user, (earlier or {}).get(row.link.case_id, []))
    return render(
        request,
        "funds/disbursement_detail.html",
        {
            "d": d,
            "linked": linked,
            "needs_reason": bool(earlier),
            "items": d.items.all(),
            "postings": d.postings.select_related("created_by").order_by("id"),
            "attachments": d.attachments.all(),
            "can_decide": can_approve and d.status == DisbursementStatus.DRAFT and d.drafted_by_id != user.pk,
            "is_drafter": d.drafted_by_id == user.pk,
            "can_withdraw": access.has_perm(user, FUNDS_DRAFT, d.unit)
            and d.status == DisbursementStatus.DRAFT,
            "can_reverse": can_approve and d.status == DisbursementStatus.APPROVED,
            "can_attach": access.has_perm(user, FUNDS_DRAFT, d.unit),
            "note_form": forms.NoteForm(),
            "reason_form": forms.ReasonForm(),
        },
        status=status,
    )


def _decide(request, pk, action):
    d = selectors.disbursement_get(request.user, pk)
    perm = FUNDS_DRAFT if action == "withdraw" else FUNDS_APPROVE
    access.require(request.user, perm, d.unit)
    try:
        if action == "approve":
            reasons = {
                int(key.removeprefix("ly-do-")): value[:300]
                for key, value in request.POST.items()
                if key.startswith("ly-do-") and key.removeprefix("ly-do-").isdigit() and value.strip()
            }
            try:
                services.disbursement_approve(
                    actor=request.user,
                    disbursement=d,
                    note=request.POST.get("note", ""),
                    duplicate_reasons=reasons,
                )
            except services.DoubleHelpNeedsReason as exc:
                messages.error(request, " ".join(exc.messages))
                return _render_detail(request, d, earlier=exc.earlier)
            messages.success(request, _("Đã duyệt và ghi sổ khoản chi."))
        elif action == "reject":
            services.disbursement_reject(
                actor=request.user, disbursement=d, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Đã không duyệt khoản chi."))
        elif action == "withdraw":
            services.disbursement_withdraw(actor=request.user, disbursement=d)
            messages.success(request, _("Đã rút lại khoản chi."))
        elif action == "reverse":
            services.disbursement_reverse(
                actor=request.user, disbursement=d, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Đã hủy khoản chi bằng bút toán đảo."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(d)


@login_required
@require_POST
def disbursement_approve(request, pk):
    return _decide(request, pk, "approve")


@login_required
@require_POST
def disbursement_reject(request, pk):
    return _decide(request, pk, "reject")


@login_required
@require_POST
def disbursement_withdraw(request, pk):
    return _decide(request, pk, "withdraw")


@login_required
@require_POST
def disbursement_reverse(request, pk):
    return _decide(request, pk, "reverse")


# The journal and its checks ------------------------------------------------------------------------------
@login_required
def posting_list(request):
    access.require(request.user, FUNDS_VIEW)
    return render(
        request,
        "funds/posting_list.html",
        {"page": paginate(request, selectors.postings_visible(request.user).order_by("-id"))},
    )


@login_required
def posting_detail(request, pk):
    posting = selectors.posting_get(request.user, pk)
    return render(
        request,
        "funds/posting_detail.html",
        {
            "posting": posting,
            "entries": selectors.posting_entries(posting),
            "reversal": selectors.posting_reversal(posting),
            "can_reverse": access.has_perm(request.user, FUNDS_APPROVE, posting.unit)
            and posting.kind != "reversal",
            "reason_form": forms.ReasonForm(),
        },
    )


@login_required
@require_POST
def posting_reverse(request, pk):
    posting = selectors.posting_get(request.user, pk)
    access.require(request.user, FUNDS_APPROVE, posting.unit)
    try:
        services.posting_reverse(actor=request.user, posting=posting, reason=request.POST.get("reason", ""))
        messages.success(request, _("Đã đảo bút toán."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(posting)


@login_required
def ledger_digests(request):
    access.require(request.user, FUNDS_VIEW)
    return render(
        request,
        "funds/digest_list.html",
        {
            "page": paginate(request, public.ledger_digests()),
            "head": ChainHead.objects.filter(pk=1).first(),
        },
    )
