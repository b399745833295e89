"""A campaign's published totals at a million gifts, without summing a million entries per page.

The ledger is append-only: the sums of a campaign's entries up to entry number N
never change.  The portal keeps them (in the cache, for a day) and adds only the
entries posted after N (index (campaign, number)).  The number of gifts is kept
the same way by donation id; reversals, the one change to an old gift, are
counted apart (a partial index).  The result equals `funds.public.campaign_totals`
(tests compare them after new gifts, payments and reversals).
"""

from __future__ import annotations

from django.core.cache import cache

from nhandao.funds import public as funds
from nhandao.funds.models import AccountKind
from nhandao.org.models import Unit

SNAPSHOT_SECONDS = 24 * 3600


def _snapshot(campaign) -> dict:
    # The code is random and the creation time exact: a key never names another database's campaign.
    key = f"portal:totals:v1:{campaign.pk}:{campaign.code}:{campaign.created_at.timestamp():.6f}"
    snap = cache.get(key)
    if snap is None or snap["number"] > funds.ledger_version():
        snap = {"number": 0, "sums": {}, "gift_id": 0, "gifts": 0}
    last, new = funds.campaign_entry_sums(campaign, after=snap["number"])
    n, last_id = funds.campaign_gift_counts(campaign, after_id=snap["gift_id"])
    if last != snap["number"] or last_id != snap["gift_id"]:
        sums = dict(snap["sums"])
        for k, v in new.items():
            sums[k] = sums.get(k, 0) + v
        snap = {"number": last, "sums": sums, "gift_id": last_id, "gifts": snap["gifts"] + n}
        cache.set(key, snap, SNAPSHOT_SECONDS)
    return snap


def campaign_totals(campaign) -> funds.CampaignTotals:
    snap = _snapshot(campaign)
    by_kind: dict[str, int] = {}
    for (_unit, kind), value in snap["sums"].items():
        by_kind[kind] = by_kind.get(kind, 0) + value
    return funds.CampaignTotals(
        raised_money=-by_kind.get(AccountKind.INCOME, 0),
        raised_goods=-by_kind.get(AccountKind.INCOME_GOODS, 0),
        spent_money=by_kind.get(AccountKind.EXPENSE, 0),
        spent_goods=by_kind.get(AccountKind.GOODS_ISSUED, 0),
        transferred=by_kind.get(AccountKind.TRANSFER_OUT, 0),
        balance_money=by_kind.get(AccountKind.CASH, 0) + by_kind.get(AccountKind.BANK, 0),
        balance_goods=by_kind.get(AccountKind.GOODS, 0),
        pledged_outstanding=by_kind.get(AccountKind.PLEDGES, 0),
        gifts=snap["gifts"] - funds.campaign_reversed_gifts(campaign),
        goods_lost=by_kind.get(AccountKind.GOODS_LOSS, 0) + by_kind.get(AccountKind.GOODS_GAIN, 0),
    )


def campaign_totals_by_unit(campaign) -> list[dict]:
    """As `funds.public.campaign_totals_by_unit`, from the kept sums."""
    snap = _snapshot(campaign)
    unit_ids = {unit for unit, _kind in snap["sums"]}
    names = {u.pk: (u.name, u.path) for u in Unit.objects.filter(pk__in=unit_ids).only("name", "path")}
    return funds.unit_totals(
        (unit_id, *names.get(unit_id, ("", "")), kind, s) for (unit_id, kind), s in snap["sums"].items()
    )
