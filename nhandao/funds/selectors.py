"""Reads of the fund, for a given user (scoped) or for the public (non-personal fields only).

Staff reads take the user and filter with `org.access` scopes; objects outside
a scope answer 404.  Public reads (`public_*`, `receipt_verification`,
`resolve_reference`, `campaign_totals`, `ledger_digests`) never return a real
name behind an anonymous choice, an account number, a phone or a beneficiary:
the transparency portal builds on them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, Max, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, Length
from django.urls import reverse
from django.utils.translation import gettext as _

from nhandao.beneficiaries import api as beneficiaries
from nhandao.campaigns.models import Campaign, CampaignStatus
from nhandao.core.access import FUNDS_APPROVE, FUNDS_VIEW
from nhandao.core.text import normalize
from nhandao.org import access
from nhandao.org.selectors import Counter, register_counter

from . import ledger
from .models import (
    ACCOUNT_SUFFIX,
    MONEY_KINDS,
    Account,
    AccountKind,
    BankAccount,
    ChainHead,
    Channel,
    Disbursement,
    DisbursementCase,
    DisbursementKind,
    DisbursementStatus,
    Donation,
    DonationItem,
    Donor,
    Entry,
    Fund,
    FundKind,
    LedgerDigest,
    Pledge,
    PledgeFulfilment,
    PledgeStatus,
    Posting,
    PublicName,
    RecordStatus,
)


# Funds and accounts ---------------------------------------------------------------
def funds_visible(user, perm: str = FUNDS_VIEW) -> QuerySet[Fund]:
    return access.scope(user, perm).filter(Fund.objects.all())


def fund_list(user, *, query: str = "", include_closed: bool = False) -> QuerySet[Fund]:
    qs = funds_visible(user).select_related("unit", "campaign")
    if not include_closed:
        qs = qs.filter(status="open")
    key = normalize(query)[:100]
    if key:
        qs = qs.filter(Q(unit__search_key__contains=key) | Q(campaign__search_key__contains=key))
    money = Q(accounts__kind__in=list(MONEY_KINDS))
    return qs.annotate(
        money=Coalesce(Sum("accounts__balance", filter=money), 0),
        goods=Coalesce(Sum("accounts__balance", filter=Q(accounts__kind=AccountKind.GOODS)), 0),
        pledged=Coalesce(Sum("accounts__balance", filter=Q(accounts__kind=AccountKind.PLEDGES)), 0),
    ).order_by("unit__path", "kind", "name")


def fund_get(user, pk, perm: str = FUNDS_VIEW) -> Fund:
    return access.get_in_scope(user, perm, Fund.objects.select_related("unit", "campaign"), pk)


def fund_accounts(fund: Fund) -> list[Account]:
    accounts = list(fund.accounts.select_related("bank_account").order_by("id"))
    return sorted(accounts, key=lambda a: (KIND_ORDER.index(a.kind), a.pk))


def account_get(user, pk) -> Account:
    return access.get_in_scope(
        user,
        FUNDS_VIEW,
        Account.objects.select_related("fund__unit", "fund__campaign", "bank_account"),
        pk,
        field="fund__unit",
    )


def fund_balances(fund: Fund) -> dict[str, int]:
    totals = {"money": 0, "cash": 0, "bank": 0, "goods": 0, "pledged": 0}
    for kind, balance in fund.accounts.values_list("kind", "balance"):
        if kind in MONEY_KINDS:
            totals["money"] += balance
            totals[kind] += balance
        elif kind == AccountKind.GOODS:
            totals["goods"] += balance
        elif kind == AccountKind.PLEDGES:
            totals["pledged"] += balance
    return totals


@dataclass
class StockLine:
    key: str
    name: str
    unit_label: str
    quantity: Decimal
    value: int


def fund_stock(fund: Fund) -> list[StockLine]:
    goods = fund.accounts.filter(kind=AccountKind.GOODS).first()
    if goods is None:
        return []
    labels: dict[str, tuple[str, str]] = {}
    for key, name, unit_label in (
        DonationItem.objects.filter(donation__fund=fund)
        .order_by("id")
        .values_list("item_key", "name", "unit_label")
    ):
        labels.setdefault(key, (name, unit_label))
    for key, name, unit_label in (
        Disbursement.objects.filter(destination_fund=fund)
        .values_list("items__item_key", "items__name", "items__unit_label")
        .exclude(items__item_key=None)
    ):
        labels.setdefault(key, (name, unit_label))
    lines = []
    for (_account, key), (q, v) in ledger.stock([goods.pk]).items():
        if q == 0:
            continue
        name, unit_label = labels.get(key, (key.split("|")[0], key.split("|")[-1]))
        lines.append(StockLine(key, name, unit_label, q, v))
    return sorted(lines, key=lambda s: normalize(s.name))


@dataclass
class Movement:
    account: Account
    opening: int = 0
    debit: int = 0
    credit: int = 0

    @property
    def closing(self) -> int:
        return self.opening + self.debit - self.credit

    # Accountants read a balance as an amount on the debit (Nợ) or credit (Có) side.
    @staticmethod
    def _side(value: int) -> str:
        return "Nợ" if value > 0 else "Có" if value < 0 else ""

    @property
    def opening_side(self) -> str:
        return self._side(self.opening)

    @property
    def closing_side(self) -> str:
        return self._side(self.closing)

    @property
    def opening_abs(self) -> int:
        return abs(self.opening)

    @property
    def closing_abs(self) -> int:
        return abs(self.closing)


# Assets, then income, then what is owed, then spending: the order of a fund's report.
KIND_ORDER = [
    AccountKind.CASH,
    AccountKind.BANK,
    AccountKind.GOODS,
    AccountKind.PLEDGES,
    AccountKind.INCOME,
    AccountKind.INCOME_GOODS,
    AccountKind.TRANSFER_IN,
    AccountKind.PLEDGES_DEFERRED,
    AccountKind.EXPENSE,
    AccountKind.GOODS_ISSUED,
    AccountKind.TRANSFER_OUT,
]


def fund_movements(fund: Fund, date_from: dt.date, date_to: dt.date) -> list[Movement]:
    """Per account: balance before the period, increases, decreases, balance at the end."""
    accounts = {a.pk: Movement(a) for a in fund_accounts(fund)}
    before = (
        Entry.objects.filter(fund=fund, value_date__lt=date_from)
        .values("account_id")
        .annotate(s=Sum("amount"))
    )
    for row in before:
        accounts[row["account_id"]].opening = row["s"] or 0
    during = (
        Entry.objects.filter(fund=fund, value_date__gte=date_from, value_date__lte=date_to)
        .values("account_id")
        .annotate(d=Sum("amount", filter=Q(amount__gt=0)), c=Sum("amount", filter=Q(amount__lt=0)))
    )
    for row in during:
        accounts[row["account_id"]].debit = row["d"] or 0
        accounts[row["account_id"]].credit = -(row["c"] or 0)
    return list(accounts.values())


@dataclass
class BookRow:
    entry: Entry
    increase: int
    decrease: int
    balance: int
    counterpart: str


@dataclass
class Book:
    account: Account
    date_from: dt.date
    date_to: dt.date
    opening: int
    increase: int
    decrease: int
    closing: int
    entries: QuerySet = field(repr=False)


def account_book(account: Account, date_from: dt.date, date_to: dt.date) -> Book:
    """A cash book / bank book for a period: opening balance, entries in date order, totals, closing."""
    opening = (
        Entry.objects.filter(account=account, value_date__lt=date_from).aggregate(s=Sum("amount"))["s"] or 0
    )
    entries = (
        Entry.objects.filter(account=account, value_date__gte=date_from, value_date__lte=date_to)
        .select_related("posting")
        .order_by("value_date", "number")
    )
    totals = entries.aggregate(
        d=Sum("amount", filter=Q(amount__gt=0)), c=Sum("amount", filter=Q(amount__lt=0))
    )
    increase, decrease = totals["d"] or 0, -(totals["c"] or 0)
    return Book(
        account, date_from, date_to, opening, increase, decrease, opening + increase - decrease, entries
    )


def book_rows(book: Book, entries: list[Entry]) -> list[BookRow]:
    """Rows of one page of a book, with the running balance and the counterpart accounts."""
    if not entries:
        return []
    first = entries[0]
    before = (
        book.entries.filter(
            Q(value_date__lt=first.value_date) | Q(value_date=first.value_date, number__lt=first.number)
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    balance = book.opening + before
    others: dict[int, set[str]] = {}
    for posting_id, kind, bank in (
        Entry.objects.filter(posting_id__in={e.posting_id for e in entries})
        .exclude(account=book.account)
        .values_list("posting_id", "account__kind", "account__bank_account__account_number")
    ):
        label = str(AccountKind(kind).label) + (f" {bank}" if bank else "")
        others.setdefault(posting_id, set()).add(label)
    rows = []
    for e in entries:
        balance += e.amount
        rows.append(
            BookRow(
                entry=e,
                increase=max(e.amount, 0),
                decrease=max(-e.amount, 0),
                balance=balance,
                counterpart=", ".join(sorted(others.get(e.posting_id, ()))),
            )
        )
    return rows


def bank_accounts_visible(user, perm: str = FUNDS_VIEW) -> QuerySet[BankAccount]:
    return access.scope(user, perm).filter(BankAccount.objects.select_related("unit", "campaign"))


def bank_account_get(user, pk, perm: str = FUNDS_VIEW) -> BankAccount:
    return access.get_in_scope(user, perm, BankAccount.objects.select_related("unit", "campaign"), pk)


def bank_account_balance(bank_account: BankAccount, on: dt.date | None = None) -> int:
    """What the books say is in a bank account (all funds keeping money there), at the end of `on`."""
    qs = Entry.objects.filter(account__bank_account=bank_account)
    if on is not None:
        qs = qs.filter(value_date__lte=on)
    return qs.aggregate(s=Sum("amount"))["s"] or 0


def bank_account_entries(bank_account: BankAccount, date_from: dt.date, date_to: dt.date) -> QuerySet[Entry]:
    """The ledger's lines on a bank account in a period (reconciliation against a statement)."""
    return (
        Entry.objects.filter(
            account__bank_account=bank_account, value_date__gte=date_from, value_date__lte=date_to
        )
        .select_related("posting", "fund")
        .order_by("value_date", "number")
    )


