"""Each filter of the audit trail is served by an index on PostgreSQL (migration core/0004 keeps one
index per filter instead of thirteen), and gives the same events on every database."""

import pytest
from django.db import connection, transaction

from nhandao.core import audit
from nhandao.core.models import AuditEvent
from nhandao.core.tests import helpers
from nhandao.org import selectors
from nhandao.org.selectors import AuditFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(world):
    with transaction.atomic():
        for unit in (world.commune_a, world.commune_b):
            audit.record(actor=world.city_admin, action="funds.donation.recorded", obj=unit, unit=unit)
            audit.record(actor=None, action="banking.statement.imported", obj=unit, unit=unit)
    return world


def plan(qs) -> str:
    """The plan of the filter alone (no ordering), sequential scans ruled out."""
    return helpers.plan(qs.order_by())


def test_every_filter_finds_the_same_events_as_reading_the_whole_trail(trail):
    world = trail
    every = list(AuditEvent.objects.all())
    assert len(every) >= 4

    def check(f: AuditFilter, wanted) -> None:
        found = selectors.audit_events(world.city_admin, f)
        assert {e.pk for e in found} == {e.pk for e in every if wanted(e)}
        assert found.exists()

    check(AuditFilter(unit=world.commune_a), lambda e: e.unit_path.startswith(world.commune_a.path))
    check(AuditFilter(action="funds.donation"), lambda e: e.action.startswith("funds.donation"))
    check(AuditFilter(actor=world.city_admin.pk), lambda e: e.actor_id == world.city_admin.pk)
    unit_type = AuditEvent.objects.filter(unit_id=world.commune_b.pk).first().object_type
    pk = str(world.commune_b.pk)
    check(
        AuditFilter(object_type=unit_type, object_id=pk),
        lambda e: (e.object_type, e.object_id) == (unit_type, pk),
    )
    check(AuditFilter(object_id=pk), lambda e: e.object_id == pk)


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"unit_path__startswith": "0001"}, "core_audit_unit_path"),
        ({"unit_path": "0001"}, "core_audit_unit_path"),
        ({"action__startswith": "funds."}, "core_audit_action"),
        ({"action": "funds.donation.recorded"}, "core_audit_action"),
        # object_id alone is as selective on an empty table: either index serves the pair.
        (
            {"object_type": "org.unit", "object_id": "7"},
            "core_audite_object__bbabc4_idx|core_audit_object_id",
        ),
        ({"object_type": "org.unit"}, "core_audite_object__bbabc4_idx"),
        ({"object_id": "7"}, "core_audit_object_id"),
        ({"actor_id": 1}, "core_audite_actor_i_6b0cd5_idx"),
    ],
)
def test_each_audit_filter_uses_an_index_on_postgresql(filters, index):
    if connection.vendor != "postgresql":
        pytest.skip("Index plans are PostgreSQL's; SQLite gets the same indexes without opclasses.")
    text = plan(AuditEvent.objects.filter(**filters))
    assert any(name in text for name in index.split("|")), text


def test_the_trail_has_one_index_per_filter_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL catalogue.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'core_auditevent'")
        names = {row[0] for row in cursor.fetchall()}
    assert not any(name.endswith("_like") for name in names)
    assert len(names) == 7
