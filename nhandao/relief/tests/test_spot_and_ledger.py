"""On-the-spot registration at a distribution (the register's duplicate check), and goods and money
that agree: a gift in kind walked from the fund's receipt through a warehouse transfer to the
households, with the ledger's goods following the warehouse book."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from nhandao.beneficiaries import api
from nhandao.beneficiaries.models import Case, HelpRecord
from nhandao.beneficiaries.tests.helpers import make_case
from nhandao.funds import ledger
from nhandao.funds import services as fund_services
from nhandao.funds.models import Channel, Entry, Posting, PostingKind
from nhandao.funds.services import GoodsLine
from nhandao.relief.models import Recipient, StockBalance
from nhandao.relief.services import distributions as services
from nhandao.relief.services import stock

from .conftest import receive


@pytest.fixture(autouse=True)
def beneficiary_lookups(db):
    from nhandao.beneficiaries.lookups import ensure_lookups

    ensure_lookups()


@pytest.fixture
def kit_only(world, catalogue):
    return services.package_create(
        actor=world.city_admin,
        name="Bộ đồ dùng gia đình",
        lines=[services.PackageItem(catalogue["kit"], "1")],
    )


@pytest.fixture
def plan(world, yagi, store_a, kit_only, catalogue):
    receive(world, store_a, catalogue["kit"], "10", lot_code="K1")
    return services.plan_create(
        actor=world.manager_a,
        incident=yagi,
        commune=world.commune_a,
        warehouse=store_a,
        package=kit_only,
        planned_on=timezone.localdate(),
    )


# On the spot ----------------------------------------------------------------------------------------
def test_a_household_registered_on_the_spot_joins_the_register_and_the_list(world, plan):
    recipient = services.recipient_register(
        actor=world.entry_a,
        plan=plan,
        full_name="Lê Thị Hoa",
        address_detail="Số 5 ngõ 12 Lạch Tray",
        household_size=4,
        date_of_birth=dt.date(1975, 3, 2),
    )
    assert recipient.on_the_spot
    assert recipient.case.status == "proposed" and recipient.case.commune == world.commune_a
    assert recipient.case.head.full_name == "Lê Thị Hoa"


def test_a_spot_household_gets_its_package_only_once_the_commune_confirms(world, plan, store_a):
    recipient = services.recipient_register(
        actor=world.entry_a, plan=plan, full_name="Lê Thị Hoa", address_detail="Số 5 ngõ 12 Lạch Tray"
    )
    before = StockBalance.objects.get(warehouse=store_a).quantity
    with pytest.raises(ValidationError):
        services.recipient_confirm(actor=world.entry_a, recipient=recipient)
    assert StockBalance.objects.get(warehouse=store_a).quantity == before
    assert not HelpRecord.objects.exists()


def test_the_head_of_an_open_file_is_not_registered_twice(world, plan):
    existing = make_case(
        world.commune_a, "Phạm Văn Nam", cccd="031080001234", date_of_birth=dt.date(1980, 5, 5)
    )
    with pytest.raises(api.DuplicateCaseSuspected) as exc:
        services.recipient_register(
            actor=world.entry_a,
            plan=plan,
            full_name="Phạm Văn Nam",
            cccd="031080001234",
            date_of_birth=dt.date(1980, 5, 5),
            address_detail="Số 1 Lạch Tray",
        )
    assert existing.number in exc.value.messages[0]
    assert Case.objects.count() == 1 and not Recipient.objects.exists()


def test_a_similar_household_needs_the_officers_check(world, plan):
    make_case(world.commune_a, "Đỗ Văn Tâm", address="Số 9 Lạch Tray")
    with pytest.raises(api.DuplicateCaseSuspected):
        services.recipient_register(
            actor=world.entry_a, plan=plan, full_name="Đỗ Văn Tâm", address_detail="Số 9 Lạch Tray"
        )
    assert not Recipient.objects.exists()
    recipient = services.recipient_register(
        actor=world.entry_a,
        plan=plan,
        full_name="Đỗ Văn Tâm",
        address_detail="Số 9 Lạch Tray",
        allow_duplicate=True,
    )
    assert recipient.on_the_spot


def test_the_spot_registration_page(world, plan, client):
    client.force_login(world.entry_a)
    url = reverse("relief:recipient_register", args=[plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"full_name": "", "address_detail": "Số 3"})
    assert "Họ tên chủ hộ" in response.content.decode()
    response = client.post(
        url, {"full_name": "Vũ Thị Lan", "address_detail": "Số 3 Lạch Tray", "household_size": "3"}
    )
    assert response.status_code == 302
    assert Recipient.objects.get(plan=plan).case.household_size == 3


def test_the_spot_registration_of_another_commune_is_refused(world, plan, client):
    client.force_login(world.user_b)
    url = reverse("relief:recipient_register", args=[plan.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"full_name": "X", "address_detail": "Y"}).status_code == 404
    assert not Recipient.objects.exists()


# Goods and money -----------------------------------------------------------------------------------
def _balance(fund, kind):
    return sum(Entry.objects.filter(account__fund=fund, account__kind=kind).values_list("amount", flat=True))


def test_a_gift_walks_from_the_receipt_to_the_households_and_the_ledger_follows(
    world, yagi, catalogue, kit_only, store_a
):
    """The city's fund books 20 family kits given in kind (9,000,000 ₫); they enter the city's
    warehouse at that value; 6 are sent to Lê Chân's warehouse and 5 arrive (one lost on the way);
    Lê Chân's count finds 4 (one spoilt), and three households receive one each.  The ledger's
    goods in stock fall by what was lost and what the households got, its goods lost and goods
    issued rise by the same, and goods in stock equal the warehouse book at the end."""
    fund = fund_services.fund_create(actor=world.city_admin, unit=world.city, opened_on=dt.date(2025, 7, 1))
    today = timezone.localdate()
    gift = fund_services.donation_record(
        actor=world.city_admin,
        fund=fund,
        channel=Channel.IN_KIND,
        amount=9_000_000,
        received_on=today,
        donor_name="Công ty Thép Hải Phòng",
        items=[GoodsLine("Bộ đồ dùng gia đình", "bộ", 20, 9_000_000)],
    )
    city_store = stock.warehouse_create(actor=world.city_admin, unit=world.city, name="Kho thành phố")
    stock.stock_receive(
        actor=world.city_admin,
        warehouse=city_store,
        received_on=today,
        source="gift",
        donation=gift,
        lines=[
            stock.ReceiptLine(item=catalogue["kit"], quantity="20", unit_value=450_000, lot_code="TANG-1")
        ],
    )
    lot = city_store.balances.get().lot
    transfer = stock.transfer_dispatch(
        actor=world.city_admin,
        source=city_store,
        destination=store_a,
        dispatched_on=today,
        lines=[stock.IssueLine(lot, 6)],
    )
    assert _balance(fund, "goods") == 9_000_000  # goods in transit are still the fund's
    line = transfer.lines.get()
    stock.transfer_receive(actor=world.entry_a, transfer=transfer, received_on=today, received={line.pk: "5"})
    assert _balance(fund, "goods") == 9_000_000 - 450_000  # one kit lost on the way
    assert _balance(fund, "goods_loss") == 450_000

    count = stock.count_record(
        actor=world.manager_a,
        warehouse=store_a,
        counted_on=today,
        lines=[stock.CountedLine(lot, "4", "Một bộ bị ngấm nước, hỏng")],
    )
    assert _balance(fund, "goods_loss") == 450_000  # nothing is booked before the approval
    stock.count_decide(actor=world.finance_approver_a, count=count, approve=True)
    assert _balance(fund, "goods_loss") == 900_000
    adjustment = Posting.objects.get(voucher=f"KK-{count.pk}")
    assert adjustment.kind == PostingKind.GOODS_ADJUSTMENT and adjustment.unit_id == store_a.unit_id

    plan = services.plan_create(
        actor=world.manager_a,
        incident=yagi,
        commune=world.commune_a,
        warehouse=store_a,
        package=kit_only,
        planned_on=today,
    )
    services.recipients_add(
        actor=world.manager_a, plan=plan, cases=[make_case(world.commune_a) for _ in range(3)]
    )
    for recipient in Recipient.objects.filter(plan=plan):
        services.recipient_confirm(actor=world.entry_a, recipient=recipient)

    given = sum(HelpRecord.objects.values_list("value", flat=True))
    in_stock = sum(int(b.quantity * b.lot.unit_value) for b in StockBalance.objects.select_related("lot"))
    assert given == 3 * 450_000
    assert in_stock == (14 + 1) * 450_000
    assert _balance(fund, "goods_issued") == given
    assert _balance(fund, "goods") == in_stock == gift.amount - given - 2 * 450_000
    quantities = Entry.objects.filter(account__fund=fund, account__kind="goods").values_list(
        "quantity", flat=True
    )
    assert sum(quantities) == 15
    assert ledger.verify().ok


def test_goods_found_by_a_count_enter_the_ledger_and_other_goods_stay_out(world, catalogue, store_a, client):
    """A count that finds more of a gift's goods than the book raises the fund's goods in stock
    (goods found); a difference on goods that did not come from a gift posts nothing (the ledger
    does not hold them as goods); a rejected count posts nothing."""
    fund = fund_services.fund_create(
        actor=world.manager_a, unit=world.commune_a, opened_on=dt.date(2025, 7, 1)
    )
    today = timezone.localdate()
    gift = fund_services.donation_record(
        actor=world.finance_officer_a,
        fund=fund,
        channel=Channel.IN_KIND,
        amount=4_500_000,
        received_on=today,
        donor_name="Nhà hảo tâm",
        items=[GoodsLine("Bộ đồ dùng gia đình", "bộ", 10, 4_500_000)],
    )
    stock.stock_receive(
        actor=world.entry_a,
        warehouse=store_a,
        received_on=today,
        source="gift",
        donation=gift,
        lines=[stock.ReceiptLine(item=catalogue["kit"], quantity="10", unit_value=450_000, lot_code="G1")],
    )
    gift_lot = store_a.balances.get().lot
    receive(world, store_a, catalogue["kit"], "10", lot_code="K1")
    other_lot = store_a.balances.exclude(lot=gift_lot).get().lot
    postings = Posting.objects.count()

    rejected = stock.count_record(
        actor=world.manager_a,
        warehouse=store_a,
        counted_on=today,
        lines=[stock.CountedLine(gift_lot, "9", "Thiếu một bộ")],
    )
    stock.count_decide(actor=world.finance_approver_a, count=rejected, approve=False)
    assert Posting.objects.count() == postings

    count = stock.count_record(
        actor=world.manager_a,
        warehouse=store_a,
        counted_on=today,
        lines=[
            stock.CountedLine(gift_lot, "11", "Một bộ ghi nhầm sang kho khác"),
            stock.CountedLine(other_lot, "8", "Hai bộ rách"),
        ],
    )
    stock.count_decide(actor=world.finance_approver_a, count=count, approve=True)
    assert Posting.objects.count() == postings + 1
    assert _balance(fund, "goods") == 11 * 450_000
    assert _balance(fund, "goods_gain") == -450_000
    assert _balance(fund, "goods_loss") == 0
    assert ledger.verify().ok
    client.force_login(world.manager_a)
    page = client.get(reverse("funds:fund", args=[fund.pk]))
    assert page.status_code == 200 and "Hiện vật thừa khi kiểm kê" in page.content.decode()
    assert client.get(reverse("funds:fund_movements_xlsx", args=[fund.pk])).status_code == 200


def test_goods_that_do_not_match_the_gift_refuse_the_whole_receipt(world, yagi, catalogue, kit_only, store_a):
    fund = fund_services.fund_create(
        actor=world.manager_a, unit=world.commune_a, opened_on=dt.date(2025, 7, 1)
    )
    gift = fund_services.donation_record(
        actor=world.finance_officer_a,
        fund=fund,
        channel=Channel.IN_KIND,
        amount=2_000_000,
        received_on=timezone.localdate(),
        donor_name="Nhà hảo tâm",
        items=[GoodsLine("Chăn", "chiếc", 10, 1_000_000), GoodsLine("Màn", "chiếc", 10, 1_000_000)],
    )
    stock.stock_receive(
        actor=world.entry_a,
        warehouse=store_a,
        received_on=timezone.localdate(),
        source="gift",
        donation=gift,
        lines=[stock.ReceiptLine(item=catalogue["kit"], quantity="4", unit_value=450_000, lot_code="T2")],
    )
    plan = services.plan_create(
        actor=world.manager_a,
        incident=yagi,
        commune=world.commune_a,
        warehouse=store_a,
        package=kit_only,
        planned_on=timezone.localdate(),
    )
    services.recipients_add(actor=world.manager_a, plan=plan, cases=[make_case(world.commune_a)])
    with pytest.raises(ValidationError) as exc:
        services.recipient_confirm(actor=world.entry_a, recipient=Recipient.objects.get(plan=plan))
    assert "Không tìm thấy mặt hàng" in str(exc.value)
    assert StockBalance.objects.get(warehouse=store_a).quantity == 4
    assert not HelpRecord.objects.exists()


# The printable list in parts ----------------------------------------------------------------------
def test_the_printable_list_prints_in_numbered_parts(
    world, plan, client, monkeypatch, django_assert_max_num_queries
):
    from nhandao.relief.views import distributions as views

    monkeypatch.setattr(views, "PRINT_PAGE", 2)
    services.recipients_add(
        actor=world.manager_a, plan=plan, cases=[make_case(world.commune_a) for _ in range(3)]
    )
    client.force_login(world.manager_a)
    url = reverse("relief:distribution_print", args=[plan.pk])
    with django_assert_max_num_queries(20):
        page = client.get(url, {"phan": "2"}).content.decode()
    assert "Phần 2/2" in page and "<td>3</td>" in page and "<td>1</td>" not in page
    assert "Ký nhận" in page
    assert "Phần 1/2" in client.get(url, {"phan": "99x"}).content.decode()
