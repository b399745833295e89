"""No public query scans the gifts without an index (PostgreSQL, production's planner).

The campaign gets 30,000 more gifts (generated in SQL, then ANALYZE) so that the planner
chooses as it does on a real campaign; each public search's plan must then use the index
made for it, and none may read the table sequentially.  bench/portal.py shows the same
plans at a million gifts.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from nhandao.core.tests import helpers
from nhandao.funds import public as funds
from nhandao.funds.models import Donation, PublicName
from nhandao.funds.services import public_names_rebuild
from nhandao.portal import forms

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")

GENERATED = 30_000


@pytest.fixture
def big_campaign(portal):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO funds_donation (
                channel, donor_name, display, public_name, public_key, amount, currency, received_on,
                external_ref, counterparty_name, counterparty_account, memo, note, receipt_year,
                receipt_number, verify_code, status, recorded_at, search_key, account_id,
                bank_account_id, campaign_id, unit_id, fund_id)
            SELECT channel, '', display, 'Nhà hảo tâm', 'ten ' || md5(g::text), 10000 * (1 + g %% 500),
                currency, received_on - (g %% 90), 'G' || g, '', lpad((g * 7919 %% 1000000)::text, 10, '0'),
                '', '', receipt_year, 900000 + g, 'T' || g, status, recorded_at, '', account_id,
                bank_account_id, campaign_id, unit_id, fund_id
            FROM funds_donation d, generate_series(1, %s) g WHERE d.id = %s
            """,
            [GENERATED, portal.anonymous_gift.pk],
        )
    public_names_rebuild(portal.campaign)  # the gifts above were written outside the services
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE funds_donation")
        cursor.execute("ANALYZE funds_publicname")
    return portal.campaign


def plan(queryset) -> str:
    """The planner's own choice, on the campaign's real-looking statistics."""
    return helpers.plan(queryset, seqscan=True)


def _days_ago(n: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=n)).strftime("%d/%m/%Y")


SEARCHES = [
    ({"q": "nguyen thi mai"}, ["funds_donation_campaign_name"]),
    # "ten" is in each of the 30,000 generated names: common, read newest first.
    ({"q": "ten"}, ["funds_donation_campaign_day"]),
    ({"so_tien": "500.000"}, ["funds_donation_campaign_amount"]),
    ({"tu_ngay": _days_ago(10), "den_ngay": _days_ago(9)}, ["funds_donation_campaign_day"]),
    ({"tai_khoan": "433"}, ["funds_donation_campaign_digits"]),
    ({"ma": "FT24999000111"}, ["funds_donation_campaign_ref", "funds_donation_bank_ref_unique"]),
]


@pytest.mark.parametrize(
    ("params", "indexes"), SEARCHES, ids=lambda p: "&".join(p) if isinstance(p, dict) else ""
)
def test_every_public_search_is_served_by_its_index(big_campaign, params, indexes):
    q = forms.gift_query(params)
    assert not q.errors and q.is_filtered
    scan = plan(
        funds.public_gifts_filtered(big_campaign, **q.filters)
        .order_by("-received_on", "-id")
        .values_list("id", "amount")[:1001]
    )
    assert any(name in scan for name in indexes) and "Seq Scan on funds_donation" not in scan, scan
    page = plan(funds.public_gift_rows(big_campaign).filter(id__in=[1, 2, 3]))
    assert "funds_donation_pkey" in page and "Seq Scan on funds_donation" not in page, page


def test_the_receipt_check_and_the_latest_gifts_are_served_by_an_index(big_campaign):
    assert "funds_donation_verify_code" in plan(Donation.objects.filter(verify_code="T123"))
    latest = plan(funds.public_gift_rows(big_campaign)[:10])
    assert "funds_donation_campaign_day" in latest and "Seq Scan on funds_donation" not in latest, latest


def test_the_names_containing_a_fragment_are_found_by_their_trigram_index(big_campaign):
    names = plan(PublicName.objects.filter(campaign=big_campaign, key__contains="nguyen thi mai"))
    assert "funds_publicname_key_trgm" in names and "Seq Scan" not in names, names


@pytest.fixture
def big_general_fund(big_campaign, portal):
    """As many gifts again outside any campaign, in the city's general fund (the one search's other place)."""
    from nhandao.funds.models import Fund, FundKind

    fund = Fund.objects.get(unit=portal.campaign.unit, kind=FundKind.GENERAL)
    account = fund.accounts.filter(kind="cash").values_list("id", flat=True).first()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO funds_donation (
                channel, donor_name, display, public_name, public_key, amount, currency, received_on,
                external_ref, counterparty_name, counterparty_account, memo, note, receipt_year,
                receipt_number, verify_code, status, recorded_at, search_key, account_id,
                bank_account_id, campaign_id, unit_id, fund_id)
            SELECT 'cash', '', display, 'Nhà hảo tâm', 'quy ' || md5(g::text), 10000 * (1 + g %% 500),
                currency, received_on - (g %% 90), 'Q' || g, '', lpad((g * 7919 %% 1000000)::text, 10, '0'),
                '', '', receipt_year, 950000 + g, 'Q' || g, status, recorded_at, '', %s,
                NULL, NULL, %s, %s
            FROM funds_donation d, generate_series(1, %s) g WHERE d.id = %s
            """,
            [account, fund.unit_id, fund.pk, GENERATED, portal.anonymous_gift.pk],
        )
        cursor.execute("ANALYZE funds_donation")
    public_names_rebuild(None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE funds_publicname")
    return fund


@pytest.mark.parametrize(
    ("params", "indexes"),
    [(p, i) for p, i in SEARCHES if "ma" not in p],
    ids=lambda p: "&".join(p) if isinstance(p, dict) else "",
)
def test_the_one_search_merges_each_places_indexed_scan(big_general_fund, portal, params, indexes):
    q = forms.gift_query(params)
    campaign_ids, fund_ids = funds.public_gift_places().scope()
    assert campaign_ids == [portal.campaign.pk] and fund_ids is None
    sql, args = funds.public_gifts_everywhere(
        limit=1001, campaign_ids=campaign_ids, fund_ids=fund_ids, **q.filters
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, args)
        scan = "\n".join(row[0] for row in cursor.fetchall())
    assert any(name in scan for name in indexes) and "Seq Scan on funds_donation" not in scan, scan
    if "q" not in params:  # both places hold the fragment: each branch sorts its names' few gifts
        assert "Merge Append" in scan, scan
