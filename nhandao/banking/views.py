from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.core.access import BANKING_IMPORT, BANKING_VIEW
from nhandao.core.forms import apply_errors
from nhandao.core.pagination import paginate
from nhandao.org import access

from . import banks, forms, memo, qrimage, selectors, services, statements, vietqr

PREVIEW_LINES = 50
PREVIEW_PROBLEMS = 100


def _vietqr_from(form: forms.VietQRForm) -> str:
    data = form.cleaned_data
    return vietqr.build(
        bin=data["bin"],
        account=data["account"],
        amount=data.get("amount"),
        purpose=data.get("purpose") or "",
        bill=data.get("bill") or "",
    )


@login_required
def vietqr_preview(request):
    """Try a VietQR code for any account: payload, SVG and a PNG poster."""
    form = forms.VietQRForm(request.GET or None)
    context = {"form": form}
    if request.GET and form.is_valid():
        try:
            payload = _vietqr_from(form)
        except vietqr.VietQRError as exc:
            form.add_error(None, str(exc))
        else:
            context.update(
                payload=payload,
                svg=mark_safe(qrimage.svg(payload, scale=5)),  # segno's own markup, no user text in it
                bank=banks.by_bin(form.cleaned_data["bin"]),
                purpose=vietqr.ascii_text(form.cleaned_data.get("purpose")),
                png_url=reverse("banking:vietqr_png") + "?" + request.GET.urlencode(),
            )
    return render(request, "banking/vietqr.html", context)


@login_required
def vietqr_png(request):
    form = forms.VietQRForm(request.GET or None)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        payload = _vietqr_from(form)
    except vietqr.VietQRError:
        return HttpResponse(status=400)
    data = form.cleaned_data
    bank = banks.by_bin(data["bin"])
    caption = qrimage.Caption(
        bank_name=bank.short_name if bank else data["bin"],
        account_number=data["account"],
        account_holder=data.get("holder") or "",
        purpose=vietqr.ascii_text(data.get("purpose")),
        amount=data.get("amount"),
    )
    response = HttpResponse(qrimage.poster_png(payload, caption), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="vietqr-{data["account"]}.png"'
    return response


@login_required
def statement_preview(request):
    """Read a statement file and show what was read, without saving anything."""
    access.require(request.user, BANKING_IMPORT)
    mappings = selectors.column_mappings_usable(request.user, BANKING_IMPORT)
    form = forms.StatementPreviewForm(request.POST or None, request.FILES or None, mappings=mappings)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        mapping = form.cleaned_data.get("mapping")
        try:
            st = statements.read(
                upload.read(statements.sources.MAX_BYTES + 1),
                upload.name,
                format=form.cleaned_data.get("format") or None,
                mapping=mapping.spec() if mapping else None,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            lines = [(line, memo.analyse(line.description)) for line in st.lines[:PREVIEW_LINES]]
            context.update(
                st=st,
                summary=st.summary(),
                lines=lines,
                problems=st.problems[:PREVIEW_PROBLEMS],
                more_problems=max(0, len(st.problems) - PREVIEW_PROBLEMS),
                filename=upload.name,
            )
    return render(request, "banking/statement_preview.html", context)


@login_required
def mapping_list(request):
    access.require(request.user, BANKING_VIEW)
    page = paginate(request, selectors.column_mappings(request.user))
    return render(
        request,
        "banking/mapping_list.html",
        {"page": page, "can_manage": access.has_perm(request.user, BANKING_IMPORT)},
    )


@login_required
def mapping_create(request):
    access.require(request.user, BANKING_IMPORT)
    units = access.scope(request.user, BANKING_IMPORT).units()
    form = forms.ColumnMappingForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = data.pop("unit")
        try:
            services.column_mapping_create(actor=request.user, unit=unit, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu mẫu cột “%(name)s”.") % {"name": data["name"]})
            return redirect("banking:mappings")
    return render(request, "banking/mapping_form.html", {"form": form, "title": _("Thêm mẫu cột sao kê")})


@login_required
def mapping_edit(request, pk):
    mapping = selectors.column_mapping_get(request.user, pk)
    access.require(request.user, BANKING_IMPORT, mapping.unit)
    form = forms.ColumnMappingForm(request.POST or None, instance=mapping, editing=True)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in services.MAPPING_FIELDS}
        try:
            services.column_mapping_update(actor=request.user, mapping=mapping, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("banking:mappings")
    return render(
        request,
        "banking/mapping_form.html",
        {"form": form, "mapping": mapping, "title": _("Sửa mẫu cột sao kê")},
    )


@login_required
@require_POST
def mapping_delete(request, pk):
    mapping = selectors.column_mapping_get(request.user, pk)
    access.require(request.user, BANKING_IMPORT, mapping.unit)
    services.column_mapping_delete(actor=request.user, mapping=mapping)
    messages.success(request, _("Đã xóa mẫu cột “%(name)s”.") % {"name": mapping.name})
    return redirect("banking:mappings")
