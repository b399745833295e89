"""Demo beneficiaries: realistic, consistent with the rules the services enforce, deterministic."""

from django.db.models import Count, Max

from nhandao.beneficiaries import selectors
from nhandao.beneficiaries.models import Case, CaseCategory, Commitment, HelpRecord, Member
from nhandao.org.models import Unit


def test_seed_demo_builds_cases_that_obey_the_rules(seeded_city, db):
    cases = Case.objects.all()
    assert cases.count() >= 700
    assert set(cases.values_list("status", flat=True)) == {
        "proposed",
        "reviewed",
        "confirmed",
        "active",
        "closed",
    }
    # Help only ever went to cases that were confirmed (or closed after being helped).
    assert not HelpRecord.objects.filter(case__status__in=["proposed", "reviewed"]).exists()
    # The register's own history is exactly the scale's; the fund's seed adds a few payments to
    # confirmed cases on top, and the relief seed the Yagi distributions' receipts (each record
    # carries its source_ref).
    assert HelpRecord.objects.filter(source_ref="").count() == 5000
    others = HelpRecord.objects.exclude(source_ref="")
    assert (
        not others.exclude(source_ref__startswith="funds.").exclude(source_ref__startswith="relief.").exists()
    )
    assert others.filter(source_ref__startswith="relief.recipient:").exists()
    assert HelpRecord.objects.filter(status="cancelled").exclude(cancel_reason="").exists()
    assert HelpRecord.objects.exclude(duplicate_reason="").filter(duplicate_of__isnull=False).exists()
    # Each household's head is its member with the head relationship; categories carry evidence.
    heads = Member.objects.filter(relationship__in=["head", "self"]).values("case").annotate(n=Count("id"))
    assert all(row["n"] == 1 for row in heads) and heads.count() == cases.count()
    required = CaseCategory.objects.filter(category__requires_evidence=True)
    assert required.exists() and not required.filter(evidence_number="").exists()
    # Derived columns agree with the rows.
    for case in cases.filter(last_help_on__isnull=False)[:50]:
        assert case.last_help_on == case.help_records.filter(status="valid").aggregate(d=Max("date"))["d"]
    for c in Commitment.objects.all()[:50]:
        assert c.delivered_count == c.deliveries.filter(status="valid").count()
    assert Commitment.objects.count() == 120
    assert cases.filter(share_consent=False).exists() and cases.filter(share_consent=True).exists()
    stats = selectors.subtree_stats(Unit.objects.get(code="HP"))
    assert stats["cases_active"] == cases.filter(status="active").count()
