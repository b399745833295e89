"""Reads of cases, humanitarian addresses and help, always for a given user.

A case is visible when the unit keeping it lies in the user's scope for
beneficiaries.view.  Two further rules protect the people in it:

- ID numbers and health-related categories (disability, illness, Agent Orange:
  Category.sensitive) only for beneficiaries.view_sensitive;
- a case whose people did not agree to share their details (no SHARE consent
  in force) shows its details only inside its commune: to anyone else (the city,
  inspectors) it is a number, a commune, a status and non-sensitive categories,
  it is not found by name, and it is never exported.

Lists return lazy querysets with the joins a page needs (bounded queries).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from nhandao.core.access import (
    AUDIT_VIEW,
    BENEFICIARIES_EDIT,
    BENEFICIARIES_VIEW,
    BENEFICIARIES_VIEW_SENSITIVE,
)
from nhandao.core.collation import vi
from nhandao.core.models import AuditEvent
from nhandao.core.rows import share_related
from nhandao.core.text import normalize
from nhandao.geo.models import Ward
from nhandao.org import access
from nhandao.org.models import PATH_SEGMENT, Unit, UnitKind
from nhandao.org.selectors import share_units
from nhandao.people import identity

from .choices import OPEN_STATUSES, CaseStatus, CommitmentStatus, HelpStatus
from .models import (
    STATS_FIELDS,
    Case,
    CaseCategory,
    CaseStep,
    Category,
    Commitment,
    Consent,
    HelpEvidence,
    HelpRecord,
    HelpRules,
    HelpVolunteer,
    Member,
    Sponsor,
    UnitBeneficiaryStats,
)
from .services import refresh_stats

_LOCAL_ATTR = "_nhandao_benef_local_communes"


# Who sees what ------------------------------------------------------------------------------
def can_see_sensitive(user, unit: Unit | None = None) -> bool:
    return access.has_perm(user, BENEFICIARIES_VIEW_SENSITIVE, unit)


def local_communes(user) -> frozenset[int]:
    """The commune-level units the user works in (a role granting beneficiaries.view on the
    commune or one of its chi hội).  Users of the city are local to no commune."""
    cached = getattr(user, _LOCAL_ATTR, None)
    if cached is not None:
        return cached
    result: frozenset[int] = frozenset()
    if getattr(user, "is_authenticated", False):
        paths = access.role_paths(user, BENEFICIARIES_VIEW)
        ids = {int(seg) for path in paths for seg in path.split(".") if seg}
        if ids:
            # The role's unit and its ancestors: a commune, or the commune above a chi hội.
            result = frozenset(
                Unit.objects.filter(pk__in=ids, kind=UnitKind.COMMUNE).values_list("pk", flat=True)
            )
    setattr(user, _LOCAL_ATTR, result)
    return result


def is_local(user, case: Case) -> bool:
    """Whether the user works in the case's commune (their reads are not logged)."""
    return case.commune_id in local_communes(user)


def details_visible(user, case: Case) -> bool:
    """Names, address, phone and members: inside the commune, or anywhere with consent to share."""
    return case.share_consent or is_local(user, case)


def mark_visibility(user, cases) -> list:
    """Set `.details_visible` on each case of a page (no query beyond the cached communes)."""
    local = local_communes(user)
    rows = list(cases)
    for c in rows:
        c.details_visible = c.share_consent or c.commune_id in local
    return rows


def visible_cases(user) -> QuerySet[Case]:
    return access.scope(user, BENEFICIARIES_VIEW).filter(Case.objects.live())


def categories_for(user, unit: Unit | None = None) -> QuerySet[Category]:
    qs = Category.objects.filter(active=True)
    if not can_see_sensitive(user, unit):
        qs = qs.filter(sensitive=False)
    return qs.order_by("order", vi("name"))


