"""Recording gifts: cash, bank, in kind, foreign currency, receipts, and every kind of bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nhandao.campaigns import services as campaign_services
from nhandao.core.models import AuditEvent
from nhandao.funds import ledger, services
from nhandao.funds.models import AccountKind, Channel, Display, Donation, Entry, Fund, FundKind, Posting
from nhandao.funds.services import DonationInput, GoodsLine

from .conftest import give, today


@pytest.fixture
def bank_a(world):
    return services.bank_account_create(
        actor=world.manager_a,
        unit=world.commune_a,
        bank_name="Vietcombank",
        bank_bin="970436",
        account_number="0031000123456",
        holder="Hoi Chu thap do phuong Le Chan",
    )


def _nothing_posted():
    return not Entry.objects.exists() and not Donation.objects.exists()


def test_a_cash_gift_gets_a_numbered_receipt_and_an_audit_event(world, fund_a):
    first = give(world.finance_officer_a, fund_a, 500_000)
    second = give(world.finance_officer_a, fund_a, 700_000)
    year = today().year
    assert (first.receipt_year, first.receipt_number) == (year, 1)
    assert second.receipt_label == f"BN{year}-000002"
    assert len(first.verify_code) == 12 and first.verify_code != second.verify_code
    event = AuditEvent.objects.get(action="funds.donation.recorded", object_id=str(first.pk))
    assert event.actor == world.finance_officer_a
    assert event.unit_path == world.commune_a.path
    assert event.changes["amount"]["after"] == 500_000


def test_receipt_books_are_per_unit_and_year(world, fund_a, fund_b):
    give(world.finance_officer_a, fund_a, 1_000)
    other = give(world.city_admin, fund_b, 1_000)
    older = give(world.finance_officer_a, fund_a, 1_000, received_on=dt.date(2025, 12, 31))
    assert other.receipt_number == 1
    assert (older.receipt_year, older.receipt_number) == (2025, 1)


def transfer(world, fund, bank_account, ref: str, **kw):
    """A gift of 2.000.000 ₫ by bank transfer with the bank's reference `ref`."""
    return give(
        world.finance_officer_a,
        fund,
        2_000_000,
        channel=Channel.BANK,
        bank_account=bank_account,
        external_ref=ref,
        **kw,
    )


def test_a_bank_transfer_keeps_its_reference_and_counterparty(world, fund_a, bank_a):
    donation = transfer(
        world,
        fund_a,
        bank_a,
        "FT24253000123456",
        counterparty_name="NGUYEN THI MAI",
        counterparty_account="****6789",
        memo="MBVCB.123.ung ho bao yagi",
        donor_name="NGUYEN THI MAI",
    )
    assert donation.account.kind == AccountKind.BANK and donation.account.bank_account == bank_a
    assert donation.external_ref == "FT24253000123456"
    assert donation.search_key.count("nguyen thi mai") >= 1


@pytest.mark.parametrize(
    ("ref", "searchable"),
    [
        ("FT24253000123456", "ft24253000123456"),
        ("ref:FT24253000123456:C#2", "ft24253000123456"),  # a statement line's identity
        ("fp:" + "ab12" * 10, None),  # a fingerprint nhandao computed: nobody searches by it
    ],
)
def test_staff_find_a_transfer_by_the_banks_reference_not_by_a_fingerprint(
    world, fund_a, bank_a, ref, searchable
):
    donation = transfer(world, fund_a, bank_a, ref, donor_name="Trần Văn Hùng")
    assert donation.external_ref == ref  # stored whole: the statement line's identity
    assert "tran van hung" in donation.search_key and "fp" not in donation.search_key.split()
    assert "ab12ab12" not in donation.search_key and "ref:" not in donation.search_key
    if searchable:
        assert searchable in donation.search_key


def test_the_same_bank_reference_cannot_be_posted_twice(world, fund_a, bank_a):
    kw = {"channel": Channel.BANK, "bank_account": bank_a, "external_ref": "FT1"}
    give(world.finance_officer_a, fund_a, 1_000, **kw)
    with pytest.raises(ValidationError, match="FT1 đã được ghi nhận"):
        give(world.finance_officer_a, fund_a, 1_000, **kw)
    assert Donation.objects.count() == 1


