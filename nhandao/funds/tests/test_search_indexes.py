"""The trigram indexes of migration funds/0003 still serve the staff search (search_key) and the
portal's search by name fragment (public_key) after batch imports write gifts in bulk."""

import pytest
from django.db import connection

from nhandao.core.tests import helpers
from nhandao.funds import selectors, services
from nhandao.funds.models import Channel, Donation
from nhandao.funds.services import DonationInput

from .conftest import today

pytestmark = pytest.mark.django_db


def plan(qs) -> str:
    """The plan of the filter alone (no ordering), sequential scans ruled out."""
    return helpers.plan(qs.order_by())


@pytest.fixture
def gifts(world, appeal):
    rows = [
        DonationInput(
            channel=Channel.CASH,
            amount=10_000 * (i + 1),
            received_on=today(),
            campaign=appeal,
            unit=world.city,
            donor_name=name,
        )
        for i, name in enumerate(["Nguyễn Thị Mai", "Trần Văn Hùng", "Lê Thị Mai Anh"])
    ]
    return services.donations_record_batch(actor=world.city_admin, rows=rows)


def test_a_name_fragment_finds_the_batch_posted_gifts(world, appeal, gifts):
    found = selectors.public_gifts_filtered(appeal, query="thi mai")
    assert {d.donor_name for d in found} == {"Nguyễn Thị Mai", "Lê Thị Mai Anh"}
    assert Donation.objects.filter(search_key__contains="tran van").count() == 1


@pytest.mark.parametrize(
    ("column", "index"),
    [("public_key", "funds_donation_public_key_trgm"), ("search_key", "funds_donation_search_key_trgm")],
)
def test_a_fragment_search_uses_its_trigram_index_on_postgresql(column, index):
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's; elsewhere the same query scans the table.")
    assert index in plan(Donation.objects.filter(**{f"{column}__contains": "thi mai"}))