# Cases ------------------------------------------------------------------------------------------
@dataclass
class CaseFilter:
    q: str = ""
    unit: Unit | None = None
    status: str = ""  # "" = open files, "all", or a CaseStatus
    kind: str = ""  # household / individual
    category: str = ""  # Category.code (current categories only)
    help_kind: str = ""
    not_helped_since: dt.date | None = None
    sponsor: int | None = None
    consent: str = ""  # "yes" / "no"
    flagged: bool = False  # a member is also in another open household


def cases(user, f: CaseFilter | None = None) -> QuerySet[Case]:
    f = f or CaseFilter()
    qs = visible_cases(user)
    if f.unit is not None:
        qs = access.in_subtree(user, qs, f.unit, within=BENEFICIARIES_VIEW)
    if f.status == "all":
        pass
    elif f.status in CaseStatus.values:
        qs = qs.filter(status=f.status)
    elif f.status == "helpable":
        qs = qs.filter(status__in=(CaseStatus.CONFIRMED, CaseStatus.ACTIVE))
    else:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.category:
        category = Category.objects.filter(code=f.category).first()
        if category is None or (category.sensitive and not can_see_sensitive(user, f.unit)):
            return qs.none()
        today = timezone.localdate()
        qs = qs.filter(
            Exists(
                CaseCategory.objects.filter(case=OuterRef("pk"), category=category).filter(
                    Q(valid_to__isnull=True) | Q(valid_to__gte=today)
                )
            )
        )
    valid = HelpRecord.objects.filter(case=OuterRef("pk"), status=HelpStatus.VALID)
    if f.not_helped_since is not None:
        if f.help_kind:
            qs = qs.exclude(Exists(valid.filter(kind=f.help_kind, date__gte=f.not_helped_since)))
        else:
            qs = qs.filter(Q(last_help_on__isnull=True) | Q(last_help_on__lt=f.not_helped_since))
    elif f.help_kind:
        qs = qs.filter(Exists(valid.filter(kind=f.help_kind)))
    if f.sponsor:
        qs = qs.filter(
            Exists(
                Commitment.objects.filter(
                    case=OuterRef("pk"), sponsor_id=f.sponsor, status=CommitmentStatus.ACTIVE
                )
            )
        )
    if f.consent == "yes":
        qs = qs.filter(share_consent=True)
    elif f.consent == "no":
        qs = qs.filter(share_consent=False)
    if f.flagged:
        others = Member.objects.filter(
            person_id=OuterRef("person_id"),
            left_on__isnull=True,
            case__kind="household",
            case__status__in=OPEN_STATUSES,
            case__merged_into__isnull=True,
        ).exclude(case_id=OuterRef("case_id"))
        flagged = Member.objects.filter(case_id=OuterRef("pk"), left_on__isnull=True).filter(Exists(others))
        qs = qs.filter(kind="household").filter(Exists(flagged))
    query = (f.q or "").strip()[:100]
    if query:
        qs = _search(user, qs, query)
    return qs.select_related("head", "ward", "unit__parent").order_by("sort_key", "id")


# What a row of the case list shows (the list reads no more than this at city scale).
LIST_FIELDS = (
    "id",
    "kind",
    "status",
    "unit_id",
    "commune_id",
    "head_id",
    "ward_id",
    "address_detail",
    "household_size",
    "member_count",
    "last_help_on",
    "share_consent",
    "sort_key",
    "head__full_name",
)


def for_list(qs: QuerySet[Case]) -> QuerySet[Case]:
    """`cases(...)` as the list page reads it: its columns and the head's name; the units and
    wards are shared afterwards (share_list_places)."""
    return qs.select_related(None).select_related("head").only(*LIST_FIELDS)


def share_list_places(rows: list) -> list:
    """A page's cases given their unit and ward as one shared instance each (core.rows)."""
    share_units(rows)
    return share_related(rows, "ward", Ward.objects.only("code", "name"))


