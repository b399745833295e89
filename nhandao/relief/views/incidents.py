"""Incidents, their situation and field reports (thin: selectors read, services write)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.core.access import RELIEF_MANAGE, RELIEF_REPORT, RELIEF_VIEW
from nhandao.core.formatting import datetime as fmt_datetime
from nhandao.core.forms import apply_errors
from nhandao.core.money import format_number
from nhandao.core.pagination import paginate
from nhandao.org import access

from .. import selectors, sitrep_files
from .. import sitrep as sitrep_mod
from ..forms.incidents import AreaForm, FieldReportForm, IncidentEditForm, IncidentForm
from ..models import FIGURES, IncidentStatus, ReportSource
from ..services import incidents as services


@login_required
def incident_list(request):
    access.require(request.user, RELIEF_VIEW)
    status = request.GET.get("status", "")
    status = status if status in IncidentStatus.values else ""
    qs = selectors.incident_list(request.user, status=status)
    return render(
        request,
        "relief/incident_list.html",
        {
            "page": paginate(request, qs),
            "status": status,
            "statuses": IncidentStatus.choices,
            "can_manage": access.has_perm(request.user, RELIEF_MANAGE),
        },
    )


@login_required
def incident_create(request):
    access.require(request.user, RELIEF_MANAGE)
    form = IncidentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã mở sự cố."))
            return redirect(incident)
    return render(request, "relief/form.html", {"form": form, "title": _("Mở sự cố, thiên tai")})


def _place(name: str) -> str:
    """'Hội Chữ thập đỏ phường An Biên' -> 'phường An Biên': the column already says whose."""
    return name.removeprefix("Hội Chữ thập đỏ ")


def _situation_body(situation, history_base: str):
    """The situation table's body, built here rather than by the template engine: 114 communes ×
    (two sources + the combined line) × nine cells cost most of the page's time as template loops.
    Text (names, labels) is escaped; the figures are digits and dots from format_number."""

    def cells(values, strong=False):
        if strong:
            return "".join(
                f'<td class="num"><strong>{"" if v is None else format_number(v)}</strong></td>'
                for v in values
            )
        return "".join(f'<td class="num">{"" if v is None else format_number(v)}</td>' for v in values)

    combined = escape(_("Tổng hợp"))
    base = escape(history_base)
    out = []
    for row in situation.rows:
        lines = row.lines
        out.append(
            f'<tr><td class="wrap-name" rowspan="{len(lines) + 1}"><a href="{base}{int(row.commune.pk)}/">'
            f"{escape(_place(row.commune.name))}</a></td>"
        )
        for i, (label, report) in enumerate(lines):
            out.append(
                f'{"<tr>" if i else ""}<td class="wrap-name">{escape(label)}<br><small>{escape(fmt_datetime(report.reported_at))}'
                f"</small></td>{cells(report.figure_values())}</tr>\n"
            )
        out.append(
            f"{'<tr>' if lines else ''}<td><strong>{combined}</strong></td>{cells(row.total_values, strong=True)}</tr>\n"
        )
    return mark_safe("".join(out))


@login_required
def incident_detail(request, pk):
    incident = selectors.incident_get(request.user, pk)
    user = request.user
    can_manage = access.has_perm(user, RELIEF_MANAGE, incident.unit)
    situation, key = selectors.situation_cached(incident)
    # The commune history links, without reversing the URL once per commune.
    history_base = reverse("relief:area_set", args=[incident.pk])
    body_key = f"{key}:body:{get_language()}"
    body = cache.get(body_key)
    if body is None:
        body = _situation_body(situation, history_base)
        cache.set(body_key, str(body), selectors.SITUATION_CACHE_SECONDS)
    body = mark_safe(body)  # built and escaped by _situation_body
    return render(
        request,
        "relief/incident_detail.html",
        {
            "incident": incident,
            "situation": situation,
            "situation_body": body,
            "history_base": history_base,
            "figures": FIGURES,
            "sources": ReportSource.choices,
            "campaigns": incident.campaigns.select_related("unit"),
            "funds": incident.funds.select_related("unit"),
            "distributions": selectors.distributions_of_incident(user, incident),
            "can_manage": can_manage,
            "can_plan": selectors.reportable_communes(user, RELIEF_MANAGE, incident).exists(),
            "can_report": selectors.reportable_communes(user, RELIEF_REPORT, incident).exists(),
            "edit_form": IncidentEditForm(
                initial={
                    "status": incident.status,
                    "ends_on": incident.ends_on,
                    "description": incident.description,
                }
            )
            if can_manage
            else None,
            "area_form": AreaForm(user=user, incident=incident) if can_manage else None,
        },
    )


@login_required
@require_POST
def incident_edit(request, pk):
    incident = selectors.incident_get(request.user, pk)
    access.require(request.user, RELIEF_MANAGE, incident.unit)
    form = IncidentEditForm(request.POST)
    if form.is_valid():
        try:
            services.incident_update(actor=request.user, incident=incident, **form.cleaned_data)
            messages.success(request, _("Đã lưu thay đổi."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(
            request, _("Thông tin chưa hợp lệ: %(e)s") % {"e": " ".join(form.errors.get("status", []))}
        )
    return redirect(incident)


@login_required
@require_POST
def area_set(request, pk):
    incident = selectors.incident_get(request.user, pk)
    access.require(request.user, RELIEF_MANAGE, incident.unit)
    form = AreaForm(request.POST, user=request.user, incident=incident)
    if form.is_valid():
        try:
            services.affected_commune_set(actor=request.user, incident=incident, **form.cleaned_data)
            messages.success(request, _("Đã cập nhật xã bị ảnh hưởng."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Chọn xã, phường, đặc khu trong phạm vi của bạn."))
    return redirect(incident)


@login_required
def report_create(request, pk):
    incident = selectors.incident_get(request.user, pk)
    communes = selectors.reportable_communes(request.user, RELIEF_REPORT, incident)
    if not communes.exists():
        access.require(request.user, RELIEF_REPORT, incident.unit)
    form = FieldReportForm(request.POST or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report, created = services.field_report_file(
                actor=request.user,
                incident=incident,
                commune=data["commune"],
                source=data["source"],
                reported_at=data["reported_at"],
                figures=form.figures(),
                needs=form.needs(),
                note=data["note"],
                client_token=data["client_token"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if created:
                messages.success(request, _("Đã gửi báo cáo hiện trường."))
            else:
                messages.info(request, _("Báo cáo này đã được nhận trước đó; không lưu lần hai."))
            return redirect(incident)
    return render(
        request,
        "relief/report_form.html",
        {"form": form, "incident": incident, "title": _("Báo cáo hiện trường")},
    )


@login_required
def commune_history(request, pk, commune):
    incident = selectors.incident_get(request.user, pk)
    area = selectors.incident_area_get(incident, commune)
    # The figures of every affected commune are on the situation page; the history, with its
    # notes and needs as typed in the field, is for the commune's staff and the incident's owners.
    if not (
        access.has_perm(request.user, RELIEF_VIEW, area.commune)
        or access.has_perm(request.user, RELIEF_VIEW, incident.unit)
    ):
        raise Http404
    qs = selectors.commune_history(incident, area.commune_id)
    return render(
        request,
        "relief/commune_history.html",
        {"incident": incident, "area": area, "page": paginate(request, qs), "figures": FIGURES},
    )


@login_required
def incident_sitrep(request, pk):
    """The daily situation report, printable (Decree 30 layout)."""
    incident = selectors.incident_get(request.user, pk)
    return render(
        request,
        "relief/sitrep.html",
        {"report": sitrep_mod.sitrep(incident), "figures": FIGURES, "today": timezone.localdate()},
    )


@login_required
def incident_sitrep_file(request, pk, fmt):
    """The daily sitrep as a file (DOCX in the Decree 30 layout, or PDF); figures only, no names."""
    incident = selectors.incident_get(request.user, pk)
    report = sitrep_mod.sitrep(incident)
    day = report.made_at.strftime("%Y%m%d")
    if fmt == "docx":
        body = sitrep_files.docx(report)
        kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        body = sitrep_files.pdf(report)
        kind = "application/pdf"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-nhanh-{incident.pk}-{day}.{fmt}"'
    return response
