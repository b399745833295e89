"""Staff reads of the fund: they take the acting user and filter with `org.access` scopes.

Objects outside the user's scope answer 404.  The reads that take an object rather than a user
(a fund's balances, an account's book, a bank account's ledger lines) are for pages that fetched
that object through a scoped getter first.  What the public may see (campaign totals, public
gifts, the ledger's digests and entries, receipt verification, reference codes) is in
`funds.public`; the transparency portal imports only that module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from nhandao.beneficiaries import api as beneficiaries
from nhandao.core.access import FUNDS_APPROVE, FUNDS_VIEW
from nhandao.core.collation import vi
from nhandao.core.text import normalize
from nhandao.org import access
from nhandao.org.selectors import Counter, register_counter

from . import ledger
from .models import (
    MONEY_KINDS,
    Account,
    AccountKind,
    BankAccount,
    Disbursement,
    DisbursementCase,
    DisbursementStatus,
    Donation,
    DonationItem,
    Donor,
    Entry,
    Fund,
    Pledge,
    PledgeFulfilment,
    PledgeStatus,
    Posting,
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
    ).order_by("unit__path", "kind", vi("name"))


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
    AccountKind.GOODS_LOSS,
    AccountKind.GOODS_GAIN,
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


def bank_accounts(user, perm: str = FUNDS_VIEW) -> QuerySet[BankAccount]:
    """The bank accounts of the units where the user holds `perm` (funds.view for the list and the
    VietQR pages, banking.view for statements): the one list of `BankAccount`."""
    qs = BankAccount.objects.select_related("unit", "campaign", "declared_by")
    return access.scope(user, perm).filter(qs, field="unit").order_by("unit__path", "bank_name", "id")


def bank_account_get(user, pk, perm: str = FUNDS_VIEW) -> BankAccount:
    """The one getter of a bank account, 404 outside the scope of `perm` (banking passes banking.view)."""
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
    ).order_by(vi("name"), "id")


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
