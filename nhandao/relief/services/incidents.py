"""Every write to incidents and field reports."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import RELIEF_MANAGE, RELIEF_REPORT
from nhandao.org import access
from nhandao.org.models import Unit, UnitKind

from ..models import (
    FIGURE_NAMES,
    FIGURES,
    HOUSEHOLD_FIGURES,
    PEOPLE_FIGURES,
    AffectedCommune,
    FieldReport,
    Incident,
    IncidentKind,
    IncidentStatus,
    ReportSource,
    Sector,
)
from ._common import need_date, required_text, text, user_or_none

# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = dt.timedelta(minutes=10)


def _check_communes(unit: Unit, communes) -> list[Unit]:
    communes = list(dict.fromkeys(communes))
    for commune in communes:
        if commune.kind != UnitKind.COMMUNE:
            raise ValidationError(
                {"communes": _("“%(u)s” không phải cấp xã, phường, đặc khu.") % {"u": commune}}
            )
        if not commune.path.startswith(unit.path):
            raise ValidationError(
                {"communes": _("%(c)s không thuộc phạm vi của %(u)s.") % {"c": commune.name, "u": unit.name}}
            )
    return communes


@transaction.atomic
def incident_create(
    *,
    actor,
    unit: Unit,
    kind: str,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    communes=(),
    description: str = "",
    campaigns=(),
    funds=(),
    is_demo: bool = False,
) -> Incident:
    """Open an incident of `unit` (the city or a commune) over its affected communes."""
    access.require(actor, RELIEF_MANAGE, unit, needs_unit=True)
    if kind not in IncidentKind.values:
        raise ValidationError({"kind": _("Chọn loại sự cố.")})
    name = required_text(name, 200, "name", _("Hãy nhập tên sự cố (ví dụ: Bão số 3 – Yagi)."))
    need_date(starts_on, "starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    communes = _check_communes(unit, communes)
    if not communes and unit.kind == UnitKind.COMMUNE:
        communes = [unit]
    incident = Incident.objects.create(
        unit=unit,
        kind=kind,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        description=text(description, 4000),
        is_demo=is_demo,
        created_by=user_or_none(actor),
    )
    AffectedCommune.objects.bulk_create([AffectedCommune(incident=incident, commune=c) for c in communes])
    _link(incident, unit, campaigns, funds)
    audit.record(
        actor=actor,
        action="relief.incident.opened",
        obj=incident,
        changes=audit.created(incident),
        data={"communes": [c.pk for c in communes]},
    )
    return incident


def _link(incident: Incident, unit: Unit, campaigns, funds) -> None:
    """Appeals and funds financing the response: the opening unit's own or those of the units above."""
    for field, items in (("campaigns", list(campaigns)), ("funds", list(funds))):
        for obj in items:
            if not unit.path.startswith(obj.unit.path):
                raise ValidationError(
                    {field: _("“%(o)s” không thuộc đơn vị này hoặc cấp trên.") % {"o": obj}}
                )
        getattr(incident, field).set(items)


@transaction.atomic
def incident_update(
    *,
    actor,
    incident: Incident,
    status: str,
    ends_on: dt.date | None = None,
    description: str | None = None,
    campaigns=None,
    funds=None,
) -> Incident:
    incident = Incident.objects.select_for_update().select_related("unit").get(pk=incident.pk)
    access.require(actor, RELIEF_MANAGE, incident.unit, needs_unit=True)
    if status not in IncidentStatus.values:
        raise ValidationError({"status": _("Chọn trạng thái.")})
    if ends_on is not None and ends_on < incident.starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    before = audit.snapshot(incident)
    incident.status = status
    incident.ends_on = ends_on
    if description is not None:
        incident.description = text(description, 4000)
    incident.save()
    if campaigns is not None or funds is not None:
        _link(
            incident,
            incident.unit,
            incident.campaigns.all() if campaigns is None else campaigns,
            incident.funds.all() if funds is None else funds,
        )
    audit.record(
        actor=actor,
        action="relief.incident.updated",
        obj=incident,
        changes=audit.diff(before, audit.snapshot(incident)),
    )
    return incident


@transaction.atomic
def affected_commune_set(
    *, actor, incident: Incident, commune: Unit, residents: int | None = None, households: int | None = None
) -> AffectedCommune:
    """Add a commune to the incident, or set its residents and households (they bound the figures)."""
    access.require(actor, RELIEF_MANAGE, incident.unit, needs_unit=True)
    _check_communes(incident.unit, [commune])
    for field, value in (("residents", residents), ("households", households)):
        if value is not None and value < 0:
            raise ValidationError({field: _("Số liệu không được âm.")})
    area, created = AffectedCommune.objects.get_or_create(incident=incident, commune=commune)
    before = audit.snapshot(area)
    area.residents, area.households = residents, households
    area.save()
    audit.record(
        actor=actor,
        action="relief.area.set",
        obj=area,
        changes=audit.created(area) if created else audit.diff(before, audit.snapshot(area)),
    )
    return area