def _search(user, qs, query: str):
    digits = "".join(ch for ch in query if ch.isdigit())
    compact = query.replace(" ", "").replace(".", "")
    upper = compact.upper()
    if upper.startswith("HS-") and upper[3:].isdigit():
        return qs.filter(pk=int(upper[3:]))
    # Outside their commune a user finds by name only the cases that agreed to share.
    local = local_communes(user)
    shared = Q(share_consent=True) | Q(commune_id__in=local)
    if digits and len(digits) == len(compact):
        by_detail = Q(search_key__contains=digits)
        if len(digits) in (9, 11, 12) and can_see_sensitive(user):
            by_detail |= Q(head__cccd=identity.clean_id(digits)) | Q(head__legacy_id_number=digits)
        condition = by_detail & shared
        if len(digits) <= 9:
            condition |= Q(pk=int(digits))  # the file number reveals nothing
        return qs.filter(condition)
    return qs.filter(search_key__contains=normalize(query)).filter(shared)


def with_categories(qs, user, unit: Unit | None = None):
    """Prefetch each case's current categories (sensitive ones only for those entitled)."""
    today = timezone.localdate()
    items = (
        CaseCategory.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("category")
        .only("id", "case_id", "evidence_year", "category__name")
        .order_by("category__order", "id")
    )
    if not can_see_sensitive(user, unit):
        items = items.filter(category__sensitive=False)
    return qs.prefetch_related(Prefetch("categories", queryset=items, to_attr="current_categories"))


def case_get(user, pk) -> Case:
    """A case the user may see (merged files too: their page points to the kept one); 404 otherwise."""
    related = ("unit", "commune", "head", "ward", "merged_into", "confirmed_by")
    return access.get_in_scope(user, BENEFICIARIES_VIEW, Case.objects.select_related(*related), pk)


def case_members(c: Case, *, include_left: bool = True) -> list[Member]:
    qs = Member.objects.filter(case=c).select_related("person")
    if not include_left:
        qs = qs.filter(left_on__isnull=True)
    rows = list(qs.order_by("left_on", "id"))
    rows.sort(key=lambda m: (m.left_on is not None, not m.is_head, m.id))
    return rows


def member_flags(c: Case) -> dict[int, list[Case]]:
    """Current members who are also current members of another open household file."""
    persons = Member.objects.filter(case=c, left_on__isnull=True).values("person_id")
    result: dict[int, list[Case]] = defaultdict(list)
    for m in (
        Member.objects.filter(
            person_id__in=persons,
            left_on__isnull=True,
            case__kind="household",
            case__status__in=OPEN_STATUSES,
            case__merged_into__isnull=True,
        )
        .exclude(case=c)
        .select_related("case__commune")
    ):
        result[m.person_id].append(m.case)
    return dict(result) if c.kind == "household" else {}


def duplicate_members(members: list[Member]) -> list[tuple[Member, Member]]:
    """Two current members with the same name and birth year: likely one human twice."""
    seen: dict[tuple, Member] = {}
    pairs = []
    for m in members:
        if m.left_on:
            continue
        key = (m.person.name_key, m.person.birth_year)
        if key in seen and m.person_id != seen[key].person_id:
            pairs.append((seen[key], m))
        seen.setdefault(key, m)
    return pairs


def case_categories(c: Case, user) -> list[CaseCategory]:
    qs = CaseCategory.objects.filter(case=c).select_related("category", "person")
    if not can_see_sensitive(user, c.unit):
        qs = qs.filter(category__sensitive=False)
    return list(qs.order_by("category__order", "-evidence_year", "id"))


def case_consents(c: Case) -> QuerySet[Consent]:
    return Consent.objects.filter(case=c).select_related("person", "recorded_by").order_by("-given_on", "-id")


def case_steps(c: Case) -> QuerySet[CaseStep]:
    return CaseStep.objects.filter(case=c).order_by("at", "id")


