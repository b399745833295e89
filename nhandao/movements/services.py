"""Every write of the movements app: movements and targets, emulation criteria and scores, frozen
rankings, commendation proposals (to the awards registers), good practice models and adoptions.

Each function checks the actor's permission on the unit concerned (actor None: the system itself,
the seed or an import after its own check), validates with Vietnamese messages naming the field,
writes in one transaction and records an audit event.
"""

from __future__ import annotations

import datetime as dt
import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from nhandao.core import audit, indicators
from nhandao.core.access import MOVEMENTS_DECIDE, MOVEMENTS_MANAGE, MOVEMENTS_PROPOSE, PEOPLE_VIEW
from nhandao.core.formatting import date as fmt_date
from nhandao.core.formatting import quantity
from nhandao.core.text import clean_spaces
from nhandao.org import access
from nhandao.org.models import Unit, UnitKind
from nhandao.people import services as people_services
from nhandao.people.choices import AwardLevel
from nhandao.people.models import Person

from . import results
from .models import (
    Adoption,
    Criterion,
    ManualScore,
    Movement,
    MovementIndicator,
    MovementKind,
    PeerGroup,
    PracticeFigure,
    PracticeFile,
    PracticeModel,
    Proposal,
    ProposalItem,
    ProposalLevel,
    ProposalStatus,
    Ranking,
    RankingEntry,
    Scheme,
    Target,
    TargetMethod,
    UnitAward,
    UnitProfile,
)

CODE_PREFIX = {
    MovementKind.TET: "TNA",
    MovementKind.MONTH: "TND",
    MovementKind.ADDRESS: "DCND",
    MovementKind.GOOD_DEEDS: "NTVT",
    MovementKind.BLOOD: "HMTN",
    MovementKind.OTHER: "PT",
}
MAX_UPLOAD = 10 * 1024 * 1024
MAX_MANUAL_POINTS = 100
# The people app's award levels of the three commendation levels a proposal goes to.
AWARD_LEVEL = {
    ProposalLevel.CENTRAL: AwardLevel.NATIONAL_SOCIETY,
    ProposalLevel.CITY_COMMITTEE: AwardLevel.CITY,
    ProposalLevel.CITY_SOCIETY: AwardLevel.CITY,
}


def _today() -> dt.date:
    return timezone.localdate()


def _check_codes(codes: list[str], field: str) -> None:
    unknown = [c for c in codes if indicators.get(c) is None]
    if unknown:
        raise ValidationError({field: _("Không có chỉ tiêu %(c)s.") % {"c": ", ".join(unknown)}})


