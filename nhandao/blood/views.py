"""The blood module's pages: the organisers' (drives, the day, donors) and the public's
(upcoming drives, registration, cancel by code, the drive's poster)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.banking import qrimage
from nhandao.core import audit, throttle
from nhandao.core.access import (
    BLOOD_CHECKIN,
    BLOOD_EXPORT,
    BLOOD_IMPORT,
    BLOOD_MANAGE,
    BLOOD_MEDICAL,
    BLOOD_VIEW,
)
from nhandao.core.exports import ExportColumn, export_response, record_export
from nhandao.core.forms import apply_errors
from nhandao.core.imports.errors import CellError
from nhandao.core.imports.parsers import parse_phone
from nhandao.core.pagination import paginate
from nhandao.core.text import initials
from nhandao.org import access
from nhandao.org.models import Unit

from . import certificates, charts, eligibility, forms, honours_doc, selectors, services
from . import messages as blood_messages
from .choices import DonationKind, DriveStatus, PledgePurpose, RegistrationStatus, ScreeningResult
from .models import Donation, Registration


# Drives -------------------------------------------------------------------------------------------
@login_required
def drive_list(request):
    access.require(request.user, BLOOD_VIEW)
    when = request.GET.get("khi", "sap-toi")
    qs = selectors.drives_visible(request.user)
    today = timezone.localdate()
    qs = (
        qs.filter(date__gte=today).order_by("date", "starts_at", "id")
        if when == "sap-toi"
        else qs.filter(date__lt=today)
    )
    return render(
        request,
        "blood/drive_list.html",
        {
            "page": paginate(request, qs),
            "when": when,
            "can_manage": access.has_perm(request.user, BLOOD_MANAGE),
            "can_export": access.has_perm(request.user, BLOOD_EXPORT),
        },
    )


@login_required
def drive_create(request):
    access.require(request.user, BLOOD_MANAGE)
    form = forms.DriveForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            drive = services.drive_create(actor=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo đợt hiến máu."))
            return redirect(drive)
    return render(request, "blood/form.html", {"form": form, "title": _("Tạo đợt hiến máu")})


@login_required
def drive_detail(request, pk):
    drive = selectors.drive_get(request.user, pk)
    user = request.user
    return render(
        request,
        "blood/drive_detail.html",
        {
            "drive": drive,
            "counter": selectors.drive_counter(drive),
            "page": paginate(request, selectors.drive_registrations(drive)),
            "notices": drive.notices.all()[:5],
            "can_manage": access.has_perm(user, BLOOD_MANAGE, drive.unit) and drive.is_open,
            "can_checkin": access.has_perm(user, BLOOD_CHECKIN, drive.unit)
            and drive.status != DriveStatus.CANCELLED,
            "move_form": forms.DriveMoveForm(initial={f: getattr(drive, f) for f in services.MOVE_FIELDS}),
            "cancel_form": forms.DriveCancelForm(),
            "can_import": access.has_perm(user, BLOOD_IMPORT, drive.unit),
        },
    )


@login_required
@require_POST
def drive_move(request, pk):
    drive = selectors.drive_get(request.user, pk)
    access.require(request.user, BLOOD_MANAGE, drive.unit)
    form = forms.DriveMoveForm(request.POST)
    if form.is_valid():
        try:
            _drive, notice = services.drive_move(actor=request.user, drive=drive, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if notice:
                messages.success(
                    request,
                    _("Đã đổi đợt hiến máu; %(n)s người đã đăng ký cần được báo.")
                    % {"n": notice.recipients.count()},
                )
    else:
        messages.error(request, _("Hãy kiểm tra lại ngày, giờ và địa điểm."))
    return redirect(drive)


@login_required
@require_POST
def drive_cancel(request, pk):
    drive = selectors.drive_get(request.user, pk)
    access.require(request.user, BLOOD_MANAGE, drive.unit)
    form = forms.DriveCancelForm(request.POST)
    if form.is_valid():
        try:
            notice = services.drive_cancel(
                actor=request.user, drive=drive, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Đã hủy đợt hiến máu; %(n)s người đã đăng ký cần được báo.")
                % {"n": notice.recipients.count()},
            )
    else:
        messages.error(request, _("Hãy ghi lý do hủy."))
    return redirect(drive)


# On the day ---------------------------------------------------------------------------------------
@login_required
def drive_day(request, pk):
    """The check-in desk: one search box (code, phone, name), results without a page reload."""
    drive = selectors.drive_get(request.user, pk)
    access.require(request.user, BLOOD_CHECKIN, drive.unit)
    search = forms.CheckinSearchForm(request.GET or None)
    q = search.cleaned_data.get("q", "") if search.is_valid() else ""
    context = {
        "drive": drive,
        "search": search,
        "q": q,
        "found": selectors.checkin_search(request.user, drive, q),
    }
    if request.headers.get("HX-Request") and request.GET.get("part") == "results":
        # What the tablet asks for while the officer types: the results alone.
        return render(request, "blood/_checkin_results.html", context)
    context.update(
        counter=selectors.drive_counter(drive),
        walk_in=forms.WalkInForm(),
        visits=paginate(request, selectors.drive_visits(drive)),
    )
    return render(request, "blood/drive_day.html", context)


@login_required
def drive_counter(request, pk):
    drive = selectors.drive_get(request.user, pk)
    return render(request, "blood/_counter.html", {"drive": drive, "counter": selectors.drive_counter(drive)})


@login_required
@require_POST
def checkin(request, pk):
    drive = selectors.drive_get(request.user, pk)
    access.require(request.user, BLOOD_CHECKIN, drive.unit)
    try:
        if request.POST.get("registration"):
            registration = drive.registrations.filter(pk=access.int_pk(request.POST["registration"])).first()
            if registration is None:
                raise Http404
            visit = services.checkin(actor=request.user, drive=drive, registration=registration)
        elif request.POST.get("donor"):
            donor = selectors.donor_get(request.user, request.POST["donor"])
            visit = services.checkin(actor=request.user, drive=drive, donor=donor)
        else:
            form = forms.WalkInForm(request.POST)
            if not form.is_valid():
                messages.error(
                    request,
                    " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()),
                )
                return redirect("blood:drive_day", pk=drive.pk)
            visit = services.checkin(actor=request.user, drive=drive, walk_in=form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("blood:drive_day", pk=drive.pk)
    return redirect("blood:visit", pk=visit.pk)


@login_required
def visit_detail(request, pk):
    visit = selectors.visit_get(request.user, pk)
    drive = visit.drive
    user = request.user
    medical = selectors.sees_health(user, drive.unit)
    if medical:  # the screening values and any deferral reason
        audit.record_read(actor=user, obj=visit, fields=["screening"])
    can_checkin = access.has_perm(user, BLOOD_CHECKIN, drive.unit)
    donation = getattr(visit, "donation", None)
    deferral = getattr(visit, "deferral", None)
    screening = None
    if medical and not donation:
        initial = {"weight": visit.weight, "haemoglobin": visit.haemoglobin, "bp_systolic": visit.bp_systolic}
        initial.update(bp_diastolic=visit.bp_diastolic, result=visit.result or ScreeningResult.ACCEPTED)
        if deferral:
            initial.update(deferral_reason=deferral.reason, deferred_until=deferral.until)
        screening = forms.ScreeningForm(initial=initial)
    donation_form = None
    verdict = None
    if visit.result == ScreeningResult.ACCEPTED and not donation and can_checkin:
        verdict = services.donor_verdict(visit.donor, on=drive.date, weight=visit.weight)
        donation_form = forms.DonationForm(initial={"volume_ml": verdict.largest_bag_ml})
    return render(
        request,
        "blood/visit.html",
        {
            "visit": visit,
            "drive": drive,
            "medical": medical,
            "screening": screening,
            "donation_form": donation_form,
            "donation": donation,
            "deferral": deferral,
            "verdict": verdict,
            "counter": selectors.drive_counter(drive),
        },
    )


@login_required
@require_POST
def visit_screen(request, pk):
    visit = selectors.visit_get(request.user, pk)
    access.require(request.user, BLOOD_MEDICAL, visit.drive.unit)
    form = forms.ScreeningForm(request.POST)
    if form.is_valid():
        try:
            services.screening_record(actor=request.user, visit=visit, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã ghi kết quả khám."))
    else:
        messages.error(
            request, " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())
        )
    return redirect("blood:visit", pk=visit.pk)


@login_required
@require_POST
def visit_donation(request, pk):
    visit = selectors.visit_get(request.user, pk)
    access.require(request.user, BLOOD_CHECKIN, visit.drive.unit)
    form = forms.DonationForm(request.POST)
    if form.is_valid():
        try:
            services.donation_record(actor=request.user, visit=visit, **form.donation_fields())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("blood:visit", pk=visit.pk)
        messages.success(
            request, _("Đã ghi nhận túi máu %(b)s.") % {"b": form.cleaned_data["bag_number"].upper()}
        )
        return redirect("blood:drive_day", pk=visit.drive_id)
    messages.error(
        request, " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())
    )
    return redirect("blood:visit", pk=visit.pk)


# Donors -------------------------------------------------------------------------------------------
@login_required
def donor_list(request):
    access.require(request.user, BLOOD_VIEW)
    search = forms.CheckinSearchForm(request.GET or None)
    q = search.cleaned_data.get("q", "") if search.is_valid() else ""
    qs = selectors.donors_visible(request.user).filter(person__merged_into__isnull=True)
    if q:
        qs = qs.filter(selectors.person_filter(q))
    group = request.GET.get("nhom", "")
    if group:
        qs = qs.filter(blood_group=group)
    return render(
        request,
        "blood/donor_list.html",
        {"page": paginate(request, qs.order_by("-donation_count", "id"), lookahead=True), "search": search},
    )


@login_required
def donor_detail(request, pk):
    donor = selectors.donor_get(request.user, pk)
    user = request.user
    today = timezone.localdate()
    verdict = services.donor_next_verdict(donor, on=today)
    medical = selectors.sees_health(user, donor.unit)
    if medical:  # deferral reasons
        audit.record_read(actor=user, obj=donor, fields=["deferrals"])
    return render(
        request,
        "blood/donor_detail.html",
        {
            "donor": donor,
            "donations": paginate(request, selectors.donor_donations(donor)),
            "deferrals": selectors.donor_deferrals(donor)[:20],
            "medical": medical,
            "verdict": verdict,
            "next_date": selectors.donor_next_date(donor, verdict),
            "honours": selectors.honours_reached(donor.donation_count),
            "form": forms.DonorForm(
                initial={"blood_group": donor.blood_group, "emergency_consent": donor.emergency_consent}
            ),
            "can_edit": access.has_perm(user, BLOOD_CHECKIN, donor.unit),
        },
    )


@login_required
def donation_certificate(request, pk):
    """The certificate of one donation (PDF), for the donor's record."""
    donation = access.get_in_scope(
        request.user,
        BLOOD_VIEW,
        Donation.objects.select_related("donor__person", "unit__province", "drive"),
        pk,
    )
    response = HttpResponse(certificates.pdf(donation), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="chung-nhan-hien-mau-{donation.bag_number}.pdf"'
    return response


@login_required
@require_POST
def donor_edit(request, pk):
    donor = selectors.donor_get(request.user, pk)
    access.require(request.user, BLOOD_CHECKIN, donor.unit)
    form = forms.DonorForm(request.POST)
    if form.is_valid():
        services.donor_update(actor=request.user, donor=donor, **form.cleaned_data)
        messages.success(request, _("Đã lưu."))
    return redirect(donor)


@login_required
def rare_list(request):
    access.require(request.user, BLOOD_VIEW)
    return render(
        request, "blood/rare_list.html", {"page": paginate(request, selectors.rare_on_call(request.user))}
    )


def _year(value, today) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = today.year
    return min(max(year, 2000), today.year)


@login_required
def honours(request):
    """Who reached an honours band in a year (QĐ 122/QĐ-BCĐQG 2017), per unit: XLSX and the
    ceremony's DOCX list (Decree 30 layout), both audited; POST writes them to the awards register."""
    access.require(request.user, BLOOD_VIEW)
    today = timezone.localdate()
    year = _year(request.POST.get("nam") or request.GET.get("nam"), today)
    can_award = access.has_perm(request.user, BLOOD_MANAGE)
    award_form = forms.HonoursAwardForm(
        request.POST if request.method == "POST" else None, initial={"awarded_on": today}
    )
    if request.method == "POST":
        # The unit whose honours are written (the form names it): another unit's is refused.

        unit = Unit.objects.filter(pk=access.int_pk(request.POST.get("unit", ""))).first()
        if unit is None:
            raise Http404
        access.require(request.user, BLOOD_MANAGE, unit)
        if award_form.is_valid():
            try:
                n = services.honours_award(
                    actor=request.user, year=year, unit=unit, **award_form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(award_form, exc)
            else:
                messages.success(request, _("Đã ghi %(n)s khen thưởng vào sổ khen thưởng.") % {"n": n})
                return redirect(f"{reverse('blood:honours')}?nam={year}")
    rows = selectors.honours(request.user, year)
    fmt = request.GET.get("dinh-dang")
    if fmt in ("xlsx", "docx"):
        access.require(request.user, BLOOD_EXPORT)
    if fmt == "xlsx":
        columns = [
            ExportColumn(lambda h: h.donor.unit.name, _("Đơn vị")),
            ExportColumn(lambda h: h.donor.person.full_name, _("Họ và tên"), personal=True, width=28),
            ExportColumn(lambda h: h.donor.person.date_of_birth, _("Ngày sinh"), kind="date", personal=True),
            ExportColumn(lambda h: h.donor.person.phone, _("Điện thoại"), personal=True),
            ExportColumn(lambda h: h.band, _("Mốc tôn vinh (lần)"), kind="int"),
            ExportColumn(lambda h: h.count, _("Số lần hiến đến cuối năm"), kind="int"),
            ExportColumn(lambda h: h.donor.get_blood_group_display(), _("Nhóm máu")),
        ]
        return export_response(
            actor=request.user,
            columns=columns,
            rows=rows,
            fmt="xlsx",
            filename=f"ton-vinh-hien-mau-{year}",
            what="blood.honours",
            filters={"year": year},
            title=_("Danh sách người hiến máu đạt mốc tôn vinh năm %(y)s") % {"y": year},
        )
    if fmt == "docx":
        issuer = selectors.issuer_name(request.user)
        content = honours_doc.render(rows, year=year, issuer=issuer)
        columns = [
            ExportColumn(lambda h: h.donor.person.full_name, _("Họ và tên"), personal=True),
            ExportColumn(lambda h: h.donor.person.date_of_birth, _("Năm sinh"), personal=True),
            ExportColumn(lambda h: h.band, _("Mốc tôn vinh (lần)")),
        ]
        with transaction.atomic():
            record_export(
                actor=request.user,
                what="blood.honours",
                columns=columns,
                count=len(rows),
                filters={"year": year},
                fmt="docx",
            )
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        response["Content-Disposition"] = f'attachment; filename="ton-vinh-hien-mau-{year}.docx"'
        return response
    by_band: dict[int, int] = {}
    for h in rows:
        by_band[h.band] = by_band.get(h.band, 0) + 1
    return render(
        request,
        "blood/honours.html",
        {
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "by_band": sorted(by_band.items()),
            "page": paginate(request, rows),
            "can_export": access.has_perm(request.user, BLOOD_EXPORT),
            "award_form": award_form if can_award else None,
            "award_unit": selectors.top_unit(request.user, BLOOD_MANAGE) if can_award else None,
        },
    )


@login_required
def statistics(request):
    access.require(request.user, BLOOD_VIEW)
    today = timezone.localdate()
    try:
        year = min(max(int(request.GET.get("nam", today.year)), 2000), today.year)
    except ValueError:
        year = today.year
    if request.GET.get("dinh-dang") == "xlsx":
        # The targets workbook: fill "Chỉ tiêu" and import it back (importer blood.targets).
        columns = [
            ExportColumn(lambda r: r["code"], _("Mã đơn vị")),
            ExportColumn(lambda r: r["name"], _("Đơn vị"), width=40),
            ExportColumn(lambda r: r["year"], _("Năm"), kind="int"),
            ExportColumn(lambda r: r["target"], _("Chỉ tiêu (đơn vị máu)"), kind="int"),
            ExportColumn(lambda r: r["done"], _("Đã thu"), kind="int"),
        ]
        return export_response(
            actor=request.user,
            columns=columns,
            rows=selectors.target_sheet(request.user, year),
            fmt="xlsx",
            filename=f"chi-tieu-hien-mau-{year}",
            what="blood.targets",
            filters={"year": year},
            title=_("Chỉ tiêu hiến máu năm %(y)s") % {"y": year},
        )
    stats = selectors.statistics(request.user, year)
    targets = selectors.targets(request.user, year)
    can_set = access.scope(request.user, BLOOD_MANAGE).everything
    return render(
        request,
        "blood/statistics.html",
        {
            "stats": stats,
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "targets": targets,
            "target_form": forms.TargetForm(user=request.user) if can_set else None,
            "month_chart": charts.monthly(stats.months, year),
            "target_chart": charts.horizontal(
                [(t["unit"].name, t["done"], t["target"]) for t in targets[:30]]
            ),
            "group_chart": charts.horizontal([(g or _("Chưa biết"), n, 0) for g, n in stats.groups]),
        },
    )


@login_required
@require_POST
def target_set(request):
    """The steering committee sets a unit's yearly target (city-wide permission)."""
    access.require(request.user, BLOOD_MANAGE, everywhere=True)
    today = timezone.localdate()
    try:
        year = int(request.POST.get("nam", today.year))
    except ValueError:
        year = today.year
    form = forms.TargetForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.target_set(actor=request.user, year=year, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã lưu chỉ tiêu."))
    else:
        messages.error(request, _("Hãy chọn đơn vị và nhập chỉ tiêu."))
    return redirect(f"{reverse('blood:statistics')}?nam={year}")


@login_required
def pledge_list(request):
    access.require(request.user, BLOOD_VIEW)
    return render(
        request,
        "blood/pledge_list.html",
        {
            "page": paginate(request, selectors.pledges_visible(request.user)),
            "counts": selectors.pledge_counts(request.user),
            "purposes": dict(PledgePurpose.choices),
            "can_register": access.has_perm(request.user, BLOOD_CHECKIN),
        },
    )


@login_required
def pledge_create(request):
    access.require(request.user, BLOOD_CHECKIN)
    form = forms.PledgeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            pledge = services.pledge_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận đăng ký hiến, số thẻ %(c)s.") % {"c": pledge.code})
            return redirect(pledge)
    return render(
        request, "blood/form.html", {"form": form, "title": _("Đăng ký hiến mô, bộ phận cơ thể, hiến xác")}
    )


@login_required
def pledge_detail(request, pk):
    pledge = selectors.pledge_get(request.user, pk)
    return render(
        request,
        "blood/pledge_card.html",
        {
            "pledge": pledge,
            "consents": pledge.consents.order_by("purpose"),
            "can_withdraw": access.has_perm(request.user, BLOOD_CHECKIN, pledge.unit)
            and not pledge.withdrawn_on,
        },
    )


@login_required
@require_POST
def pledge_withdraw(request, pk):
    pledge = selectors.pledge_get(request.user, pk)
    access.require(request.user, BLOOD_CHECKIN, pledge.unit)
    try:
        services.pledge_withdraw(actor=request.user, pledge=pledge, purpose=request.POST.get("purpose", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã ghi nhận việc rút đăng ký."))
    return redirect(pledge)


# Public -------------------------------------------------------------------------------------------
# Guessing is throttled (core.throttle): a code that finds nothing (lookup, the code's page, cancel),
# a code and phone that do not match (the donor's record), a registration form refused or matching
# someone already registered.  Counted per address and per code or phone.
CODE_TRIES = throttle.Throttle("blood.code")
RECORD_TRIES = throttle.Throttle("blood.my_record")
REGISTER_TRIES = throttle.Throttle("blood.register", limit=30)  # a school's drive shares one address


def public_drives(request):
    form = forms.PublicFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    ward = data.get("xa")
    qs = selectors.public_drives(ward=ward.pk if ward else "", on=data.get("ngay"))
    return render(request, "blood/public_drives.html", {"form": form, "page": paginate(request, qs)})


def public_drive(request, pk):
    drive = selectors.public_drive(pk)
    places = selectors.slot_places(drive)
    form = forms.RegistrationForm(request.POST or None, drive=drive, places=places)
    verdict_text = ""
    phone = _phone(request.POST.get("phone", "")) or request.POST.get("phone", "")
    if request.method == "POST" and REGISTER_TRIES.locked(request, phone=phone):
        return REGISTER_TRIES.refuse(request)
    if request.method == "POST" and not form.is_valid():
        REGISTER_TRIES.fail(request, phone=phone)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data.get("website"):  # the trap field: only robots fill it
            REGISTER_TRIES.fail(request, phone=phone)
            raise Http404
        declared = None
        if data.get("last_donation"):
            declared = eligibility.Past(data.get("last_kind") or DonationKind.WHOLE, data["last_donation"])
        try:
            with audit.via("public"):
                registration, created = services.registration_create(
                    drive=drive,
                    full_name=data["full_name"],
                    date_of_birth=data["date_of_birth"],
                    sex=data["sex"],
                    phone=data["phone"],
                    cccd=data["cccd"],
                    blood_group=data["blood_group"],
                    slot=dt.time.fromisoformat(data["slot"]),
                    weight=data["weight"],
                    events=form.events(),
                    declared_last=declared,
                    reminder_consent=bool(data.get("reminders")),
                )
        except services.NotEligible as exc:
            verdict_text = exc.messages[0]
            REGISTER_TRIES.fail(request, phone=phone)
        except ValidationError as exc:
            apply_errors(form, exc)
            REGISTER_TRIES.fail(request, phone=phone)
        else:
            if not created:  # an earlier registration found: counted, it may be a probe
                REGISTER_TRIES.fail(request, phone=phone)
            if created or registration.donor.person.phone == _phone(data["phone"]):
                if not created:
                    messages.info(request, _("Bạn đã đăng ký đợt hiến máu này; đây là đăng ký của bạn."))
                return redirect("blood:public_registration", code=registration.code)
            # Matched by name and date of birth with another phone: say so, never show the code.
            form.add_error(
                None,
                _(
                    "Người này đã đăng ký đợt hiến máu này. Hãy dùng mã đăng ký đã nhận, hoặc số điện thoại đã đăng ký."
                ),
            )
    return render(
        request,
        "blood/public_drive.html",
        {"drive": drive, "form": form, "places": places, "verdict_text": verdict_text},
    )


def _phone(text: str) -> str:
    try:
        return parse_phone(text) or ""
    except CellError:
        return ""


def public_poster(request, pk):
    drive = selectors.public_drive(pk)
    url = request.build_absolute_uri(reverse("blood:public_drive", args=[drive.pk]))
    return render(request, "blood/poster.html", {"drive": drive, "qr": qrimage.svg(url, scale=8), "url": url})


def _registration_or_404(request, code) -> Registration:
    """The registration of `code`; an unknown code counts as a failed try (CODE_TRIES)."""
    registration = selectors.registration_by_code(code)
    if registration is None:
        CODE_TRIES.fail(request, code=code)
        raise Http404
    return registration


def public_registration(request, code):
    """The registrant's own page, reached with their code: no full name, no phone."""
    if CODE_TRIES.locked(request, code=code):
        return CODE_TRIES.refuse(request)
    registration = _registration_or_404(request, code)
    url = request.build_absolute_uri(reverse("blood:public_registration", args=[registration.code]))
    return render(
        request,
        "blood/public_registration.html",
        {
            "registration": registration,
            "drive": registration.drive,
            "initials": initials(registration.donor.person.full_name),
            "qr": qrimage.svg(url, scale=5, title=registration.code),
            "can_cancel": registration.status == RegistrationStatus.REGISTERED,
        },
    )


@require_POST
def public_cancel(request):
    """Cancel by the code, sent in the form (the code is the person's proof)."""
    code = request.POST.get("code", "")
    if CODE_TRIES.locked(request, code=code):
        return CODE_TRIES.refuse(request)
    registration = _registration_or_404(request, code)
    try:
        with audit.via("public"):
            services.registration_cancel(code=registration.code)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã hủy đăng ký. Cảm ơn bạn đã báo trước."))
    return redirect("blood:public_registration", code=registration.code)


def public_lookup(request):
    """Find one's registration by code (to see or cancel it)."""
    form = forms.CancelForm(request.GET or None)
    if form.is_valid():
        code = form.cleaned_data["code"]
        if CODE_TRIES.locked(request, code=code):
            return CODE_TRIES.refuse(request)
        registration = selectors.registration_by_code(code)
        if registration is not None:
            return redirect("blood:public_registration", code=registration.code)
        CODE_TRIES.fail(request, code=code)
        form.add_error("code", _("Không tìm thấy mã đăng ký này."))
    return render(request, "blood/public_lookup.html", {"form": form})


# The donor's own record ------------------------------------------------------------------------------
def my_record_lookup(request):
    """A donor reaches their record with a registration code and their phone (POST: neither goes
    into a URL or a log); both must match, and a failure says nothing of which one was wrong."""
    form = forms.MyRecordForm(request.POST or None)
    if request.method == "POST":
        code = request.POST.get("code", "")
        if RECORD_TRIES.locked(request, code=code):
            return RECORD_TRIES.refuse(request)
    if request.method == "POST" and form.is_valid():
        donor = selectors.donor_by_code_and_phone(
            form.cleaned_data["code"], _phone(form.cleaned_data["phone"])
        )
        if donor is not None:
            return redirect("blood:my_record", token=blood_messages.donor_token(donor))
        RECORD_TRIES.fail(request, code=code)
        form.add_error(None, _("Mã đăng ký và số điện thoại không khớp với một người hiến máu nào."))
    return render(request, "blood/my_record_lookup.html", {"form": form})


def _donor_of_token_or_404(token):
    pk = blood_messages.donor_of_token(token)
    donor = selectors.donor_public(pk) if pk else None
    if donor is None:
        raise Http404
    return donor


def my_record(request, token):
    """The donor's own page (the signed link is the proof): their donations, deferrals with their
    reasons (their own health data), the next date they may give, the honours reached; nobody else."""
    donor = _donor_of_token_or_404(token)
    verdict = services.donor_next_verdict(donor, on=timezone.localdate())
    response = render(
        request,
        "blood/my_record.html",
        {
            "donor": donor,
            "token": token,
            "initials": initials(donor.person.full_name),
            "donations": paginate(request, selectors.donor_donations(donor)),
            "deferrals": selectors.donor_deferrals(donor)[:20],
            "verdict": verdict,
            "honours": selectors.honours_reached(donor.donation_count),
            "drives": selectors.public_drives()[:5],
        },
    )
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def my_certificate(request, token, pk):
    donor = _donor_of_token_or_404(token)
    donation = (
        Donation.objects.select_related("donor__person", "unit__province", "drive")
        .filter(donor=donor, pk=pk)
        .first()
    )
    if donation is None:
        raise Http404
    response = HttpResponse(certificates.pdf(donation), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="chung-nhan-hien-mau-{donation.bag_number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