def case_commitments(c: Case) -> QuerySet[Commitment]:
    return Commitment.objects.filter(case=c).select_related("sponsor").order_by("status", "-starts_on", "-id")


def case_help(c: Case) -> QuerySet[HelpRecord]:
    return (
        HelpRecord.objects.filter(case=c)
        .select_related("delivering_unit", "person", "sponsor", "commitment")
        .order_by("-date", "-id")
    )


def case_help_totals(c: Case) -> dict:
    agg = HelpRecord.objects.filter(case=c, status=HelpStatus.VALID).aggregate(
        n=Count("id"), value=Sum("value")
    )
    return {"count": agg["n"] or 0, "value": agg["value"] or 0}


def case_history(user, c: Case):
    if not access.has_perm(user, AUDIT_VIEW, c.unit):
        return AuditEvent.objects.none()
    ids = [str(c.pk), *(str(pk) for pk in c.merged_cases.values_list("pk", flat=True))]
    return AuditEvent.objects.filter(object_type="beneficiaries.case", object_id__in=ids).order_by(
        "-at", "-id"
    )


def duplicate_households(user, unit: Unit | None = None, limit: int = 500) -> list[tuple[Case, Case, str]]:
    """Pairs of open household files that are likely the same household, in the user's scope:
    the same person heading both, or heads with the same name at the same address."""
    qs = visible_cases(user).filter(kind="household", status__in=OPEN_STATUSES)
    if unit is not None:
        qs = access.in_subtree(user, qs, unit, within=BENEFICIARIES_VIEW)
    groups = (
        qs.values("head_key", "ward_id", "address_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("head_key")[:limit]
    )
    pairs: list[tuple[Case, Case, str]] = []
    wanted = Q(pk__in=[])
    for g in groups:
        wanted |= Q(head_key=g["head_key"], ward_id=g["ward_id"], address_key=g["address_key"])
    found = defaultdict(list)
    for c in qs.filter(wanted).select_related("commune", "head", "ward").order_by("pk"):
        found[(c.head_key, c.ward_id, c.address_key)].append(c)
    for group in found.values():
        for other in group[1:]:
            reason = "same_person" if other.head_id == group[0].head_id else "same_name_address"
            pairs.append((group[0], other, reason))
    heads = qs.values("head_id").annotate(n=Count("id")).filter(n__gt=1).values("head_id")[:limit]
    by_head = defaultdict(list)
    for c in qs.filter(head_id__in=heads).select_related("commune", "head", "ward").order_by("pk"):
        by_head[c.head_id].append(c)
    seen = {(a.pk, b.pk) for a, b, _r in pairs}
    for group in by_head.values():
        for other in group[1:]:
            if (group[0].pk, other.pk) not in seen:
                pairs.append((group[0], other, "same_person"))
    return pairs


# Help records ------------------------------------------------------------------------------------
@dataclass
class HelpFilter:
    unit: Unit | None = None
    kind: str = ""
    area: str = ""
    source_type: str = ""
    sponsor: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    campaign: str = ""
    include_cancelled: bool = False
    only_duplicates: bool = False
    case: int | None = None


def help_records(user, f: HelpFilter | None = None) -> QuerySet[HelpRecord]:
    f = f or HelpFilter()
    qs = access.scope(user, BENEFICIARIES_VIEW).filter(HelpRecord.objects.all())
    if f.unit is not None:
        qs = access.in_subtree(user, qs, f.unit, within=BENEFICIARIES_VIEW)
    if not f.include_cancelled:
        qs = qs.filter(status=HelpStatus.VALID)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.area:
        qs = qs.filter(area=f.area)
    if f.source_type:
        qs = qs.filter(source_type=f.source_type)
    if f.sponsor:
        qs = qs.filter(sponsor_id=f.sponsor)
    if f.date_from:
        qs = qs.filter(date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(date__lte=f.date_to)
    if f.campaign:
        qs = qs.filter(campaign_key__contains=normalize(f.campaign)[:100])
    if f.only_duplicates:
        qs = qs.exclude(duplicate_reason="")
    if f.case:
        qs = qs.filter(case_id=f.case)
    return qs.select_related("case__head", "case__commune", "delivering_unit", "person").order_by(
        "-date", "-id"
    )


def help_record_get(user, pk) -> HelpRecord:
    qs = HelpRecord.objects.select_related(
        "case__unit",
        "case__commune",
        "case__head",
        "unit",
        "delivering_unit",
        "person",
        "sponsor",
        "commitment",
        "recorded_by",
        "cancelled_by",
        "duplicate_of__delivering_unit",
    )
    return access.get_in_scope(user, BENEFICIARIES_VIEW, qs, pk)


def help_volunteers(record: HelpRecord):
    return [
        v.person for v in HelpVolunteer.objects.filter(help=record).select_related("person").order_by("id")
    ]


def help_evidence(record: HelpRecord) -> QuerySet[HelpEvidence]:
    return (
        HelpEvidence.objects.filter(help=record).select_related("uploaded_by").order_by("uploaded_at", "id")
    )


def evidence_get(user, pk) -> HelpEvidence:
    qs = HelpEvidence.objects.select_related("help__unit", "help__case__commune")
    return access.get_in_scope(user, BENEFICIARIES_VIEW, qs, pk, field="help__unit")


# Humanitarian addresses ------------------------------------------------------------------------
@dataclass
class CommitmentFilter:
    unit: Unit | None = None
    state: str = ""  # "" running, "late", "ending" (within 60 days), "ended", "all"
    sponsor: int | None = None
    kind: str = ""


def commitments(user, f: CommitmentFilter | None = None) -> QuerySet[Commitment]:
    f = f or CommitmentFilter()
    today = timezone.localdate()
    qs = access.scope(user, BENEFICIARIES_VIEW).filter(Commitment.objects.all())
    if f.unit is not None:
        qs = access.in_subtree(user, qs, f.unit, within=BENEFICIARIES_VIEW)
    running = Q(status=CommitmentStatus.ACTIVE) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    if f.state == "ended":
        qs = qs.exclude(running)
    elif f.state == "late":
        grace = HelpRules.current().late_grace_days
        qs = qs.filter(running, next_due_on__lt=today - dt.timedelta(days=grace))
    elif f.state == "ending":
        qs = qs.filter(running, ends_on__lte=today + dt.timedelta(days=60))
    elif f.state != "all":
        qs = qs.filter(running)
    if f.sponsor:
        qs = qs.filter(sponsor_id=f.sponsor)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    order = ("next_due_on", "id") if f.state == "late" else ("-starts_on", "-id")
    return qs.select_related("case__head", "case__commune", "sponsor").order_by(*order)


def commitment_get(user, pk) -> Commitment:
    qs = Commitment.objects.select_related(
        "case__unit", "case__commune", "case__head", "case__ward", "sponsor", "unit"
    )
    return access.get_in_scope(user, BENEFICIARIES_VIEW, qs, pk)


def commitment_deliveries(c: Commitment) -> QuerySet[HelpRecord]:
    return (
        HelpRecord.objects.filter(commitment=c)
        .select_related("delivering_unit", "person")
        .order_by("date", "id")
    )


def visible_sponsors(user) -> QuerySet[Sponsor]:
    """Sponsors of units in scope, and of the units above (a city sponsor adopts addresses anywhere)."""
    scope = access.scope(user, BENEFICIARIES_VIEW)
    if scope.everything:
        return Sponsor.objects.all()
    if scope.empty:
        return Sponsor.objects.none()
    ancestors = {int(seg) for path in scope.paths for seg in path.split(".") if seg}
    return Sponsor.objects.filter(Q(unit__in=scope.units().values("pk")) | Q(unit_id__in=ancestors))


def sponsors(user, *, q: str = "", unit: Unit | None = None) -> QuerySet[Sponsor]:
    qs = visible_sponsors(user)
    if unit is not None:
        qs = access.in_subtree(user, qs, unit)
    key = normalize(q)[:100]
    if key:
        qs = qs.filter(search_key__contains=key)
    running = Q(commitments__status=CommitmentStatus.ACTIVE)
    return (
        qs.select_related("unit")
        .annotate(active_commitments=Count("commitments", filter=running))
        .order_by(vi("name"), "id")
    )


def sponsor_get(user, pk) -> Sponsor:
    qs = visible_sponsors(user).select_related("unit", "person", "sponsor_unit")
    return access.get_in_scope(user, BENEFICIARIES_VIEW, qs, pk, scoped=True)


def member_get(user, pk) -> Member:
    """A member row of a case the user may see (the case fetched as `case_get` does)."""
    member = access.get_in_scope(
        user, BENEFICIARIES_VIEW, Member.objects.select_related("person"), pk, field="case__unit"
    )
    member.case = case_get(user, member.case_id)
    return member


# Units the user may act in --------------------------------------------------------------------
def editable_units(user, *, kinds: tuple[str, ...] = ()) -> QuerySet[Unit]:
    qs = access.scope(user, BENEFICIARIES_EDIT).units().active()
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.order_by("path")


def eligible_cases(user) -> QuerySet[Case]:
    """Confirmed (or active) cases in the user's scope: those that may receive help."""
    return visible_cases(user).helpable().select_related("unit", "commune", "head")


# Counters and statistics -------------------------------------------------------------------------
def subtree_stats(unit: Unit) -> dict[str, int]:
    """Counts for a unit and everything under it, from the per-unit table: one query, and a
    refresh first when some rows were computed before today (late commitments, this year)."""
    rows = UnitBeneficiaryStats.objects.filter(unit__path__startswith=unit.path)
    agg = rows.aggregate(oldest=Min("computed_on"), **{name: Sum(name) for name in STATS_FIELDS})
    if agg["oldest"] is not None and agg["oldest"] < timezone.localdate():
        refresh_stats(
            list(rows.filter(computed_on__lt=timezone.localdate()).values_list("unit_id", flat=True))
        )
        agg = rows.aggregate(**{name: Sum(name) for name in STATS_FIELDS})
    return {name: agg[name] or 0 for name in STATS_FIELDS}


def statistics(unit: Unit, year: int) -> dict:
    """The numbers that roll up for a unit's subtree: aggregates only, nobody identified
    (the caller checked beneficiaries.stats on `unit`)."""
    today = timezone.localdate()
    units = Unit.objects.filter(path__startswith=unit.path).values("pk")
    cases_qs = Case.objects.filter(unit__in=units, merged_into__isnull=True)
    by_status = dict(cases_qs.values_list("status").annotate(n=Count("id")).order_by())
    current = Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    by_category = []
    rows = (
        CaseCategory.objects.filter(current, case__in=cases_qs.filter(status__in=OPEN_STATUSES))
        .values("category__name", "category__order", "case__status")
        .annotate(n=Count("case", distinct=True))
        .order_by("category__order")
    )
    table: dict[str, dict] = {}
    for r in rows:
        entry = table.setdefault(r["category__name"], {"name": r["category__name"], "total": 0})
        entry[r["case__status"]] = r["n"]
        entry["total"] += r["n"]
    by_category = list(table.values())
    running = Q(status=CommitmentStatus.ACTIVE) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    commitments_qs = Commitment.objects.filter(unit__in=units)
    running_qs = commitments_qs.filter(running)
    grace = HelpRules.current().late_grace_days
    addresses = {
        "active": running_qs.count(),
        "late": running_qs.filter(next_due_on__lt=today - dt.timedelta(days=grace)).count(),
        "sponsors": running_qs.values("sponsor").distinct().count(),
        "ended_year": commitments_qs.filter(ended_on__year=year).count(),
        "by_kind": list(
            running_qs.values("kind").annotate(n=Count("id"), value=Sum("amount")).order_by("kind")
        ),
    }
    help_qs = HelpRecord.objects.filter(unit__in=units, status=HelpStatus.VALID)
    year_qs = help_qs.filter(date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31))
    # One pass over the year's records, folded here by kind, area, month and unit.
    kinds: dict[str, dict] = {}
    areas: dict[str, dict] = {}
    months = {m: {"month": m, "n": 0, "value": 0} for m in range(1, 13)}
    by_unit: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    total_n = total_value = 0
    for unit_id, kind, area, month, n, value in (
        year_qs.values_list("unit_id", "kind", "area", "date__month")
        .annotate(n=Count("id"), v=Sum("value"))
        .order_by()
    ):
        value = value or 0
        total_n, total_value = total_n + n, total_value + value
        for table, key, extra in ((kinds, kind, "kind"), (areas, area, "area")):
            row = table.setdefault(key, {extra: key, "n": 0, "value": 0})
            row["n"] += n
            row["value"] += value
        months[month]["n"] += n
        months[month]["value"] += value
        by_unit[unit_id][0] += n
        by_unit[unit_id][1] += value
    totals = {"n": total_n, "value": total_value, "cases": year_qs.values("case").distinct().count()}
    by_kind = sorted(kinds.values(), key=lambda r: -r["value"])
    by_area = sorted(areas.values(), key=lambda r: r["area"])
    by_year = list(
        help_qs.filter(date__gte=dt.date(year - 4, 1, 1), date__lte=dt.date(year, 12, 31))
        .values("date__year")
        .annotate(n=Count("id"), value=Sum("value"))
        .order_by("date__year")
    )
    children = list(Unit.objects.active().filter(parent=unit).order_by("kind", vi("name")))
    per_child = []
    if children:
        # Each unit of the subtree counts for the child it lies under; the unit's own files apart.
        child_of: dict[int, int] = {unit.pk: unit.pk}
        by_path = {c.path: c.pk for c in children}
        cut = len(unit.path) + PATH_SEGMENT
        for pk, path in (
            Unit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk).values_list("pk", "path")
        ):
            if path[:cut] in by_path:
                child_of[pk] = by_path[path[:cut]]
        rows_c = defaultdict(lambda: {"cases": 0, "n": 0, "value": 0, "addresses": 0})
        for unit_id, n in (
            cases_qs.filter(status__in=OPEN_STATUSES)
            .values_list("unit_id")
            .annotate(n=Count("id"))
            .order_by()
        ):
            if unit_id in child_of:
                rows_c[child_of[unit_id]]["cases"] += n
        for unit_id, (n, value) in by_unit.items():
            if unit_id in child_of:
                rows_c[child_of[unit_id]]["n"] += n
                rows_c[child_of[unit_id]]["value"] += value or 0
        for unit_id, n in running_qs.values_list("unit_id").annotate(n=Count("id")).order_by():
            if unit_id in child_of:
                rows_c[child_of[unit_id]]["addresses"] += n
        per_child = [{"unit": c, "own": False, **rows_c[c.pk]} for c in children if c.pk in rows_c]
        per_child.sort(key=lambda r: -r["value"])
        if unit.pk in rows_c:
            per_child.insert(0, {"unit": unit, "own": True, **rows_c[unit.pk]})
    return {
        "by_status": by_status,
        "open_total": sum(v for k, v in by_status.items() if k in OPEN_STATUSES),
        "by_category": by_category,
        "addresses": addresses,
        "totals": totals,
        "by_kind": by_kind,
        "by_area": by_area,
        "by_month": list(months.values()),
        "by_year": by_year,
        "per_child": per_child,
    }
