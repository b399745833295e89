"""The plans seed builds the register and the inspection year (issue 14, point 7–8 in seed_demo)."""

from __future__ import annotations

import io

from nhandao.core.seeding import SeedContext
from nhandao.org import services as org
from nhandao.plans import seed
from nhandao.plans.models import Inspection, Issue, IssueResponse, Recommendation
from nhandao.plans.tests.conftest import AGENCIES


def test_the_seed_answers_difficulties_and_builds_an_inspection_year_with_overdue_recommendations(
    world, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    for code, name, kind in AGENCIES:
        org.agency_create(actor=None, code=code, name=name, kind=kind)
    ctx = SeedContext(scale="small", seed=7, stdout=io.StringIO())
    ctx.data.update(commune_a=world.commune_a, commune_b=world.commune_b)
    seed.run(ctx)
    assert Issue.objects.filter(unit=world.commune_b).exists()  # Ngô Quyền's forced reports raise some
    assert IssueResponse.objects.exists()
    assert set(Inspection.objects.values_list("unit", flat=True)) == {world.commune_a.pk, world.commune_b.pk}
    recs = Recommendation.objects.all()
    assert recs.exists() and any(r.is_overdue for r in recs)
    assert "kiểm tra 2025" in ctx.stdout.getvalue()
