"""The flow around the statement reader (issue 13): partial files kept whole, problem lines
corrected by hand, one file per account, sizes and dates that never leave an import stuck."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from nhandao.banking import selectors, services, statements
from nhandao.banking.models import (
    ImportStatus,
    LineStatus,
    ProblemStatus,
    StatementImport,
    StatementLine,
    StatementProblemLine,
)
from nhandao.banking.services import imports

from . import samples
from .conftest import bank_account, import_file, upload


def _kept_as_problem(monkeypatch, rows: dict[int, dict]):
    """statements.read as the reader branch will return it: the rows named are problem lines
    (with the amount the running balance implies), not lines."""
    real = statements.read

    def read(*args, **kwargs):
        st = real(*args, **kwargs)
        good = []
        for line in st.lines:
            extra = rows.get(line.origin.row)
            if extra is None:
                good.append(line)
                continue
            st.problem_lines.append(
                statements.ProblemLine(
                    origin=line.origin,
                    raw=f"{line.date:%d/%m/%Y} | {line.description} | ???",
                    reason=extra.get("reason", "dòng này có 5 giá trị dưới 6 tiêu đề"),
                    date=line.date,
                    amount_read=extra.get("amount_read"),
                    implied_amount=extra.get("implied", line.amount),
                    description=line.description,
                )
            )
        st.lines = good
        return st

    monkeypatch.setattr(imports.statements, "read", read)


def _verify_ledger() -> None:
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)
    assert "toàn vẹn" in out.getvalue()


@pytest.fixture
def txns():
    return samples.sample_txns()


# Partial files kept whole ---------------------------------------------------------------------
def test_a_file_with_a_bad_line_is_read_with_the_good_lines_and_lists_the_bad_one(
    world, vcb, txns, monkeypatch
):
    _kept_as_problem(monkeypatch, {12: {"implied": 500_000}})
    imp = upload(world.city_admin, vcb, samples.vietcombank_xlsx(txns))
    assert imp.status == ImportStatus.CHECKED
    assert imp.line_count == len(txns) - 1 and imp.problem_count == 1
    (row,) = imp.problem_rows
    assert (row["row"], row["implied_amount"], row["best_amount"]) == (12, 500_000, 500_000)
    assert row["reason"] == "dòng này có 5 giá trị dưới 6 tiêu đề" and "???" in row["raw"]
    page = world.client(world.city_admin).get(imp.get_absolute_url()).content.decode()
    assert "dòng này có 5 giá trị dưới 6 tiêu đề" in page and "giữ 1 dòng cần sửa" in page


def test_the_commit_imports_the_good_lines_and_keeps_the_problem_line_to_correct(
    world, vcb, txns, monkeypatch
):
    _kept_as_problem(monkeypatch, {12: {"implied": 500_000}})
    imp = import_file(world.city_admin, vcb, samples.vietcombank_xlsx(txns))
    assert imp.status == ImportStatus.IMPORTED
    assert StatementLine.objects.filter(bank_account=vcb).count() == len(txns) - 1
    problem = StatementProblemLine.objects.get(bank_account=vcb)
    assert (problem.status, problem.row, problem.best_amount) == (ProblemStatus.OPEN, 12, 500_000)
    _verify_ledger()


@pytest.mark.parametrize("row", [9, 12])
def test_a_problem_line_counts_in_the_reconciliation_until_corrected(world, vcb, txns, monkeypatch, row):
    amount = txns[row - 9].amount
    _kept_as_problem(monkeypatch, {row: {"implied": amount}})
    import_file(world.city_admin, vcb, samples.vietcombank_xlsx(txns))
    day = txns[0].when.date()
    rec = selectors.reconciliation(vcb, day, txns[-1].when.date())
    assert rec.problems_in_period == amount and rec.problem_count == 1
    assert rec.base == 10_000_000  # the printed opening balance
    # The statement's own closing balance (printed on the file) is the lines plus the problem line.
    all_lines = sum(t.amount for t in txns)
    assert rec.statement_closing - rec.base == all_lines


def test_the_period_cannot_be_locked_while_a_problem_line_remains(world, vcb, txns, monkeypatch):
    _kept_as_problem(monkeypatch, {12: {"implied": 500_000}})
    import_file(world.city_admin, vcb, samples.vietcombank_xlsx(txns))
    StatementLine.objects.filter(bank_account=vcb).update(status=LineStatus.EXCLUDED, not_donation="other")
    with pytest.raises(ValidationError, match="cần sửa"):
        services.period_lock(
            actor=world.city_admin,
            bank_account=vcb,
            date_from=txns[0].when.date(),
            date_to=txns[-1].when.date(),
        )


def test_correcting_a_problem_line_writes_the_line_matches_and_posts_it_and_is_audited(
    world, vcb, yagi, txns, monkeypatch
):
    from nhandao.core.models import AuditEvent

    _kept_as_problem(monkeypatch, {12: {"implied": 500_000}})
    import_file(world.city_admin, vcb, samples.vietcombank_xlsx(txns))
    problem = StatementProblemLine.objects.get(bank_account=vcb)
    line = services.problem_line_correct(
        actor=world.city_admin,
        problem=problem,
        booked_on=problem.booked_on,
        amount=500_000,
        description=f"NGUYEN VAN AN ung ho {yagi.code}",
    )
    assert line.status == LineStatus.POSTED and line.donation.campaign_id == yagi.pk
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CORRECTED and problem.line_id == line.pk
    event = AuditEvent.objects.get(action="banking.problem_line.corrected")
    assert event.changes["amount"] == {"before": 500_000, "after": 500_000}
    assert "???" in event.data["raw"]
    rec = selectors.reconciliation(vcb, txns[0].when.date(), txns[-1].when.date())
    assert rec.problems_in_period == 0
    with pytest.raises(ValidationError, match="đã được sửa"):
        services.problem_line_correct(
            actor=world.city_admin, problem=problem, booked_on=problem.booked_on, amount=1, description="x"
        )
    _verify_ledger()


def test_the_correction_page_prefills_the_implied_amount_and_corrects(world, vcb, txns, monkeypatch):
    _kept_as_problem(monkeypatch, {12: {"implied": 500_000}})
    import_file(world.city_admin, vcb, samples.vietcombank_xlsx(txns))
    problem = StatementProblemLine.objects.get(bank_account=vcb)
    client = world.client(world.city_admin)
    url = reverse("banking:problem", args=[problem.pk])
    assert 'value="500.000"' in client.get(url).content.decode()
    response = client.post(
        url,
        {"booked_on": problem.booked_on.strftime("%d/%m/%Y"), "amount": "500.000", "description": "ung ho"},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CORRECTED


def test_problem_pages_refuse_a_user_of_another_unit(world, txns, monkeypatch):
    account = bank_account(world, world.commune_a, bin="970436", number="0011001234567", name="Vietcombank")
    _kept_as_problem(monkeypatch, {12: {"implied": 500_000}})
    imp = import_file(world.city_admin, account, samples.vietcombank_xlsx(txns))
    problem = StatementProblemLine.objects.get(bank_account=account)
    outsider = world.client(world.manager_b)
    assert outsider.get(reverse("banking:problem", args=[problem.pk])).status_code == 404
    assert outsider.get(reverse("banking:import_problems", args=[imp.pk])).status_code == 404
    response = outsider.post(reverse("banking:problem", args=[problem.pk]), {"amount": "1"})
    assert response.status_code == 404


def test_re_uploading_the_file_keeps_each_problem_line_once(world, vcb, txns, monkeypatch):
    _kept_as_problem(monkeypatch, {12: {"implied": 500_000}})
    data = samples.vietcombank_xlsx(txns)
    import_file(world.city_admin, vcb, data)
    again = import_file(world.city_admin, vcb, data)
    assert again.lines_new == 0
    assert StatementProblemLine.objects.filter(bank_account=vcb).count() == 1
    assert StatementLine.objects.filter(bank_account=vcb).count() == len(txns) - 1
    _verify_ledger()


def test_a_file_where_every_line_is_a_problem_is_refused_with_nothing_written(world, vcb, txns, monkeypatch):
    _kept_as_problem(monkeypatch, {9 + i: {} for i in range(len(txns))})
    imp = upload(world.city_admin, vcb, samples.vietcombank_xlsx(txns))
    assert imp.status == ImportStatus.REFUSED
    assert f"cả {len(txns)} dòng giao dịch đều cần sửa" in imp.message
    assert not StatementLine.objects.exists() and not StatementProblemLine.objects.exists()


# Signs and sizes, flow side -----------------------------------------------------------------
def test_an_amount_beyond_what_the_books_hold_is_a_problem_line_not_a_stuck_import(
    world, vcb, txns, monkeypatch
):
    real = statements.read

    def read(*args, **kwargs):
        st = real(*args, **kwargs)
        st.lines[2].amount = 10**20
        return st

    monkeypatch.setattr(imports.statements, "read", read)
    imp = upload(world.city_admin, vcb, samples.vietcombank_xlsx(txns))
    assert imp.status == ImportStatus.CHECKED and imp.problem_count == 1
    (row,) = imp.problem_rows
    assert "vượt quá mức hệ thống xử lý được" in row["reason"] and row["amount_read"] is None
    imp = services.statement_commit(actor=world.city_admin, statement_import=imp)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.IMPORTED


def test_a_line_dated_in_the_future_is_a_problem_line(world, vcb, monkeypatch):
    from django.utils import timezone

    start = dt.datetime.combine(timezone.localdate() - dt.timedelta(days=1), dt.time(8, 0))
    txns = samples.sample_txns(n=12, start=start)
    imp = upload(world.city_admin, vcb, samples.vietcombank_xlsx(txns))
    assert imp.status == ImportStatus.CHECKED
    future = [row for row in imp.problem_rows if "ở tương lai" in row["reason"]]
    assert future and imp.line_count + imp.problem_count == len(txns)


def test_an_unexpected_failure_of_the_reader_refuses_the_file_instead_of_leaving_it_reading(
    world, vcb, txns, monkeypatch
):
    def read(*args, **kwargs):
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr(imports.statements, "read", read)
    imp = upload(world.city_admin, vcb, samples.vietcombank_xlsx(txns))
    assert imp.status == ImportStatus.REFUSED
    assert "Không đọc được tệp" in imp.message and "OverflowError" in imp.message


# One file, one account ------------------------------------------------------------------------
@pytest.fixture
def two_accounts(world):
    first = bank_account(world, world.commune_a, bin="970436", number="0011001234567", name="Vietcombank")
    second = bank_account(world, world.commune_a, bin="970436", number="0011009999999", name="Vietcombank")
    return first, second


def _file_for_any_account(txns):
    """A statement without the account number printed (so it reads for either account)."""
    return samples.vietcombank_xlsx(txns, account="")


def test_the_same_file_uploaded_into_another_account_is_held_naming_that_account(world, two_accounts, txns):
    first, second = two_accounts
    data = _file_for_any_account(txns)
    import_file(world.city_admin, first, data)
    imp = upload(world.finance_officer_a, second, data)
    assert imp.status == ImportStatus.HELD
    assert first.account_number in imp.message and "một tệp sao kê chỉ nhập vào một tài khoản" in imp.message
    with pytest.raises(ValidationError, match="đã được xử lý"):
        services.statement_commit(actor=world.finance_officer_a, statement_import=imp)
    assert not StatementLine.objects.filter(bank_account=second).exists()


def test_lines_already_imported_into_another_account_are_held_even_from_another_file(
    world, two_accounts, txns
):
    first, second = two_accounts
    import_file(world.city_admin, first, _file_for_any_account(txns))
    other_file = _file_for_any_account(txns[:8])  # the same transfers, another file
    imp = upload(world.finance_officer_a, second, other_file)
    assert imp.status == ImportStatus.HELD and first.account_number in imp.message


def test_a_finance_approver_confirms_with_a_reason_and_the_import_proceeds(world, two_accounts, txns):
    from nhandao.core.models import AuditEvent

    first, second = two_accounts
    data = _file_for_any_account(txns)
    import_file(world.city_admin, first, data)
    imp = upload(world.finance_officer_a, second, data)
    with pytest.raises(PermissionDenied):
        services.statement_confirm_other_account(
            actor=world.finance_officer_a, statement_import=imp, reason="Sao kê chung của hai tài khoản"
        )
    with pytest.raises(ValidationError, match="lý do"):
        services.statement_confirm_other_account(
            actor=world.finance_approver_a, statement_import=imp, reason="x"
        )
    imp = services.statement_confirm_other_account(
        actor=world.finance_approver_a, statement_import=imp, reason="Sao kê chung của hai tài khoản"
    )
    assert imp.status == ImportStatus.CHECKED
    event = AuditEvent.objects.get(action="banking.statement.other_account_confirmed")
    assert event.data["reason"] == "Sao kê chung của hai tài khoản"
    imp = services.statement_commit(actor=world.finance_officer_a, statement_import=imp)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.IMPORTED
    _verify_ledger()


def test_the_held_page_offers_the_confirmation_to_the_approver_only(world, two_accounts, txns):
    first, second = two_accounts
    data = _file_for_any_account(txns)
    import_file(world.city_admin, first, data)
    imp = upload(world.finance_officer_a, second, data)
    officer_page = world.client(world.finance_officer_a).get(imp.get_absolute_url()).content.decode()
    assert first.account_number in officer_page and "Xác nhận nhập vào tài khoản này" not in officer_page
    approver = world.client(world.finance_approver_a)
    assert "Xác nhận nhập vào tài khoản này" in approver.get(imp.get_absolute_url()).content.decode()
    url = reverse("banking:import_confirm_other_account", args=[imp.pk])
    assert world.client(world.manager_b).post(url, {"reason": "Sao kê chung"}).status_code == 404
    approver.post(url, {"reason": "Sao kê chung của hai tài khoản"})
    assert StatementImport.objects.get(pk=imp.pk).status == ImportStatus.CHECKED


# Idempotent, and fast the second time -----------------------------------------------------------
def test_the_same_file_uploaded_again_is_not_read_again_and_adds_nothing(world, vcb, txns, monkeypatch):
    data = samples.vietcombank_xlsx(txns)
    first = import_file(world.city_admin, vcb, data)

    def read(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(imports.statements, "read", read)
    again = import_file(world.city_admin, vcb, data)
    assert (again.lines_new, again.lines_duplicate) == (0, first.line_count)
    assert again.credit_total == first.credit_total
    assert any("đã được nhập vào tài khoản này" in w for w in again.warnings)
    assert StatementLine.objects.filter(bank_account=vcb).count() == len(txns)
    _verify_ledger()


def test_the_same_file_uploaded_again_is_recognised_by_its_sha256_and_its_bytes_are_not_kept(
    world, vcb, txns
):
    data = samples.vietcombank_xlsx(txns)
    import_file(world.city_admin, vcb, data)
    again = services.statement_upload(actor=world.city_admin, bank_account=vcb, data=data, filename="sk.xlsx")
    assert StatementImport.objects.get(pk=again.pk).content is None
    assert (again.status, again.lines_new) == (ImportStatus.CHECKED, 0)
    # Read another way (a format asked for), the same file is kept and read again.
    other = services.statement_upload(
        actor=world.city_admin, bank_account=vcb, data=data, filename="sk.xlsx", format=again.format
    )
    assert bytes(StatementImport.objects.get(pk=other.pk).content) == data
    assert other.lines_new == 0