def _check_figures(figures: dict, area: AffectedCommune) -> dict[str, int | None]:
    labels = dict(FIGURES)
    clean: dict[str, int | None] = {}
    errors: dict[str, list[str]] = {}
    for name in FIGURE_NAMES:
        value = figures.get(name)
        if value in (None, ""):
            clean[name] = None
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            errors.setdefault(name, []).append(
                _("%(f)s: “%(v)s” không phải số nguyên.") % {"f": labels[name], "v": value}
            )
            continue
        if value < 0:
            errors.setdefault(name, []).append(
                _("%(f)s không thể âm (đã nhập %(v)s).") % {"f": labels[name], "v": value}
            )
            continue
        clean[name] = value
    if area.residents is not None:
        for name in PEOPLE_FIGURES:
            if clean.get(name) is not None and clean[name] > area.residents:
                errors.setdefault(name, []).append(
                    _("%(f)s (%(v)s) nhiều hơn số dân của %(c)s (%(r)s): số liệu không thể đúng.")
                    % {"f": labels[name], "v": clean[name], "c": area.commune.name, "r": area.residents}
                )
    if area.households is not None:
        for name in HOUSEHOLD_FIGURES:
            if clean.get(name) is not None and clean[name] > area.households:
                errors.setdefault(name, []).append(
                    _("%(f)s (%(v)s) nhiều hơn số hộ của %(c)s (%(h)s): số liệu không thể đúng.")
                    % {"f": labels[name], "v": clean[name], "c": area.commune.name, "h": area.households}
                )
    if errors:
        raise ValidationError(errors)
    return clean


def field_report_file(
    *,
    actor,
    incident: Incident,
    commune: Unit,
    source: str,
    reported_at: dt.datetime | None = None,
    figures: dict | None = None,
    needs: dict | None = None,
    note: str = "",
    client_token: str = "",
) -> tuple[FieldReport, bool]:
    """Store one field report; (report, created).

    The same `client_token` sent again (a phone retrying on a weak connection) returns the report
    stored the first time and writes nothing, also when the two sends race.
    """
    access.require(actor, RELIEF_REPORT, commune, needs_unit=True)
    token = (client_token or "").strip()[:64]
    if token:
        earlier = FieldReport.objects.filter(client_token=token).first()
        if earlier is not None:
            return _same_report(earlier, incident, commune), False
    try:
        with transaction.atomic():
            return _file(actor, incident, commune, source, reported_at, figures, needs, note, token), True
    except IntegrityError:
        earlier = FieldReport.objects.filter(client_token=token).first() if token else None
        if earlier is None:
            raise
        return _same_report(earlier, incident, commune), False


def _same_report(earlier: FieldReport, incident: Incident, commune: Unit) -> FieldReport:
    if earlier.incident_id != incident.pk or earlier.commune_id != commune.pk:
        raise ValidationError(_("Mã gửi báo cáo này đã dùng cho một báo cáo khác; hãy mở lại biểu mẫu."))
    return earlier


def _file(actor, incident, commune, source, reported_at, figures, needs, note, token) -> FieldReport:
    access.require(actor, RELIEF_REPORT, commune, needs_unit=True)
    area = (
        AffectedCommune.objects.select_related("commune").filter(incident=incident, commune=commune).first()
    )
    if area is None:
        raise ValidationError(
            {
                "commune": _("%(c)s chưa có trong danh sách xã bị ảnh hưởng của sự cố này.")
                % {"c": commune.name}
            }
        )
    if incident.status == IncidentStatus.CLOSED:
        raise ValidationError(_("Sự cố đã kết thúc; không nhận thêm báo cáo."))
    if source not in ReportSource.values:
        raise ValidationError({"source": _("Chọn nguồn số liệu.")})
    now = timezone.now()
    reported_at = reported_at or now
    if reported_at > now + CLOCK_SKEW:
        raise ValidationError({"reported_at": _("Thời điểm số liệu không được ở tương lai.")})
    if timezone.localdate(reported_at) < incident.starts_on - dt.timedelta(days=7):
        raise ValidationError({"reported_at": _("Thời điểm số liệu trước khi sự cố bắt đầu.")})
    clean = _check_figures(figures or {}, area)
    clean_needs = {}
    for sector, value in (needs or {}).items():
        if sector not in Sector.values:
            raise ValidationError({"needs": _("Lĩnh vực “%(s)s” không hợp lệ.") % {"s": sector}})
        value = text(value, 500)
        if value:
            clean_needs[sector] = value
    if all(v is None for v in clean.values()) and not clean_needs and not text(note, 10):
        raise ValidationError(_("Báo cáo trống: hãy nhập ít nhất một số liệu, nhu cầu hoặc ghi chú."))
    report = FieldReport.objects.create(
        incident=incident,
        commune=commune,
        source=source,
        reported_at=reported_at,
        needs=clean_needs,
        note=text(note, 2000),
        client_token=token,
        recorded_by=user_or_none(actor),
        **clean,
    )
    audit.record(actor=actor, action="relief.report.filed", obj=report, changes=audit.created(report))
    return report
