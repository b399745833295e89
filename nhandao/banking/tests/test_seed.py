import pytest
from django.core.management import call_command

from nhandao.banking.models import StatementColumnMapping


@pytest.mark.django_db
def test_the_demo_has_column_mappings_that_validate(geo):
    call_command("seed_demo", "--scale", "small")
    mappings = list(StatementColumnMapping.objects.all())
    assert len(mappings) == 2
    for mapping in mappings:
        mapping.spec().layout()  # validates


@pytest.mark.django_db
def test_the_demo_has_imported_statements_a_queue_and_a_rule(geo):
    from nhandao.banking.models import AssignmentRule, LineStatus, StatementImport, StatementLine

    call_command("seed_demo", "--scale", "small")
    assert StatementImport.objects.filter(status="imported").count() == 2
    assert StatementLine.objects.filter(status=LineStatus.QUEUED).exists()
    assert StatementLine.objects.filter(status=LineStatus.POSTED, rule__isnull=False).exists()
    assert StatementLine.objects.filter(status=LineStatus.POSTED, rule__isnull=True).exists()
    assert AssignmentRule.objects.count() == 1
    assert StatementLine.objects.count() == 40  # the overlap stored once
