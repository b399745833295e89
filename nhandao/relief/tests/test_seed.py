"""The demo's Yagi carries preparedness and deployments (seed_demo --scale small)."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from nhandao.beneficiaries.models import HelpRecord
from nhandao.people.models import VolunteerHours
from nhandao.relief.models import (
    Deployment,
    DeploymentHours,
    HazardArea,
    ReadinessCheck,
    Recipient,
    ResponseTeam,
    StockBalance,
    StockIssue,
)


def test_the_demo_has_teams_readiness_and_deployments_with_hours(seeded_city, db):
    assert ResponseTeam.objects.count() >= 3
    assert HazardArea.objects.exists()
    assert ReadinessCheck.objects.filter(season=2024).count() >= 50
    assert Deployment.objects.filter(incident__is_demo=True).exists()
    links = DeploymentHours.objects.select_related("entry")
    assert links.exists()
    assert all("Yagi" in link.entry.activity for link in links)
    assert VolunteerHours.objects.filter(pk__in=links.values("entry")).count() == links.count()


def test_the_demo_serves_its_lists_at_the_counter_and_from_the_signed_paper_list(seeded_city, db):
    """Beyond the households confirmed one by one, the rest of each list is entered in bulk: every
    served household has its help record and its stock issue, and the help records of a bulk issue
    add up to its value (the goods that left the warehouse)."""
    served = Recipient.objects.filter(plan__incident__is_demo=True, received_at__isnull=False)
    assert served.count() > 4 * 15
    assert not served.filter(Q(help_record__isnull=True) | Q(issue__isnull=True)).exists()
    records = HelpRecord.objects.filter(pk__in=served.values("help_record_id"))
    assert records.count() == served.count()
    assert set(records.values_list("source_ref", flat=True)) == {
        f"relief.recipient:{pk}" for pk in served.values_list("pk", flat=True)
    }
    shared = served.values("issue_id").annotate(n=Count("pk"), v=Sum("help_record__value")).filter(n__gt=1)
    assert shared
    values = dict(
        StockIssue.objects.filter(pk__in=[s["issue_id"] for s in shared]).values_list("pk", "value")
    )
    assert all(values[s["issue_id"]] == s["v"] for s in shared)
    assert not StockBalance.objects.filter(quantity__lt=0).exists()
    days = {(r.received_at.date(), r.plan.planned_on) for r in served.select_related("plan")}
    assert all(received == planned for received, planned in days)
