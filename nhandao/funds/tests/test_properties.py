"""Property tests: whatever sequence of gifts, pledges, transfers, payments, goods issues and
reversals users attempt, the books balance, no asset goes below zero, refused actions post
nothing, and the hash chain verifies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nhandao.accounts.models import User
from nhandao.campaigns import services as campaign_services
from nhandao.core.access import Role
from nhandao.funds import ledger, services
from nhandao.funds.models import (
    ASSET_KINDS,
    Account,
    AccountKind,
    Channel,
    Entry,
    Pledge,
    PledgeStatus,
    Posting,
    PostingKind,
)
from nhandao.funds.services import GoodsLine
from nhandao.org import services as org_services

from .conftest import today

AMOUNT = st.integers(min_value=1, max_value=2_000_000_000)
FUND = st.integers(min_value=0, max_value=2)
OPERATION = st.one_of(
    st.tuples(st.just("give"), FUND, AMOUNT),
    st.tuples(st.just("give_goods"), FUND, st.integers(1, 50), st.integers(0, 10_000_000)),
    st.tuples(st.just("pledge"), FUND, AMOUNT),
    st.tuples(st.just("fulfil"), FUND, AMOUNT),
    st.tuples(st.just("pay"), FUND, AMOUNT),
    st.tuples(st.just("issue"), FUND, st.integers(1, 60)),
    st.tuples(st.just("transfer"), AMOUNT),
    st.tuples(st.just("reverse"), st.integers(0, 10_000)),
    st.tuples(st.just("cancel"), st.integers(0, 10_000)),
)


class Cast:
    """The funds and the people acting on them in one example."""

    def __init__(self, world):
        self.world = world
        self.approver_city = User.objects.get_or_create(
            username="approver_city", defaults={"full_name": "D"}
        )[0]
        org_services.role_assign(
            actor=None, user=self.approver_city, unit=world.city, role=Role.FINANCE_APPROVER
        )
        appeal = campaign_services.campaign_create(
            actor=world.city_admin,
            unit=world.city,
            name="Bão số 3",
            kind="appeal",
            starts_on=today(),
            ends_on=today() + dt.timedelta(days=30),
        )
        self.appeal = campaign_services.campaign_open(actor=world.city_admin, campaign=appeal)
        opened = dt.date(2025, 7, 1)
        self.funds = [
            services.fund_create(actor=world.city_admin, unit=world.city, opened_on=opened),
            services.fund_create(actor=world.city_admin, unit=world.commune_a, opened_on=opened),
            services.fund_create(
                actor=world.city_admin,
                unit=world.commune_a,
                kind="restricted",
                campaign=self.appeal,
                opened_on=opened,
            ),
        ]

    def recorder(self, i):
        return self.world.city_admin if i == 0 else self.world.finance_officer_a

    def drafter(self, i):
        return self.world.city_admin if i == 0 else self.world.finance_officer_a

    def approver(self, i):
        return self.approver_city if i == 0 else self.world.finance_approver_a

    def run(self, op):
        name, *args = op
        getattr(self, name)(*args)

    def give(self, i, amount):
        services.donation_record(
            actor=self.recorder(i),
            fund=self.funds[i],
            channel=Channel.CASH,
            amount=amount,
            received_on=today(),
        )

    def give_goods(self, i, quantity, value):
        services.donation_record(
            actor=self.recorder(i),
            fund=self.funds[i],
            channel=Channel.IN_KIND,
            received_on=today(),
            items=[GoodsLine("Gạo", "kg", quantity, value)],
        )

    def pledge(self, i, amount):
        services.pledge_record(
            actor=self.recorder(i),
            fund=self.funds[i],
            donor_name="Công ty A",
            amount=amount,
            pledged_on=today(),
        )

    def fulfil(self, i, amount):
        pledge = Pledge.objects.filter(fund=self.funds[i], status=PledgeStatus.OPEN).order_by("id").first()
        if pledge is not None:
            services.donation_record(
                actor=self.recorder(i),
                channel=Channel.CASH,
                amount=amount,
                received_on=today(),
                pledge=pledge,
            )

    def pay(self, i, amount):
        d = services.disbursement_draft(
            actor=self.drafter(i),
            fund=self.funds[i],
            kind="payment",
            amount=min(amount, max(1, self.funds[i].accounts.get(kind=AccountKind.CASH).balance)),
            purpose="Hỗ trợ",
            help_kind="cash",
        )
        if amount % 3 == 0:  # sometimes a second draft races the first for the same money
            services.disbursement_draft(
                actor=self.drafter(i),
                fund=self.funds[i],
                kind="payment",
                amount=d.amount,
                purpose="Hỗ trợ 2",
                help_kind="cash",
            )
        for draft in self.funds[i].disbursements.filter(status="draft"):
            try:
                services.disbursement_approve(actor=self.approver(i), disbursement=draft)
            except ValidationError:
                services.disbursement_withdraw(actor=self.drafter(i), disbursement=draft)

    def issue(self, i, quantity):
        d = services.disbursement_draft(
            actor=self.drafter(i),
            fund=self.funds[i],
            kind="goods_issue",
            items=[("gao|kg", quantity)],
            purpose="Phát gạo",
            help_kind="gifts",
        )
        services.disbursement_approve(actor=self.approver(i), disbursement=d)

    def transfer(self, amount):
        d = services.disbursement_draft(
            actor=self.world.city_admin,
            fund=self.funds[0],
            kind="transfer",
            amount=amount,
            purpose="Điều chuyển",
            destination_unit=self.world.commune_a,
        )
        services.disbursement_approve(actor=self.approver_city, disbursement=d)

    def reverse(self, k):
        candidates = list(
            Posting.objects.exclude(kind=PostingKind.REVERSAL).filter(reversed_by__isnull=True).order_by("id")
        )
        if not candidates:
            return
        posting = candidates[k % len(candidates)]
        refusal = None
        for user in (self.world.finance_approver_a, self.approver_city, self.world.city_admin):
            try:
                services.posting_reverse(actor=user, posting=posting, reason="Sửa sai sót")
                return
            except PermissionDenied:
                continue  # not this user's unit: try the next approver
            except ValidationError as exc:
                refusal = exc  # maker-checker or not enough money left: try the next one
        if refusal is not None:
            raise refusal

    def cancel(self, k):
        pledges = list(Pledge.objects.filter(status=PledgeStatus.OPEN).order_by("id"))
        if pledges:
            pledge = pledges[k % len(pledges)]
            approver = self.approver(0 if pledge.fund_id == self.funds[0].pk else 1)
            services.pledge_cancel(actor=approver, pledge=pledge, reason="Nhà tài trợ rút cam kết")


def _assert_books_hold():
    assert (Entry.objects.aggregate(s=Sum("amount"))["s"] or 0) == 0
    per_fund = Entry.objects.values("fund_id").annotate(s=Sum("amount"))
    assert all(row["s"] == 0 for row in per_fund), "each fund's own books balance"
    sums = dict(Entry.objects.values_list("account_id").annotate(s=Sum("amount")))
    for account in Account.objects.all():
        assert account.balance == sums.get(account.pk, 0)
        if account.kind in ASSET_KINDS:
            assert account.balance >= 0, account
    goods = Account.objects.filter(kind=AccountKind.GOODS).values_list("pk", flat=True)
    for (_account, _item), (quantity, value) in ledger.stock(goods).items():
        assert quantity >= 0 and value >= 0


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(OPERATION, min_size=1, max_size=20))
def test_random_sequences_keep_the_books_balanced_non_negative_and_verifiable(world, ops):
    with transaction.atomic():
        cast = Cast(world)
        for op in ops:
            before = Entry.objects.count()
            try:
                cast.run(op)
            except ValidationError:
                # A refused action (not enough money, nothing left to write off, …) posts nothing.
                assert Entry.objects.count() == before
            _assert_books_hold()
        report = ledger.verify()
        assert report.ok, report.errors
        transaction.set_rollback(True)
