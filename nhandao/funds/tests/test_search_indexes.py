"""The trigram indexes of migration funds/0003 still serve the staff search (search_key) and the
portal's search by name fragment (public_key) after batch imports write gifts in bulk."""

import datetime as dt

import pytest
from django.db import connection

from conftest import make_user
from nhandao.core.access import Role
from nhandao.core.tests import helpers
from nhandao.funds import public, services
from nhandao.funds.models import Channel, Donation
from nhandao.funds.services import DonationInput
from nhandao.org.services import role_assign

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
    found = public.public_gifts_filtered(appeal, query="thi mai")
    assert {d.donor_name for d in found} == {"Nguyễn Thị Mai", "Lê Thị Mai Anh"}
    assert Donation.objects.filter(search_key__contains="tran van").count() == 1


@pytest.mark.parametrize(
    ("column", "index"),
    [("search_key", "funds_donation_search_key_trgm")],
)
def test_a_fragment_search_uses_its_trigram_index_on_postgresql(column, index):
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's; elsewhere the same query scans the table.")
    assert index in plan(Donation.objects.filter(**{f"{column}__contains": "thi mai"}))


def test_a_campaign_counts_its_gifts_by_public_name(world, appeal, gifts):
    from nhandao.funds.models import Display, PublicName

    def counts():
        return dict(PublicName.objects.filter(campaign=appeal).values_list("key", "gifts"))

    assert counts() == {"nguyen thi mai": 1, "tran van hung": 1, "le thi mai anh": 1}
    services.donations_record_batch(
        actor=world.city_admin,
        rows=[
            DonationInput(
                channel=Channel.CASH,
                amount=5_000,
                received_on=today(),
                campaign=appeal,
                unit=world.city,
                donor_name="NGUYEN THI MAI",
            )
        ]
        * 2,
    )
    assert counts()["nguyen thi mai"] == 3
    # A new display choice publishes the gift under another name: that name counts it too
    # (the counts only grow; they choose how to search, the gifts themselves decide what is found).
    services.donation_set_display(actor=world.city_admin, donation=gifts[1], display=Display.INITIALS)
    assert counts()["t.v.h."] == 1
    assert [d.pk for d in public.public_gifts_filtered(appeal, query="tran van")] == []
    assert [d.pk for d in public.public_gifts_filtered(appeal, query="t.v.h")] == [gifts[1].pk]


@pytest.mark.parametrize(
    ("query", "found"),
    [("thi mai", {"Lê Thị Mai Anh"}), ("nguyen", set()), ("van", {"Trần Văn Hùng"}), ("zzz", set())],
)
def test_a_common_fragment_finds_the_same_gifts_walking_the_campaign(
    world, appeal, gifts, monkeypatch, query, found
):
    """Whether its names are few (gifts read by name) or common (the campaign read newest first),
    a fragment finds the same posted gifts; a reversed gift is found by neither."""
    approver = make_user("approver_city")
    role_assign(
        actor=None, user=approver, unit=world.city, role=Role.FINANCE_APPROVER, valid_from=dt.date(2025, 7, 1)
    )
    services.donation_reverse(actor=approver, donation=gifts[0], reason="Nhập trùng")

    def search():
        return {d.donor_name for d in public.public_gifts_filtered(appeal, query=query)}

    assert search() == found
    monkeypatch.setattr(public, "NAMES_AT_MOST", 0)
    assert search() == found