# Movements and targets -------------------------------------------------------------------------
@transaction.atomic
def movement_create(
    *,
    actor,
    unit: Unit,
    kind: str,
    year: int,
    name: str,
    indicator_codes: list[str],
    theme: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Movement:
    """Launch a movement.  Without dates the period follows the movement (Tết Nhân ái: from 45
    days before Tết to mùng 10, by the Vietnamese lunar calendar; Tháng Nhân đạo: May)."""
    access.require(actor, MOVEMENTS_MANAGE, unit, needs_unit=True)
    if not indicator_codes:
        raise ValidationError({"indicator_codes": _("Chọn ít nhất một chỉ tiêu.")})
    _check_codes(indicator_codes, "indicator_codes")
    default_start, default_end = results.default_period(kind, year)
    prefix = CODE_PREFIX.get(kind, "PT")
    code = (
        f"{prefix}-{year}"
        if unit.parent_id is None or unit.kind == UnitKind.PROVINCE
        else f"{prefix}-{year}-{unit.code}"
    )
    if Movement.objects.filter(unit=unit, kind=kind, year=year).exists():
        raise ValidationError(
            {"year": _("Đơn vị đã phát động phong trào này trong năm %(y)s.") % {"y": year}}
        )
    movement = Movement(
        unit=unit,
        kind=kind,
        year=year,
        name=clean_spaces(name),
        theme=clean_spaces(theme),
        code=code[:30],
        starts_on=starts_on or default_start,
        ends_on=ends_on or default_end,
    )
    movement.full_clean()
    movement.save()
    MovementIndicator.objects.bulk_create(
        [
            MovementIndicator(movement=movement, code=c, order=i)
            for i, c in enumerate(dict.fromkeys(indicator_codes))
        ]
    )
    audit.record(
        actor=actor,
        action="movements.movement.created",
        obj=movement,
        changes=audit.created(movement),
        data={"indicators": list(indicator_codes)},
    )
    return movement


def target_units(movement: Movement, on: dt.date | None = None):
    """The commune-level societies of the movement's unit that may receive a target."""
    on = on or max(movement.starts_on, min(movement.ends_on, _today()))
    return Unit.objects.filter(path__startswith=movement.unit.path, kind=UnitKind.COMMUNE).exclude(
        pk=movement.unit_id
    )


def check_target(movement: Movement, unit: Unit | None, indicator: str, value) -> dict[str, str]:
    """The problems of one target, by field (shared by the form, the formula and the import)."""
    errors: dict[str, str] = {}
    codes = set(movement.indicators.values_list("code", flat=True))
    if unit is None:
        errors["unit"] = _("Không có đơn vị này.")
    elif (
        not unit.path.startswith(movement.unit.path)
        or unit.pk == movement.unit_id
        or unit.kind != UnitKind.COMMUNE
    ):
        errors["unit"] = _("%(u)s không phải Hội CTĐ cấp xã thuộc %(m)s.") % {"u": unit, "m": movement.unit}
    elif not unit.is_active(max(movement.starts_on, min(movement.ends_on, _today()))) and not unit.is_active(
        movement.starts_on
    ):
        errors["unit"] = _("%(u)s đã giải thể hoặc sáp nhập: không giao chỉ tiêu cho đơn vị đã đóng.") % {
            "u": unit
        }
    if indicator not in codes:
        errors["indicator"] = _("Chỉ tiêu %(c)s không thuộc phong trào này.") % {"c": indicator}
    if value is None:
        errors["value"] = _("Cần ghi chỉ tiêu giao.")
    elif value < 0:
        errors["value"] = _("Chỉ tiêu giao không được âm (%(v)s).") % {"v": value}
    return errors


def _put_target(movement, unit, indicator, value, method) -> tuple[Target, int | None]:
    target = Target.objects.filter(movement=movement, unit=unit, indicator=indicator).first()
    before = target.value if target else None
    if target is None:
        target = Target(movement=movement, unit=unit, indicator=indicator)
    target.value, target.method = value, method
    target.save()
    return target, before


@transaction.atomic
def target_set(*, actor, movement: Movement, unit: Unit, indicator: str, value: int) -> Target:
    access.require(actor, MOVEMENTS_MANAGE, movement.unit, needs_unit=True)
    errors = check_target(movement, unit, indicator, value)
    if errors:
        raise ValidationError(errors)
    target, before = _put_target(movement, unit, indicator, value, TargetMethod.HAND)
    audit.record(
        actor=actor,
        action="movements.target.set",
        obj=target,
        changes={"value": {"old": before, "new": value}},
        data={"movement": movement.pk, "indicator": indicator},
    )
    return target


@transaction.atomic
def targets_by_formula(
    *,
    actor,
    movement: Movement,
    indicator: str,
    basis: str,
    total: int | None = None,
    growth_percent: int = 0,
    minimum: int = 0,
) -> int:
    """Targets of every active commune for one indicator: `basis` "population" shares `total` in
    proportion to population; "last_year" takes last year's result plus `growth_percent` (rounded
    up), never below `minimum`.  All or nothing; returns how many targets were written."""
    access.require(actor, MOVEMENTS_MANAGE, movement.unit, needs_unit=True)
    if indicator not in set(movement.indicators.values_list("code", flat=True)):
        raise ValidationError(
            {"indicator": _("Chỉ tiêu %(c)s không thuộc phong trào này.") % {"c": indicator}}
        )
    if minimum < 0 or growth_percent < -100:
        raise ValidationError({"minimum": _("Mức tối thiểu không được âm, mức tăng không dưới -100%.")})
    units = list(target_units(movement).active(movement.starts_on).order_by("path"))
    if not units:
        raise ValidationError(
            {"indicator": _("Không có Hội CTĐ cấp xã nào đang hoạt động để giao chỉ tiêu.")}
        )
    values: dict[int, int] = {}
    if basis == "population":
        if not total or total < 0:
            raise ValidationError({"total": _("Cần ghi tổng chỉ tiêu (số dương) để chia theo dân số.")})
        population = dict(
            UnitProfile.objects.filter(unit__in=units, population__gt=0).values_list("unit_id", "population")
        )
        missing = [str(u) for u in units if u.pk not in population]
        if missing:
            raise ValidationError(
                {
                    "basis": _("Chưa có dân số của: %(u)s.")
                    % {"u": ", ".join(missing[:10]) + ("…" if len(missing) > 10 else "")}
                }
            )
        people = sum(population.values())
        for u in units:
            values[u.pk] = max(minimum, math.ceil(total * population[u.pk] / people))
    elif basis == "last_year":
        start, end = results.previous_period(movement.kind, movement.starts_on, movement.ends_on)
        before = indicators.compute_for(indicator, units, start, end)
        for u in units:
            values[u.pk] = max(minimum, math.ceil(before[u.pk] * (100 + growth_percent) / 100))
    else:
        raise ValidationError({"basis": _("Chọn cách tính: theo dân số hoặc theo kết quả năm trước.")})
    written = []
    for u in units:
        target, old = _put_target(movement, u, indicator, values[u.pk], TargetMethod.FORMULA)
        written.append(target)
    audit.record(
        actor=actor,
        action="movements.target.formula",
        obj=movement,
        data={
            "indicator": indicator,
            "basis": basis,
            "total": total,
            "growth": growth_percent,
            "targets": len(written),
        },
    )
    return len(written)


# Unit profiles ---------------------------------------------------------------------------------
def check_profile(unit: Unit, peer_group: str, population, *, allow_closed: bool = False) -> dict[str, str]:
    """The problems of one unit's peer group and population, by field (shared by the page and the
    import): a closed unit, a unit that does not compete, an unknown group, a negative population."""
    errors: dict[str, str] = {}
    if not allow_closed and not unit.is_active():
        errors["unit"] = _("Đơn vị %(u)s đã giải thể hoặc sáp nhập, không sửa được.") % {"u": unit}
    elif not results.competes(unit):
        errors["unit"] = _(
            "Đơn vị %(u)s không thuộc khối thi đua nào (chỉ Hội CTĐ cấp xã, chi hội "
            "trường học, chi hội doanh nghiệp)."
        ) % {"u": unit}
    if peer_group and peer_group not in PeerGroup.values:
        errors["peer_group"] = _("Không có khối thi đua “%(g)s”.") % {"g": peer_group}
    if population is not None and (isinstance(population, bool) or not isinstance(population, int)):
        errors["population"] = _("Dân số phải là số nguyên.")
    elif population is not None and population < 0:
        errors["population"] = _("Dân số không được âm.")
    return errors


@transaction.atomic
def unit_profile_set(
    *,
    actor,
    unit: Unit,
    peer_group: str = "",
    population: int | None = None,
    allow_closed: bool = False,
) -> UnitProfile:
    """The peer group and population of a unit: set from above (a unit does not pick its own rivals).

    A peer group equal to the one the tree gives is stored blank, so that the unit follows the tree
    if it changes.  `allow_closed` is for the seed, which records the population of the communes the
    2025 reform closed (last year's movements still share targets among them)."""
    access.require(actor, MOVEMENTS_MANAGE, unit.parent or unit, needs_unit=True)
    errors = check_profile(unit, peer_group, population, allow_closed=allow_closed)
    if errors:
        raise ValidationError(errors)
    if peer_group == results.default_peer_group(unit):
        peer_group = ""
    profile, _created = UnitProfile.objects.select_for_update().get_or_create(unit=unit)
    before = audit.snapshot(profile, ["peer_group", "population"])
    profile.peer_group, profile.population = peer_group, population
    profile.full_clean()
    profile.save()
    changes = audit.diff(before, audit.snapshot(profile, ["peer_group", "population"]))
    if changes or _created:
        audit.record(actor=actor, action="movements.profile.set", obj=profile, changes=changes)
    return profile


# Emulation -------------------------------------------------------------------------------------
def _clean_criteria(criteria: list[tuple[str, int]]) -> list[tuple[str, int]]:
    if not criteria:
        raise ValidationError({"criteria": _("Cần ít nhất một tiêu chí.")})
    codes = [c for c, _w in criteria]
    _check_codes(codes, "criteria")
    if len(set(codes)) != len(codes):
        raise ValidationError({"criteria": _("Một chỉ tiêu chỉ được chọn một lần.")})
    for code, weight in criteria:
        if weight is None or weight <= 0:
            raise ValidationError(
                {"criteria": _("Trọng số của %(c)s phải là số dương.") % {"c": indicators.get(code).label}}
            )
    total = sum(w for _c, w in criteria)
    if total != 100:
        raise ValidationError({"criteria": _("Tổng trọng số phải bằng 100 (hiện là %(t)s).") % {"t": total}})
    return criteria


@transaction.atomic
def scheme_create(*, actor, unit: Unit, year: int, name: str, criteria: list[tuple[str, int]]) -> Scheme:
    access.require(actor, MOVEMENTS_MANAGE, unit, needs_unit=True)
    criteria = _clean_criteria(criteria)
    if Scheme.objects.filter(unit=unit, year=year).exists():
        raise ValidationError({"year": _("Đơn vị đã có tiêu chí thi đua năm %(y)s.") % {"y": year}})
    scheme = Scheme(
        unit=unit,
        year=year,
        name=clean_spaces(name),
        starts_on=dt.date(year, 1, 1),
        ends_on=dt.date(year, 12, 31),
    )
    scheme.full_clean()
    scheme.save()
    Criterion.objects.bulk_create(
        [Criterion(scheme=scheme, indicator=c, weight=w, order=i) for i, (c, w) in enumerate(criteria)]
    )
    audit.record(
        actor=actor,
        action="movements.scheme.created",
        obj=scheme,
        changes=audit.created(scheme),
        data={"criteria": criteria},
    )
    return scheme


@transaction.atomic
def scheme_criteria_set(*, actor, scheme: Scheme, criteria: list[tuple[str, int]]) -> Scheme:
    access.require(actor, MOVEMENTS_MANAGE, scheme.unit, needs_unit=True)
    criteria = _clean_criteria(criteria)
    before = list(scheme.criteria.values_list("indicator", "weight"))
    scheme.criteria.all().delete()
    Criterion.objects.bulk_create(
        [Criterion(scheme=scheme, indicator=c, weight=w, order=i) for i, (c, w) in enumerate(criteria)]
    )
    audit.record(
        actor=actor,
        action="movements.scheme.criteria",
        obj=scheme,
        changes={"criteria": {"old": before, "new": criteria}},
    )
    return scheme


@transaction.atomic
def manual_score_add(*, actor, scheme: Scheme, unit: Unit, points: int, reason: str) -> ManualScore:
    access.require(actor, MOVEMENTS_MANAGE, scheme.unit, needs_unit=True)
    reason = clean_spaces(reason)
    errors = {}
    if not unit.path.startswith(scheme.unit.path) or unit.pk == scheme.unit_id:
        errors["unit"] = _("%(u)s không thuộc %(s)s.") % {"u": unit, "s": scheme.unit}
    if points is None or points == 0 or abs(points) > MAX_MANUAL_POINTS:
        errors["points"] = _("Điểm cộng, trừ phải khác 0 và trong khoảng -100 đến 100.")
    if not reason:
        errors["reason"] = _("Cần ghi lý do cộng, trừ điểm.")
    if errors:
        raise ValidationError(errors)
    score = ManualScore.objects.create(
        scheme=scheme,
        unit=unit,
        points=points,
        reason=reason,
        given_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        actor=actor,
        action="movements.score.added",
        obj=score,
        changes=audit.created(score),
        data={"scheme": scheme.pk},
    )
    return score


@transaction.atomic
def ranking_freeze(*, actor, scheme: Scheme, taken_on: dt.date | None = None, note: str = "") -> Ranking:
    """Keep the ranking board as it stands (its history): the scores and their parts are copied."""
    access.require(actor, MOVEMENTS_MANAGE, scheme.unit, needs_unit=True)
    taken_on = taken_on or min(_today(), scheme.ends_on)
    rows = results.standings(scheme, on=taken_on)
    ranking = Ranking.objects.create(
        scheme=scheme,
        taken_on=taken_on,
        taken_by=actor if getattr(actor, "pk", None) else None,
        note=clean_spaces(note),
    )
    RankingEntry.objects.bulk_create(
        [
            RankingEntry(
                ranking=ranking,
                unit=s.unit,
                peer_group=s.peer_group,
                rank=s.rank,
                score=s.score,
                details={
                    "values": s.values,
                    "parts": {k: str(v) for k, v in s.parts.items()},
                    "manual": s.manual,
                },
            )
            for s in rows
        ]
    )
    audit.record(
        actor=actor,
        action="movements.ranking.frozen",
        obj=ranking,
        data={"scheme": scheme.pk, "units": len(rows)},
    )
    return ranking


# Commendations ---------------------------------------------------------------------------------
@transaction.atomic
def proposal_create(
    *, actor, unit: Unit, level: str, title: str, year: int, scheme: Scheme | None = None
) -> Proposal:
    access.require(actor, MOVEMENTS_PROPOSE, unit, needs_unit=True)
    proposal = Proposal(unit=unit, level=level, title=clean_spaces(title), year=year, scheme=scheme)
    proposal.full_clean()
    proposal.save()
    audit.record(
        actor=actor, action="movements.proposal.created", obj=proposal, changes=audit.created(proposal)
    )
    return proposal


def _editable(actor, proposal: Proposal) -> Proposal:
    proposal = Proposal.objects.select_for_update().select_related("unit").get(pk=proposal.pk)
    access.require(actor, MOVEMENTS_PROPOSE, proposal.unit, needs_unit=True)
    if proposal.status != ProposalStatus.DRAFT:
        raise ValidationError(_("Đề nghị đã trình: không sửa danh sách được nữa."))
    return proposal


@transaction.atomic
def proposal_item_add(
    *, actor, proposal: Proposal, reason: str, unit: Unit | None = None, person: Person | None = None
) -> ProposalItem:
    proposal = _editable(actor, proposal)
    reason = clean_spaces(reason)
    if not reason:
        raise ValidationError({"reason": _("Cần ghi thành tích.")})
    if (unit is None) == (person is None):
        raise ValidationError({"unit": _("Chọn một tập thể hoặc một cá nhân.")})
    if unit is not None and not unit.path.startswith(proposal.unit.path):
        raise ValidationError({"unit": _("%(u)s không thuộc đơn vị đề nghị.") % {"u": unit}})
    if person is not None:
        # People's records decide who can be proposed: a person of a unit the actor may see.
        if actor is not None and not access.has_perm(actor, PEOPLE_VIEW, person.unit):
            raise ValidationError({"person": _("Không có người này trong phạm vi của bạn.")})
        if not person.unit.path.startswith(proposal.unit.path):
            raise ValidationError({"person": _("%(p)s không thuộc đơn vị đề nghị.") % {"p": person}})
    if ProposalItem.objects.filter(proposal=proposal, unit=unit, person=person).exists():
        raise ValidationError({"unit": _("Đã có trong danh sách đề nghị.")})
    item = ProposalItem.objects.create(proposal=proposal, unit=unit, person=person, reason=reason)
    audit.record(
        actor=actor,
        action="movements.proposal.item_added",
        obj=proposal,
        data={"item": item.pk, "unit": getattr(unit, "pk", None), "person": getattr(person, "pk", None)},
    )
    return item


@transaction.atomic
def proposal_fill_from_ranking(*, actor, proposal: Proposal, ranking: Ranking, top: int = 3) -> int:
    """Add the first `top` units of each peer group of a frozen ranking (none with no points);
    returns how many were added."""
    proposal = _editable(actor, proposal)
    if not ranking.scheme.unit.path.startswith(proposal.unit.path) and not proposal.unit.path.startswith(
        ranking.scheme.unit.path
    ):
        raise ValidationError({"ranking": _("Bảng xếp hạng không thuộc đơn vị đề nghị.")})
    taken = set(proposal.items.exclude(unit=None).values_list("unit_id", flat=True))
    added = []
    for entry in (
        ranking.entries.filter(rank__lte=top, score__gt=0)
        .select_related("unit")
        .order_by("peer_group", "rank")
    ):
        if entry.unit_id in taken or not entry.unit.path.startswith(proposal.unit.path):
            continue
        reason = _("Xếp thứ %(r)s khối %(g)s, %(s)s điểm (%(d)s).") % {
            "r": entry.rank,
            "g": entry.get_peer_group_display(),
            "s": quantity(entry.score, 2),
            "d": fmt_date(ranking.taken_on),
        }
        added.append(ProposalItem(proposal=proposal, unit=entry.unit, reason=reason))
    ProposalItem.objects.bulk_create(added)
    audit.record(
        actor=actor,
        action="movements.proposal.filled",
        obj=proposal,
        data={"ranking": ranking.pk, "added": len(added)},
    )
    return len(added)


@transaction.atomic
def proposal_submit(*, actor, proposal: Proposal) -> Proposal:
    proposal = _editable(actor, proposal)
    if not proposal.items.exists():
        raise ValidationError(_("Danh sách đề nghị đang trống."))
    proposal.status = ProposalStatus.SUBMITTED
    proposal.save(update_fields=["status"])
    audit.record(actor=actor, action="movements.proposal.submitted", obj=proposal)
    return proposal


@transaction.atomic
def proposal_review(*, actor, proposal: Proposal, accepted: set[int], note: str = "") -> Proposal:
    """The review: which items go on to the decision (`accepted` item ids), the others are refused."""
    proposal = Proposal.objects.select_for_update().select_related("unit").get(pk=proposal.pk)
    access.require(actor, MOVEMENTS_DECIDE, proposal.unit, needs_unit=True)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ValidationError(_("Chỉ xét được đề nghị đã trình."))
    items = list(proposal.items.all())
    for item in items:
        item.accepted = item.pk in accepted
    ProposalItem.objects.bulk_update(items, ["accepted"])
    proposal.status, proposal.review_note = ProposalStatus.REVIEWED, clean_spaces(note)
    proposal.save(update_fields=["status", "review_note"])
    audit.record(
        actor=actor,
        action="movements.proposal.reviewed",
        obj=proposal,
        data={
            "accepted": sorted(i.pk for i in items if i.accepted),
            "refused": sorted(i.pk for i in items if not i.accepted),
        },
    )
    return proposal


@transaction.atomic
def proposal_decide(*, actor, proposal: Proposal, decision_number: str, decided_on: dt.date) -> Proposal:
    """The decision: each accepted item is written to the awards register (people's `Award`, or the
    units' `UnitAward`)."""
    proposal = Proposal.objects.select_for_update().select_related("unit").get(pk=proposal.pk)
    access.require(actor, MOVEMENTS_DECIDE, proposal.unit, needs_unit=True)
    if proposal.status != ProposalStatus.REVIEWED:
        raise ValidationError(_("Chỉ quyết định được đề nghị đã xét."))
    decision_number = clean_spaces(decision_number)
    if not decision_number:
        raise ValidationError({"decision_number": _("Cần ghi số quyết định.")})
    if decided_on > _today():
        raise ValidationError({"decided_on": _("Ngày quyết định ở tương lai.")})
    issuer = str(ProposalLevel(proposal.level).label)
    for item in proposal.items.filter(accepted=True).select_related("person", "unit"):
        if item.person_id:
            item.award = people_services.award_add(
                actor=actor,
                person=item.person,
                title=proposal.title,
                level=AWARD_LEVEL[proposal.level],
                awarded_on=decided_on,
                decision_number=decision_number,
                issuer=issuer,
            )
        else:
            item.unit_award = UnitAward.objects.create(
                unit=item.unit,
                title=proposal.title,
                level=proposal.level,
                awarded_on=decided_on,
                decision_number=decision_number,
            )
            audit.record(
                actor=actor,
                action="movements.unit_award.added",
                obj=item.unit_award,
                changes=audit.created(item.unit_award),
            )
        item.save(update_fields=["award", "unit_award"])
    proposal.status, proposal.decision_number, proposal.decided_on = (
        ProposalStatus.DECIDED,
        decision_number,
        decided_on,
    )
    proposal.save(update_fields=["status", "decision_number", "decided_on"])
    audit.record(
        actor=actor, action="movements.proposal.decided", obj=proposal, data={"decision": decision_number}
    )
    return proposal


# Good practice models --------------------------------------------------------------------------
@transaction.atomic
def practice_create(
    *,
    actor,
    unit: Unit,
    title: str,
    description: str,
    place: str,
    since: dt.date,
    area: str,
    results: str = "",
) -> PracticeModel:
    access.require(actor, MOVEMENTS_PROPOSE, unit, needs_unit=True)
    if since and since > _today():
        raise ValidationError({"since": _("Ngày bắt đầu ở tương lai.")})
    practice = PracticeModel(
        unit=unit,
        title=clean_spaces(title),
        description=description.strip(),
        place=clean_spaces(place),
        since=since,
        area=area,
        results=results.strip(),
    )
    practice.full_clean()
    practice.save()
    audit.record(
        actor=actor, action="movements.practice.created", obj=practice, changes=audit.created(practice)
    )
    return practice


@transaction.atomic
def practice_figure_add(
    *, actor, practice: PracticeModel, label: str, value: int, measure: str = ""
) -> PracticeFigure:
    access.require(actor, MOVEMENTS_PROPOSE, practice.unit, needs_unit=True)
    if value is None or value < 0:
        raise ValidationError({"value": _("Số liệu không được âm.")})
    figure = PracticeFigure(
        practice=practice, label=clean_spaces(label), value=value, measure=clean_spaces(measure)
    )
    figure.full_clean()
    figure.save()
    audit.record(
        actor=actor,
        action="movements.practice.figure_added",
        obj=practice,
        data={"label": figure.label, "value": value},
    )
    return figure


PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
DOCUMENT_SUFFIXES = (".pdf", ".docx", ".doc", ".xlsx", ".jpg", ".jpeg", ".png", ".webp")


@transaction.atomic
def practice_file_add(*, actor, practice: PracticeModel, upload, caption: str = "") -> PracticeFile:
    """A photo or document of the model, kept through Django's storage API (disk or S3)."""
    access.require(actor, MOVEMENTS_PROPOSE, practice.unit, needs_unit=True)
    name = (upload.name or "").lower()
    if upload.size > MAX_UPLOAD:
        raise ValidationError({"file": _("Tệp lớn hơn 10 MB.")})
    if not name.endswith(DOCUMENT_SUFFIXES):
        raise ValidationError({"file": _("Chỉ nhận ảnh (JPG, PNG, WEBP) hoặc tài liệu PDF, Word, Excel.")})
    is_photo = name.endswith((".jpg", ".jpeg", ".png", ".webp"))
    if is_photo:
        try:
            Image.open(upload).verify()
        except (UnidentifiedImageError, OSError):
            raise ValidationError({"file": _("Tệp không phải là ảnh.")}) from None
        upload.seek(0)
    item = PracticeFile(practice=practice, caption=clean_spaces(caption), is_photo=is_photo)
    item.file.save(upload.name, upload, save=False)
    item.save()
    audit.record(
        actor=actor, action="movements.practice.file_added", obj=practice, data={"file": item.file.name}
    )
    return item


@transaction.atomic
def adoption_add(
    *, actor, practice: PracticeModel, unit: Unit, adopted_on: dt.date, note: str = ""
) -> Adoption:
    """A unit takes up a model (replication); the model must be visible to the actor."""
    access.require(actor, MOVEMENTS_PROPOSE, unit, needs_unit=True)
    errors = {}
    if unit.pk == practice.unit_id:
        errors["unit"] = _("Đơn vị xây dựng mô hình không tính là nhân rộng.")
    elif Adoption.objects.filter(practice=practice, unit=unit).exists():
        errors["unit"] = _("%(u)s đã ghi nhận áp dụng mô hình này.") % {"u": unit}
    if adopted_on is None or adopted_on > _today():
        errors["adopted_on"] = _("Ngày áp dụng ở tương lai.")
    elif adopted_on < practice.since:
        errors["adopted_on"] = _("Ngày áp dụng trước khi mô hình ra đời.")
    if errors:
        raise ValidationError(errors)
    adoption = Adoption.objects.create(
        practice=practice, unit=unit, adopted_on=adopted_on, note=clean_spaces(note)
    )
    audit.record(
        actor=actor,
        action="movements.practice.adopted",
        obj=adoption,
        changes=audit.created(adoption),
        data={"practice": practice.pk},
    )
    return adoption
