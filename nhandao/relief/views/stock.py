"""Warehouses, the catalogue and the stock documents (thin: selectors read, services write)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.core.access import RELIEF_APPROVE, RELIEF_MANAGE, RELIEF_STOCK, RELIEF_VIEW
from nhandao.core.collation import vi
from nhandao.core.forms import apply_errors
from nhandao.core.pagination import paginate
from nhandao.org import access
from nhandao.org.forms import DATE_WIDGET

from .. import selectors
from ..forms import stock as stock_forms
from ..models import CountStatus, Item, StockBalance, TransferStatus
from ..services import stock as services


@login_required
def warehouse_list(request):
    access.require(request.user, RELIEF_VIEW)
    qs = selectors.warehouses_visible(request.user).select_related("unit").order_by("unit__depth", vi("name"))
    return render(
        request,
        "relief/warehouse_list.html",
        {
            "page": paginate(request, qs),
            "warnings": selectors.expiry_warnings(request.user)[:50],
            "can_manage": access.has_perm(request.user, RELIEF_MANAGE),
        },
    )


@login_required
def warehouse_create(request):
    access.require(request.user, RELIEF_MANAGE)
    form = stock_forms.WarehouseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            warehouse = services.warehouse_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo kho."))
            return redirect(warehouse)
    return render(request, "relief/form.html", {"form": form, "title": _("Thêm kho hàng cứu trợ")})


@login_required
def warehouse_detail(request, pk):
    warehouse = selectors.warehouse_get(request.user, pk)
    field = forms.DateField(required=False, widget=DATE_WIDGET)
    raw = request.GET.get("ngay", "")[:10]
    try:
        on = field.clean(raw) if raw else None
    except ValidationError:
        on = None
        messages.error(request, _("Ngày “%(d)s” không hợp lệ (dd/mm/yyyy).") % {"d": raw})
    balance = selectors.warehouse_balance(warehouse, on)
    user = request.user
    return render(
        request,
        "relief/warehouse_detail.html",
        {
            "warehouse": warehouse,
            "on": on,
            "balance": balance,
            "balance_value": sum(b.value for b in balance),
            "page": paginate(request, selectors.warehouse_movements(warehouse)),
            "transfers": selectors.transfers_of(user, warehouse)[:20],
            "counts": warehouse.counts.select_related("counted_by").order_by("-counted_on", "-pk")[:10],
            "can_stock": access.has_perm(user, RELIEF_STOCK, warehouse.unit),
        },
    )


def _stock_page(request, pk):
    warehouse = selectors.warehouse_get(request.user, pk)
    access.require(request.user, RELIEF_STOCK, warehouse.unit)
    return warehouse


def _filled(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and f.cleaned_data.get("quantity")]


@login_required
def receipt_create(request, pk):
    warehouse = _stock_page(request, pk)
    form = stock_forms.ReceiptForm(request.POST or None, warehouse=warehouse)
    lines = stock_forms.ReceiptLines(request.POST or None, prefix="dong")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        try:
            receipt = services.stock_receive(
                actor=request.user,
                warehouse=warehouse,
                lines=[services.ReceiptLine(**row) for row in _filled(lines)],
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã nhập kho, phiếu %(n)s.") % {"n": receipt})
            return redirect(warehouse)
    return render(
        request,
        "relief/document_form.html",
        {"form": form, "lines": lines, "warehouse": warehouse, "title": _("Phiếu nhập kho")},
    )


@login_required
def issue_create(request, pk):
    warehouse = _stock_page(request, pk)
    form = stock_forms.IssueForm(request.POST or None)
    lines = stock_forms.IssueLines(request.POST or None, prefix="dong", form_kwargs={"warehouse": warehouse})
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        try:
            issue = services.stock_issue(
                actor=request.user,
                warehouse=warehouse,
                lines=[services.IssueLine(row["lot"], row["quantity"]) for row in _filled(lines)],
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã xuất kho, phiếu %(n)s.") % {"n": issue})
            return redirect(warehouse)
    return render(
        request,
        "relief/document_form.html",
        {"form": form, "lines": lines, "warehouse": warehouse, "title": _("Phiếu xuất kho")},
    )


@login_required
def transfer_create(request, pk):
    warehouse = _stock_page(request, pk)
    form = stock_forms.TransferForm(
        request.POST or None, destinations=selectors.transfer_destinations(request.user, warehouse)
    )
    lines = stock_forms.IssueLines(request.POST or None, prefix="dong", form_kwargs={"warehouse": warehouse})
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        try:
            transfer = services.transfer_dispatch(
                actor=request.user,
                source=warehouse,
                lines=[services.IssueLine(row["lot"], row["quantity"]) for row in _filled(lines)],
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã xuất điều chuyển, phiếu %(n)s.") % {"n": transfer})
            return redirect("relief:transfer", transfer.pk)
    return render(
        request,
        "relief/document_form.html",
        {"form": form, "lines": lines, "warehouse": warehouse, "title": _("Phiếu điều chuyển")},
    )


@login_required
def transfer_detail(request, pk):
    transfer = selectors.transfer_get(request.user, pk)
    lines = list(transfer.lines.select_related("lot__item").order_by("pk"))
    can_receive = transfer.status == TransferStatus.IN_TRANSIT and access.has_perm(
        request.user, RELIEF_STOCK, transfer.destination.unit
    )
    form = stock_forms.ReceiveForm(request.POST or None, lines=lines) if can_receive else None
    if request.method == "POST":
        if not can_receive:
            access.require(request.user, RELIEF_STOCK, transfer.destination.unit)
            messages.error(request, _("Phiếu điều chuyển này đã được nhận."))
            return redirect("relief:transfer", transfer.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.transfer_receive(
                    actor=request.user,
                    transfer=transfer,
                    received_on=data["received_on"],
                    received={line.pk: data[f"received_{line.pk}"] for line in lines},
                    notes={line.pk: data[f"note_{line.pk}"] for line in lines},
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã nhận hàng điều chuyển."))
                return redirect("relief:transfer", transfer.pk)
    return render(
        request, "relief/transfer_detail.html", {"transfer": transfer, "lines": lines, "form": form}
    )


@login_required
def receipt_detail(request, pk):
    receipt = selectors.receipt_get(request.user, pk)
    return render(
        request,
        "relief/stock_document.html",
        {
            "doc": receipt,
            "heading": receipt.get_source_display(),
            "day": receipt.received_on,
            "warehouse": receipt.warehouse,
            "lines": selectors.document_lines(receipt=receipt),
        },
    )


@login_required
def issue_detail(request, pk):
    issue = selectors.issue_get(request.user, pk)
    return render(
        request,
        "relief/stock_document.html",
        {
            "doc": issue,
            "heading": issue.purpose,
            "day": issue.issued_on,
            "warehouse": issue.warehouse,
            "lines": selectors.document_lines(issue=issue),
        },
    )


@login_required
def count_create(request, pk):
    warehouse = _stock_page(request, pk)
    balances = list(
        StockBalance.objects.filter(warehouse=warehouse, quantity__gt=0)
        .select_related("lot__item")
        .order_by("pk")
    )
    form = stock_forms.CountForm(request.POST or None, balances=balances)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count = services.count_record(
                actor=request.user,
                warehouse=warehouse,
                counted_on=data["counted_on"],
                lines=[
                    services.CountedLine(b.lot, data[f"counted_{b.lot_id}"], data[f"reason_{b.lot_id}"])
                    for b in balances
                ],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lập biên bản kiểm kê, chờ duyệt."))
            return redirect("relief:count", count.pk)
    return render(
        request,
        "relief/form.html",
        {
            "form": form,
            "title": _("Biên bản kiểm kê"),
            "subtitle": warehouse.name,
            "back": warehouse.get_absolute_url(),
        },
    )


@login_required
def count_detail(request, pk):
    count = selectors.count_get(request.user, pk)
    can_decide = count.status == CountStatus.DRAFT and access.has_perm(
        request.user, RELIEF_APPROVE, count.warehouse.unit
    )
    return render(
        request,
        "relief/count_detail.html",
        {
            "count": count,
            "lines": count.lines.select_related("lot__item").order_by("pk"),
            "can_decide": can_decide,
        },
    )


@login_required
@require_POST
def count_decide(request, pk):
    count = selectors.count_get(request.user, pk)
    access.require(request.user, RELIEF_APPROVE, count.warehouse.unit)
    approve = request.POST.get("decision") == "approve"
    if request.POST.get("decision") not in ("approve", "reject"):
        messages.error(request, _("Chọn duyệt hoặc không duyệt."))
        return redirect("relief:count", count.pk)
    try:
        services.count_decide(actor=request.user, count=count, approve=approve)
        messages.success(
            request, _("Đã duyệt, tồn kho đã được điều chỉnh.") if approve else _("Đã không duyệt.")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("relief:count", count.pk)


@login_required
def item_list(request):
    access.require(request.user, RELIEF_VIEW)
    return render(
        request,
        "relief/item_list.html",
        {
            "page": paginate(request, Item.objects.order_by(vi("name"))),
            "can_manage": access.has_perm(request.user, RELIEF_MANAGE)
            and access.scope(request.user, RELIEF_MANAGE).everything,
        },
    )


@login_required
def item_create(request):
    access.require(request.user, RELIEF_MANAGE, everywhere=True)
    form = stock_forms.ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm mặt hàng."))
            return redirect("relief:items")
    return render(request, "relief/form.html", {"form": form, "title": _("Thêm mặt hàng cứu trợ")})
