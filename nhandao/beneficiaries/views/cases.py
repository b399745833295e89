"""Case pages: the list (who still needs help), registering, the case file and its workflow."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.core import audit
from nhandao.core.access import (
    BENEFICIARIES_CONFIGURE,
    BENEFICIARIES_CONFIRM,
    BENEFICIARIES_EDIT,
    BENEFICIARIES_EXPORT,
    BENEFICIARIES_IMPORT,
    BENEFICIARIES_MERGE,
    BENEFICIARIES_VIEW,
    PEOPLE_VIEW,
)
from nhandao.core.exports import ExportColumn, export_response, query_filters
from nhandao.core.forms import apply_errors
from nhandao.core.merging import merge_step
from nhandao.core.pagination import LIST_CAP, paginate
from nhandao.geo.models import Province
from nhandao.org import access
from nhandao.people import identity
from nhandao.people import selectors as people_selectors
from nhandao.people import services as people_services

from .. import api, forms, selectors, services
from ..choices import CaseStatus
from ..models import Case, CaseCategory, Consent, Member
from ._common import (
    CASE_UNIT_KINDS,
    form_page,
    log_outside_view,
    unit_from_query,
    ward_from,
)


def _filter_from(request, unit):
    user = request.user
    form = forms.CaseFilterForm(request.GET or None, categories=selectors.categories_for(user, unit))
    f = selectors.CaseFilter(unit=unit)
    if form.is_valid():
        d = form.cleaned_data
        f.q = d["q"]
        f.status = d["trang_thai"]
        f.kind = d["loai"]
        f.category = d["dien"]
        f.help_kind = d["hinh_thuc"]
        f.not_helped_since = form.not_helped_since()
        f.sponsor = d["nha_tai_tro"]
        f.consent = d["dong_y"]
        f.flagged = d["canh_bao"]
    return form, f


@login_required
def case_list(request):
    access.require(request.user, BENEFICIARIES_VIEW)
    user = request.user
    unit = unit_from_query(request)
    form, f = _filter_from(request, unit)
    qs = selectors.with_categories(selectors.for_list(selectors.cases(user, f)), user, unit)
    # Searches are not counted (counting costs as much as searching); lists are counted up to a cap.
    page = paginate(request, qs, lookahead=True) if f.q else paginate(request, qs, cap=LIST_CAP)
    page.object_list = selectors.share_list_places(selectors.mark_visibility(user, page.object_list))
    bulk = f.status in (CaseStatus.PROPOSED, CaseStatus.REVIEWED) and access.has_perm(
        user, BENEFICIARIES_CONFIRM if f.status == CaseStatus.REVIEWED else BENEFICIARIES_EDIT, unit
    )
    sponsor = selectors.visible_sponsors(user).filter(pk=f.sponsor).first() if f.sponsor else None
    return render(
        request,
        "beneficiaries/case_list.html",
        {
            "form": form,
            "unit": unit,
            "page": page,
            "sponsor": sponsor,
            "sensitive": selectors.can_see_sensitive(user, unit),
            "can_edit": access.has_perm(user, BENEFICIARIES_EDIT, unit),
            "can_import": access.has_perm(user, BENEFICIARIES_IMPORT, unit),
            "can_export": access.has_perm(user, BENEFICIARIES_EXPORT, unit),
            "can_merge": access.has_perm(user, BENEFICIARIES_MERGE, unit),
            "can_configure": access.scope(user, BENEFICIARIES_CONFIGURE).everything,
            "bulk": bulk,
            "bulk_action": "confirm" if f.status == CaseStatus.REVIEWED else "review",
            "bulk_form": forms.BulkStepForm(),
            "query": request.GET.urlencode(),
            "filters_open": any(
                request.GET.get(k)
                for k in (
                    "trang-thai",
                    "loai",
                    "dien",
                    "hinh-thuc",
                    "chua-tro-giup",
                    "chua-tro-giup-tu",
                    "nha-tai-tro",
                    "dong-y",
                    "canh-bao",
                )
            ),
        },
    )


def _categories_text(case) -> str:
    return ", ".join(
        f"{c.category.name}{f' ({c.evidence_year})' if c.evidence_year else ''}"
        for c in getattr(case, "current_categories", [])
    )


@login_required
def case_export(request):
    """XLSX (or CSV) of the filtered list: only cases whose people agreed to share, always audited."""
    access.require(request.user, BENEFICIARIES_EXPORT)
    user = request.user
    unit = unit_from_query(request, BENEFICIARIES_EXPORT)
    _form, f = _filter_from(request, unit)
    sensitive = selectors.can_see_sensitive(user, unit)
    qs = (
        selectors.with_categories(selectors.cases(user, f), user, unit)
        .filter(share_consent=True)
        .select_related("unit")
    )
    columns = [
        ExportColumn(lambda c: c.number, _("Số hồ sơ"), width=12),
        ExportColumn("get_kind_display", _("Loại"), width=12),
        ExportColumn("get_status_display", _("Trạng thái"), width=22),
        # Every export of beneficiaries is audited: the name column is marked sensitive.
        ExportColumn("head.full_name", _("Chủ hộ, người được trợ giúp"), sensitive=True, width=26),
        ExportColumn("head.birth_year", _("Năm sinh"), kind="int", width=8),
        ExportColumn("head.get_sex_display", _("Giới tính"), width=8),
        ExportColumn("phone", _("Điện thoại"), personal=True, width=14),
        ExportColumn("address_detail", _("Địa chỉ"), personal=True, width=30),
        ExportColumn("ward.name", _("Xã, phường"), width=22),
        ExportColumn("unit.name", _("Đơn vị quản lý"), width=30),
        ExportColumn(_categories_text, _("Diện"), sensitive=sensitive, width=36),
        ExportColumn(lambda c: c.household_size or c.member_count, _("Số nhân khẩu"), kind="int", width=8),
        ExportColumn("confirmed_on", _("Ngày xã xác nhận"), kind="date", width=12),
        ExportColumn("last_help_on", _("Lần trợ giúp gần nhất"), kind="date", width=12),
    ]
    if sensitive:
        columns.insert(6, ExportColumn("head.cccd", _("Số CCCD"), sensitive=True, width=15))
    return export_response(
        actor=user,
        columns=columns,
        rows=qs.iterator(chunk_size=2000),
        fmt="csv" if request.GET.get("dinh-dang") == "csv" else "xlsx",
        filename="danh-sach-doi-tuong",
        what="beneficiaries.case",
        unit=unit,
        filters=query_filters(request),
        title=_("Đối tượng"),
    )


# Registering -------------------------------------------------------------------------------------
def _offer_confirmations(form, extra) -> None:
    """The "I checked, go on" boxes appear only once the warning they answer was shown."""
    shown = {
        "confirm_new_person": extra.get("candidates") or extra.get("hidden_candidates"),
        "confirm_duplicate": extra.get("duplicates") and not extra.get("blocking"),
        "confirm_other_household": extra.get("elsewhere"),
    }
    for name, visible in shown.items():
        if name in form.fields and not visible:
            form.fields[name].widget = django_forms.HiddenInput()


def _post_with_chosen_person(request):
    """The POST, with the person picked by "Đúng người này" (a button beside each one found) as the
    existing person: nobody copies a number from the warning into a field."""
    if request.method != "POST":
        return None
    chosen = request.POST.get("use_person", "")
    if not chosen.isdigit():
        return request.POST
    data = request.POST.copy()
    data["existing_person"] = chosen
    return data


def _visible_candidates(user, candidates):
    found = access.split_visible(user, PEOPLE_VIEW, candidates, unit_of=lambda c: c[0].unit)
    return found.visible, found.elsewhere


@login_required
def case_create(request):
    access.require(request.user, BENEFICIARIES_EDIT)
    user = request.user
    units = selectors.editable_units(user, kinds=CASE_UNIT_KINDS)
    initial = {}
    wanted = request.GET.get("don-vi", "")
    if wanted.isdigit():
        chosen = units.filter(pk=int(wanted)).first()
        if chosen is not None and chosen.ward_id:
            initial["ward_text"] = chosen.ward.name
    form = forms.CaseCreateForm(
        _post_with_chosen_person(request),
        units=units,
        categories=selectors.categories_for(user),
        initial=initial,
    )
    extra = {"candidates": [], "hidden_candidates": 0, "duplicates": [], "elsewhere": []}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ward, problem = ward_from(d["ward_text"])
        head = None
        if problem:
            form.add_error("ward_text", problem)
        elif d["existing_person"]:
            head = people_selectors.visible_people(user).filter(pk=d["existing_person"]).first()
            if head is None:
                form.add_error("existing_person", _("Không có người với mã này trong phạm vi của bạn."))
        if not form.errors:
            categories = []
            if d["category"]:
                categories.append(
                    {
                        "category": d["category"],
                        "evidence_number": d["evidence_number"],
                        "evidence_year": d["evidence_year"],
                    }
                )
            try:
                case = services.case_create(
                    actor=user,
                    kind=d["kind"],
                    ward=ward,
                    address_detail=d["address_detail"],
                    phone=d["phone"],
                    circumstances=d["circumstances"],
                    household_size=d["household_size"],
                    unit=d["unit"],
                    head=head,
                    head_fields=None if head else form.person_fields(),
                    categories=categories,
                    allow_duplicate=d["confirm_duplicate"] or d["confirm_new_person"],
                    allow_other_household=d["confirm_other_household"],
                )
            except people_services.DuplicateSuspected as exc:
                extra["candidates"], extra["hidden_candidates"] = _visible_candidates(user, exc.candidates)
                form.add_error(None, exc.messages[0])
            except services.DuplicateCaseSuspected as exc:
                extra["duplicates"] = access.split_visible(user, BENEFICIARIES_VIEW, exc.cases)
                extra["blocking"] = exc.blocking
                form.add_error(None, exc.messages[0])
            except services.MemberElsewhere as exc:
                extra["elsewhere"] = access.split_visible(user, BENEFICIARIES_VIEW, exc.cases)
                form.add_error(None, exc.messages[0])
            except ValidationError as exc:
                apply_errors(form, exc)
                if hasattr(exc, "error_dict") and "ward" in exc.error_dict:
                    for error in exc.error_dict["ward"]:
                        form.add_error("ward_text", error)
            else:
                messages.success(request, _("Đã lập hồ sơ %(n)s (đề xuất).") % {"n": case.number})
                return redirect(case)
    _offer_confirmations(form, extra)
    return render(
        request, "beneficiaries/case_create.html", {"form": form, "title": _("Lập hồ sơ đối tượng"), **extra}
    )


# The case file -------------------------------------------------------------------------------------
STEP_FORMS = {
    "binh-xet": ("review", forms.ReviewForm, _("Ghi kết quả bình xét tại cộng đồng")),
    "xac-nhan": ("confirm", forms.ConfirmForm, _("Xã xác nhận hồ sơ")),
    "tro-giup": ("activate", forms.ActivateForm, _("Chuyển sang đang trợ giúp")),
    "dong": ("close", forms.CloseForm, _("Đóng hồ sơ")),
    "mo-lai": ("reopen", forms.ReopenForm, _("Mở lại hồ sơ")),
}


def _steps_allowed(user, case) -> list[tuple[str, str]]:
    if case.merged_into_id:
        return []
    edit = access.has_perm(user, BENEFICIARIES_EDIT, case.unit)
    confirm = access.has_perm(user, BENEFICIARIES_CONFIRM, case.commune)
    result = []
    if case.status == CaseStatus.PROPOSED and edit:
        result.append("binh-xet")
    if case.status == CaseStatus.REVIEWED and confirm:
        result.append("xac-nhan")
    if case.status == CaseStatus.CONFIRMED and edit:
        result.append("tro-giup")
    if case.status != CaseStatus.CLOSED and edit:
        result.append("dong")
    if case.status == CaseStatus.CLOSED and confirm:
        result.append("mo-lai")
    return [(slug, STEP_FORMS[slug][2]) for slug in result]


def _link_sources(user, records) -> None:
    """Set `.source_url` where the module that made a record (the fund) lets this user open it."""
    links = api.source_links(user, [r.source_ref for r in records if r.source_ref])
    for r in records:
        r.source_url = links.get(r.source_ref, "")


@login_required
def case_detail(request, pk):
    user = request.user
    case = selectors.case_get(user, pk)
    if (
        case.merged_into_id
        and access.in_scope(user, BENEFICIARIES_VIEW, Case.objects.filter(pk=case.merged_into_id)).exists()
    ):
        messages.info(request, _("Hồ sơ %(n)s đã được hợp nhất vào hồ sơ này.") % {"n": case.number})
        return redirect(case.merged_into)
    visible = selectors.details_visible(user, case)
    log_outside_view(user, case, restricted=not visible)
    unit = case.unit
    sensitive = selectors.can_see_sensitive(user, unit)
    if visible and sensitive:  # ID numbers of the household and its health-related categories
        audit.record_read(actor=user, obj=case, fields=["cccd", "health_categories"])
    can_edit = access.has_perm(user, BENEFICIARIES_EDIT, unit) and case.is_open and not case.merged_into_id
    members = selectors.case_members(case) if visible else []
    help_records = list(selectors.case_help(case)[:50])
    _link_sources(user, help_records)
    return render(
        request,
        "beneficiaries/case_detail.html",
        {
            "case": case,
            "visible": visible,
            "local": selectors.is_local(user, case),
            "sensitive": sensitive,
            "cccd_masked": identity.masked(case.head.cccd),
            "members": members,
            "flags": selectors.member_flags(case) if visible else {},
            "duplicate_members": selectors.duplicate_members(members),
            "categories": selectors.case_categories(case, user),
            "consents": selectors.case_consents(case) if visible else [],
            "steps": selectors.case_steps(case),
            "commitments": selectors.case_commitments(case),
            "help_records": help_records,
            "totals": selectors.case_help_totals(case),
            "history": selectors.case_history(user, case)[:20],
            "can_edit": can_edit,
            "can_help": can_edit and case.can_receive_help,
            "can_merge": access.has_perm(user, BENEFICIARIES_MERGE, unit) and not case.merged_into_id,
            "steps_allowed": _steps_allowed(user, case),
            "refusal": services.case_help_refusal(case),
        },
    )


@login_required
def case_print(request, pk):
    """The case file (hồ sơ) as a print-ready A4 page."""
    user = request.user
    case = selectors.case_get(user, pk)
    visible = selectors.details_visible(user, case)
    if not visible:
        raise PermissionDenied
    log_outside_view(user, case, what="print")

    return render(
        request,
        "beneficiaries/print_case.html",
        {
            "case": case,
            "sensitive": selectors.can_see_sensitive(user, case.unit),
            "cccd_masked": identity.masked(case.head.cccd),
            "members": selectors.case_members(case),
            "categories": selectors.case_categories(case, user),
            "consents": selectors.case_consents(case),
            "steps": selectors.case_steps(case),
            "commitments": selectors.case_commitments(case),
            "help_records": selectors.case_help(case).filter(status="valid"),
            "totals": selectors.case_help_totals(case),
            "today": timezone.localdate(),
            "place": _place_of(case.commune),
        },
    )


def _place_of(unit) -> str:
    """'Hải Phòng' for the date line of a printed document (Decree 30/2020 layout)."""
    if unit.ward_id and unit.ward.province_id:
        name = Province.objects.filter(pk=unit.ward.province_id).values_list("name", flat=True).first() or ""
        for prefix in ("Thành phố ", "Tỉnh "):
            name = name.removeprefix(prefix)
        return name
    return ""


@login_required
def case_edit(request, pk):
    user = request.user
    case = selectors.case_get(user, pk)
    access.require(user, BENEFICIARIES_EDIT, case.unit)
    if not selectors.details_visible(user, case):
        raise PermissionDenied
    initial = {
        "ward_text": case.ward.name,
        "address_detail": case.address_detail,
        "phone": case.phone,
        "unit": case.unit,
        "household_size": case.household_size,
        "circumstances": case.circumstances,
    }
    units = selectors.editable_units(user, kinds=CASE_UNIT_KINDS)
    form = forms.CaseEditForm(request.POST or None, initial=initial, units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ward, problem = ward_from(d["ward_text"])
        if problem:
            form.add_error("ward_text", problem)
        else:
            try:
                services.case_update(
                    actor=user,
                    case=case,
                    ward=ward,
                    address_detail=d["address_detail"],
                    phone=d["phone"],
                    circumstances=d["circumstances"],
                    household_size=d["household_size"],
                    # A new address in another commune moves the file there unless a unit was chosen.
                    unit=d["unit"] if ward == case.ward or d["unit"].pk != case.unit_id else None,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
                if hasattr(exc, "error_dict") and "ward" in exc.error_dict:
                    for error in exc.error_dict["ward"]:
                        form.add_error("ward_text", error)
            else:
                messages.success(request, _("Đã lưu thay đổi."))
                return redirect(case)
    return form_page(request, _("Sửa hồ sơ %(n)s") % {"n": case.number}, form, case)


def _members_of(case):
    return Member.objects.filter(case=case, left_on__isnull=True).select_related("person").order_by("id")


@login_required
def member_add(request, pk):
    user = request.user
    case = selectors.case_get(user, pk)
    access.require(user, BENEFICIARIES_EDIT, case.unit)
    if not selectors.details_visible(user, case):
        raise PermissionDenied
    form = forms.MemberForm(_post_with_chosen_person(request))
    extra = {"candidates": [], "hidden_candidates": 0, "elsewhere": []}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = None
        if d["existing_person"]:
            person = people_selectors.visible_people(user).filter(pk=d["existing_person"]).first()
            if person is None:
                form.add_error("existing_person", _("Không có người với mã này trong phạm vi của bạn."))
        if not form.errors:
            try:
                services.member_add(
                    actor=user,
                    case=case,
                    relationship=d["relationship"],
                    person=person,
                    person_fields=None if person else form.person_fields(),
                    joined_on=d["joined_on"],
                    allow_other_household=d["confirm_other_household"],
                    allow_duplicate=d["confirm_new_person"],
                )
            except people_services.DuplicateSuspected as exc:
                extra["candidates"], extra["hidden_candidates"] = _visible_candidates(user, exc.candidates)
                form.add_error(None, exc.messages[0])
            except services.MemberElsewhere as exc:
                extra["elsewhere"] = access.split_visible(user, BENEFICIARIES_VIEW, exc.cases)
                form.add_error(None, exc.messages[0])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã thêm thành viên."))
                return redirect(case)
    _offer_confirmations(form, extra)
    return form_page(
        request, _("Thêm thành viên hộ"), form, case, extra=extra, template="beneficiaries/member_form.html"
    )


@login_required
def member_leave(request, pk):
    user = request.user
    member = selectors.member_get(user, pk)
    case = member.case
    access.require(user, BENEFICIARIES_EDIT, case.unit)
    if not selectors.details_visible(user, case):
        raise PermissionDenied
    form = forms.MemberLeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_leave(actor=user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(n)s đã rời hộ.") % {"n": member.person.full_name})
            return redirect(case)
    return form_page(request, _("Rời hộ: %(n)s") % {"n": member.person.full_name}, form, case)


@login_required
@require_POST
def member_set_head(request, pk):
    user = request.user
    member = selectors.member_get(user, pk)
    access.require(user, BENEFICIARIES_EDIT, member.case.unit)
    try:
        services.member_set_head(actor=user, member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)s nay là chủ hộ.") % {"n": member.person.full_name})
    return redirect(member.case)


@login_required
def category_add(request, pk):
    user = request.user
    case = selectors.case_get(user, pk)
    access.require(user, BENEFICIARIES_EDIT, case.unit)
    form = forms.CategoryForm(
        request.POST or None,
        categories=selectors.categories_for(user, case.unit),
        members=_members_of(case),
    )
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        member = d.pop("member")
        try:
            services.case_category_add(actor=user, case=case, person=member.person if member else None, **d)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "person" in exc.error_dict:
                for error in exc.error_dict.pop("person"):
                    form.add_error("member", error)
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm diện."))
            return redirect(case)
    help_by_code = {c.pk: c.evidence_label for c in selectors.categories_for(user, case.unit)}
    return form_page(request, _("Thêm diện đối tượng"), form, case, extra={"evidence_labels": help_by_code})


@login_required
def category_end(request, pk):
    user = request.user
    item = access.get_in_scope(
        user, BENEFICIARIES_VIEW, CaseCategory.objects.select_related("category"), pk, field="case__unit"
    )
    case = selectors.case_get(user, item.case_id)
    if item.category.sensitive and not selectors.can_see_sensitive(user, case.unit):
        raise Http404
    access.require(user, BENEFICIARIES_EDIT, case.unit)
    form = forms.CategoryEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_category_end(actor=user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi hết hiệu lực."))
            return redirect(case)
    return form_page(request, _("Kết thúc diện: %(c)s") % {"c": item.category.name}, form, case)


@login_required
def consent_add(request, pk):
    user = request.user
    case = selectors.case_get(user, pk)
    access.require(user, BENEFICIARIES_EDIT, case.unit)
    if not selectors.details_visible(user, case) and not selectors.is_local(user, case):
        raise PermissionDenied
    members = _members_of(case)
    form = forms.ConsentForm(
        request.POST or None,
        members=members,
        initial={"member": members.filter(person=case.head).first(), "collected_by": user.get_full_name()},
    )
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        member = d.pop("member")
        try:
            services.consent_record(actor=user, case=case, person=member.person, **d)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận sự đồng ý."))
            return redirect(case)
    return form_page(request, _("Ghi nhận sự đồng ý"), form, case)


@login_required
def consent_withdraw(request, pk):
    user = request.user
    consent = access.get_in_scope(
        user, BENEFICIARIES_VIEW, Consent.objects.select_related("person"), pk, field="case__unit"
    )
    case = selectors.case_get(user, consent.case_id)
    access.require(user, BENEFICIARIES_EDIT, case.unit)
    form = forms.ConsentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(actor=user, consent=consent, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận việc rút lại sự đồng ý."))
            return redirect(case)
    return form_page(
        request, _("Rút lại sự đồng ý: %(p)s") % {"p": consent.get_purpose_display()}, form, case
    )


@login_required
def case_step(request, pk, step):
    user = request.user
    case = selectors.case_get(user, pk)
    if step not in STEP_FORMS:
        raise Http404
    action, form_class, title = STEP_FORMS[step]
    if step not in dict(_steps_allowed(user, case)):
        raise PermissionDenied
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if action == "review":
                services.case_review(actor=user, case=case, **d)
            elif action == "confirm":
                services.case_confirm(actor=user, case=case, **d)
            elif action == "activate":
                services.case_activate(actor=user, case=case, on=d["on"])
            elif action == "close":
                services.case_close(actor=user, case=case, **d)
            else:
                services.case_reopen(actor=user, case=case, **d)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã cập nhật trạng thái hồ sơ."))
            return redirect(case)
    return form_page(request, title, form, case)


@login_required
@require_POST
def case_bulk_step(request):
    """Record the community review (or the commune's confirmation) for a selection of the list:
    after importing the commune's list, its households are reviewed at one meeting."""
    user = request.user
    access.require(user, BENEFICIARIES_EDIT)
    data = request.POST.copy()
    data["ids"] = ",".join(request.POST.getlist("ids"))
    form = forms.BulkStepForm(data)
    back = request.POST.get("next") or reverse("beneficiaries:cases")
    if not back.startswith("/"):
        back = reverse("beneficiaries:cases")
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    d = form.cleaned_data
    found = {
        c.pk: c
        for c in selectors.visible_cases(user).filter(pk__in=d["ids"]).select_related("unit", "commune")
    }
    if len(found) != len(d["ids"]):
        raise Http404
    try:
        with transaction.atomic():
            for case in found.values():
                if d["action"] == "review":
                    services.case_review(actor=user, case=case, reviewed_on=d["on"], minutes=d["reference"])
                else:
                    services.case_confirm(
                        actor=user, case=case, confirmed_on=d["on"], reference=d["reference"]
                    )
    except ValidationError as exc:
        messages.error(request, _("Chưa ghi gì: %(m)s") % {"m": " ".join(exc.messages)})
    else:
        messages.success(request, _("Đã cập nhật %(n)s hồ sơ.") % {"n": len(found)})
    return redirect(back)


# Duplicates and merging ------------------------------------------------------------------------------
@login_required
def duplicate_list(request):
    access.require(request.user, BENEFICIARIES_MERGE)
    unit = unit_from_query(request, BENEFICIARIES_MERGE)
    pairs = selectors.duplicate_households(request.user, unit)
    page = paginate(request, pairs)
    selectors.mark_visibility(request.user, [c for pair in page.object_list for c in pair[:2]])
    return render(request, "beneficiaries/duplicates.html", {"page": page, "unit": unit})


@login_required
def case_merge(request, pk):
    user = request.user
    keep = selectors.case_get(user, pk)
    access.require(user, BENEFICIARIES_MERGE, keep.unit)
    form = forms.MergeForm(request.POST or request.GET or None)
    step = merge_step(
        request,
        form,
        keep,
        get_other=lambda pk: selectors.case_get(user, pk),
        conflicts_of=services.merge_conflicts,
        choosable=services.MERGE_CHOOSABLE,
        merge=lambda other, take: services.case_merge(
            actor=user, keep=keep, remove=other, take_from_removed=take
        ),
    )
    if step.merged:
        messages.success(request, _("Đã hợp nhất hồ sơ %(n)s vào hồ sơ này.") % {"n": step.other.number})
        return redirect(keep)
    other, conflicts = step.other, step.conflicts
    # Outside the commune, a file whose people did not agree to share is merged by its number only.
    selectors.mark_visibility(user, [c for c in (keep, other) if c is not None])
    if conflicts and not (keep.details_visible and other.details_visible):
        conflicts = [(name, label, "…", "…") for name, label, _mine, _theirs in conflicts]
    return render(
        request,
        "beneficiaries/case_merge.html",
        {
            "keep": keep,
            "other": other,
            "conflicts": conflicts,
            "form": form,
            "other_members": selectors.case_members(other) if other and other.details_visible else [],
            "keep_members": selectors.case_members(keep) if keep.details_visible else [],
        },
    )
