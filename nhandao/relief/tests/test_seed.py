"""The demo's Yagi carries preparedness and deployments (seed_demo --scale small)."""

from __future__ import annotations

from nhandao.people.models import VolunteerHours
from nhandao.relief.models import Deployment, DeploymentHours, HazardArea, ReadinessCheck, ResponseTeam


def test_the_demo_has_teams_readiness_and_deployments_with_hours(seeded_city, db):
    assert ResponseTeam.objects.count() >= 3
    assert HazardArea.objects.exists()
    assert ReadinessCheck.objects.filter(season=2024).count() >= 50
    assert Deployment.objects.filter(incident__is_demo=True).exists()
    links = DeploymentHours.objects.select_related("entry")
    assert links.exists()
    assert all("Yagi" in link.entry.activity for link in links)
    assert VolunteerHours.objects.filter(pk__in=links.values("entry")).count() == links.count()