def test_a_gift_in_kind_posts_goods_by_item_with_quantities(world, fund_a):
    donation = services.donation_record(
        actor=world.finance_officer_a,
        fund=fund_a,
        channel=Channel.IN_KIND,
        received_on=today(),
        donor_name="Công ty TNHH Thực phẩm An Phát",
        items=[
            GoodsLine("Gạo", "kg", "500", 7_500_000),
            GoodsLine("Mì tôm", "thùng", 100, 12_000_000),
        ],
    )
    assert donation.amount == 19_500_000
    goods = Entry.objects.filter(account__kind=AccountKind.GOODS).order_by("number")
    assert [(e.item, e.quantity, e.amount) for e in goods] == [
        ("gao|kg", Decimal("500.000"), 7_500_000),
        ("mi tom|thung", Decimal("100.000"), 12_000_000),
    ]
    assert ledger.verify().ok


def test_goods_of_no_estimated_value_still_count_in_stock(world, fund_a):
    services.donation_record(
        actor=world.finance_officer_a,
        fund=fund_a,
        channel=Channel.IN_KIND,
        received_on=today(),
        items=[GoodsLine("Quần áo cũ", "bộ", 40, 0)],
    )
    ((key, (q, v)),) = ledger.stock([fund_a.accounts.get(kind=AccountKind.GOODS).pk]).items()
    assert (key[1], q, v) == ("quan ao cu|bo", Decimal("40.000"), 0)


def test_a_foreign_currency_gift_keeps_the_original_amount_and_rate(world, fund_a):
    donation = give(
        world.finance_officer_a,
        fund_a,
        None,
        currency="USD",
        original_amount=Decimal("100.50"),
        exchange_rate=Decimal("25410"),
    )
    assert donation.amount == 2_553_705  # 100.50 × 25,410 rounded half up
    assert (donation.currency, donation.original_amount, donation.exchange_rate) == (
        "USD",
        Decimal("100.50"),
        Decimal("25410.000000"),
    )


def test_the_donor_chooses_how_to_appear_in_public(world, fund_a):
    assert give(world.finance_officer_a, fund_a, display=Display.FULL).public_name == "Nguyễn Thị Mai"
    assert give(world.finance_officer_a, fund_a, display=Display.INITIALS).public_name == "N.T.M."
    anonymous = give(world.finance_officer_a, fund_a, display=Display.ANONYMOUS)
    assert anonymous.public_name == "Nhà hảo tâm"
    assert "mai" not in anonymous.public_key


def test_a_gift_to_a_restricted_appeal_lands_in_the_units_restricted_fund(world, appeal):
    donation = give(world.finance_officer_a, None, 3_000_000, unit=world.commune_a, campaign=appeal)
    fund = donation.fund
    assert (fund.kind, fund.unit, fund.campaign) == (FundKind.RESTRICTED, world.commune_a, appeal)
    assert set(Entry.objects.filter(posting__donation=donation).values_list("campaign_id", flat=True)) == {
        appeal.pk
    }


def test_a_gift_to_a_movement_is_tagged_in_the_general_fund(world, fund_a, movement):
    donation = give(world.finance_officer_a, None, 300_000, unit=world.commune_a, campaign=movement)
    assert donation.fund == fund_a
    assert donation.campaign == movement


def test_the_general_fund_is_opened_on_the_first_gift(world):
    donation = give(world.finance_officer_a, None, 300_000, unit=world.commune_a)
    assert donation.fund.kind == FundKind.GENERAL and donation.fund.unit == world.commune_a
    assert AuditEvent.objects.filter(action="funds.fund.created", data__auto=True).exists()


def test_a_batch_is_all_or_nothing_and_names_the_bad_row(world, fund_a):
    rows = [
        DonationInput(channel=Channel.CASH, amount=1_000, received_on=today(), fund=fund_a),
        DonationInput(channel=Channel.CASH, amount=-5, received_on=today(), fund=fund_a),
    ]
    with pytest.raises(ValidationError, match="Dòng 2: amount: Số tiền phải lớn hơn 0"):
        services.donations_record_batch(actor=world.finance_officer_a, rows=rows)
    assert _nothing_posted()


