"""Help pages: recording help (with the double-help check), the list, cancelling, evidence files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nhandao.core.access import BENEFICIARIES_EDIT, BENEFICIARIES_EXPORT, BENEFICIARIES_VIEW
from nhandao.core.collation import vi
from nhandao.core.exports import ExportColumn, export_response, query_filters
from nhandao.core.forms import apply_errors
from nhandao.core.pagination import LIST_CAP, paginate
from nhandao.org import access

from .. import api, forms, selectors, services
from ..choices import ConsentPurpose
from ..models import Member
from ._common import (
    DELIVERING_KINDS,
    form_page,
    log_outside_view,
    pick_people,
    unit_from_query,
)


def _members(case):
    return Member.objects.filter(case=case, left_on__isnull=True).select_related("person").order_by("id")


def default_delivering_unit(user, case):
    units = selectors.editable_units(user, kinds=DELIVERING_KINDS)
    for candidate in (case.unit_id, case.commune_id):
        found = units.filter(pk=candidate).first()
        if found is not None:
            return found
    return units.first()


@login_required
def help_create(request, pk):
    user = request.user
    case = selectors.case_get(user, pk)
    access.require(user, BENEFICIARIES_EDIT, case.unit)
    refusal = services.case_help_refusal(case)
    sponsors = selectors.visible_sponsors(user).order_by(vi("name"))
    units = selectors.editable_units(user, kinds=DELIVERING_KINDS)
    form = forms.HelpForm(
        request.POST or None,
        members=_members(case),
        sponsors=sponsors,
        units=units,
        initial={"delivering_unit": default_delivering_unit(user, case)},
    )
    earlier = []
    if request.method == "POST" and form.is_valid() and not refusal:
        d = form.cleaned_data
        try:
            volunteers = pick_people(user, d["volunteers"])
            record = services.help_record_create(
                actor=user,
                case=case,
                date=d["date"],
                kind=d["kind"],
                area=d["area"],
                value=d["value"],
                description=d["description"],
                person=d["member"].person if d["member"] else None,
                source_type=d["source_type"],
                source=d["source"],
                sponsor=d["sponsor"],
                campaign=d["campaign"],
                delivering_unit=d["delivering_unit"],
                volunteers=volunteers,
                duplicate_reason=d["duplicate_reason"],
            )
        except services.DoubleHelpSuspected as exc:
            earlier = access.split_visible(user, BENEFICIARIES_VIEW, exc.earlier)
            form.add_error("duplicate_reason", exc.messages[0])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận lần trợ giúp."))
            return redirect(record)
    return form_page(
        request,
        _("Ghi nhận trợ giúp"),
        form,
        case,
        extra={"refusal": refusal, "earlier": earlier},
        template="beneficiaries/help_form.html",
    )


def _help_filter(request, unit):
    form = forms.HelpFilterForm(request.GET or None)
    f = selectors.HelpFilter(unit=unit)
    if form.is_valid():
        d = form.cleaned_data
        f.kind = d["hinh_thuc"]
        f.area = d["linh_vuc"]
        f.source_type = d["nguon"]
        f.sponsor = d["nha_tai_tro"]
        f.date_from = d["tu_ngay"]
        f.date_to = d["den_ngay"]
        f.campaign = d["cuoc_van_dong"]
        f.include_cancelled = d["da_huy"]
        f.only_duplicates = d["trung"]
        f.case = d["ho_so"]
    return form, f


@login_required
def help_list(request):
    access.require(request.user, BENEFICIARIES_VIEW)
    user = request.user
    unit = unit_from_query(request)
    form, f = _help_filter(request, unit)
    page = paginate(request, selectors.help_records(user, f), cap=LIST_CAP)
    local = selectors.local_communes(user)
    for record in page.object_list:
        record.details_visible = record.case.share_consent or record.case.commune_id in local
    return render(
        request,
        "beneficiaries/help_list.html",
        {
            "form": form,
            "unit": unit,
            "page": page,
            "can_export": access.has_perm(user, BENEFICIARIES_EXPORT, unit),
            "query": request.GET.urlencode(),
            "filters_open": any(request.GET.get(k) for k in request.GET if k not in ("page", "don-vi")),
        },
    )


@login_required
def help_export(request):
    """Help records of cases whose people agreed to share (others are left out), always audited."""
    access.require(request.user, BENEFICIARIES_EXPORT)
    user = request.user
    unit = unit_from_query(request, BENEFICIARIES_EXPORT)
    _form, f = _help_filter(request, unit)
    qs = selectors.help_records(user, f).filter(case__share_consent=True).select_related("case__ward")
    columns = [
        ExportColumn("date", _("Ngày trao"), kind="date", width=12),
        ExportColumn(lambda r: r.case.number, _("Số hồ sơ"), width=12),
        ExportColumn("case.head.full_name", _("Người, hộ nhận"), sensitive=True, width=26),
        ExportColumn(lambda r: r.person.full_name if r.person_id else "", _("Thành viên nhận"), width=22),
        ExportColumn("case.ward.name", _("Xã, phường"), width=22),
        ExportColumn("get_kind_display", _("Hình thức"), width=18),
        ExportColumn("get_area_display", _("Lĩnh vực"), width=30),
        ExportColumn("value", _("Giá trị (đồng)"), kind="money", width=14),
        ExportColumn("description", _("Nội dung"), width=30),
        ExportColumn("get_source_type_display", _("Nguồn"), width=14),
        ExportColumn("source", _("Tên nguồn"), width=24),
        ExportColumn("campaign", _("Cuộc vận động"), width=22),
        ExportColumn("delivering_unit.name", _("Đơn vị trao"), width=28),
        ExportColumn("get_status_display", _("Trạng thái"), width=10),
        ExportColumn("cancel_reason", _("Lý do hủy"), width=24),
        ExportColumn("duplicate_reason", _("Lý do trợ giúp trùng"), width=24),
    ]
    return export_response(
        actor=user,
        columns=columns,
        rows=qs.iterator(chunk_size=2000),
        fmt="csv" if request.GET.get("dinh-dang") == "csv" else "xlsx",
        filename="tro-giup",
        what="beneficiaries.helprecord",
        unit=unit,
        filters=query_filters(request),
        title=_("Trợ giúp"),
    )


@login_required
def help_detail(request, pk):
    user = request.user
    record = selectors.help_record_get(user, pk)
    case = record.case
    visible = selectors.details_visible(user, case)
    can_edit = access.has_perm(user, BENEFICIARIES_EDIT, record.unit)

    source_url = (
        api.source_links(user, [record.source_ref]).get(record.source_ref, "") if record.source_ref else ""
    )
    return render(
        request,
        "beneficiaries/help_detail.html",
        {
            "record": record,
            "source_url": source_url,
            "case": case,
            "visible": visible,
            "volunteers": selectors.help_volunteers(record),
            "evidence": selectors.help_evidence(record) if visible else [],
            "can_edit": can_edit and not record.cancelled and not record.source_ref,
            "can_upload": can_edit,
            "cancel_form": forms.HelpCancelForm(),
        },
    )


@login_required
def help_cancel(request, pk):
    user = request.user
    record = selectors.help_record_get(user, pk)
    access.require(user, BENEFICIARIES_EDIT, record.unit)
    form = forms.HelpCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.help_record_cancel(actor=user, record=record, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã hủy lần trợ giúp; bản ghi vẫn được giữ kèm lý do."))
            return redirect(record)
    return form_page(request, _("Hủy lần trợ giúp"), form, record.case, back=record.get_absolute_url())


@login_required
def evidence_upload(request, pk):
    user = request.user
    record = selectors.help_record_get(user, pk)
    access.require(user, BENEFICIARIES_EDIT, record.unit)
    form = forms.EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_add(
                actor=user, record=record, upload=form.cleaned_data["file"], kind=form.cleaned_data["kind"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu minh chứng."))
            return redirect(record)
    photos_agreed = record.case.has_consent(ConsentPurpose.PHOTOS)
    notice = (
        ""
        if photos_agreed
        else _(
            "Người nhận chưa đồng ý cho chụp ảnh lưu làm minh chứng: chỉ tải lên biên nhận, hoặc ghi nhận sự đồng ý trước."
        )
    )
    return form_page(
        request,
        _("Thêm minh chứng"),
        form,
        record.case,
        back=record.get_absolute_url(),
        extra={"multipart": True, "notice": notice},
    )


@login_required
def evidence_file(request, pk):
    """The file itself, only to those who may see the case's details; never a public URL."""
    user = request.user
    item = selectors.evidence_get(user, pk)
    case = item.help.case
    if not selectors.details_visible(user, case):
        raise PermissionDenied
    log_outside_view(user, case, what="evidence")
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=item.content_type)
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in item.original_name)
    response["Content-Disposition"] = f'inline; filename="{safe or "minh-chung"}"'
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response
