"""The generic import pages: upload, dry-run report, confirm, template, problems."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nhandao.core.exports import ExportColumn, export_response
from nhandao.core.imports.base import address, get_importer
from nhandao.core.imports.readers import MAX_BYTES
from nhandao.core.imports.template import template_xlsx
from nhandao.org import access

from . import selectors, services


class UploadForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Nhập vào đơn vị"), queryset=None)
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx, .xls) hoặc CSV"),
        help_text=gettext_lazy(
            "Tối đa 50 MB, 200.000 dòng, 100 cột. CSV mã UTF-8 (có hoặc không có BOM). "
            "Tệp được đọc và kiểm tra ở máy chủ, có thanh tiến độ."
        ),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: f"{u.name} ({u.code})"
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.xls,.csv,.txt"


def _importer_or_404(kind):
    cls = get_importer(kind)
    if cls is None:
        raise Http404
    return cls


def _old_address(request, cls, kind, name):
    """The importer's key in the address (/nhap-du-lieu/people.person/): moved to its readable one."""
    if kind == address(cls):
        return None
    url = reverse(name, args=[address(cls)])
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


@login_required
def upload(request, kind):
    cls = _importer_or_404(kind)
    if request.method == "GET" and (moved := _old_address(request, cls, kind, "office:import_upload")):
        return moved
    kind = cls.key
    access.require(request.user, cls.permission)
    units = selectors.target_units(request.user, kind)
    if getattr(cls, "target_kinds", None):
        units = units.filter(kind__in=cls.target_kinds)
    initial = {}
    wanted = request.GET.get("don-vi", "")
    if wanted.isdigit():
        initial["unit"] = units.filter(pk=int(wanted)).first()
    else:
        # Most officers hold one unit: preselect it.
        homes = list(access.home_units(request.user, cls.permission)[:2])
        if len(homes) == 1:
            initial["unit"] = units.filter(pk=homes[0].pk).first()
    form = UploadForm(request.POST or None, request.FILES or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error(
                "file",
                _("Tệp lớn %(mb)s MB, vượt giới hạn 50 MB. Hãy chia thành nhiều tệp nhỏ hơn.")
                % {"mb": upload.size // 1024 // 1024},
            )
        else:
            batch = services.import_check(
                actor=request.user,
                kind=kind,
                unit=form.cleaned_data["unit"],
                data=upload.read(),
                filename=upload.name,
            )
            return redirect("office:import_batch", pk=batch.pk)
    recent = selectors.batches(request.user, kind)[:10]
    return render(
        request,
        "office/imports/upload.html",
        {"importer": cls, "kind": kind, "address": address(cls), "form": form, "recent": recent},
    )


@login_required
def template(request, kind):
    cls = _importer_or_404(kind)
    if moved := _old_address(request, cls, kind, "office:import_template"):
        return moved
    kind = cls.key
    access.require(request.user, cls.permission)
    response = HttpResponse(
        template_xlsx(cls),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="mau-{kind.replace(".", "-")}.xlsx"'
    return response


@login_required
def batch_detail(request, pk):
    batch = selectors.batch_get(request.user, pk)
    cls = get_importer(batch.kind)
    problems = batch.report.get("problems", [])
    page = Paginator(problems, 100).get_page(request.GET.get("page", "1")[:9])
    return render(
        request,
        "office/imports/batch.html",
        {
            "batch": batch,
            "importer": cls,
            "address": address(cls) if cls else batch.kind,
            "page": page,
            "report": batch.report,
            "summary": batch.report.get("summary", {}),
        },
    )


@login_required
@require_POST
def batch_commit(request, pk):
    batch = selectors.batch_get(request.user, pk)
    try:
        batch = services.import_commit(
            actor=request.user, batch=batch, skip_errors=request.POST.get("skip_errors") == "1"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if batch.status == batch.Status.COMMITTED:
            messages.success(request, _("Đã nhập xong lô số %(n)s.") % {"n": batch.pk})
    return redirect("office:import_batch", pk=batch.pk)


@login_required
@require_POST
def batch_discard(request, pk):
    batch = selectors.batch_get(request.user, pk)
    try:
        services.import_discard(actor=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã hủy lô nhập; không có dữ liệu nào được ghi."))
    cls = get_importer(batch.kind)
    return redirect(reverse("office:import_upload", args=[address(cls) if cls else batch.kind]))


@login_required
def batch_problems(request, pk):
    """The report's problems as a spreadsheet, to fix the file row by row."""
    batch = selectors.batch_get(request.user, pk)
    columns = [
        ExportColumn("row", _("Dòng"), kind="int", width=8),
        ExportColumn("cell", _("Ô"), width=8),
        ExportColumn("column", _("Cột"), width=22),
        ExportColumn("value", _("Giá trị"), width=28),
        ExportColumn(lambda p: _("Lỗi") if p["level"] == "error" else _("Lưu ý"), _("Mức"), width=8),
        ExportColumn("message", _("Nội dung"), width=80),
    ]
    return export_response(
        actor=request.user,
        columns=columns,
        rows=batch.report.get("problems", []),
        fmt="xlsx",
        filename=f"loi-lo-{batch.pk}",
        what="core.importbatch",
        title=_("Lỗi"),
    )
