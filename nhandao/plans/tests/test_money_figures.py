"""The money indicators of the plan's reports are read from the ledger (issue 14, point 4)."""

from __future__ import annotations

from django.db.models import Sum
from django.utils import timezone

from nhandao.core import indicators
from nhandao.funds import services as funds
from nhandao.funds.models import Disbursement, Donation
from nhandao.funds.tests.conftest import give, pay


def test_money_raised_and_spent_come_from_the_ledger_and_a_reversed_gift_nets_to_zero(world):
    fund = funds.fund_create(actor=world.manager_a, unit=world.commune_a, opened_on=timezone.localdate())
    give(world.finance_officer_a, fund, amount=2_000_000)
    reversed_gift = give(world.finance_officer_a, fund, amount=700_000)
    funds.donation_reverse(actor=world.finance_approver_a, donation=reversed_gift, reason="Ghi nhầm")
    pay(world, fund, 300_000)
    today = timezone.localdate()
    raised = indicators.get("funds.raised").compute
    spent = indicators.get("funds.spent").compute
    # Independent: the gifts still standing and the approved payments of the commune's funds.
    standing = (
        Donation.objects.filter(fund__unit=world.commune_a)
        .exclude(pk=reversed_gift.pk)
        .aggregate(s=Sum("amount"))["s"]
    )
    paid = Disbursement.objects.filter(fund__unit=world.commune_a, kind="payment").aggregate(s=Sum("amount"))[
        "s"
    ]
    assert raised(world.commune_a, today, today) == standing == 2_000_000
    assert spent(world.commune_a, today, today) == paid == 300_000
    assert raised(world.city, today, today) == 2_000_000  # the subtree
    assert raised(world.commune_b, today, today) == 0
