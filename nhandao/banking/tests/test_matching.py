"""Matching: codes post through the fund services, mistyped codes wait, rules are remembered,
debits meet their payments, locked periods refuse, reconciliation explains the difference."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from nhandao.banking import selectors, services
from nhandao.banking.models import AssignmentRule, LineStatus, NotDonation, RuleTarget, StatementLine
from nhandao.banking.services.matching import Target
from nhandao.core import refcodes
from nhandao.funds import services as fund_services
from nhandao.funds.models import Donation

from . import samples
from .conftest import import_file

pytestmark = pytest.mark.django_db

DAY = dt.datetime(2024, 9, 9, 8, 0)


def txns(*memos_amounts, start=DAY):
    return [
        samples.Txn(
            when=start + dt.timedelta(hours=i),
            amount=amount,
            description=memo,
            reference=f"R{start + dt.timedelta(hours=i):%m%d%H%M}",
        )
        for i, (memo, amount) in enumerate(memos_amounts)
    ]


def mistyped(code: str) -> str:
    """The code with its last character replaced (the check character no longer fits).

    The replacement is of the same kind (digit for digit, letter for letter) so
    the token keeps the shape of a code whatever code the fixture drew.
    """
    for ch in refcodes.ALPHABET:
        if ch.isdigit() != code[-1].isdigit():
            continue
        if ch != code[-1] and not refcodes.is_valid(code[:-1] + ch):
            return code[:-1] + ch
    raise AssertionError


def test_a_credit_with_a_valid_code_is_posted_to_its_campaign(world, vcb, yagi):
    data = samples.vietcombank_xlsx(txns((f"NGUYEN VAN AN ung ho bao Yagi {yagi.code}", 500_000)))
    imp = import_file(world.city_admin, vcb, data)
    line = StatementLine.objects.get(bank_account=vcb)
    assert (imp.posted_count, imp.posted_total, line.status) == (1, 500_000, LineStatus.POSTED)
    donation = line.donation
    assert (donation.campaign, donation.amount, donation.bank_account, donation.received_on) == (
        yagi,
        500_000,
        vcb,
        dt.date(2024, 9, 9),
    )
    assert donation.donor_name == "NGUYEN VAN AN" and donation.external_ref == line.identity


def test_a_code_with_a_wrong_check_character_is_queued_never_posted(world, vcb, yagi):
    wrong = mistyped(yagi.code)
    data = samples.vietcombank_xlsx(txns((f"ung ho {wrong}", 200_000)))
    import_file(world.city_admin, vcb, data)
    line = StatementLine.objects.get(bank_account=vcb)
    assert line.status == LineStatus.QUEUED and line.donation is None
    assert "sai ký tự kiểm tra" in line.reason and wrong in line.reason
    assert not Donation.objects.exists()


def test_a_code_of_a_campaign_the_unit_cannot_collect_for_is_queued(world, yagi):
    from .conftest import bank_account

    commune = bank_account(world, world.commune_a, bin="970436", number="0011001234567", name="Vietcombank")
    other = __import__("nhandao.campaigns.services", fromlist=["x"]).campaign_create(
        actor=world.manager_b,
        unit=world.commune_b,
        name="Áo ấm Ngô Quyền",
        kind="movement",
        starts_on=dt.date(2024, 9, 1),
    )
    data = samples.vietcombank_xlsx(txns((f"ung ho {other.code}", 100_000)))
    import_file(world.city_admin, commune, data)
    line = StatementLine.objects.get(bank_account=commune)
    assert line.status == LineStatus.QUEUED and "không nhận ủng hộ qua tài khoản" in line.reason


def test_queued_lines_found_by_a_search_are_assigned_at_once_and_the_rule_applies_next_time(world, vcb, yagi):
    first = txns(
        ("ung ho bao yagi", 100_000), ("UNG HO BAO YAGI gia dinh Minh", 300_000), ("lai tien gui", 5_000)
    )
    import_file(world.city_admin, vcb, samples.vietcombank_xlsx(first))
    found = list(selectors.lines(vcb, selectors.LineFilter(query="ung ho bao yagi")))
    assert len(found) == 2
    result = services.lines_assign(
        actor=world.city_admin,
        bank_account=vcb,
        lines=found,
        target=Target(RuleTarget.CAMPAIGN, campaign=yagi),
        remember="ung ho bao yagi",
    )
    assert result["posted"] == 2
    rule = AssignmentRule.objects.get(bank_account=vcb)
    assert rule.times_applied == 2
    later = txns(
        ("Ủng hộ bão số 3", 50_000),
        ("chuyen khoan ung ho bao yagi", 70_000),
        start=DAY + dt.timedelta(days=2),
    )
    import_file(world.city_admin, vcb, samples.vietcombank_xlsx(later, opening=10_405_000), "later.xlsx")
    line = StatementLine.objects.get(bank_account=vcb, amount=70_000)
    assert line.status == LineStatus.POSTED and line.rule == rule and line.donation.campaign == yagi
    assert StatementLine.objects.get(bank_account=vcb, amount=50_000).status == LineStatus.QUEUED


def test_a_line_can_be_marked_not_a_donation_and_put_back(world, vcb):
    import_file(world.city_admin, vcb, samples.vietcombank_xlsx(txns(("Lai tien gui thang 9", 12_345))))
    line = StatementLine.objects.get(bank_account=vcb)
    services.lines_assign(
        actor=world.city_admin,
        bank_account=vcb,
        lines=[line],
        target=Target(RuleTarget.NOT_DONATION, not_donation=NotDonation.INTEREST),
    )
    line.refresh_from_db()
    assert (line.status, line.not_donation) == (LineStatus.EXCLUDED, NotDonation.INTEREST)
    services.line_requeue(actor=world.city_admin, line=line)
    line.refresh_from_db()
    assert line.status == LineStatus.QUEUED and not Donation.objects.exists()


def test_assigning_to_a_closed_target_is_refused_with_the_reason(world, vcb, yagi):
    import_file(world.city_admin, vcb, samples.vietcombank_xlsx(txns(("ung ho", 10_000))))
    from nhandao.campaigns import services as campaign_services

    campaign_services.campaign_close(actor=world.city_admin, campaign=yagi)
    yagi.refresh_from_db()
    with pytest.raises(ValidationError, match="không trong thời gian tiếp nhận"):
        services.lines_assign(
            actor=world.city_admin,
            bank_account=vcb,
            lines=list(StatementLine.objects.filter(bank_account=vcb)),
            target=Target(RuleTarget.CAMPAIGN, campaign=yagi),
        )


def test_a_debit_is_matched_to_the_approved_payment_of_the_same_amount(world, vcb):
    from nhandao.funds.models import AccountKind

    fund = fund_services.fund_for(actor=None, unit=world.city)
    fund_services.donation_record(
        actor=world.city_admin,
        fund=fund,
        channel="bank",
        bank_account=vcb,
        amount=9_000_000,
        received_on=dt.date(2024, 9, 2),
        donor_name="Công ty A",
    )
    bank = fund.accounts.get(kind=AccountKind.BANK, bank_account=vcb)
    payment = fund_services.disbursement_draft(
        actor=world.city_admin,
        fund=fund,
        kind="payment",
        amount=5_000_000,
        purpose="Hỗ trợ hộ bị sập nhà",
        help_kind="relief",
        source_account=bank,
        value_date=dt.date(2024, 9, 5),
    )
    other = __import__("conftest").make_user("approver_city")
    from nhandao.core.access import Role
    from nhandao.org import services as org_services

    org_services.role_assign(
        actor=None, user=other, unit=world.city, role=Role.FINANCE_APPROVER, valid_from=dt.date(2024, 1, 1)
    )
    payment = fund_services.disbursement_approve(actor=other, disbursement=payment)
    import_file(world.city_admin, vcb, samples.vietcombank_xlsx(txns(("Chi ho tro theo QD 12", -5_000_000))))
    line = StatementLine.objects.get(bank_account=vcb)
    payment.refresh_from_db()
    assert line.status == LineStatus.MATCHED and line.disbursement == payment
    assert payment.bank_reference == line.reference and payment.bank_matched_on == dt.date(2024, 9, 9)


def test_reconciliation_explains_the_difference_line_by_line_and_a_locked_period_refuses_more(
    world, vcb, yagi
):
    data = samples.vietcombank_xlsx(
        txns((f"ung ho {yagi.code}", 400_000), ("khong ro noi dung", 100_000)), opening=1_000_000
    )
    import_file(world.city_admin, vcb, data)
    rec = selectors.reconciliation(vcb, dt.date(2024, 9, 1), dt.date(2024, 9, 30))
    assert (rec.statement_closing, rec.ledger_closing) == (1_500_000, 400_000)
    assert rec.base == 1_000_000 and rec.lines_in_period == 100_000 and rec.unexplained == 0
    assert [line.amount for line in rec.unmatched_lines] == [100_000]
    with pytest.raises(ValidationError, match="đang chờ phân loại"):
        services.period_lock(
            actor=world.city_admin,
            bank_account=vcb,
            date_from=dt.date(2024, 9, 1),
            date_to=dt.date(2024, 9, 9),
        )
    services.lines_assign(
        actor=world.city_admin,
        bank_account=vcb,
        lines=list(StatementLine.objects.filter(status=LineStatus.QUEUED)),
        target=Target(RuleTarget.NOT_DONATION, not_donation=NotDonation.REFUND),
    )
    services.period_lock(
        actor=world.city_admin, bank_account=vcb, date_from=dt.date(2024, 9, 1), date_to=dt.date(2024, 9, 9)
    )
    late = samples.vietcombank_xlsx(
        txns(("ung ho them", 20_000), start=DAY + dt.timedelta(hours=5)), opening=1_500_000
    )
    imp = services.statement_upload(actor=world.city_admin, bank_account=vcb, data=late, filename="late.xlsx")
    assert imp.status == "refused" and "đã đối chiếu và khóa sổ" in imp.message
    with pytest.raises(ValidationError, match="khóa sổ kỳ 01/09/2024 – 09/09/2024"):
        fund_services.donation_record(
            actor=world.city_admin,
            unit=world.city,
            channel="bank",
            bank_account=vcb,
            amount=1_000,
            received_on=dt.date(2024, 9, 5),
        )


def test_the_finance_officer_of_a_commune_cannot_lock_a_period(world, vcb):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.period_lock(
            actor=world.finance_officer_a,
            bank_account=vcb,
            date_from=dt.date(2024, 9, 1),
            date_to=dt.date(2024, 9, 9),
        )


def test_public_lines_never_show_an_account_number_in_full(world, vietinbank, yagi):
    from .test_real_statements import VIETINBANK

    text = VIETINBANK.read_text(encoding="utf-8").replace("(CT1111)", yagi.code)
    import_file(world.city_admin, vietinbank, text.encode(), VIETINBANK.name)
    rows = selectors.public_statement_lines(yagi)
    assert rows and all(not r["account"] or r["account"].startswith("•••") for r in rows)
    full = set(StatementLine.objects.values_list("counterparty_account", flat=True))
    assert not {r["account"] for r in rows} & full


def test_the_lines_are_written_with_the_codes_targets_looked_up_before_the_copy(
    world, vcb, yagi, monkeypatch
):
    """Lines are built while they are streamed to the database, where no query may run: the codes'
    campaigns are looked up first, and a lookup during the writing is refused as a bug."""
    from nhandao.banking.services.matching import Matcher

    lookups = []
    real = Matcher.resolve

    def resolve(self, code):
        lookups.append((code, self._queries_allowed))
        return real(self, code)

    monkeypatch.setattr(Matcher, "resolve", resolve)
    memos = [(f"ung ho {yagi.code}", 100_000), (f"UH {yagi.code} lan 2", 200_000), ("ung ho", 300_000)]
    imp = import_file(world.city_admin, vcb, samples.vietcombank_xlsx(txns(*memos)))
    assert imp.posted_count == 2
    # looked up (a query) once, before the writing; asked again while writing, from the cache
    assert lookups[0] == (yagi.code, True) and (yagi.code, False) in lookups

    matcher = Matcher(vcb)
    matcher.prefetch({yagi.code})
    with matcher.without_queries():
        target, _reason = matcher.decide(code=yagi.code, invalid="", valid_count=1, search_key="")
        assert target.campaign == yagi
        with pytest.raises(RuntimeError, match="not prefetched"):
            matcher.resolve("ZZZZZZ")
    assert matcher.resolve("ZZZZZZ") is None
