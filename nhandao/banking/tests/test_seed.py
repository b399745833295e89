"""The demo's bank side, read from the city seeded once for the session."""

from nhandao.banking.models import StatementColumnMapping


def test_the_demo_has_column_mappings_that_validate(seeded_city, db):
    mappings = list(StatementColumnMapping.objects.all())
    assert len(mappings) == 2
    for mapping in mappings:
        mapping.spec().layout()  # validates


def test_the_demo_has_imported_statements_a_queue_and_a_rule(seeded_city, db):
    from nhandao.banking.models import AssignmentRule, LineStatus, StatementImport, StatementLine

    assert StatementImport.objects.filter(status="imported").count() == 2
    assert StatementLine.objects.filter(status=LineStatus.QUEUED).exists()
    assert StatementLine.objects.filter(status=LineStatus.POSTED, rule__isnull=False).exists()
    assert StatementLine.objects.filter(status=LineStatus.POSTED, rule__isnull=True).exists()
    assert AssignmentRule.objects.count() == 1
    assert StatementLine.objects.count() == 40  # the overlap stored once
