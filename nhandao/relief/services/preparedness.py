"""Every write of preparedness (teams, hazard-prone communes, drills, the season's readiness
check) and of deployments.  Each write is checked with org.access, audited, in a transaction.

Hours worked on a deployment go to the volunteer's record through the people app's
`hours_log` (the one home of volunteer hours); the deployment keeps only the link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import RELIEF_MANAGE, RELIEF_REPORT
from nhandao.org import access
from nhandao.org.models import Unit, UnitKind
from nhandao.people.models import Club, Person
from nhandao.people.selectors import visible_people
from nhandao.people.services.activities import hours_log

from ..models import (
    READINESS_CODES,
    TEAM_KINDS,
    AffectedCommune,
    Capability,
    Deployed,
    Deployment,
    DeploymentHours,
    Drill,
    HazardArea,
    Incident,
    IncidentKind,
    ReadinessCheck,
    ResponseTeam,
)
from ._common import need_date, required_text, text, user_or_none


def _clean_choices(values: Iterable[str], allowed, field: str, message: str) -> list[str]:
    values = list(dict.fromkeys(v for v in (values or []) if v))
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ValidationError({field: message % {"v": ", ".join(bad)}})
    return values


def _commune(unit: Unit, field: str = "commune") -> None:
    if unit.kind != UnitKind.COMMUNE:
        raise ValidationError(
            {field: _("“%(u)s” không phải Hội cấp xã, phường, đặc khu.") % {"u": unit.name}}
        )


# Teams ---------------------------------------------------------------------------------------------
@transaction.atomic
def team_create(*, actor, club: Club, capabilities: Iterable[str] = (), note: str = "") -> ResponseTeam:
    """Make a team of the people registry (an Đội xung kích, sơ cấp cứu, ứng phó thảm họa) a response team."""
    access.require(actor, RELIEF_MANAGE, club.unit, needs_unit=True)
    if club.kind not in TEAM_KINDS:
        raise ValidationError(
            {"club": _("“%(c)s” là câu lạc bộ, không phải đội ứng phó.") % {"c": club.name}}
        )
    if club.dissolved_on is not None:
        raise ValidationError({"club": _("Đội “%(c)s” đã giải thể.") % {"c": club.name}})
    if ResponseTeam.objects.filter(club=club).exists():
        raise ValidationError({"club": _("Đội “%(c)s” đã là đội ứng phó.") % {"c": club.name}})
    capabilities = _clean_choices(
        capabilities, Capability.values, "capabilities", _("Năng lực không hợp lệ: %(v)s.")
    )
    if not capabilities:
        raise ValidationError({"capabilities": _("Hãy chọn ít nhất một năng lực của đội.")})
    team = ResponseTeam.objects.create(
        unit=club.unit, club=club, capabilities=capabilities, note=text(note, 300)
    )
    audit.record(actor=actor, action="relief.team.created", obj=team, changes=audit.created(team))
    return team


# Hazard-prone communes -----------------------------------------------------------------------------
@transaction.atomic
def hazard_area_set(
    *, actor, commune: Unit, hazards: Iterable[str], households_at_risk: int | None = None, places: str = ""
) -> HazardArea:
    access.require(actor, RELIEF_MANAGE, commune, needs_unit=True)
    _commune(commune)
    hazards = _clean_choices(
        hazards, IncidentKind.values, "hazards", _("Loại thiên tai không hợp lệ: %(v)s.")
    )
    if not hazards:
        raise ValidationError({"hazards": _("Hãy chọn ít nhất một loại thiên tai.")})
    if households_at_risk is not None and households_at_risk < 0:
        raise ValidationError({"households_at_risk": _("Số hộ có nguy cơ không được âm.")})
    area = HazardArea.objects.select_for_update().filter(commune=commune).first()
    before = audit.snapshot(area) if area is not None else None
    if area is None:
        area = HazardArea(commune=commune)
    area.hazards, area.households_at_risk, area.places = hazards, households_at_risk, text(places, 300)
    area.save()
    audit.record(
        actor=actor,
        action="relief.hazard_area.set",
        obj=area,
        changes=audit.created(area) if before is None else audit.diff(before, audit.snapshot(area)),
    )
    return area


# Drills ----------------------------------------------------------------------------------------------
@transaction.atomic
def drill_record(
    *,
    actor,
    unit: Unit,
    held_on: dt.date | None,
    scenario: str,
    participants: int = 0,
    team: ResponseTeam | None = None,
    note: str = "",
) -> Drill:
    access.require(actor, RELIEF_MANAGE, unit, needs_unit=True)
    need_date(held_on, "held_on")
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Ngày diễn tập ở tương lai: chỉ ghi buổi đã tổ chức.")})
    scenario = required_text(scenario, 200, "scenario", _("Hãy nhập tình huống diễn tập."))
    if participants is None or participants < 0:
        raise ValidationError({"participants": _("Số người tham gia không được âm.")})
    if team is not None and not access.has_perm(actor, RELIEF_MANAGE, team.unit) and actor is not None:
        raise ValidationError({"team": _("Đội không thuộc đơn vị bạn quản lý.")})
    drill = Drill.objects.create(
        unit=unit,
        team=team,
        held_on=held_on,
        scenario=scenario,
        participants=participants,
        note=text(note, 500),
        recorded_by=user_or_none(actor),
    )
    audit.record(actor=actor, action="relief.drill.recorded", obj=drill, changes=audit.created(drill))
    return drill


# The season's readiness check ------------------------------------------------------------------------
@transaction.atomic
def readiness_set(
    *, actor, commune: Unit, season: int, items: Iterable[str], checked_on: dt.date | None, note: str = ""
) -> ReadinessCheck:
    """The commune's checklist before the typhoon season (June–November of `season`): the items
    ticked are ready.  One check per commune and season; a new save replaces the ticks (audited)."""
    access.require(actor, RELIEF_REPORT, commune, needs_unit=True)
    _commune(commune)
    need_date(checked_on, "checked_on")
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": _("Ngày rà soát ở tương lai.")})
    if not 2000 <= season <= checked_on.year + 1:
        raise ValidationError({"season": _("Năm của mùa mưa bão không hợp lệ.")})
    ticked = _clean_choices(items, READINESS_CODES, "items", _("Nội dung rà soát không hợp lệ: %(v)s."))
    check = ReadinessCheck.objects.select_for_update().filter(commune=commune, season=season).first()
    before = audit.snapshot(check) if check is not None else None
    if check is None:
        check = ReadinessCheck(commune=commune, season=season)
    check.items = {code: code in ticked for code in READINESS_CODES}
    check.checked_on, check.note, check.checked_by = checked_on, text(note, 500), user_or_none(actor)
    check.save()
    audit.record(
        actor=actor,
        action="relief.readiness.set",
        obj=check,
        changes=audit.created(check) if before is None else audit.diff(before, audit.snapshot(check)),
    )
    return check


# Deployments -----------------------------------------------------------------------------------------
@transaction.atomic
def deployment_create(
    *,
    actor,
    incident: Incident,
    unit: Unit,
    commune: Unit,
    task: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None = None,
    team: ResponseTeam | None = None,
    people: Iterable[Person] = (),
) -> Deployment:
    """Send a team and/or volunteers to one of the incident's communes.  With a team and no people
    named, the team's current members go."""
    access.require(actor, RELIEF_MANAGE, unit, needs_unit=True)
    if not AffectedCommune.objects.filter(incident=incident, commune=commune).exists():
        raise ValidationError(
            {"commune": _("“%(c)s” không thuộc vùng bị ảnh hưởng của sự cố.") % {"c": commune.name}}
        )
    task = required_text(task, 300, "task", _("Hãy nhập nhiệm vụ."))
    need_date(starts_on, "starts_on")
    if starts_on < incident.starts_on:
        raise ValidationError({"starts_on": _("Ngày điều động trước ngày bắt đầu sự cố.")})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc trước ngày bắt đầu.")})
    if team is not None and actor is not None and not access.has_perm(actor, RELIEF_MANAGE, team.unit):
        raise ValidationError({"team": _("Đội không thuộc đơn vị bạn quản lý.")})
    people = list(people)
    if not people and team is not None:
        people = list(
            Person.objects.filter(club_memberships__club=team.club_id, club_memberships__left_on__isnull=True)
        )
    if not people:
        raise ValidationError({"people": _("Hãy chọn đội hoặc ít nhất một tình nguyện viên.")})
    if actor is not None:
        visible = set(
            visible_people(actor).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True)
        )
        for i, person in enumerate(people, start=1):
            if person.pk not in visible:
                raise ValidationError(
                    {"people": _("Dòng %(i)d: không tìm thấy người này trong phạm vi của bạn.") % {"i": i}}
                )
    deployment = Deployment.objects.create(
        incident=incident,
        unit=unit,
        commune=commune,
        team=team,
        task=task,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=user_or_none(actor),
    )
    Deployed.objects.bulk_create(
        [Deployed(deployment=deployment, person=p) for p in {p.pk: p for p in people}.values()]
    )
    audit.record(
        actor=actor,
        action="relief.deployment.created",
        obj=deployment,
        changes=audit.created(deployment),
        data={"people": sorted(p.pk for p in people)},
    )
    return deployment


