"""Every read of stories and school reports: the staff's (scoped by the user's roles) and the
public's (published stories only, never a beneficiary's details; figures of the press page)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from nhandao.beneficiaries import api as beneficiaries
from nhandao.core.access import SCHOOLS_AGENCY_VIEW, SCHOOLS_VIEW, STORIES_VIEW
from nhandao.core.text import normalize
from nhandao.org import access
from nhandao.org.models import Agency, BranchType, Unit

from .choices import StoryStatus
from .models import SchoolReport, Story, StoryImage

# The agency whose reporter reads the schools' figures (Sở Giáo dục và Đào tạo, as org's seed codes it).
EDUCATION_AGENCY_CODES = frozenset({"SGDDT"})


# Staff -----------------------------------------------------------------------------------------
def stories_visible(user) -> QuerySet[Story]:
    return access.in_scope(user, STORIES_VIEW, Story.objects.select_related("unit", "author"))


def story_get(user, pk) -> Story:
    return access.get_in_scope(
        user, STORIES_VIEW, Story.objects.select_related("unit", "author", "reviewer", "case"), pk
    )


def image_get(user, pk) -> StoryImage:
    return access.get_in_scope(
        user, STORIES_VIEW, StoryImage.objects.select_related("story__unit"), pk, field="story__unit"
    )


def story_images(story: Story) -> QuerySet[StoryImage]:
    return story.images.all()


# Public ----------------------------------------------------------------------------------------
def _consented(qs: QuerySet[Story]) -> QuerySet[Story]:
    """Stories about a beneficiary leave the public site the day the consent is withdrawn."""
    return qs.filter(Q(case__isnull=True) | beneficiaries.publication_consent_q("case"))


def public_stories(*, tag: str = "") -> QuerySet[Story]:
    qs = Story.objects.filter(status=StoryStatus.PUBLISHED).select_related("unit")
    if tag:
        qs = qs.filter(tags__icontains=tag)
    return _consented(qs).order_by("-published_at", "-id")


def public_story(pk) -> Story:
    return access.get_in_scope(None, "", public_stories(), pk, scoped=True)


def public_image(pk) -> StoryImage:
    stories = public_stories().values("pk")
    return access.get_in_scope(
        None, "", StoryImage.objects.filter(story__in=stories).select_related("story"), pk, scoped=True
    )


def first_images(stories) -> dict[int, StoryImage]:
    """The first image of each story, in one query."""
    ids = [s.pk for s in stories]
    found: dict[int, StoryImage] = {}
    for image in StoryImage.objects.filter(story_id__in=ids).order_by("story_id", "position", "id"):
        found.setdefault(image.story_id, image)
    return found


def last_change_subquery() -> Subquery:
    """The stories' last change, as a subquery another app's version query selects in its own
    query (the portal's cache key: one query a second for the ledger, campaigns and stories)."""
    return Subquery(Story.objects.order_by("-updated_at").values("updated_at")[:1])


def stories_version() -> str:
    """Changes whenever a story changes."""
    last = Story.objects.aggregate(m=Max("updated_at"))["m"]
    return f"{last.timestamp():.6f}" if last else "0"


@dataclass(frozen=True)
class PressFigures:
    stories: int
    good_deeds: int
    units_writing: int
    school_branches: int
    youth_members: int
    school_year: str


def press_figures() -> PressFigures:
    published = _consented(Story.objects.filter(status=StoryStatus.PUBLISHED))
    counts = published.aggregate(
        n=Count("id"), deeds=Count("id", filter=Q(kind="good_deed")), units=Count("unit", distinct=True)
    )
    year = SchoolReport.objects.aggregate(y=Max("school_year"))["y"] or ""
    schools = SchoolReport.objects.filter(school_year=year).aggregate(n=Count("id"), y=Sum("youth_members"))
    return PressFigures(
        stories=counts["n"],
        good_deeds=counts["deeds"],
        units_writing=counts["units"],
        school_branches=schools["n"] or 0,
        youth_members=schools["y"] or 0,
        school_year=year,
    )


def press_photos(limit: int = 24) -> list[StoryImage]:
    stories = public_stories().values("pk")
    return list(
        StoryImage.objects.filter(story__in=stories)
        .select_related("story__unit")
        .order_by("-story__published_at", "position", "id")[:limit]
    )


def public_tags(limit: int = 20) -> list[str]:
    counts: dict[str, int] = {}
    for tags in public_stories().values_list("tags", flat=True)[:500]:
        for tag in (t.strip() for t in tags.split(",")):
            if tag:
                counts[tag] = counts.get(tag, 0) + 1
    return [t for t, _n in sorted(counts.items(), key=lambda kv: (-kv[1], normalize(kv[0])))][:limit]


# Schools ---------------------------------------------------------------------------------------
def _school_scope_q(user) -> Q | None:
    """Where the user may read school reports: their units' subtrees, or (the education
    department's reporter) the schools under their role's unit; None: nowhere."""
    s = access.scope(user, SCHOOLS_VIEW)
    if not s.empty:
        return s.q("unit__path")
    agency = access.scope(user, SCHOOLS_AGENCY_VIEW)
    if agency.empty:
        return None
    if user.is_superuser:
        return Q()
    # `agencies_of` names the agencies on the user's assignments (a city reporter's scope is the city).
    education = Agency.objects.filter(pk__in=access.agencies_of(user), code__in=EDUCATION_AGENCY_CODES)
    return agency.q("unit__path") if education.exists() else None


def sees_schools(user) -> bool:
    return _school_scope_q(user) is not None


def school_reports(user, *, school_year: str = "") -> QuerySet[SchoolReport]:
    q = _school_scope_q(user)
    if q is None:
        return SchoolReport.objects.none()
    qs = SchoolReport.objects.filter(q).select_related("unit", "unit__parent")
    if school_year:
        qs = qs.filter(school_year=school_year)
    return qs.order_by("-school_year", "unit__parent__name", "unit__name")


def school_totals(qs: QuerySet[SchoolReport]) -> dict:
    return qs.aggregate(
        schools=Count("id"),
        pupils=Sum("pupils"),
        youth_members=Sum("youth_members"),
        new_members=Sum("new_members"),
        activities=Sum("activities"),
        first_aid_trained=Sum("first_aid_trained"),
        pupils_helped=Sum("pupils_helped"),
        value_raised=Sum("value_raised"),
    )


def school_years(user) -> list[str]:
    q = _school_scope_q(user)
    if q is None:
        return []
    return list(
        SchoolReport.objects.filter(q)
        .values_list("school_year", flat=True)
        .distinct()
        .order_by("-school_year")
    )


def current_school_year(on=None) -> str:
    on = on or timezone.localdate()
    start = on.year if on.month >= 8 else on.year - 1
    return f"{start}-{start + 1}"


def school_units(user, perm: str) -> QuerySet[Unit]:
    """The open school branches where the user may report."""
    today = timezone.localdate()
    return (
        access.scope(user, perm)
        .units()
        .filter(branch_type=BranchType.SCHOOL)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("parent")
        .order_by("parent__name", "name")
    )


def front_latest(limit: int = 6) -> dict | None:
    """The public home page's section: the latest published stories with their first image."""
    latest = list(public_stories()[:limit])
    if not latest:
        return None
    return {"stories": latest, "firsts": first_images(latest)}