def test_a_batch_posts_every_gift_with_its_own_receipt_posting_and_audit(world, fund_a):
    rows = [
        DonationInput(channel=Channel.CASH, amount=1_000 * (i + 1), received_on=today(), fund=fund_a)
        for i in range(25)
    ]
    donations = services.donations_record_batch(actor=world.finance_officer_a, rows=rows)
    assert [d.receipt_number for d in donations] == list(range(1, 26))
    assert Posting.objects.count() == 25 and Entry.objects.count() == 50
    assert AuditEvent.objects.filter(action="funds.donation.recorded").count() == 25
    assert fund_a.accounts.get(kind=AccountKind.CASH).balance == sum(1_000 * (i + 1) for i in range(25))
    assert ledger.verify().ok


def test_a_bad_row_found_while_the_gifts_are_written_leaves_nothing(world, fund_a):
    """The donation rows are built while they are written (a COPY on PostgreSQL): a row refused
    then aborts the insert with its own message, and the whole batch is rolled back."""
    rows = [
        DonationInput(channel=Channel.CASH, amount=1_000, received_on=today(), fund=fund_a, donor_name="An")
        for _ in range(3)
    ]
    rows[2].display = "not-a-display"
    with pytest.raises(ValidationError, match="Cách hiển thị không hợp lệ"):
        services.donations_record_batch(actor=world.finance_officer_a, rows=rows)
    assert _nothing_posted()
    assert not AuditEvent.objects.filter(action="funds.donation.recorded").exists()
    assert ledger.verify().ok
    # and the next batch posts normally on the same chain
    services.donations_record_batch(actor=world.finance_officer_a, rows=rows[:2])
    assert Posting.objects.count() == 2 and ledger.verify().ok


def test_each_gift_of_a_batch_has_its_own_complete_audit_event(world, fund_a):
    """Batch-posted gifts keep one event each, found by the record's history filter."""
    from nhandao.org import selectors as org_selectors

    rows = [
        DonationInput(channel=Channel.CASH, amount=1_000 * (i + 1), received_on=today(), fund=fund_a)
        for i in range(3)
    ]
    donations = services.donations_record_batch(actor=world.finance_officer_a, rows=rows)
    for donation in donations:
        events = org_selectors.audit_events(
            world.city_admin,
            org_selectors.AuditFilter(object_type="funds.donation", object_id=str(donation.pk)),
        )
        (event,) = events
        assert event.action == "funds.donation.recorded" and event.actor == world.finance_officer_a
        assert event.changes["amount"] == {"before": None, "after": donation.amount}
        assert event.data["receipt"] == donation.receipt_label
        assert event.data["posting"] == donation.postings.get().pk
        assert event.unit_path == fund_a.unit.path


# Bad input -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (-100_000, "Số tiền phải lớn hơn 0."),
        (0, "Số tiền phải lớn hơn 0."),
        (Decimal("1000.5"), "Số tiền phải là số đồng nguyên, không có phần lẻ."),
        ("1000.50", "Số tiền phải là số đồng nguyên, không có phần lẻ."),
        (1000.5, "Số tiền phải là số đồng nguyên, không có phần lẻ."),
        ("một triệu", "không hợp lệ"),
        (None, "Hãy nhập số tiền"),
        (10**18, "Số tiền quá lớn."),
    ],
)
def test_bad_amounts_are_refused_with_a_vietnamese_message(world, fund_a, amount, message):
    with pytest.raises(ValidationError) as info:
        give(world.finance_officer_a, fund_a, amount)
    assert message in " ".join(info.value.message_dict["amount"])
    assert _nothing_posted()


def test_a_whole_decimal_amount_is_accepted(world, fund_a):
    assert give(world.finance_officer_a, fund_a, Decimal("1000.00")).amount == 1000


def test_a_gift_to_a_closed_fund_is_refused(world, fund_a):
    services.fund_close(actor=world.manager_a, fund=fund_a)
    with pytest.raises(ValidationError, match="đã đóng"):
        give(world.finance_officer_a, fund_a, 1_000)
    assert _nothing_posted()


