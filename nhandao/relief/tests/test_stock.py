"""Relief stock: receipts, issues, transfers with discrepancies, counts, balances on a date, expiry,
the tie to the fund's ledger, and warehouses invisible across communes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from nhandao.core.models import AuditEvent
from nhandao.funds import services as fund_services
from nhandao.funds.models import Channel
from nhandao.funds.services import GoodsLine
from nhandao.relief import selectors
from nhandao.relief.models import (
    CountStatus,
    Lot,
    StockBalance,
    StockIssue,
    StockMovement,
    StockReceipt,
    TransferStatus,
)
from nhandao.relief.services import stock

from .conftest import receive


def today():
    return timezone.localdate()


def on_hand(warehouse, lot=None):
    qs = StockBalance.objects.filter(warehouse=warehouse)
    if lot is not None:
        qs = qs.filter(lot=lot)
    return sum((b.quantity for b in qs), Decimal(0))


def test_a_receipt_books_each_line_at_its_lot_value(world, catalogue, store_a):
    receipt = receive(world, store_a, catalogue["kit"], "120", lot_code="L1")
    assert on_hand(store_a) == 120
    assert receipt.value == 120 * 450_000
    assert StockMovement.objects.get(receipt=receipt).value == 54_000_000
    assert AuditEvent.objects.filter(action="relief.stock.received", object_id=str(receipt.pk)).exists()


def test_an_issue_above_the_stock_is_refused_and_writes_nothing(world, catalogue, store_a):
    receive(world, store_a, catalogue["rice"], "100", lot_code="G1")
    lot = Lot.objects.get(code="G1")
    with pytest.raises(ValidationError) as exc:
        stock.stock_issue(
            actor=world.entry_a,
            warehouse=store_a,
            issued_on=today(),
            purpose="Phát gạo",
            lines=[stock.IssueLine(lot, "60"), stock.IssueLine(lot, "50")],
        )
    assert "chỉ còn 100 kg Gạo" in str(exc.value) and "110" in str(exc.value)
    assert on_hand(store_a) == 100
    assert not StockIssue.objects.exists()


def test_a_bad_line_names_its_row_and_field(world, catalogue, store_a):
    with pytest.raises(ValidationError) as exc:
        stock.stock_receive(
            actor=world.entry_a,
            warehouse=store_a,
            received_on=today(),
            source="other",
            lines=[
                stock.ReceiptLine(item=catalogue["kit"], quantity="5"),
                stock.ReceiptLine(item=catalogue["rice"], quantity="-3"),
            ],
        )
    assert "Dòng 2, số lượng" in str(exc.value)
    assert not StockReceipt.objects.exists() and on_hand(store_a) == 0
    with pytest.raises(ValidationError, match="Dòng 1, hạn sử dụng"):
        receive(world, store_a, catalogue["water"], "10")


def test_the_balance_of_a_warehouse_on_any_date_comes_from_the_book(world, catalogue, store_a):
    receive(world, store_a, catalogue["rice"], "500", lot_code="G1", day=today() - dt.timedelta(days=10))
    lot = Lot.objects.get(code="G1")
    stock.stock_issue(
        actor=world.entry_a,
        warehouse=store_a,
        issued_on=today() - dt.timedelta(days=5),
        purpose="Phát gạo",
        lines=[stock.IssueLine(lot, "200")],
    )
    stock.stock_issue(
        actor=world.entry_a,
        warehouse=store_a,
        issued_on=today(),
        purpose="Phát gạo",
        lines=[stock.IssueLine(lot, "50")],
    )

    def qty(day):
        return sum(b.quantity for b in selectors.warehouse_balance(store_a, day))

    assert qty(today() - dt.timedelta(days=11)) == 0
    assert qty(today() - dt.timedelta(days=7)) == 500
    assert qty(today() - dt.timedelta(days=1)) == 300
    assert qty(None) == 250


def test_a_transfer_is_in_transit_until_received_and_a_difference_is_recorded_not_refused(
    world, catalogue, store_a
):
    city_store = stock.warehouse_create(actor=world.city_admin, unit=world.city, name="Kho thành phố")
    receive(world, city_store, catalogue["kit"], "100", lot_code="K1", actor=world.city_admin)
    lot = Lot.objects.get(code="K1")
    transfer = stock.transfer_dispatch(
        actor=world.city_admin,
        source=city_store,
        destination=store_a,
        dispatched_on=today(),
        lines=[stock.IssueLine(lot, "40")],
        vehicle="Xe tải 15C-123.45",
    )
    assert transfer.status == TransferStatus.IN_TRANSIT
    assert on_hand(city_store) == 60 and on_hand(store_a) == 0
    line = transfer.lines.get()
    transfer = stock.transfer_receive(
        actor=world.entry_a, transfer=transfer, received_on=today(), received={line.pk: "38"}, notes={}
    )
    line.refresh_from_db()
    assert transfer.status == TransferStatus.RECEIVED
    assert on_hand(store_a) == 38
    assert line.difference == -2 and "gửi 40, nhận 38" in line.discrepancy_note
    event = AuditEvent.objects.get(action="relief.transfer.received")
    assert event.data["discrepancies"] == [[lot.pk, "40.000", "38"]]
    with pytest.raises(ValidationError, match="đã được nhận"):
        stock.transfer_receive(
            actor=world.entry_a, transfer=transfer, received_on=today(), received={line.pk: "38"}
        )


def test_only_the_destination_receives_a_transfer(world, catalogue, store_a, store_b):
    receive(world, store_a, catalogue["kit"], "10", lot_code="K1")
    lot = Lot.objects.get(code="K1")
    transfer = stock.transfer_dispatch(
        actor=world.city_admin,
        source=store_a,
        destination=store_b,
        dispatched_on=today(),
        lines=[stock.IssueLine(lot, "5")],
    )
    with pytest.raises(PermissionDenied):
        stock.transfer_receive(
            actor=world.entry_a,
            transfer=transfer,
            received_on=today(),
            received={transfer.lines.get().pk: "5"},
        )


def test_an_expired_lot_is_issued_only_with_a_reason(world, catalogue, store_a):
    receive(
        world,
        store_a,
        catalogue["water"],
        "20",
        lot_code="N1",
        expires_on=today() - dt.timedelta(days=1),
        day=today() - dt.timedelta(days=30),
    )
    lot = Lot.objects.get(code="N1")
    warnings = selectors.expiry_warnings(world.entry_a)
    assert [b.lot for b in warnings] == [lot]
    with pytest.raises(ValidationError) as exc:
        stock.stock_issue(
            actor=world.entry_a,
            warehouse=store_a,
            issued_on=today(),
            purpose="Phát nước",
            lines=[stock.IssueLine(lot, "5")],
        )
    assert "đã hết hạn" in str(exc.value) and "lý do" in str(exc.value)
    issue = stock.stock_issue(
        actor=world.entry_a,
        warehouse=store_a,
        issued_on=today(),
        purpose="Phát nước",
        lines=[stock.IssueLine(lot, "5")],
        expired_reason="Nước còn nguyên niêm phong, kiểm tra đạt",
    )
    assert issue.expired_reason and on_hand(store_a) == 15


def test_a_count_needs_reasons_and_another_persons_approval_before_it_adjusts(world, catalogue, store_a):
    receive(world, store_a, catalogue["rice"], "100", lot_code="G1")
    lot = Lot.objects.get(code="G1")
    with pytest.raises(ValidationError, match="Dòng 1, lý do"):
        stock.count_record(
            actor=world.manager_a, warehouse=store_a, counted_on=today(), lines=[stock.CountedLine(lot, "97")]
        )
    count = stock.count_record(
        actor=world.manager_a,
        warehouse=store_a,
        counted_on=today(),
        lines=[stock.CountedLine(lot, "97", "Bao rách, chuột cắn")],
    )
    assert on_hand(store_a) == 100  # nothing moves before approval
    with pytest.raises(ValidationError, match="không tự duyệt"):
        stock.count_decide(actor=world.manager_a, count=count, approve=True)
    with pytest.raises(PermissionDenied):
        stock.count_decide(actor=world.entry_a, count=count, approve=True)
    count = stock.count_decide(actor=world.finance_approver_a, count=count, approve=True)
    assert count.status == CountStatus.APPROVED
    assert on_hand(store_a) == 97
    assert StockMovement.objects.get(count=count).quantity == -3


def test_a_gift_in_kind_enters_stock_at_the_value_the_fund_booked_and_no_more(world, catalogue, store_a):
    fund = fund_services.fund_create(
        actor=world.manager_a, unit=world.commune_a, opened_on=dt.date(2025, 7, 1)
    )
    gift = fund_services.donation_record(
        actor=world.finance_officer_a,
        fund=fund,
        channel=Channel.IN_KIND,
        amount=9_000_000,
        received_on=today(),
        donor_name="Công ty Thép Hải Phòng",
        items=[GoodsLine("Bộ đồ dùng gia đình", "bộ", 20, 9_000_000)],
    )
    with pytest.raises(ValidationError, match="vượt giá trị Quỹ đã ghi sổ"):
        stock.stock_receive(
            actor=world.entry_a,
            warehouse=store_a,
            received_on=today(),
            source="gift",
            donation=gift,
            lines=[stock.ReceiptLine(item=catalogue["kit"], quantity="21", unit_value=450_000)],
        )
    receipt = stock.stock_receive(
        actor=world.entry_a,
        warehouse=store_a,
        received_on=today(),
        source="gift",
        donation=gift,
        lines=[stock.ReceiptLine(item=catalogue["kit"], quantity="20", unit_value=450_000)],
    )
    assert receipt.value == gift.amount == 9_000_000
    with pytest.raises(ValidationError, match="gắn với khoản ủng hộ"):
        stock.stock_receive(
            actor=world.entry_a,
            warehouse=store_a,
            received_on=today(),
            source="gift",
            lines=[stock.ReceiptLine(item=catalogue["kit"], quantity="1")],
        )


def test_a_warehouse_of_one_commune_is_invisible_to_anothers_staff(world, catalogue, store_a, store_b):
    receive(world, store_b, catalogue["kit"], "10", lot_code="K9", actor=world.user_b)
    assert list(selectors.warehouses_visible(world.entry_a)) == [store_a]
    client = world.client(world.entry_a)
    assert client.get(reverse("relief:warehouse", args=[store_b.pk])).status_code == 404
    assert client.get(reverse("relief:receipt_create", args=[store_b.pk])).status_code == 404
    assert "Ngô Quyền" not in client.get(reverse("relief:warehouses")).content.decode()
    with pytest.raises(PermissionDenied):
        receive(world, store_b, catalogue["kit"], "1")


def test_the_warehouse_pages_cost_a_bounded_number_of_queries(
    world, catalogue, store_a, django_assert_max_num_queries
):
    for i in range(5):
        receive(world, store_a, catalogue["kit"], "10", lot_code=f"K{i}")
    client = world.client(world.entry_a)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("relief:warehouses")).status_code == 200
    with django_assert_max_num_queries(20):
        response = client.get(reverse("relief:warehouse", args=[store_a.pk]))
    assert response.status_code == 200 and "K4" in response.content.decode()
    with django_assert_max_num_queries(20):
        past = client.get(reverse("relief:warehouse", args=[store_a.pk]), {"ngay": "01/01/2020"})
    assert past.status_code == 200 and past.context["balance"] == []
    assert len(response.context["balance"]) == 5


def test_a_gift_in_kind_is_received_through_the_form(world, catalogue, store_a):
    fund = fund_services.fund_create(
        actor=world.manager_a, unit=world.commune_a, opened_on=dt.date(2025, 7, 1)
    )
    gift = fund_services.donation_record(
        actor=world.finance_officer_a,
        fund=fund,
        channel=Channel.IN_KIND,
        amount=900_000,
        received_on=today(),
        donor_name="Bà Lan",
        items=[GoodsLine("Bộ đồ dùng gia đình", "bộ", 2, 900_000)],
    )
    client = world.client(world.entry_a)
    management = {
        "dong-TOTAL_FORMS": "5",
        "dong-INITIAL_FORMS": "0",
        "dong-MIN_NUM_FORMS": "0",
        "dong-MAX_NUM_FORMS": "50",
    }
    response = client.post(
        reverse("relief:receipt_create", args=[store_a.pk]),
        {
            "received_on": today().strftime("%d/%m/%Y"),
            "source": "gift",
            "donation": gift.pk,
            **management,
            "dong-0-item": catalogue["kit"].pk,
            "dong-0-quantity": "2",
            "dong-0-unit_value": "450.000",
        },
    )
    assert response.status_code == 302
    assert StockReceipt.objects.get().donation == gift


def test_a_count_of_an_earlier_day_compares_with_that_days_book(world, catalogue, store_a):
    receive(world, store_a, catalogue["rice"], "100", lot_code="G1", day=today() - dt.timedelta(days=3))
    lot = Lot.objects.get(code="G1")
    stock.stock_issue(
        actor=world.entry_a,
        warehouse=store_a,
        issued_on=today(),
        purpose="Phát gạo",
        lines=[stock.IssueLine(lot, "10")],
    )
    # Counted two days ago, entered today: the book of that day held 100, not today's 90.
    count = stock.count_record(
        actor=world.manager_a,
        warehouse=store_a,
        counted_on=today() - dt.timedelta(days=2),
        lines=[stock.CountedLine(lot, "97", "Bao rách")],
    )
    assert count.lines.get().expected == 100
    stock.count_decide(actor=world.finance_approver_a, count=count, approve=True)
    assert on_hand(store_a) == 87  # 100 - 10 issued - 3 found missing


def test_goods_moved_between_a_count_and_its_approval_stay_moved(world, catalogue, store_a):
    receive(world, store_a, catalogue["rice"], "100", lot_code="G1")
    lot = Lot.objects.get(code="G1")
    count = stock.count_record(
        actor=world.manager_a,
        warehouse=store_a,
        counted_on=today(),
        lines=[stock.CountedLine(lot, "95", "Hao hụt")],
    )
    stock.stock_issue(
        actor=world.entry_a,
        warehouse=store_a,
        issued_on=today(),
        purpose="Phát gạo",
        lines=[stock.IssueLine(lot, "20")],
    )
    stock.stock_issue(
        actor=world.entry_a,
        warehouse=store_a,
        issued_on=today(),
        purpose="Phát gạo",
        lines=[stock.IssueLine(lot, "78")],
    )
    # 2 left on the book; the count's loss of 5 would take it below zero: refused, nothing written.
    with pytest.raises(ValidationError, match="không đủ"):
        stock.count_decide(actor=world.finance_approver_a, count=count, approve=True)
    count.refresh_from_db()
    assert count.status == CountStatus.DRAFT and on_hand(store_a) == 2
