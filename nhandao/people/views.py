"""People pages: thin views over selectors (reads) and services (writes)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.core import audit
from nhandao.core.access import (
    PEOPLE_CONFIGURE,
    PEOPLE_DUES,
    PEOPLE_EDIT,
    PEOPLE_EXPORT,
    PEOPLE_IMPORT,
    PEOPLE_MERGE,
    PEOPLE_VIEW,
)
from nhandao.core.exports import ExportColumn, export_response, query_filters
from nhandao.core.forms import apply_errors
from nhandao.core.merging import merge_step
from nhandao.core.pagination import LIST_CAP, paginate
from nhandao.core.text import initials
from nhandao.geo.selectors import resolve_address
from nhandao.org import access
from nhandao.org.models import UnitKind
from nhandao.org.selectors import share_units

from . import forms, identity, selectors, services
from .choices import RoleKind
from .models import ClubMember, PeopleRules, Person, PersonRole, TrainingCourse

BRANCH_KINDS = (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.BRANCH, UnitKind.GROUP)


def _unit_from_query(request, perm=PEOPLE_VIEW):
    raw = request.GET.get("don-vi", "")
    if raw:
        return access.get_unit_or_404(request.user, raw, perm)
    homes = list(access.home_units(request.user, perm)[:2])
    return homes[0] if len(homes) == 1 else None


def _filter_from(request, unit):
    form = forms.PeopleFilterForm(request.GET or None)
    f = selectors.PersonFilter(unit=unit)
    if form.is_valid():
        d = form.cleaned_data
        f.q = d["q"]
        f.role = d["vai_tro"]
        f.age_band = d["tuoi"]
        f.skill = d["ky_nang"]
        f.dues = d["hoi_phi"]
        f.active_volunteer = d["tich_cuc"]
        f.club = d["clb"]
        f.include_former = d["cu"]
    return form, f


# Lists -------------------------------------------------------------------------------------
@login_required
def person_list(request):
    access.require(request.user, PEOPLE_VIEW)
    unit = _unit_from_query(request)
    form, f = _filter_from(request, unit)
    people = selectors.with_current_roles(selectors.for_list(selectors.people(request.user, f)))
    # Searches are not counted (counting costs as much as searching); lists are counted up to a cap.
    page = (
        paginate(request, people, lookahead=True)
        if f.q
        else paginate(request, people, cap=LIST_CAP, ids_first=True)
    )
    page.object_list = share_units(list(page.object_list))
    user = request.user
    return render(
        request,
        "people/person_list.html",
        {
            "form": form,
            "unit": unit,
            "page": page,
            "sensitive": selectors.can_see_sensitive(user, unit),
            "can_edit": access.has_perm(user, PEOPLE_EDIT, unit),
            "can_import": access.has_perm(user, PEOPLE_IMPORT, unit),
            "can_export": access.has_perm(user, PEOPLE_EXPORT, unit),
            "can_merge": access.has_perm(user, PEOPLE_MERGE, unit),
            "query": request.GET.urlencode(),
            "filters_open": any(
                request.GET.get(k) for k in ("vai-tro", "tuoi", "ky-nang", "hoi-phi", "tich-cuc", "cu")
            ),
        },
    )


def _roles_text(person) -> str:
    return ", ".join(str(RoleKind(r.kind).label) for r in getattr(person, "current_roles", []))


@login_required
def person_export(request):
    access.require(request.user, PEOPLE_EXPORT)
    unit = _unit_from_query(request, PEOPLE_EXPORT)
    _form, f = _filter_from(request, unit)
    sensitive = selectors.can_see_sensitive(request.user, unit)
    qs = selectors.with_current_roles(selectors.people(request.user, f))
    columns = [
        ExportColumn("pk", _("Mã hồ sơ"), kind="int", width=10),
        ExportColumn("full_name", _("Họ và tên"), personal=True, width=26),
        ExportColumn(lambda p: p.date_of_birth or None, _("Ngày sinh"), kind="date", personal=True, width=12),
        ExportColumn("birth_year", _("Năm sinh"), kind="int", width=8),
        ExportColumn("get_sex_display", _("Giới tính"), width=8),
        ExportColumn("phone", _("Điện thoại"), personal=True, width=14),
        ExportColumn("email", _("Thư điện tử"), personal=True, width=24),
        ExportColumn(lambda p: p.ward.name if p.ward_id else "", _("Xã, phường"), width=22),
        ExportColumn("address_detail", _("Địa chỉ"), personal=True, width=30),
        ExportColumn("occupation", _("Nghề nghiệp")),
        ExportColumn("workplace", _("Nơi làm việc, học tập"), width=24),
        ExportColumn("unit.name", _("Đơn vị quản lý"), width=30),
        ExportColumn(_roles_text, _("Vai trò hiện tại"), width=28),
    ]
    if sensitive:
        columns[5:5] = [
            ExportColumn("cccd", _("Số CCCD"), sensitive=True, width=15),
            ExportColumn("legacy_id_number", _("Số CMND cũ"), sensitive=True, width=12),
            ExportColumn("get_ethnicity_display", _("Dân tộc"), sensitive=True, width=10),
        ]
    qs = qs.select_related("ward")
    return export_response(
        actor=request.user,
        columns=columns,
        rows=qs.iterator(chunk_size=2000),
        fmt="csv" if request.GET.get("dinh-dang") == "csv" else "xlsx",
        filename="danh-sach-hoi-vien",
        what="people.person",
        unit=unit,
        filters=query_filters(request),
        title=_("Danh sách"),
    )


# One person ------------------------------------------------------------------------------------
@login_required
def person_detail(request, pk):
    person = selectors.person_get(request.user, pk)
    if (
        person.merged_into_id
        and access.in_scope(
            request.user, PEOPLE_VIEW, Person.objects.filter(pk=person.merged_into_id)
        ).exists()
    ):
        messages.info(request, _("Hồ sơ số %(n)s đã được hợp nhất vào hồ sơ này.") % {"n": person.pk})
        return redirect(person.merged_into)
    user = request.user
    unit = person.unit
    hours_total, active = selectors.person_recent_hours(person)
    can_edit = access.has_perm(user, PEOPLE_EDIT, unit)
    sensitive = selectors.can_see_sensitive(user, unit)
    shown = [name for name in ("cccd", "ethnicity") if sensitive and getattr(person, name)]
    if shown:
        audit.record_read(actor=user, obj=person, fields=shown)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "sensitive": sensitive,
            "cccd_masked": identity.masked(person.cccd),
            "roles": selectors.person_roles(person),
            "dues": person.dues.select_related("unit").order_by("-year")[:10],
            "hours": selectors.person_hours(person)[:10],
            "hours_total": hours_total,
            "active_volunteer": active,
            "clubs": person.club_memberships.select_related("club").order_by("-joined_on")[:20],
            "trainings": person.trainings.select_related("session__course").order_by("-session__starts_on")[
                :20
            ],
            "awards": person.awards.order_by("-awarded_on")[:20],
            "skills": person.skills.all(),
            "duplicates": selectors.duplicates_of(user, person) if can_edit else [],
            "history": selectors.person_history(user, person)[:20],
            "can_edit": can_edit,
            "can_dues": access.has_perm(user, PEOPLE_DUES, unit),
            "can_merge": access.has_perm(user, PEOPLE_MERGE, unit),
            "role_form": forms.RoleStatusForm(),
        },
    )


def _form_page(request, title, form, person=None, back=None):
    return render(request, "people/form.html", {"title": title, "form": form, "person": person, "back": back})


def _ward_from(text, unit):
    """Resolve the ward text typed in the form (current or old names)."""
    if not text:
        return None, ""

    province = unit.ward.province_id if unit is not None and unit.ward_id else None
    match = resolve_address(text, province)
    if match.ok:
        return match.ward, ""
    return None, match.problem


@login_required
def person_create(request):
    access.require(request.user, PEOPLE_EDIT)
    units = selectors.editable_units(request.user, kinds=BRANCH_KINDS)
    initial = {}
    wanted = request.GET.get("don-vi", "")
    if wanted.isdigit():
        initial["unit"] = units.filter(pk=int(wanted)).first()
    form = forms.PersonCreateForm(request.POST or None, units=units, initial=initial)
    candidates = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        unit = d["unit"]
        ward, problem = _ward_from(d["ward_text"], unit)
        if problem:
            form.add_error("ward_text", problem)
        else:
            birth = d["birth"]
            try:
                person = services.person_create(
                    actor=request.user,
                    unit=unit,
                    allow_duplicate=d["confirm_new"],
                    skills=d["skills"],
                    full_name=d["full_name"],
                    date_of_birth=birth.date if birth else None,
                    birth_year=birth.year if birth else None,
                    sex=d["sex"],
                    cccd=d.get("cccd", ""),
                    phone=d["phone"],
                    email=d["email"],
                    ethnicity=d.get("ethnicity", ""),
                    ward=ward,
                    address_detail=d["address_detail"],
                    occupation=d["occupation"],
                    workplace=d["workplace"],
                    note=d["note"],
                )
                if d["kind"]:
                    services.role_add(
                        actor=request.user,
                        person=person,
                        kind=d["kind"],
                        unit=unit,
                        started_on=d["started_on"],
                        staff_type=d["staff_type"],
                    )
            except services.DuplicateSuspected as exc:
                # Found beyond the user's scope on purpose: others' details stay hidden.
                candidates = access.split_visible(
                    request.user, PEOPLE_VIEW, exc.candidates, unit_of=lambda found: found[0].unit
                )
                form.add_error(None, exc.messages[0])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã thêm %(n)s.") % {"n": person.full_name})
                return redirect(person)
    return render(
        request,
        "people/person_create.html",
        {"form": form, "candidates": candidates, "title": _("Thêm người")},
    )


@login_required
def person_edit(request, pk):
    person = selectors.person_get(request.user, pk)
    access.require(request.user, PEOPLE_EDIT, person.unit)
    sensitive = selectors.can_see_sensitive(request.user, person.unit)
    initial = {
        "full_name": person.full_name,
        "birth": person.birth_display,
        "sex": person.sex,
        "cccd": person.cccd or person.legacy_id_number,
        "phone": person.phone,
        "email": person.email,
        "ethnicity": person.ethnicity,
        "ward_text": person.ward.name if person.ward_id else "",
        "address_detail": person.address_detail,
        "occupation": person.occupation,
        "workplace": person.workplace,
        "skills": person.skills.all(),
        "note": person.note,
    }
    form = forms.PersonForm(request.POST or None, initial=initial, sensitive=sensitive)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ward, problem = _ward_from(d["ward_text"], person.unit)
        if problem:
            form.add_error("ward_text", problem)
        else:
            birth = d["birth"]
            fields = {
                "full_name": d["full_name"],
                "date_of_birth": birth.date if birth else None,
                "birth_year": birth.year if birth else None,
                "sex": d["sex"],
                "phone": d["phone"],
                "email": d["email"],
                "ward": ward,
                "address_detail": d["address_detail"],
                "occupation": d["occupation"],
                "workplace": d["workplace"],
                "note": d["note"],
            }
            if sensitive:
                fields["cccd"] = d["cccd"]
                fields["ethnicity"] = d["ethnicity"]
                if not d["cccd"]:
                    fields["legacy_id_number"] = ""
            try:
                services.person_update(actor=request.user, person=person, skills=d["skills"], **fields)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu thay đổi."))
                return redirect(person)
    return _form_page(request, _("Sửa hồ sơ"), form, person)


@login_required
def role_add(request, pk):
    person = selectors.person_get(request.user, pk)
    access.require(request.user, PEOPLE_EDIT, person.unit)
    units = selectors.editable_units(request.user, kinds=BRANCH_KINDS)
    form = forms.RoleForm(request.POST or None, units=units, initial={"unit": person.unit})
    if request.method == "POST" and form.is_valid():
        try:
            services.role_add(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm vai trò."))
            return redirect(person)
    return _form_page(request, _("Thêm vai trò, kết nạp"), form, person)


@login_required
def role_status(request, pk):
    role = selectors.role_get(request.user, pk)
    access.require(request.user, PEOPLE_EDIT, role.unit)
    form = forms.RoleStatusForm(request.POST or None, initial={"status": role.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.role_set_status(actor=request.user, role=role, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã cập nhật trạng thái."))
            return redirect(role.person)
    return _form_page(request, _("Đổi trạng thái: %(r)s") % {"r": role.get_kind_display()}, form, role.person)


@login_required
def dues_add(request, pk):
    person = selectors.person_get(request.user, pk)
    access.require(request.user, PEOPLE_DUES, person.unit)
    form = forms.DuesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dues_record(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận hội phí."))
            return redirect(person)
    return _form_page(request, _("Ghi nhận hội phí"), form, person)


@login_required
def hours_add(request, pk):
    person = selectors.person_get(request.user, pk)
    access.require(request.user, PEOPLE_EDIT, person.unit)
    form = forms.HoursForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hours_log(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi giờ tình nguyện."))
            return redirect(person)
    return _form_page(request, _("Ghi giờ tình nguyện"), form, person)


@login_required
def award_add(request, pk):
    person = selectors.person_get(request.user, pk)
    access.require(request.user, PEOPLE_EDIT, person.unit)
    form = forms.AwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.award_add(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận khen thưởng."))
            return redirect(person)
    return _form_page(request, _("Ghi nhận khen thưởng"), form, person)


@login_required
def club_join(request, pk):
    person = selectors.person_get(request.user, pk)
    access.require(request.user, PEOPLE_EDIT, person.unit)
    clubs = selectors.clubs(request.user).filter(unit__in=selectors.editable_units(request.user).values("pk"))
    form = forms.ClubJoinForm(request.POST or None, clubs=clubs)
    if request.method == "POST" and form.is_valid():
        try:
            services.club_member_add(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm vào câu lạc bộ, đội."))
            return redirect(person)
    return _form_page(request, _("Tham gia câu lạc bộ, đội"), form, person)


@login_required
def person_merge(request, pk):
    keep = selectors.person_get(request.user, pk)
    access.require(request.user, PEOPLE_MERGE, keep.unit)
    form = forms.MergeForm(request.POST or request.GET or None)
    step = merge_step(
        request,
        form,
        keep,
        get_other=lambda pk: selectors.person_get(request.user, pk),
        conflicts_of=services.merge_conflicts,
        choosable=services.MERGE_CHOOSABLE,
        merge=lambda other, take: services.person_merge(
            actor=request.user, keep=keep, remove=other, take_from_removed=take
        ),
    )
    if step.merged:
        messages.success(request, _("Đã hợp nhất hồ sơ số %(n)s vào hồ sơ này.") % {"n": step.other.pk})
        return redirect(keep)
    other, conflicts = step.other, step.conflicts
    return render(
        request,
        "people/person_merge.html",
        {"keep": keep, "other": other, "conflicts": conflicts, "form": form},
    )


@login_required
def duplicate_list(request):
    access.require(request.user, PEOPLE_MERGE)
    unit = _unit_from_query(request, PEOPLE_MERGE)
    page = paginate(request, selectors.duplicate_groups(request.user, unit), cap=LIST_CAP)
    return render(request, "people/duplicates.html", {"page": page, "unit": unit})


# Member card -------------------------------------------------------------------------------------
@login_required
def member_card(request, pk):
    role = selectors.role_get(request.user, pk)
    if role.kind != RoleKind.MEMBER or not role.card_token:
        raise Http404
    import segno

    url = request.build_absolute_uri(reverse("people:card_verify", args=[role.card_token]))
    qr = segno.make(url, error="m").svg_inline(scale=3, border=1)
    return render(
        request,
        "people/member_card.html",
        {"role": role, "person": role.person, "qr": qr, "commune": services.commune_of(role.unit)},
    )


@login_required
@require_POST
def card_reissue(request, pk):
    role = selectors.role_get(request.user, pk)
    access.require(request.user, PEOPLE_EDIT, role.unit)
    try:
        services.card_reissue(actor=request.user, role=role)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã cấp lại thẻ; mã QR trên thẻ cũ không còn giá trị."))
    return redirect(role.person)


def card_verify(request, token):
    """Public: only initials, unit and whether the card is valid.  No personal data."""
    role = (
        PersonRole.objects.filter(card_token=token, kind=RoleKind.MEMBER)
        .select_related("person", "unit")
        .first()
        if 10 <= len(token) <= 40
        else None
    )
    if role is None:
        return render(request, "people/card_verify.html", {"found": False}, status=404)
    person = role.person
    valid = role.status == "active" and not person.deceased_on and not person.merged_into_id
    return render(
        request,
        "people/card_verify.html",
        {
            "found": True,
            "initials": initials(person.full_name),
            "unit": role.unit.name,
            "commune": services.commune_of(role.unit).name,
            "valid": valid,
            "status": role.get_status_display(),
        },
    )


# Dues -----------------------------------------------------------------------------------------------
@login_required
def dues_overview(request):
    access.require(request.user, PEOPLE_VIEW)
    unit = _unit_from_query(request)
    if unit is None:
        unit = access.home_units(request.user, PEOPLE_VIEW).first()
        if unit is None:
            raise PermissionDenied
    year_raw = request.GET.get("nam", "")
    year = (
        int(year_raw) if year_raw.isdigit() and 2000 <= int(year_raw) <= 2100 else timezone.localdate().year
    )
    rate = services.dues_rate_for(unit, year)
    page = paginate(request, selectors.members_without_dues(request.user, unit, year), cap=LIST_CAP)
    return render(
        request,
        "people/dues.html",
        {
            "unit": unit,
            "year": year,
            "rate": rate,
            "page": page,
            "summary": selectors.dues_summary(request.user, unit, year),
            "can_configure": access.has_perm(request.user, PEOPLE_CONFIGURE, unit),
            "can_dues": access.has_perm(request.user, PEOPLE_DUES, unit),
        },
    )


@login_required
def dues_rate(request):
    access.require(request.user, PEOPLE_CONFIGURE)
    units = (
        access.scope(request.user, PEOPLE_CONFIGURE)
        .units()
        .active()
        .filter(kind__in=BRANCH_KINDS)
        .order_by("path")
    )
    form = forms.DuesRateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            rate = services.dues_rate_set(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu mức hội phí."))
            return redirect(reverse("people:dues") + f"?don-vi={rate.unit_id}&nam={rate.year}")
    return _form_page(request, _("Mức hội phí"), form)


# Clubs -------------------------------------------------------------------------------------------------
@login_required
def club_list(request):
    access.require(request.user, PEOPLE_VIEW)
    unit = _unit_from_query(request)
    page = paginate(request, selectors.clubs(request.user, unit))
    return render(
        request,
        "people/club_list.html",
        {"page": page, "unit": unit, "can_edit": access.has_perm(request.user, PEOPLE_EDIT, unit)},
    )


@login_required
def club_create(request):
    access.require(request.user, PEOPLE_EDIT)
    form = forms.ClubForm(
        request.POST or None, units=selectors.editable_units(request.user, kinds=BRANCH_KINDS)
    )
    if request.method == "POST" and form.is_valid():
        try:
            club = services.club_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thành lập “%(n)s”.") % {"n": club.name})
            return redirect("people:club", pk=club.pk)
    return _form_page(request, _("Thành lập câu lạc bộ, đội"), form)


def _pick_person(user, text: str) -> Person | None:
    text = (text or "").strip()
    qs = selectors.visible_people(user)
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits:
        return None
    if len(digits) <= 9 and len(digits) == len(text) and not text.startswith("0"):
        return qs.filter(pk=int(digits)).first()
    if len(digits) in (11, 12) and selectors.can_see_sensitive(user):
        found = qs.filter(cccd=identity.clean_id(digits)).first()
        if found:
            return found
    matches = list(qs.filter(phone=digits)[:2])
    return matches[0] if len(matches) == 1 else None


@login_required
def club_detail(request, pk):
    club = selectors.club_get(request.user, pk)
    can_edit = access.has_perm(request.user, PEOPLE_EDIT, club.unit)
    form = forms.MemberAddForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            person = _pick_person(request.user, form.cleaned_data["person"])
            if person is None:
                form.add_error(
                    "person", _("Không tìm thấy đúng một người với thông tin này trong phạm vi của bạn.")
                )
            else:
                try:
                    services.club_member_add(
                        actor=request.user, club=club, person=person, role=form.cleaned_data["role"]
                    )
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(request, _("Đã thêm %(n)s.") % {"n": person.full_name})
                    return redirect("people:club", pk=club.pk)
    return render(
        request,
        "people/club_detail.html",
        {"club": club, "members": selectors.club_members(club), "form": form, "can_edit": can_edit},
    )


@login_required
@require_POST
def club_member_leave(request, pk):
    try:
        member = ClubMember.objects.select_related("club__unit").get(pk=int(pk))
    except (ClubMember.DoesNotExist, ValueError):
        raise Http404 from None
    if not access.has_perm(request.user, PEOPLE_VIEW, member.club.unit):
        raise Http404
    access.require(request.user, PEOPLE_EDIT, member.club.unit)
    try:
        services.club_member_leave(actor=request.user, member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("people:club", pk=member.club_id)


# Training -----------------------------------------------------------------------------------------------
@login_required
def training_list(request):
    access.require(request.user, PEOPLE_VIEW)
    unit = _unit_from_query(request)
    page = paginate(request, selectors.sessions(request.user, unit))
    return render(
        request,
        "people/training_list.html",
        {
            "page": page,
            "unit": unit,
            "can_edit": access.has_perm(request.user, PEOPLE_EDIT, unit),
            "can_configure": access.scope(request.user, PEOPLE_CONFIGURE).everything,
            "expiring_count": selectors.certificates_expiring(request.user, unit).count(),
        },
    )


@login_required
def training_create(request):
    access.require(request.user, PEOPLE_EDIT)
    form = forms.SessionForm(
        request.POST or None,
        units=selectors.editable_units(request.user, kinds=BRANCH_KINDS),
        courses=TrainingCourse.objects.all(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo lớp tập huấn."))
            return redirect("people:training", pk=session.pk)
    return _form_page(request, _("Mở lớp tập huấn"), form)


@login_required
def course_create(request):
    access.require(request.user, PEOPLE_CONFIGURE, everywhere=True)
    form = forms.CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm khóa tập huấn."))
            return redirect("people:trainings")
    return _form_page(request, _("Thêm khóa tập huấn"), form)


@login_required
def training_detail(request, pk):
    session = selectors.session_get(request.user, pk)
    can_edit = access.has_perm(request.user, PEOPLE_EDIT, session.unit)
    form = forms.ParticipantForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            person = _pick_person(request.user, d["person"])
            if person is None:
                form.add_error(
                    "person", _("Không tìm thấy đúng một người với thông tin này trong phạm vi của bạn.")
                )
            else:
                try:
                    services.participant_add(
                        actor=request.user,
                        session=session,
                        person=person,
                        passed=d["passed"],
                        certificate_number=d["certificate_number"],
                        certificate_issued_on=d["certificate_issued_on"],
                    )
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(request, _("Đã thêm học viên %(n)s.") % {"n": person.full_name})
                    return redirect("people:training", pk=session.pk)
    return render(
        request,
        "people/training_detail.html",
        {
            "session": session,
            "participants": selectors.session_participants(session),
            "form": form,
            "can_edit": can_edit,
        },
    )


@login_required
def certificates_expiring(request):
    access.require(request.user, PEOPLE_VIEW)
    unit = _unit_from_query(request)
    page = paginate(request, selectors.certificates_expiring(request.user, unit))
    return render(request, "people/certificates.html", {"page": page, "unit": unit})


# Rules ------------------------------------------------------------------------------------------------------
@login_required
def rules_edit(request):
    access.require(request.user, PEOPLE_CONFIGURE, everywhere=True)
    rules = PeopleRules.current()
    form = forms.RulesForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        try:
            services.rules_update(
                actor=request.user, **{k: form.cleaned_data[k] for k in forms.RulesForm.Meta.fields}
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu quy định."))
            return redirect("people:list")
    return _form_page(request, _("Quy định về hội viên, tình nguyện viên"), form)