def test_a_gift_to_a_closed_campaign_is_refused(world, appeal):
    campaign_services.campaign_close(actor=world.city_admin, campaign=appeal)
    with pytest.raises(ValidationError, match="không trong thời gian tiếp nhận"):
        give(world.finance_officer_a, None, 1_000, unit=world.commune_a, campaign=appeal)
    assert _nothing_posted()


def test_a_gift_to_another_units_fund_outside_the_scope_is_refused(world, fund_b):
    with pytest.raises(PermissionDenied, match="Ngô Quyền"):
        give(world.finance_officer_a, fund_b, 1_000)
    assert _nothing_posted()


@pytest.mark.parametrize("user", ["viewer_a", "inspector_a", "finance_approver_a", "manager_a", "nobody"])
def test_users_without_the_record_permission_cannot_record(world, fund_a, user):
    with pytest.raises(PermissionDenied):
        give(getattr(world, user), fund_a, 1_000)
    assert _nothing_posted()


def test_a_gift_dated_in_the_future_is_refused(world, fund_a):
    with pytest.raises(ValidationError, match="tương lai"):
        give(world.finance_officer_a, fund_a, 1_000, received_on=today() + dt.timedelta(days=1))


def test_a_gift_dated_before_the_fund_opened_is_refused(world, fund_a):
    with pytest.raises(ValidationError, match="trước ngày mở quỹ"):
        give(world.finance_officer_a, fund_a, 1_000, received_on=dt.date(2020, 1, 1))


def test_a_foreign_gift_needs_a_rate(world, fund_a):
    with pytest.raises(ValidationError, match="nguyên tệ và tỷ giá"):
        give(world.finance_officer_a, fund_a, None, currency="EUR", original_amount=Decimal("10"))


def test_a_bank_gift_needs_an_account_of_the_same_unit(world, fund_a, fund_b, bank_a):
    with pytest.raises(ValidationError, match="tài khoản ngân hàng"):
        give(world.finance_officer_a, fund_a, 1_000, channel=Channel.BANK)
    with pytest.raises(ValidationError, match="không phải của"):
        give(world.city_admin, fund_b, 1_000, channel=Channel.BANK, bank_account=bank_a)


def test_an_in_kind_gift_needs_items(world, fund_a):
    with pytest.raises(ValidationError, match="ít nhất một mặt hàng"):
        give(world.finance_officer_a, fund_a, None, channel=Channel.IN_KIND)
    with pytest.raises(ValidationError, match="Số lượng phải lớn hơn 0"):
        give(
            world.finance_officer_a,
            fund_a,
            None,
            channel=Channel.IN_KIND,
            items=[GoodsLine("Gạo", "kg", 0, 1)],
        )


def test_a_restricted_fund_only_takes_gifts_for_its_campaign(world, appeal, movement):
    fund = services.fund_for(actor=None, unit=world.commune_a, campaign=appeal)
    with pytest.raises(ValidationError, match="chỉ nhận cho cuộc vận động của quỹ"):
        give(world.finance_officer_a, fund, 1_000, campaign=movement)


def test_a_unit_outside_a_campaigns_tree_cannot_collect_for_it(world, movement):
    local = campaign_services.campaign_create(
        actor=world.manager_b,
        unit=world.commune_b,
        name="Áo ấm cho em",
        kind="movement",
        starts_on=today(),
    )
    campaign_services.campaign_open(actor=world.manager_b, campaign=local)
    with pytest.raises(ValidationError, match="không thuộc phạm vi"):
        give(world.city_admin, None, 1_000, unit=world.commune_a, campaign=local)


def test_changing_the_public_display_later_is_audited(world, fund_a):
    donation = give(world.finance_officer_a, fund_a, 1_000)
    services.donation_set_display(actor=world.finance_officer_a, donation=donation, display=Display.ANONYMOUS)
    donation.refresh_from_db()
    assert donation.public_name == "Nhà hảo tâm"
    assert AuditEvent.objects.filter(action="funds.donation.display_changed").exists()


def test_funds_per_unit_are_unique(world, fund_a):
    with pytest.raises(ValidationError, match="đã có quỹ nhân đạo"):
        services.fund_create(actor=world.manager_a, unit=world.commune_a)
    assert Fund.objects.filter(unit=world.commune_a).count() == 1