@dataclass(frozen=True)
class HoursLine:
    member: Deployed
    date: dt.date | None
    hours: object


@transaction.atomic
def deployment_hours_log(
    *, actor, deployment: Deployment, lines: Iterable[HoursLine]
) -> list[DeploymentHours]:
    """Write the hours of a deployment into each volunteer's record (people.hours_log), all or
    nothing: a bad line refuses every line, naming the person."""
    access.require(actor, RELIEF_MANAGE, deployment.unit, needs_unit=True)
    activity = _("Ứng phó %(i)s tại %(c)s") % {"i": deployment.incident.name, "c": deployment.commune.name}
    out = []
    for line in lines:
        member = line.member
        name = member.person.full_name
        if member.deployment_id != deployment.pk:
            raise ValidationError({"hours": _("%(n)s không có trong đợt điều động này.") % {"n": name}})
        if line.date is None:
            raise ValidationError({"hours": _("%(n)s: hãy nhập ngày (dd/mm/yyyy).") % {"n": name}})
        if line.date < deployment.starts_on or (deployment.ends_on and line.date > deployment.ends_on):
            raise ValidationError({"hours": _("%(n)s: ngày nằm ngoài thời gian điều động.") % {"n": name}})
        try:
            entry = hours_log(
                actor=actor, person=member.person, date=line.date, hours=line.hours, activity=activity
            )
        except ValidationError as exc:
            raise ValidationError({"hours": f"{name}: " + "; ".join(exc.messages)}) from None
        link = DeploymentHours.objects.create(member=member, entry=entry)
        out.append(link)
    if not out:
        raise ValidationError({"hours": _("Chưa có dòng giờ nào.")})
    audit.record(
        actor=actor,
        action="relief.deployment.hours_logged",
        obj=deployment,
        data={"entries": [link.entry_id for link in out]},
    )
    return out
