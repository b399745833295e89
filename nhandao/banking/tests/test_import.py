"""Importing statements into a fund's bank account: counts and totals, idempotence, overlap,
all or nothing, and every refusal with its Vietnamese message."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from nhandao.banking import services
from nhandao.banking.models import ImportStatus, LineStatus, StatementImport, StatementLine
from nhandao.banking.services import imports
from nhandao.core.models import Job

from . import samples
from .conftest import bank_account, import_file, upload
from .test_real_statements import BIDV, VIETINBANK, raw_credits

pytestmark = pytest.mark.django_db


SHAPES = BIDV.parent / "shapes"


def stored(account):
    qs = StatementLine.objects.filter(bank_account=account)
    return qs.count(), qs.aggregate(s=Sum("amount"))["s"] or 0


@pytest.mark.parametrize(("path", "field", "fixture"), [(BIDV, 2, "bidv"), (VIETINBANK, 3, "vietinbank")])
def test_each_real_statement_is_stored_with_the_count_and_credit_total_of_the_raw_file(
    world, request, path, field, fixture
):
    account = request.getfixturevalue(fixture)
    expected = raw_credits(path, field)
    imp = import_file(world.city_admin, account, path.read_bytes(), path.name)
    assert imp.status == ImportStatus.IMPORTED
    assert (imp.line_count, imp.credit_count, imp.credit_total) == (
        len(expected),
        len(expected),
        sum(expected),
    )
    assert stored(account) == (len(expected), sum(expected))
    assert imp.lines_new == len(expected) and imp.lines_duplicate == 0


def test_importing_the_same_file_again_adds_nothing(world, bidv):
    data = BIDV.read_bytes()
    import_file(world.city_admin, bidv, data, BIDV.name)
    before = stored(bidv)
    again = import_file(world.city_admin, bidv, data, BIDV.name)
    assert (again.lines_new, again.lines_duplicate) == (0, before[0])
    assert stored(bidv) == before


def test_the_second_upload_of_a_file_shows_its_lines_as_already_imported_before_commit(world, bidv):
    import_file(world.city_admin, bidv, BIDV.read_bytes(), BIDV.name)
    imp = upload(world.city_admin, bidv, BIDV.read_bytes(), BIDV.name)
    assert imp.status == ImportStatus.CHECKED
    assert imp.lines_new == 0 and imp.lines_duplicate == imp.line_count


def test_overlapping_statements_store_each_transfer_once(world, bidv):
    text = BIDV.read_text(encoding="utf-8").splitlines()
    header, rows = text[0], text[1:]

    def day(row):
        return int(row.split("|")[1].strip()[:2])

    yesterday = "\n".join([header] + [r for r in rows if day(r) <= 7]).encode()
    today = "\n".join([header] + [r for r in rows if day(r) >= 5]).encode()
    first = import_file(world.city_admin, bidv, yesterday, "01-07.psv")
    second = import_file(world.city_admin, bidv, today, "05-12.psv")
    expected = raw_credits(BIDV, 2)
    assert stored(bidv) == (len(expected), sum(expected))
    assert second.lines_duplicate == sum(1 for r in rows if 5 <= day(r) <= 7)
    assert first.lines_new + second.lines_new == len(expected)


def test_a_failure_midway_leaves_no_line(world, bidv, monkeypatch):
    real = imports.bulk.insert_returning_ids

    def insert_then_crash(row_type, rows, **kwargs):
        real(row_type, rows, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports.bulk, "insert_returning_ids", insert_then_crash)
    imp = upload(world.city_admin, bidv, BIDV.read_bytes(), BIDV.name)
    services.statement_commit(actor=world.city_admin, statement_import=imp)
    assert StatementLine.objects.count() == 0
    job = StatementImport.objects.get(pk=imp.pk).job
    assert job.status == Job.Status.FAILED and "Lỗi hệ thống" in job.message


def test_a_refused_line_write_marks_the_import_failed_with_its_reason(world, bidv, monkeypatch):
    def refuse(*args, **kwargs):
        raise ValidationError("Không ghi được.")

    monkeypatch.setattr(imports.periods, "refuse_lines_in_locked_period", refuse)
    imp = StatementImport.objects.create(
        bank_account=bidv,
        unit=bidv.unit,
        status=ImportStatus.CHECKED,
        file_name=BIDV.name,
        file_sha256=__import__("hashlib").sha256(BIDV.read_bytes()).hexdigest(),
        content=BIDV.read_bytes(),
    )
    services.statement_commit(actor=world.city_admin, statement_import=imp)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.FAILED and imp.message == "Không ghi được."
    assert imp.content is None and StatementLine.objects.count() == 0


def test_a_file_of_another_bank_is_refused(world, vcb):
    imp = upload(world.city_admin, vcb, BIDV.read_bytes(), BIDV.name)
    assert imp.status == ImportStatus.REFUSED
    assert "sao kê của BIDV, không phải của Vietcombank" in imp.message
    assert imp.content is None and StatementLine.objects.count() == 0


def test_a_statement_for_another_account_number_is_refused(world):
    other = bank_account(world, bin="970436", number="0011009999999", name="Vietcombank")
    data = samples.vietcombank_xlsx(samples.sample_txns(), account="0011001234567")
    imp = upload(world.city_admin, other, data)
    assert imp.status == ImportStatus.REFUSED
    assert "Sao kê này của tài khoản số 0011001234567, không phải tài khoản 0011009999999" in imp.message


def test_an_encrypted_file_is_refused(world, vcb):
    data = (BIDV.parent / "encrypted.xlsx").read_bytes()
    imp = upload(world.city_admin, vcb, data, "encrypted.xlsx")
    assert imp.status == ImportStatus.REFUSED and "mật khẩu" in imp.message


def test_an_excel_file_that_is_html_without_a_statement_is_refused(world, vcb):
    data = b"<html><body><p>Phien dang nhap da het han</p></body></html>"
    imp = upload(world.city_admin, vcb, data, "saoke.xls")
    assert imp.status == ImportStatus.REFUSED
    assert "có đuôi Excel nhưng thực chất là trang HTML" in imp.message


def test_an_excel_file_that_is_an_html_table_is_imported(world, vcb):
    txns = samples.sample_txns()
    imp = import_file(world.city_admin, vcb, samples.html_table(txns), "saoke.xls")
    assert imp.status == ImportStatus.IMPORTED and imp.lines_new == len(txns)


def agribank(world):
    return bank_account(world, bin="970405", number="2100201012345", name="Agribank Hải Phòng")


def test_an_excel_97_statement_is_imported(world):
    account = agribank(world)
    imp = import_file(world.city_admin, account, (SHAPES / "agribank-style.xls").read_bytes(), "saoke.xls")
    assert imp.status == ImportStatus.IMPORTED and imp.lines_new == 4
    assert stored(account) == (4, 4_750_000 - 22_000)


def test_an_excel_97_line_the_balance_contradicts_is_kept_to_correct(world):
    imp = upload(
        world.city_admin, agribank(world), (SHAPES / "agribank-contradicted.xls").read_bytes(), "s.xls"
    )
    assert imp.status == ImportStatus.CHECKED and imp.line_count == 3 and imp.problem_count == 1
    (row,) = imp.problem_rows
    assert row["row"] == 10 and "tức là 250.000 ₫" in row["reason"]


def test_a_first_line_that_does_not_follow_from_the_printed_opening_is_kept_to_correct(world, vcb):
    txns = samples.sample_txns()
    data = samples.vietcombank_xlsx(txns, opening_printed=9_000_000)
    imp = upload(world.city_admin, vcb, data)
    assert imp.status == ImportStatus.CHECKED  # the file is not refused for one line
    assert imp.line_count == len(txns) - 1 and imp.problem_count == 1
    (row,) = imp.problem_rows
    assert row["row"] == 9 and "Số dư đầu kỳ in trên sao kê (9.000.000 ₫)" in row["reason"]


def test_a_single_misprinted_balance_keeps_its_line_with_a_warning(world, vcb):
    txns = samples.sample_txns()
    imp = upload(world.city_admin, vcb, samples.vietcombank_xlsx(txns, break_at=4))
    assert imp.status == ImportStatus.CHECKED
    assert imp.line_count == len(txns) and imp.problem_count == 0
    assert any("dòng 13" in w and "sai" in w for w in imp.warnings)


def test_an_inactive_account_takes_no_statement(world, vcb):
    from nhandao.funds import services as fund_services

    vcb = fund_services.bank_account_set_active(actor=world.city_admin, bank_account=vcb, active=False)
    with pytest.raises(ValidationError, match="ngừng sử dụng"):
        upload(world.city_admin, vcb, samples.vietcombank_xlsx(samples.sample_txns()))


def test_a_user_without_import_permission_cannot_upload(world, vcb):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        upload(world.viewer_a, vcb, samples.vietcombank_xlsx(samples.sample_txns()))


def test_a_discarded_upload_cannot_be_committed(world, vcb):
    imp = upload(world.city_admin, vcb, samples.vietcombank_xlsx(samples.sample_txns()))
    services.statement_discard(actor=world.city_admin, statement_import=imp)
    with pytest.raises(ValidationError, match="đã được xử lý"):
        services.statement_commit(actor=world.city_admin, statement_import=imp)
    assert StatementLine.objects.count() == 0


def test_the_import_keeps_the_counterparty_account_as_the_bank_gives_it(world, vietinbank):
    import_file(world.city_admin, vietinbank, VIETINBANK.read_bytes(), VIETINBANK.name)
    line = StatementLine.objects.get(bank_account=vietinbank, row=5)
    assert line.counterparty_account == "103875283***"
    assert line.counterparty_account_masked == "•••283"
    assert line.booked_on == dt.date(2024, 9, 18)


def test_lines_without_a_code_wait_in_the_queue_with_the_reason(world, bidv):
    import_file(world.city_admin, bidv, BIDV.read_bytes(), BIDV.name)
    line = StatementLine.objects.filter(bank_account=bidv).order_by("row").first()
    assert line.status == LineStatus.QUEUED
    assert line.reason == "Không có mã tham chiếu trong nội dung chuyển khoản."