def disbursements_for_bank_match(
    bank_account: BankAccount,
    *,
    amount: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Disbursement]:
    """Approved payments out of a bank account not yet matched to a statement line."""
    qs = Disbursement.objects.filter(
        status=DisbursementStatus.APPROVED,
        source_account__bank_account=bank_account,
        bank_reference="",
    )
    if amount is not None:
        qs = qs.filter(amount=amount)
    if date_from is not None:
        qs = qs.filter(value_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(value_date__lte=date_to)
    return qs.order_by("value_date", "id")


# Donations, donors, pledges ----------------------------------------------------------
@dataclass
class DonationFilter:
    query: str = ""
    fund: Fund | None = None
    fund_id: int | None = None
    campaign_id: int | None = None
    channel: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    amount: int | None = None
    include_reversed: bool = True


def donations_visible(user, f: DonationFilter | None = None) -> QuerySet[Donation]:
    f = f or DonationFilter()
    qs = access.scope(user, FUNDS_VIEW).filter(Donation.objects.all())
    if f.fund is not None:
        qs = qs.filter(fund=f.fund)
    if f.fund_id:
        qs = qs.filter(fund_id=f.fund_id)
    if f.campaign_id:
        qs = qs.filter(campaign_id=f.campaign_id)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.date_from:
        qs = qs.filter(received_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(received_on__lte=f.date_to)
    if f.amount is not None:
        qs = qs.filter(amount=f.amount)
    if not f.include_reversed:
        qs = qs.filter(status=RecordStatus.POSTED)
    key = normalize(f.query)[:100]
    if key:
        qs = qs.filter(search_key__contains=key)
    return qs.select_related("fund", "campaign", "unit").order_by("-received_on", "-id")


def donation_get(user, pk) -> Donation:
    return access.get_in_scope(
        user,
        FUNDS_VIEW,
        Donation.objects.select_related(
            "fund", "campaign", "unit", "donor", "pledge", "bank_account", "account", "recorded_by"
        ),
        pk,
    )


def donation_postings(donation: Donation) -> list[Posting]:
    return list(
        Posting.objects.filter(donation=donation).select_related("created_by", "reverses").order_by("id")
    )


def donors_visible(user, query: str = "") -> QuerySet[Donor]:
    qs = access.scope(user, FUNDS_VIEW).filter(Donor.objects.all()).select_related("unit")
    key = normalize(query)[:100]
    if key:
        qs = qs.filter(search_key__contains=key)
    return qs.annotate(
        gifts=Count("donations", filter=Q(donations__status=RecordStatus.POSTED)),
        given=Coalesce(Sum("donations__amount", filter=Q(donations__status=RecordStatus.POSTED)), 0),
    ).order_by("name", "id")


def donor_get(user, pk) -> Donor:
    return access.get_in_scope(user, FUNDS_VIEW, Donor.objects.select_related("unit", "person"), pk)


def pledges_visible(user, *, status: str = "", query: str = "") -> QuerySet[Pledge]:
    qs = access.scope(user, FUNDS_VIEW).filter(Pledge.objects.all())
    if status:
        qs = qs.filter(status=status)
    key = normalize(query)[:100]
    if key:
        qs = qs.filter(Q(search_key__contains=key) | Q(code=query.strip().upper()[:12]))
    fulfilled = Coalesce(Sum("fulfilments__amount", filter=Q(fulfilments__reversed=False)), 0)
    return (
        qs.select_related("fund", "campaign", "unit")
        .annotate(fulfilled=fulfilled)
        .annotate(outstanding=F("amount") - F("cancelled_amount") - F("fulfilled"))
        .order_by("-pledged_on", "-id")
    )


def pledge_get(user, pk) -> Pledge:
    return access.get_in_scope(
        user, FUNDS_VIEW, Pledge.objects.select_related("fund", "campaign", "unit", "donor"), pk
    )


def pledge_progress(pledge: Pledge) -> dict[str, int]:
    fulfilled = (
        PledgeFulfilment.objects.filter(pledge=pledge, reversed=False).aggregate(s=Sum("amount"))["s"] or 0
    )
    return {
        "amount": pledge.amount,
        "fulfilled": fulfilled,
        "cancelled": pledge.cancelled_amount,
        "outstanding": pledge.amount - fulfilled - pledge.cancelled_amount,
    }


def open_pledges_for(user, fund: Fund) -> QuerySet[Pledge]:
    return pledges_visible(user, status=PledgeStatus.OPEN).filter(fund=fund)


# Disbursements and postings ------------------------------------------------------------
@dataclass
class DisbursementFilter:
    status: str = ""
    kind: str = ""
    query: str = ""
    fund: Fund | None = None
    campaign_id: int | None = None


def disbursements_visible(user, f: DisbursementFilter | None = None) -> QuerySet[Disbursement]:
    f = f or DisbursementFilter()
    qs = access.scope(user, FUNDS_VIEW).filter(Disbursement.objects.all())
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.fund is not None:
        qs = qs.filter(fund=f.fund)
    if f.campaign_id:
        qs = qs.filter(campaign_id=f.campaign_id)
    key = normalize(f.query)[:100]
    if key:
        qs = qs.filter(search_key__contains=key)
    return qs.select_related(
        "fund", "unit", "campaign", "drafted_by", "decided_by", "recipient_unit"
    ).order_by("-value_date", "-id")


def disbursement_get(user, pk) -> Disbursement:
    return access.get_in_scope(
        user,
        FUNDS_VIEW,
        Disbursement.objects.select_related(
            "fund",
            "unit",
            "campaign",
            "drafted_by",
            "decided_by",
            "source_account__bank_account",
            "destination_unit",
            "destination_fund",
            "destination_bank_account",
            "recipient_unit",
        ),
        pk,
    )


@dataclass
class LinkedCase:
    """A case named on a disbursement, as one viewer may see it (see beneficiaries.api.case_labels)."""

    link: DisbursementCase
    label: object  # beneficiaries.api.CaseLabel
    earlier: list = field(default_factory=list)


def disbursement_cases(user, d: Disbursement) -> list[LinkedCase]:
    """The beneficiary cases of a disbursement: the file number for anyone who sees the
    disbursement, the link and name only where the beneficiary register would show them."""
    links = list(
        DisbursementCase.objects.filter(disbursement=d)
        .select_related("case__head", "case__unit", "case__commune", "help_record")
        .order_by("id")
    )
    if not links:
        return []
    labels = beneficiaries.case_labels(user, [link.case for link in links])
    return [LinkedCase(link=link, label=labels[link.case_id]) for link in links]


ELIGIBLE_CHOICES = 300


def eligible_cases_for(user, fund: Fund) -> list:
    """Cases the drafter may name on a payment of this fund (the first ELIGIBLE_CHOICES, for
    the picker; any other confirmed case in scope can be typed by its number)."""
    cases = list(
        beneficiaries.eligible_cases(user)
        .filter(unit__path__startswith=fund.unit.path)
        .order_by("sort_key", "id")[:ELIGIBLE_CHOICES]
    )
    return list(beneficiaries.case_labels(user, cases).values())


def disbursement_source_links(user, pks: list[int]) -> dict[int, str]:
    """For the beneficiary register: links to the disbursements this user may see."""
    visible = access.scope(user, FUNDS_VIEW).filter(Disbursement.objects.filter(pk__in=pks))
    return {pk: reverse("funds:disbursement", args=[pk]) for pk in visible.values_list("pk", flat=True)}


def awaiting_approval(user) -> QuerySet[Disbursement]:
    return (
        access.scope(user, FUNDS_APPROVE)
        .filter(Disbursement.objects.filter(status=DisbursementStatus.DRAFT))
        .exclude(drafted_by=user)
    )


def postings_visible(user) -> QuerySet[Posting]:
    return access.scope(user, FUNDS_VIEW).filter(Posting.objects.all()).select_related("unit", "created_by")


def posting_get(user, pk) -> Posting:
    return access.get_in_scope(
        user,
        FUNDS_VIEW,
        Posting.objects.select_related(
            "unit", "created_by", "donation", "disbursement", "pledge", "reverses"
        ),
        pk,
    )


def posting_entries(posting: Posting) -> list[Entry]:
    return list(
        posting.entries.select_related("account__bank_account", "fund__unit", "campaign").order_by("number")
    )


def posting_reversal(posting: Posting) -> Posting | None:
    return Posting.objects.filter(reverses=posting).select_related("created_by").first()


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

    qs = (
        public_gifts_filtered(campaign, **filters)
        .alias(_account_length=Length("counterparty_account"))
        .annotate(
            account_suffix=Case(
                When(_account_length__gt=5, then=ACCOUNT_SUFFIX),
                default=Value(""),
                output_field=CharField(),
            )
        )
    )
    return qs.order_by("-received_on", "-id").values(*PUBLIC_GIFT_ROW_FIELDS)


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
    if key:
        qs = qs.filter(_name_filter(campaign, key))
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
        .order_by("recipient_unit__name", "unit__name", "help_kind", "kind")
    )
    return [
        {
            "commune": r["recipient_unit__name"] or r["unit__name"],
            "help_kind": r["help_kind"],
            "kind": r["kind"],
            "count": r["count"],
            "total": r["total"],
            "households": r["households"],
            "people": r["people"],
        }
        for r in rows
    ]


def public_general_funds(*, unit_id: int | None = None) -> QuerySet:
    """The units' humanitarian funds (not a campaign's restricted ones) with what they hold now:
    money (cash and bank) and goods at value, from the accounts' kept balances (verify_ledger
    recomputes them), so a list of a hundred funds costs one query."""
    qs = Fund.objects.filter(kind=FundKind.GENERAL)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    money = Sum("accounts__balance", filter=Q(accounts__kind__in=[AccountKind.CASH, AccountKind.BANK]))
    goods = Sum("accounts__balance", filter=Q(accounts__kind=AccountKind.GOODS))
    return (
        qs.annotate(money=Coalesce(money, 0), goods=Coalesce(goods, 0))
        .order_by("unit__path")
        .values("id", "name", "status", "opened_on", "unit__name", "unit_id", "money", "goods")
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
    """A campaign's entries with everything needed to recompute its hash chain (see funds/ledger/canonical.py).

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
    return ReceiptCheck(
        receipt=donation.receipt_label,
        received_on=donation.received_on,
        amount=donation.amount,
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


# Counters on the unit page and the dashboard -----------------------------------------------
@register_counter
def _fund_counts(unit, user) -> list[Counter]:
    if not access.has_perm(user, FUNDS_VIEW, unit):
        return []
    money = (
        Account.objects.filter(fund__unit__path__startswith=unit.path, kind__in=list(MONEY_KINDS)).aggregate(
            s=Sum("balance")
        )["s"]
        or 0
    )
    waiting = Disbursement.objects.filter(
        unit__path__startswith=unit.path, status=DisbursementStatus.DRAFT
    ).count()
    counters = [Counter("fund_money", _("Số dư quỹ"), money, reverse("funds:funds"), money=True)]
    if waiting:
        counters.append(
            Counter(
                "disbursements_waiting",
                _("Khoản chi chờ duyệt"),
                waiting,
                reverse("funds:disbursements") + "?status=draft",
            )
        )
    return counters
