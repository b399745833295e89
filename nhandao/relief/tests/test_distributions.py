"""Distributions: households from the register, a receipt that issues the stock and writes the help
record in one transaction, no second package for the same incident without a reason, the printable
list, access by commune, and goods that agree with the fund's ledger from gift to household."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from nhandao.beneficiaries import api
from nhandao.beneficiaries.models import HelpRecord
from nhandao.beneficiaries.tests.helpers import make_case
from nhandao.funds import services as fund_services
from nhandao.funds.models import Channel
from nhandao.funds.services import GoodsLine
from nhandao.relief.models import Lot, Recipient, StockBalance, StockIssue
from nhandao.relief.services import distributions as services
from nhandao.relief.services import stock

from .conftest import receive


@pytest.fixture(autouse=True)
def beneficiary_lookups(db):
    from nhandao.beneficiaries.lookups import ensure_lookups

    ensure_lookups()


@pytest.fixture
def family_kit(world, catalogue):
    return services.package_create(
        actor=world.city_admin,
        name="Bộ gia đình và 10 kg gạo",
        lines=[services.PackageItem(catalogue["kit"], "1"), services.PackageItem(catalogue["rice"], "10")],
    )


@pytest.fixture
def plan(world, yagi, store_a, family_kit, catalogue):
    receive(world, store_a, catalogue["kit"], "50", lot_code="K1")
    receive(world, store_a, catalogue["rice"], "500", lot_code="G1")
    return services.plan_create(
        actor=world.manager_a,
        incident=yagi,
        commune=world.commune_a,
        warehouse=store_a,
        package=family_kit,
        planned_on=timezone.localdate(),
        place="Nhà văn hóa tổ dân phố 1",
    )


@pytest.fixture
def households(world):
    return [make_case(world.commune_a) for _ in range(3)]


def on_hand(warehouse):
    return {
        b.lot.code: b.quantity for b in StockBalance.objects.filter(warehouse=warehouse).select_related("lot")
    }


def test_the_list_comes_from_the_register_confirmed_households_of_the_commune(world, plan, households):
    make_case(world.commune_a, status="proposed")
    make_case(world.commune_b)
    assert services.recipients_from_register(actor=world.manager_a, plan=plan) == 3
    assert services.recipients_from_register(actor=world.manager_a, plan=plan) == 0  # already listed
    assert set(Recipient.objects.filter(plan=plan).values_list("case", flat=True)) == {
        c.pk for c in households
    }


def test_a_receipt_issues_the_stock_and_writes_the_help_record_in_one_go(world, plan, households, store_a):
    services.recipients_add(actor=world.manager_a, plan=plan, cases=households)
    recipient = Recipient.objects.get(plan=plan, case=households[0])
    recipient, created = services.recipient_confirm(actor=world.entry_a, recipient=recipient)
    assert created and recipient.received_at is not None
    assert on_hand(store_a) == {"K1": Decimal(49), "G1": Decimal(490)}
    record = recipient.help_record
    assert record.case == households[0] and record.kind == "emergency"
    assert record.value == recipient.issue.value == 450_000 + 10 * 18_000
    assert api.help_records_for_source(f"relief.recipient:{recipient.pk}").get() == record

    again, created = services.recipient_confirm(actor=world.entry_a, recipient=recipient)
    assert not created and again.help_record == record
    assert StockIssue.objects.count() == 1 and HelpRecord.objects.count() == 1


def test_not_enough_stock_refuses_the_receipt_and_writes_nothing(world, plan, households, store_a):
    lot = Lot.objects.get(code="K1")
    stock.stock_issue(
        actor=world.entry_a,
        warehouse=store_a,
        issued_on=timezone.localdate(),
        purpose="Chuyển hết bộ đồ dùng",
        lines=[stock.IssueLine(lot, "50")],
    )
    services.recipients_add(actor=world.manager_a, plan=plan, cases=households[:1])
    recipient = Recipient.objects.get(plan=plan)
    with pytest.raises(ValidationError, match="không đủ"):
        services.recipient_confirm(actor=world.entry_a, recipient=recipient)
    recipient.refresh_from_db()
    assert recipient.received_at is None
    assert not HelpRecord.objects.exists()
    assert on_hand(store_a)["G1"] == 500


def test_the_same_package_for_the_same_incident_twice_needs_a_stored_reason(
    world, plan, households, yagi, store_a, family_kit
):
    second = services.plan_create(
        actor=world.manager_a,
        incident=yagi,
        commune=world.commune_a,
        warehouse=store_a,
        package=family_kit,
        planned_on=timezone.localdate(),
    )
    services.recipients_add(actor=world.manager_a, plan=plan, cases=households[:1])
    services.recipients_add(actor=world.manager_a, plan=second, cases=households[:1])
    services.recipient_confirm(actor=world.entry_a, recipient=Recipient.objects.get(plan=plan))
    twice = Recipient.objects.get(plan=second)
    with pytest.raises(api.DoubleHelpSuspected) as exc:
        services.recipient_confirm(actor=world.entry_a, recipient=twice)
    assert "lý do" in str(exc.value)
    assert StockIssue.objects.count() == 1  # the refused receipt issued nothing
    twice, created = services.recipient_confirm(
        actor=world.entry_a, recipient=twice, duplicate_reason="Nhà bị sập lần hai sau lũ"
    )
    assert created and twice.duplicate_reason == "Nhà bị sập lần hai sau lũ"
    assert twice.help_record.duplicate_reason == "Nhà bị sập lần hai sau lũ"


def test_a_household_served_elsewhere_is_said_to_exist_without_its_details(
    world, yagi, plan, households, catalogue
):
    """The double-help guard looks across units but tells only that an earlier record exists."""
    from nhandao.beneficiaries.services import help_record_create

    help_record_create(
        actor=None,
        case=households[0],
        date=timezone.localdate(),
        kind="emergency",
        value=777_000,
        description="Hỗ trợ khẩn cấp",
        delivering_unit=world.city,
        source_type="unit",
        campaign=f"{yagi.name} – {plan.package.name}",
    )
    services.recipients_add(actor=world.manager_a, plan=plan, cases=households[:1])
    with pytest.raises(api.DoubleHelpSuspected) as exc:
        services.recipient_confirm(actor=world.entry_a, recipient=Recipient.objects.get(plan=plan))
    assert "Hội Chữ thập đỏ thành phố Hải Phòng" in str(exc.value) and "lý do" in str(exc.value)
    assert not StockIssue.objects.exists()


def test_a_plan_issues_from_the_communes_own_warehouse(world, yagi, family_kit, store_b):
    with pytest.raises(PermissionDenied):
        services.plan_create(
            actor=world.manager_a,
            incident=yagi,
            commune=world.commune_b,
            warehouse=store_b,
            package=family_kit,
            planned_on=timezone.localdate(),
        )
    city_store = stock.warehouse_create(actor=world.city_admin, unit=world.city, name="Kho thành phố")
    with pytest.raises(ValidationError, match="kho của chính xã"):
        services.plan_create(
            actor=world.city_admin,
            incident=yagi,
            commune=world.commune_a,
            warehouse=city_store,
            package=family_kit,
            planned_on=timezone.localdate(),
        )


def test_goods_and_money_agree_from_the_gift_to_the_household(world, yagi, store_a, catalogue, households):
    """A gift in kind booked by the fund at 9,000,000 ₫ enters stock at that value; what reaches the
    households (the help records) plus what stays in stock equals what the ledger booked."""
    fund = fund_services.fund_create(
        actor=world.manager_a, unit=world.commune_a, opened_on=dt.date(2025, 7, 1)
    )
    gift = fund_services.donation_record(
        actor=world.finance_officer_a,
        fund=fund,
        channel=Channel.IN_KIND,
        amount=9_000_000,
        received_on=timezone.localdate(),
        donor_name="Công ty Thép Hải Phòng",
        items=[GoodsLine("Bộ đồ dùng gia đình", "bộ", 20, 9_000_000)],
    )
    receipt = stock.stock_receive(
        actor=world.entry_a,
        warehouse=store_a,
        received_on=timezone.localdate(),
        source="gift",
        donation=gift,
        lines=[
            stock.ReceiptLine(item=catalogue["kit"], quantity="20", unit_value=450_000, lot_code="TANG-1")
        ],
    )
    assert receipt.value == fund.accounts.get(kind="goods").balance == gift.amount
    kit_only = services.package_create(
        actor=world.city_admin,
        name="Bộ đồ dùng gia đình",
        lines=[services.PackageItem(catalogue["kit"], "1")],
    )
    plan = services.plan_create(
        actor=world.manager_a,
        incident=yagi,
        commune=world.commune_a,
        warehouse=store_a,
        package=kit_only,
        planned_on=timezone.localdate(),
    )
    services.recipients_add(actor=world.manager_a, plan=plan, cases=households)
    for recipient in Recipient.objects.filter(plan=plan):
        services.recipient_confirm(actor=world.entry_a, recipient=recipient)
    given = sum(
        HelpRecord.objects.filter(source_ref__startswith="relief.recipient:").values_list("value", flat=True)
    )
    left = sum(
        int(b.quantity * b.lot.unit_value)
        for b in StockBalance.objects.filter(warehouse=store_a).select_related("lot")
    )
    assert given == 3 * 450_000
    assert given + left == gift.amount


def test_a_distribution_of_one_commune_is_invisible_to_anothers_staff(world, plan, households):
    services.recipients_add(actor=world.manager_a, plan=plan, cases=households[:1])
    recipient = Recipient.objects.get(plan=plan)
    client = world.client(world.user_b)
    for url in (
        reverse("relief:distribution", args=[plan.pk]),
        reverse("relief:distribution_print", args=[plan.pk]),
        reverse("relief:recipient_confirm", args=[recipient.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("relief:recipient_confirm", args=[recipient.pk]), {"proof": "signature"}
        ).status_code
        == 404
    )
    assert client.post(reverse("relief:distribution_fill", args=[plan.pk])).status_code == 404
    recipient.refresh_from_db()
    assert recipient.received_at is None


def test_the_list_page_and_the_printable_list_with_a_signature_column(
    world, plan, django_assert_max_num_queries
):
    cases = [make_case(world.commune_a) for _ in range(6)]
    services.recipients_add(actor=world.manager_a, plan=plan, cases=cases)
    client = world.client(world.entry_a)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("relief:distribution", args=[plan.pk]))
    assert page.status_code == 200 and cases[0].number in page.content.decode()
    with django_assert_max_num_queries(15):
        printed = client.get(reverse("relief:distribution_print", args=[plan.pk]))
    html = printed.content.decode()
    assert "Ký nhận" in html and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert all(c.head.full_name in html for c in cases)


def test_confirming_on_the_phone_page(world, plan, households, store_a):
    services.recipients_add(actor=world.manager_a, plan=plan, cases=households[:1])
    recipient = Recipient.objects.get(plan=plan)
    client = world.client(world.entry_a)
    url = reverse("relief:recipient_confirm", args=[recipient.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"proof": "signature"}).status_code == 302
    assert client.post(url, {"proof": "signature"}).status_code == 302
    recipient.refresh_from_db()
    assert recipient.received_at and StockIssue.objects.count() == 1
