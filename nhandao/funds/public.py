"""Public reads of the fund: what anyone may see, for the transparency portal.

No function here takes a user.  They never return a real name behind an anonymous choice, an
account number (only the three characters a bank statement leaves visible), a phone or a
beneficiary.  Campaign totals equal the ledger's sums by construction.  The portal imports this
module and never `funds.selectors` (the staff reads, scoped by who asks); a test walks the
portal's imports to keep it so.  Staff pages may use these reads too (the ledger digests page,
a campaign's totals).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Case, CharField, Count, F, Max, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, Length

from nhandao.campaigns.models import Campaign, CampaignStatus
from nhandao.core.collation import vi
from nhandao.core.text import normalize

from . import ledger
from .models import (
    ACCOUNT_SUFFIX,
    AccountKind,
    BankAccount,
    ChainHead,
    Channel,
    Disbursement,
    DisbursementKind,
    DisbursementStatus,
    Donation,
    DonationItem,
    Entry,
    Fund,
    FundKind,
    LedgerDigest,
    Pledge,
    PublicName,
    RecordStatus,
)

logger = logging.getLogger(__name__)


# Campaign totals (the portal shows these; they equal the ledger by construction) --------
@dataclass
class CampaignTotals:
    raised_money: int = 0  # gifts of money received (net of reversals)
    raised_goods: int = 0  # estimated value of goods received
    spent_money: int = 0  # paid out to people (net of reversals)
    spent_goods: int = 0  # value of goods issued to people
    transferred: int = 0  # moved down to sub-units' funds (still the campaign's money)
    balance_money: int = 0  # cash and bank held for the campaign
    balance_goods: int = 0  # goods in stock for the campaign
    pledged_outstanding: int = 0
    gifts: int = 0  # number of gifts (not reversed)
    # Value of goods found missing (net of goods found in excess) by stock counts and short
    # transfers: what was received = spent + transferred + held + this.
    goods_lost: int = 0

    @property
    def raised(self) -> int:
        return self.raised_money + self.raised_goods

    @property
    def spent(self) -> int:
        return self.spent_money + self.spent_goods


def campaign_totals(
    campaign, *, unit_path: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None
) -> CampaignTotals:
    """Sums of the ledger's entries tagged with the campaign (optionally within a unit's subtree).

    With a period, the flows (raised, spent, transferred) are those dated in it and
    the balances are those at its end.
    """
    entries = Entry.objects.filter(campaign=campaign)
    gifts = Donation.objects.filter(campaign=campaign, status=RecordStatus.POSTED)
    if unit_path:
        entries = entries.filter(fund__unit__path__startswith=unit_path)
        gifts = gifts.filter(unit__path__startswith=unit_path)
    if date_to is not None:
        entries = entries.filter(value_date__lte=date_to)
        gifts = gifts.filter(received_on__lte=date_to)
    before: dict[str, int] = {}
    if date_from is not None:
        gifts = gifts.filter(received_on__gte=date_from)
        before = dict(
            entries.filter(value_date__lt=date_from).values_list("account__kind").annotate(s=Sum("amount"))
        )
    balances = dict(entries.values_list("account__kind").annotate(s=Sum("amount")))
    # Flows of the period: everything up to its end minus what came before it.
    sums = {kind: value - before.get(kind, 0) for kind, value in balances.items()}
    transfer_out = sums.get(AccountKind.TRANSFER_OUT, 0)
    if unit_path:
        # Within a subtree only what left the subtree counts as moved away.
        transfer_out += sums.get(AccountKind.TRANSFER_IN, 0)
    return CampaignTotals(
        raised_money=-sums.get(AccountKind.INCOME, 0),
        raised_goods=-sums.get(AccountKind.INCOME_GOODS, 0),
        spent_money=sums.get(AccountKind.EXPENSE, 0),
        spent_goods=sums.get(AccountKind.GOODS_ISSUED, 0),
        transferred=transfer_out,
        balance_money=balances.get(AccountKind.CASH, 0) + balances.get(AccountKind.BANK, 0),
        balance_goods=balances.get(AccountKind.GOODS, 0),
        pledged_outstanding=balances.get(AccountKind.PLEDGES, 0),
        gifts=gifts.count(),
        goods_lost=sums.get(AccountKind.GOODS_LOSS, 0) + sums.get(AccountKind.GOODS_GAIN, 0),
    )


def campaign_entry_sums(campaign, *, after: int = 0) -> tuple[int, dict[tuple[int, str], int]]:
    """Sums of a campaign's entries numbered above `after`, by (unit holding the fund, account kind),
    and the last entry number seen.  The ledger is append-only, so sums up to a number never change:
    the portal keeps them and adds only the entries posted since (index (campaign, number))."""
    rows = (
        Entry.objects.filter(campaign=campaign, number__gt=after)
        .values("fund__unit_id", "account__kind")
        .annotate(s=Sum("amount"), last=Max("number"))
    )
    sums: dict[tuple[int, str], int] = {}
    last = after
    for r in rows:
        sums[(r["fund__unit_id"], r["account__kind"])] = r["s"] or 0
        last = max(last, r["last"])
    return last, sums


def campaign_gift_counts(campaign, *, after_id: int = 0) -> tuple[int, int]:
    """(number of the campaign's gifts with id above `after_id`, the highest id): gifts are never deleted."""
    row = Donation.objects.filter(campaign=campaign, pk__gt=after_id).aggregate(n=Count("id"), last=Max("id"))
    return row["n"], row["last"] or after_id


def campaign_reversed_gifts(campaign) -> int:
    """Gifts of a campaign reversed since (partial index: reversals are rare)."""
    return Donation.objects.filter(campaign=campaign, status=RecordStatus.REVERSED).count()


def campaign_totals_by_unit(campaign) -> list[dict]:
    """Per unit holding the campaign's money: received, spent, held (for the campaign page)."""
    rows = (
        Entry.objects.filter(campaign=campaign)
        .values("fund__unit_id", "fund__unit__name", "fund__unit__path", "account__kind")
        .annotate(s=Sum("amount"))
    )
    return unit_totals(
        (r["fund__unit_id"], r["fund__unit__name"], r["fund__unit__path"], r["account__kind"], r["s"] or 0)
        for r in rows
    )


def unit_totals(sums: Iterable[tuple[int, str, str, str, int]]) -> list[dict]:
    """Per-unit totals of a campaign from ledger sums `(unit id, name, path, account kind, sum)`.

    Income accounts carry credits (negative), so received amounts are negated; the
    portal's kept totals use the same classification.
    """
    units: dict[int, dict] = {}
    for unit_id, name, path, kind, s in sums:
        u = units.setdefault(
            unit_id,
            {
                "unit_id": unit_id,
                "name": name,
                "path": path,
                "raised": 0,
                "received_transfers": 0,
                "spent": 0,
                "transferred": 0,
                "held": 0,
            },
        )
        if kind in (AccountKind.INCOME, AccountKind.INCOME_GOODS):
            u["raised"] -= s
        elif kind == AccountKind.TRANSFER_IN:
            u["received_transfers"] -= s
        elif kind in (AccountKind.EXPENSE, AccountKind.GOODS_ISSUED):
            u["spent"] += s
        elif kind == AccountKind.TRANSFER_OUT:
            u["transferred"] += s
        elif kind in (AccountKind.CASH, AccountKind.BANK, AccountKind.GOODS):
            u["held"] += s
    return sorted(units.values(), key=lambda u: u["path"])


# Public reads for the transparency portal -------------------------------------------------
PUBLIC_GIFT_FIELDS = (
    "id",
    "received_on",
    "public_name",
    "amount",
    "channel",
    "currency",
    "unit__name",
)
# The portal's search results add the three visible characters of the sender's account.
PUBLIC_GIFT_ROW_FIELDS = (*PUBLIC_GIFT_FIELDS, "account_suffix")


def public_gifts(
    campaign,
    *,
    query: str = "",
    amount: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    account_suffix: str = "",
    reference: str = "",
) -> QuerySet:
    """Gifts to a campaign as the public may see them (values only: no real name behind a choice,
    of the sender's account only the three characters the bank left visible).

    `account_suffix` matches those three characters; `reference` is the bank's transaction
    reference or the receipt's verification code (exact, as printed).  Every filter is served
    by an index on PostgreSQL: trigram on the campaign's names (PublicName) then (campaign,
    public_key), (campaign, amount), (campaign, account suffix expression), (campaign,
    external_ref), (campaign, received_on).
    """
    qs = public_gifts_filtered(
        campaign,
        query=query,
        amount=amount,
        date_from=date_from,
        date_to=date_to,
        account_suffix=account_suffix,
        reference=reference,
    )
    return qs.order_by("-received_on", "-id").values(*PUBLIC_GIFT_FIELDS)


def public_gift_rows(campaign, **filters) -> QuerySet:
    """`public_gifts` plus `account_suffix`: what a bank statement publishes of the sender's account
    (three characters; nothing when the account is too short to hide the rest)."""
    qs = _with_account_suffix(public_gifts_filtered(campaign, **filters))
    return qs.order_by("-received_on", "-id").values(*PUBLIC_GIFT_ROW_FIELDS)


def _with_account_suffix(qs: QuerySet[Donation]) -> QuerySet[Donation]:
    return qs.alias(_account_length=Length("counterparty_account")).annotate(
        account_suffix=Case(
            When(_account_length__gt=5, then=ACCOUNT_SUFFIX),
            default=Value(""),
            output_field=CharField(),
        )
    )


# A name fragment found in more distinct names, or under more gifts, than this is common: its
# gifts are dense among the campaign's, and walking the campaign newest first finds a page of
# them sooner than fetching them all by name.
NAMES_AT_MOST = 5_000
GIFTS_AT_MOST = 50_000


def _name_filter(campaign, key: str) -> Q:
    """The gifts whose public name contains `key`, the way that reads the fewest.

    The campaign's distinct names (PublicName, a trigram index on PostgreSQL) that contain the
    fragment are looked up first: if they are few, their gifts are read by the (campaign,
    public_key) index ("thi hanh": 1,700 of a million gifts, a few milliseconds); if common,
    the fragment filters the campaign's gifts newest first, which meets a page of them at once.
    """
    names = list(
        PublicName.objects.filter(campaign=campaign, key__contains=key).values_list("key", "gifts")[
            : NAMES_AT_MOST + 1
        ]
    )
    if len(names) <= NAMES_AT_MOST and sum(n for _k, n in names) <= GIFTS_AT_MOST:
        return Q(public_key__in=[k for k, _n in names])
    return Q(public_key__contains=key)


def public_gifts_filtered(
    campaign,
    *,
    query: str = "",
    amount: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    account_suffix: str = "",
    reference: str = "",
) -> QuerySet[Donation]:
    qs = Donation.objects.filter(campaign=campaign, status=RecordStatus.POSTED)
    key = normalize(query)[:100]
    return _gift_filters(
        qs,
        name=_name_filter(campaign, key) if key else None,
        amount=amount,
        date_from=date_from,
        date_to=date_to,
        account_suffix=account_suffix,
        reference=reference,
    )


def _gift_filters(
    qs: QuerySet[Donation],
    *,
    name: Q | None,
    amount: int | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    account_suffix: str,
    reference: str,
) -> QuerySet[Donation]:
    """The public filters, each served by an index that starts with the campaign (see `public_gifts`)."""
    if name is not None:
        qs = qs.filter(name)
    if amount is not None:
        qs = qs.filter(amount=amount)
    if date_from:
        qs = qs.filter(received_on__gte=date_from)
    if date_to:
        qs = qs.filter(received_on__lte=date_to)
    if account_suffix:
        qs = qs.alias(_suffix=ACCOUNT_SUFFIX).filter(_suffix=account_suffix[-3:].upper())
    reference = (reference or "").strip()[:100]
    if reference:
        qs = qs.filter(
            Q(external_ref=reference) | Q(external_ref=reference.upper()) | Q(verify_code=reference.upper())
        )
    return qs


@dataclass
class GiftSearch:
    """What one public search found: the first `cap` gifts' ids in listing order, their count and sum."""

    ids: list[int]
    count: int
    total: int
    capped: bool  # more than `cap` gifts match: count and total are those of the first `cap`

    def rows(self, campaign, start: int, stop: int) -> list[dict]:
        """The public rows of found gifts [start:stop], in listing order (one query by primary key)."""
        wanted = self.ids[start:stop]
        if not wanted:
            return []
        return list(public_gift_rows(campaign).filter(id__in=wanted))


def public_gift_search(campaign, *, cap: int, **filters) -> GiftSearch:
    """A filtered public search in one scan: the (id, amount) of at most cap + 1 matching gifts,
    newest first, read once for the count, the sum and every page's ids.

    The scan is served by an index on PostgreSQL whatever the filter (see `public_gifts`), and
    stops after cap + 1 rows, so a fragment that matches half the campaign ("nguyen") costs
    as little as one that matches ten gifts; beyond `cap` the visitor is asked to narrow it.
    """
    found = list(
        public_gifts_filtered(campaign, **filters)
        .order_by("-received_on", "-id")
        .values_list("id", "amount")[: cap + 1]
    )
    capped = len(found) > cap
    found = found[:cap]
    return GiftSearch(
        ids=[pk for pk, _ in found], count=len(found), total=sum(a for _, a in found), capped=capped
    )


# One search across every public campaign and the units' general funds ----------------------
@dataclass
class GiftPlaces:
    """Where the public may look for gifts: the public campaigns (not drafts) and the units'
    general funds (gifts outside any campaign).  A gift tagged with a campaign the portal does not
    show is in none of them.  Two queries, for the search form's choices and the search's scope."""

    campaigns: list[dict]  # id, code, name, unit_id, unit__name; newest first
    funds: list[dict]  # id, unit_id, unit__name; the city first

    def scope(
        self, *, campaign_code: str = "", fund_id: int | None = None, unit_id: int | None = None
    ) -> tuple[list[int], list[int] | None]:
        """(campaign ids, general fund ids or None for all of them) within a chosen place and unit.

        A unit means the campaigns it launched and its general fund; a campaign or a fund that
        is not public (or not of the unit) leaves nothing to search."""
        campaign_ids = [
            c["id"]
            for c in self.campaigns
            if (not campaign_code or c["code"] == campaign_code) and unit_id in (None, c["unit_id"])
        ]
        if fund_id is not None:
            campaign_ids = []
        fund_ids = None
        if fund_id is not None or unit_id is not None:
            fund_ids = [
                f["id"] for f in self.funds if fund_id in (None, f["id"]) and unit_id in (None, f["unit_id"])
            ]
        if campaign_code:
            fund_ids = []
        return campaign_ids, fund_ids

    @property
    def units(self) -> list[tuple[int, str]]:
        """The units holding a general fund or having launched a public campaign (the unit filter)."""
        seen: dict[int, str] = {f["unit_id"]: f["unit__name"] for f in self.funds}
        for c in self.campaigns:
            seen.setdefault(c["unit_id"], c["unit__name"])
        return list(seen.items())


def public_gift_places() -> GiftPlaces:
    campaigns = list(
        Campaign.objects.public()
        .order_by("-starts_on", vi("name"))
        .values("id", "code", "name", "unit_id", "unit__name")
    )
    funds = list(
        Fund.objects.filter(kind=FundKind.GENERAL)
        .order_by("unit__path")
        .values("id", "unit_id", "unit__name")
    )
    return GiftPlaces(campaigns=campaigns, funds=funds)


# A name search probes the (campaign, public_key) index once per campaign and name in one scan
# up to this many probes; beyond, one branch per campaign with its own names.
PROBES_AT_MOST = 20_000


def _names_by_place(key: str, campaign_ids: list[int], general: bool) -> dict[int | None, list[str]] | None:
    """The public names containing `key`, by campaign (None: the general funds), or None when
    the fragment is common (see `_name_filter`).  The trigram index on PublicName.key serves
    every campaign at once."""
    where = Q(campaign_id__in=campaign_ids)
    if general:
        where |= Q(campaign__isnull=True)
    found = list(
        PublicName.objects.filter(where, key__contains=key).values_list("campaign_id", "key", "gifts")[
            : NAMES_AT_MOST + 1
        ]
    )
    if len(found) > NAMES_AT_MOST or sum(n for _c, _k, n in found) > GIFTS_AT_MOST:
        return None
    names: dict[int | None, list[str]] = {}
    for campaign_id, name, _n in found:
        names.setdefault(campaign_id, []).append(name)
    return names


def public_gift_search_everywhere(*, cap: int, **filters) -> GiftSearch:
    """`public_gift_search` across campaigns and the units' general funds (see `public_gifts_everywhere`):
    the (id, amount) of at most cap + 1 matching gifts, newest first, in one scan."""
    sql, params = public_gifts_everywhere(limit=cap + 1, **filters)
    found: list = []
    if sql:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
    capped = len(found) > cap
    found = found[:cap]
    return GiftSearch(
        ids=[pk for pk, _a, _d in found], count=len(found), total=sum(a for _p, a, _d in found), capped=capped
    )


# Stands for a campaign's id in the one branch compiled for all campaigns (no campaign has it).
_ANY_CAMPAIGN = -731_942_017


def public_gifts_everywhere(
    *,
    limit: int,
    campaign_ids: list[int],
    fund_ids: list[int] | None = None,
    query: str = "",
    **filters,
) -> tuple[str, list]:
    """The SQL and parameters of (id, amount, received_on) of the first `limit` matching gifts,
    newest first, across campaigns (`campaign_ids`, public ones: see `GiftPlaces`) and the
    units' general funds (`fund_ids`: None for all of them, [] for none); ("", []) when no place
    can hold one.

    Branches glued by UNION ALL under one ORDER BY … LIMIT, each limited too and served by the
    campaign search's indexes: each ordered index scan stops after `limit` rows and PostgreSQL
    merges the branches (PostgreSQL 15 sorts an unlimited UNION ALL whole rather than merge
    ordered branches).  The general funds' gifts are the branch whose campaign is NULL, with
    partial indexes of their own (an index's order starts after its leading column only for an
    equality, and IS NULL is none).  Each branch is a subquery, which SQLite allows to be
    limited in a compound SELECT.  The campaigns' branch is built by the ORM once and repeated
    with each campaign's id: building and compiling a queryset per campaign cost 60 ms of
    Python at a dozen campaigns, against a few milliseconds for the database.

    A name fragment is first looked up among every place's public names at once (trigram index
    on PublicName.key).  If the names are few, their gifts come from two branches: the
    campaigns', by (campaign, public_key) index probes for campaigns x names (the same names
    recur from campaign to campaign), and the general funds'.  If common, every place is read
    newest first with the fragment as a filter, as the campaign search does.  Without a name,
    one branch per place: a search reads at most `limit` gifts of each.
    """
    general = fund_ids is None or bool(fund_ids)

    def place(campaigns: list[int] | None, name: Q | None) -> tuple[str, list]:
        """One branch: the public gifts of some campaigns (None: of the general funds), filtered."""
        qs = Donation.objects.filter(status=RecordStatus.POSTED)
        if campaigns is None:
            qs = qs.filter(campaign__isnull=True)
            if fund_ids is not None:
                qs = qs.filter(fund_id__in=fund_ids)
        elif len(campaigns) == 1:
            qs = qs.filter(campaign_id=campaigns[0])  # an equality: the index's order follows
        else:
            qs = qs.filter(campaign_id__in=campaigns)
        qs = _gift_filters(qs, name=name, **filters)
        qs = qs.values_list("id", "amount", "received_on").order_by("-received_on", "-id")[:limit]
        sql, params = qs.query.sql_with_params()
        return sql, list(params)

    def each_campaign(campaigns: list[int], name: Q | None) -> list[tuple[str, list]]:
        if not campaigns:
            return []
        sql, params = place([_ANY_CAMPAIGN], name)
        at = [i for i, p in enumerate(params) if p == _ANY_CAMPAIGN]
        assert len(at) == 1, "the campaign's id is one parameter of the branch"
        return [(sql, params[: at[0]] + [c] + params[at[0] + 1 :]) for c in campaigns]

    key = normalize(query)[:100]
    names = _names_by_place(key, campaign_ids, general) if key and (campaign_ids or general) else None
    if names is not None:
        found_in = [c for c in names if c is not None]
        keys = sorted({k for c in found_in for k in names[c]})
        if len(found_in) * len(keys) <= PROBES_AT_MOST:
            branches = [place(found_in, Q(public_key__in=keys))] if found_in else []
        else:  # many campaigns with names of their own: each with its names
            branches = [place([c], Q(public_key__in=names[c])) for c in found_in]
        if None in names:
            branches.append(place(None, Q(public_key__in=names[None])))
    else:
        name = Q(public_key__contains=key) if key else None
        branches = each_campaign(campaign_ids, name)
        if general:
            branches.append(place(None, name))
    if not branches:
        return "", []
    if len(branches) == 1:
        return branches[0]
    sql = " UNION ALL ".join(f"SELECT * FROM ({branch}) AS b{i}" for i, (branch, _p) in enumerate(branches))
    return f"{sql} ORDER BY 3 DESC, 1 DESC LIMIT {int(limit)}", [p for _b, ps in branches for p in ps]


# What the one search shows of a gift: the campaign's search's fields and where the gift went.
PUBLIC_FOUND_GIFT_FIELDS = (*PUBLIC_GIFT_ROW_FIELDS, "campaign__code", "campaign__name")


def public_found_gifts(ids: list[int]) -> list[dict]:
    """The public rows of gifts found by `public_gift_search_everywhere`, in listing order (one
    query by primary key); no real name behind a choice, three characters of an account."""
    if not ids:
        return []
    qs = _with_account_suffix(Donation.objects.filter(id__in=ids, status=RecordStatus.POSTED))
    return list(qs.order_by("-received_on", "-id").values(*PUBLIC_FOUND_GIFT_FIELDS))


def ledger_version() -> int:
    """Changes with every posting (the number of the chain head's last entry): the portal's cache key."""
    head = ChainHead.objects.filter(pk=1).values_list("last_number", flat=True).first()
    return head or 0


PUBLIC_DISBURSEMENT_FIELDS = (
    "id",
    "value_date",
    "kind",
    "purpose",
    "help_kind",
    "amount",
    "households",
    "people",
    "recipient_unit__name",
    "destination_unit__name",
    "unit__name",
)


def public_disbursements(campaign) -> QuerySet:
    """Approved (and not reversed) payments, transfers and goods issues of a campaign; no payee, no beneficiary."""
    return (
        Disbursement.objects.filter(campaign=campaign, status=DisbursementStatus.APPROVED)
        .order_by("-value_date", "-id")
        .values(*PUBLIC_DISBURSEMENT_FIELDS)
    )


def public_distribution(campaign) -> list[dict]:
    """Approved payments and goods issued to people, by receiving unit and kind of help (Decree 93
    report): amount, households, people; transfers between the Hội's own units are not help given."""
    rows = (
        Disbursement.objects.filter(
            campaign=campaign,
            status=DisbursementStatus.APPROVED,
            kind__in=[DisbursementKind.PAYMENT, DisbursementKind.GOODS_ISSUE],
        )
        .values("recipient_unit__name", "unit__name", "help_kind", "kind")
        .annotate(
            count=Count("id"),
            total=Coalesce(Sum("amount"), 0),
            households=Coalesce(Sum("households"), 0),
            people=Coalesce(Sum("people"), 0),
        )
        .order_by(vi("recipient_unit__name"), vi("unit__name"), "help_kind", "kind")
    )
    # One row per receiving commune, kind of help and means: a commune helped by two paying units
    # (the city and its own society) is one row, not two rows that look repeated.
    merged: dict[tuple, dict] = {}
    for r in rows:
        commune = r["recipient_unit__name"] or r["unit__name"]
        row = merged.setdefault(
            (commune, r["help_kind"], r["kind"]),
            {
                "commune": commune,
                "help_kind": r["help_kind"],
                "kind": r["kind"],
                "count": 0,
                "total": 0,
                "households": 0,
                "people": 0,
            },
        )
        for key in ("count", "total", "households", "people"):
            row[key] += r[key]
    return list(merged.values())


LATE_RECEIPTS_SHOWN = 100


@dataclass
class LateReceipts:
    """Gifts booked to a campaign after it closed (a transfer the bank booked late), with a reason:
    counted in what the campaign received, and listed separately in its Decree 93 report."""

    count: int
    total: int
    rows: list[dict]  # the latest LATE_RECEIPTS_SHOWN: date, amount, name as the donor chose


def public_late_receipts(campaign) -> LateReceipts:
    qs = Donation.objects.filter(campaign=campaign, status=RecordStatus.POSTED).exclude(late_reason="")
    figures = qs.aggregate(count=Count("id"), total=Coalesce(Sum("amount"), 0))
    rows = list(
        qs.order_by("-received_on", "-id").values("received_on", "amount", "public_name")[
            :LATE_RECEIPTS_SHOWN
        ]
    )
    return LateReceipts(count=figures["count"], total=figures["total"], rows=rows)


def public_general_funds(*, unit_id: int | None = None) -> QuerySet:
    """The units' humanitarian funds (not a campaign's restricted ones) with the gifts they received
    (money and goods at value), what they spent on people, and what they hold now: money (cash and
    bank) and goods at value, from the accounts' kept balances (verify_ledger
    recomputes them), so a list of a hundred funds costs one query."""
    qs = Fund.objects.filter(kind=FundKind.GENERAL)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    money = Sum("accounts__balance", filter=Q(accounts__kind__in=[AccountKind.CASH, AccountKind.BANK]))
    goods = Sum("accounts__balance", filter=Q(accounts__kind=AccountKind.GOODS))
    # Income accounts are credited (negative balances): gifts received are their negation.
    gifts = Sum(
        "accounts__balance", filter=Q(accounts__kind__in=[AccountKind.INCOME, AccountKind.INCOME_GOODS])
    )
    spent = Sum(
        "accounts__balance", filter=Q(accounts__kind__in=[AccountKind.EXPENSE, AccountKind.GOODS_ISSUED])
    )
    return (
        qs.annotate(
            money=Coalesce(money, 0),
            goods=Coalesce(goods, 0),
            gifts=-Coalesce(gifts, 0),
            spent=Coalesce(spent, 0),
        )
        .order_by("unit__path")
        .values(
            "id", "name", "status", "opened_on", "unit__name", "unit_id", "money", "goods", "gifts", "spent"
        )
    )


def public_bank_accounts(campaign) -> list[BankAccount]:
    """Accounts the portal invites donors to give to: the campaign's own accounts, then its unit's."""
    return list(
        BankAccount.objects.filter(is_active=True, unit_id=campaign.unit_id)
        .filter(Q(campaign=campaign) | Q(campaign__isnull=True))
        .order_by(F("campaign_id").desc(nulls_last=True), "id")[:3]
    )


def public_goods(campaign) -> list[dict]:
    """Goods of a campaign by item: received, issued to people, in stock (quantities and value)."""
    labels: dict[str, tuple[str, str]] = {}
    for key, name, unit_label in (
        DonationItem.objects.filter(donation__campaign=campaign)
        .order_by("id")
        .values_list("item_key", "name", "unit_label")
    ):
        labels.setdefault(key, (name, unit_label))
    rows = (
        Entry.objects.filter(campaign=campaign, quantity__isnull=False)
        .values("item", "account__kind")
        .annotate(q=Sum("quantity"), v=Sum("amount"))
    )
    items: dict[str, dict] = {}
    for r in rows:
        name, unit_label = labels.get(r["item"], (r["item"].split("|")[0], r["item"].split("|")[-1]))
        i = items.setdefault(
            r["item"],
            {
                "item": r["item"],
                "name": name,
                "unit_label": unit_label,
                "received": Decimal(0),
                "received_value": 0,
                "issued": Decimal(0),
                "issued_value": 0,
                "in_stock": Decimal(0),
                "stock_value": 0,
            },
        )
        kind = r["account__kind"]
        if kind == AccountKind.INCOME_GOODS:
            i["received"] -= r["q"]
            i["received_value"] -= r["v"]
        elif kind == AccountKind.GOODS_ISSUED:
            i["issued"] += r["q"]
            i["issued_value"] += r["v"]
        elif kind == AccountKind.GOODS:
            i["in_stock"] += r["q"]
            i["stock_value"] += r["v"]
    return sorted(items.values(), key=lambda i: normalize(i["name"]))


PUBLIC_ENTRY_FIELDS = (
    "number",
    "posting_id",
    "posting__digest",
    "fund_id",
    "account_id",
    "amount",
    "campaign_id",
    "item",
    "quantity",
    "value_date",
    "posted_at",
    "campaign_hash",
    "account__kind",
    "posting__kind",
)


def public_entries(campaign, *, up_to: int | None = None) -> QuerySet:
    """A campaign's entries with everything needed to recompute its hash chain (see ledger.py).

    Recompute with `ledger.entry_canonical(number, posting_id, posting__digest, fund_id,
    account_id, amount, campaign_id, item, quantity, value_date, posted_at)` and
    `ledger.chain(previous campaign_hash, canonical)`, starting from 64 zeros, and
    compare the last one with the campaign's `ledger_digests`.
    """
    qs = Entry.objects.filter(campaign=campaign)
    if up_to is not None:
        qs = qs.filter(number__lte=up_to)
    return qs.order_by("number").values(*PUBLIC_ENTRY_FIELDS)


def ledger_digests(*, campaign=None) -> QuerySet[LedgerDigest]:
    """Daily digests: the whole ledger's (campaign None) or one campaign's chain."""
    qs = LedgerDigest.objects.all()
    qs = qs.filter(campaign__isnull=True) if campaign is None else qs.filter(campaign=campaign)
    return qs.order_by("-day")


@dataclass
class ReceiptCheck:
    receipt: str
    received_on: dt.date
    amount: int
    channel: str
    public_name: str
    unit: str
    fund: str
    campaign: str
    campaign_code: str
    reversed: bool
    entry_number: int
    entry_hash: str
    posted_at: dt.datetime
    items: list[dict]
    public_campaign: object = None  # the campaign when the portal shows it (public, not a draft)
    in_ledger: bool = True  # the gift has a posting in the chain
    matches_ledger: bool = True  # its row says what the chain holds


def receipt_verification(code: str) -> ReceiptCheck | None:
    """What the QR code on a receipt proves, for anyone: no real name behind an anonymous choice."""
    code = (code or "").strip().upper()
    if not code or len(code) > 16 or not code.isalnum():
        return None
    donation = Donation.objects.filter(verify_code=code).select_related("unit", "fund", "campaign").first()
    if donation is None:
        return None
    entry = (
        Entry.objects.filter(posting__donation=donation, posting__kind="donation")
        .order_by("number")
        .values("number", "hash", "posted_at")
        .first()
    )
    campaign = donation.campaign
    shown = campaign is not None and campaign.is_public and campaign.status != CampaignStatus.DRAFT
    # The amount and date the public is shown are the chain's (ledger.gifts): a gift row changed
    # outside the ledger shows the ledger's figure and says that the two disagree.
    chained = ledger.chained_gift(donation.pk)
    if chained is None or not chained.matches:
        logger.warning("receipt %s: the gift row disagrees with its chained posting", donation.receipt_label)
    return ReceiptCheck(
        receipt=donation.receipt_label,
        received_on=chained.value_date if chained else donation.received_on,
        amount=chained.amount if chained else 0,
        in_ledger=chained is not None,
        matches_ledger=chained is not None and chained.matches,
        channel=donation.channel,
        public_name=donation.public_name,
        unit=donation.unit.name,
        fund=donation.fund.name,
        campaign=donation.campaign.name if donation.campaign_id else "",
        campaign_code=donation.campaign.code if donation.campaign_id else "",
        reversed=donation.status == RecordStatus.REVERSED,
        entry_number=entry["number"] if entry else 0,
        entry_hash=entry["hash"] if entry else "",
        posted_at=entry["posted_at"] if entry else donation.recorded_at,
        # Only gifts in kind have items: a money receipt costs no query for them.
        items=list(donation.items.values("name", "quantity", "unit_label", "value"))
        if donation.channel == Channel.IN_KIND
        else [],
        public_campaign=campaign if shown else None,
    )


def resolve_reference(code: str):
    """The campaign or pledge a memo's reference code names (None if none); codes are unique across both."""
    code = (code or "").strip().upper()
    if not code:
        return None
    return Campaign.objects.filter(code=code).first() or Pledge.objects.filter(code=code).first()
