import pytest


@pytest.fixture(autouse=True)
def beneficiary_lookups(db):
    """The seeded categories and rules (a transactional test elsewhere may have flushed them)."""
    from nhandao.beneficiaries.lookups import ensure_lookups

    ensure_lookups()
