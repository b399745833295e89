from django.core.management import call_command

from nhandao.banking.models import StatementColumnMapping


def test_the_demo_has_column_mappings_that_validate(geo):
    call_command("seed_demo", "--scale", "small")
    mappings = list(StatementColumnMapping.objects.all())
    assert len(mappings) == 2
    for mapping in mappings:
        mapping.spec().layout()  # validates
