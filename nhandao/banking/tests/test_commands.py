import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from nhandao.banking import vietqr

from . import samples
from .test_real_statements import BIDV, VIETINBANK, raw_credits
from .test_vietqr import NAPAS_EXAMPLE


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_vietqr_prints_the_napas_example_payload(tmp_path):
    png = tmp_path / "qr.png"
    out = run(
        "vietqr",
        "--bin",
        "970403",
        "--account",
        "0011012345678",
        "--amount",
        "180000",
        "--purpose",
        "thanh toan don hang",
        "--bill",
        "NPS6869",
        "--png",
        str(png),
    )
    assert out.strip() == NAPAS_EXAMPLE
    assert Image.open(png).format == "PNG"


def test_vietqr_static_code_without_amount():
    out = run("vietqr", "--bin", "970436", "--account", "0011001234567", "--purpose", "Ủng hộ K7M2QX")
    qr = vietqr.parse(out.strip())
    assert (qr.dynamic, qr.amount, qr.purpose) == (False, None, "Ung ho K7M2QX")


def test_vietqr_refuses_bad_input_clearly():
    with pytest.raises(CommandError, match="6 chữ số"):
        run("vietqr", "--bin", "123", "--account", "1")


def _figure(out: str, label: str) -> tuple[int, int]:
    match = re.search(rf"{label}: ([\d.]+) dòng, tổng ([\d.]+) ₫", out)
    return int(match.group(1).replace(".", "")), int(match.group(2).replace(".", ""))


@pytest.mark.parametrize(("path", "field"), [(BIDV, 2), (VIETINBANK, 3)])
def test_dry_run_of_each_real_statement_prints_count_and_credit_total_of_the_raw_file(path, field):
    expected = raw_credits(path, field)
    out = run("import_statement", str(path), "--dry-run")
    assert f"Số dòng đọc được: {len(expected):,}".replace(",", ".") in out
    assert _figure(out, "Ghi có") == (len(expected), sum(expected))
    assert _figure(out, "Ghi nợ") == (0, 0)
    assert "Vấn đề: 0 lỗi" in out


def test_dry_run_prints_format_debits_and_balances(tmp_path):
    txns = samples.sample_txns()
    path = tmp_path / "vcb.xlsx"
    path.write_bytes(samples.vietcombank_xlsx(txns))
    out = run("import_statement", str(path), "--dry-run", "--format", "vietcombank")
    assert "Mẫu: vietcombank" in out
    assert _figure(out, "Ghi nợ") == (2, 5_011_000)
    assert "Số dư đầu kỳ: 10.000.000 ₫" in out and "đã kiểm tra từng dòng" in out


def test_dry_run_lists_the_problem_lines_that_would_be_kept_to_correct(tmp_path):
    path = tmp_path / "vcb.xlsx"
    path.write_bytes(samples.vietcombank_xlsx(samples.sample_txns(), opening_printed=9_000_000))
    out = run("import_statement", str(path), "--dry-run")
    assert "Dòng cần sửa (sẽ giữ lại để sửa bằng tay): 1" in out
    assert "Trang tính “Sao ke”, dòng 9: Số dư đầu kỳ in trên sao kê" in out


def test_an_unreadable_file_is_a_clear_error(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes((Path(__file__).parent / "data" / "encrypted.xlsx").read_bytes())
    with pytest.raises(CommandError, match="mật khẩu"):
        run("import_statement", str(path), "--dry-run")


def test_without_dry_run_an_account_is_required():
    with pytest.raises(CommandError, match="--account"):
        run("import_statement", str(BIDV))


@pytest.mark.django_db
def test_import_prints_new_lines_duplicates_posted_and_queued_and_adds_nothing_the_second_time(world, bidv):
    out = run("import_statement", str(BIDV), "--account", "1261122666")
    expected = raw_credits(BIDV, 2)
    assert f"Dòng mới: {len(expected):,}".replace(",", ".") in out
    assert "Dòng đã có (bỏ qua): 0" in out and "Đã ghi sổ: 0 dòng" in out
    assert f"Chờ phân loại: {len(expected):,}".replace(",", ".") in out
    again = run("import_statement", str(BIDV), "--account", "1261122666")
    assert "Dòng mới: 0" in again and f"Dòng đã có (bỏ qua): {len(expected):,}".replace(",", ".") in again


@pytest.mark.django_db
def test_import_into_an_unknown_account_is_a_clear_error(world):
    with pytest.raises(CommandError, match="Không có tài khoản ngân hàng số 999"):
        run("import_statement", str(BIDV), "--account", "999")


@pytest.mark.django_db
def test_dry_run_with_an_account_checks_the_account_printed_in_the_file(world, tmp_path):
    from .conftest import bank_account

    bank_account(world, bin="970436", number="0011009999999", name="Vietcombank")
    path = tmp_path / "vcb.xlsx"
    path.write_bytes(samples.vietcombank_xlsx(samples.sample_txns()))  # printed: 0011001234567
    with pytest.raises(CommandError, match="0011001234567"):
        run("import_statement", str(path), "--dry-run", "--account", "0011009999999")


@pytest.mark.django_db
def test_dry_run_with_an_account_refuses_a_file_already_imported_into_another_account(world, tmp_path):
    from .conftest import bank_account

    first = bank_account(world, bin="970436", number="0011001234567", name="Vietcombank")
    bank_account(world, bin="970436", number="0011009999999", name="Vietcombank")
    path = tmp_path / "vcb.xlsx"
    path.write_bytes(samples.vietcombank_xlsx(samples.sample_txns(), account=""))
    run("import_statement", str(path), "--account", first.account_number)
    with pytest.raises(CommandError, match="đã được tải lên tài khoản 0011001234567"):
        run("import_statement", str(path), "--dry-run", "--account", "0011009999999")
    with pytest.raises(CommandError, match="người duyệt chi"):
        run("import_statement", str(path), "--account", "0011009999999")


@pytest.mark.django_db
def test_import_with_a_saved_column_mapping(world, tmp_path):
    from nhandao.banking import services

    from .conftest import bank_account

    account = bank_account(world, bin="970436", number="0011001234567", name="Vietcombank")
    services.column_mapping_create(
        actor=world.city_admin,
        unit=world.city,
        name="VCB kiểu cũ",
        date_column="Ngày GD",
        debit_column="Ghi nợ",
        credit_column="Ghi có",
        balance_column="Số dư",
        description_columns="Diễn giải",
        reference_column="Số tham chiếu",
    )
    txns = samples.sample_txns()
    path = tmp_path / "vcb.xlsx"
    path.write_bytes(samples.vietcombank_xlsx(txns))
    out = run("import_statement", str(path), "--dry-run", "--mapping", "VCB kiểu cũ")
    assert f"Số dòng đọc được: {len(txns)}" in out and "VCB kiểu cũ" in out
    out = run("import_statement", str(path), "--account", account.account_number, "--mapping", "VCB kiểu cũ")
    assert f"Dòng mới: {len(txns)}" in out
    with pytest.raises(CommandError, match="Không có mẫu cột nào tên “Khác”"):
        run("import_statement", str(path), "--dry-run", "--mapping", "Khác")


def test_an_unexpected_failure_is_a_message_not_a_traceback(tmp_path, monkeypatch):
    from nhandao.banking import statements

    def read(*args, **kwargs):
        raise OverflowError("int too large")

    monkeypatch.setattr(statements, "read", read)
    path = tmp_path / "vcb.xlsx"
    path.write_bytes(samples.vietcombank_xlsx(samples.sample_txns()))
    with pytest.raises(CommandError, match="OverflowError"):
        run("import_statement", str(path), "--dry-run")
