import datetime as dt
import io
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest

from nhandao.banking import banks, statements
from nhandao.banking.statements import StatementError

from . import samples

TXNS = samples.sample_txns()
CREDITS = sum(t.amount for t in TXNS if t.amount > 0)
DEBITS = -sum(t.amount for t in TXNS if t.amount < 0)
DATA = Path(__file__).parent / "data"


def read(data: bytes, filename: str = "sao-ke.xlsx", **kw):
    return statements.read(data, filename, **kw)


@pytest.mark.parametrize(
    ("builder", "fmt", "bank", "account"),
    [
        (samples.vietcombank_xlsx, "vietcombank", "Vietcombank", "0011001234567"),
        (samples.vietinbank_efast_xlsx, "vietinbank_efast", "VietinBank", "113000123456"),
        (samples.bidv_xlsx, "bidv", "BIDV", "1261122666"),
        (samples.bidv_csv, "bidv", "BIDV", "1261122666"),
        (samples.techcombank_xlsx, "techcombank", "Techcombank", "19036655778899"),
        (samples.mb_xlsx, "mb", "MB", "0801123456789"),
    ],
)
def test_each_bank_layout_is_detected_and_read_whole(builder, fmt, bank, account):
    st = read(builder(TXNS))
    summary = st.summary()
    assert (st.format, st.bank.short_name, st.account_number) == (fmt, bank, account)
    assert (summary.count, summary.credit_total, summary.debit_total) == (len(TXNS), CREDITS, DEBITS)
    assert (summary.credit_count, summary.debit_count) == (10, 2)
    assert (summary.date_from, summary.date_to) == (TXNS[0].when.date(), TXNS[-1].when.date())
    assert st.ok, [str(p) for p in st.problems]
    assert [line.description for line in st.lines] == [t.description for t in TXNS]


@pytest.mark.parametrize(
    ("builder", "opening"),
    [
        (samples.vietcombank_xlsx, 10_000_000),
        (samples.vietinbank_efast_xlsx, 5_000_000),
        (samples.techcombank_xlsx, 2_000_000),
    ],
)
def test_opening_and_closing_balances_are_read_and_the_running_balance_checked(builder, opening):
    st = read(builder(TXNS))
    summary = st.summary()
    assert summary.opening_balance == opening
    assert summary.closing_balance == opening + CREDITS - DEBITS
    assert st.balance_checked


def test_a_single_misprinted_balance_keeps_the_line_and_says_so():
    # The fifth balance is 1.000 off, but the sixth line adds up from the right one: only the
    # printed balance is wrong, the amount is confirmed by the next line.
    st = read(samples.vietcombank_xlsx(TXNS, break_at=4))
    assert st.ok and st.balance_checked and not st.problem_lines
    (problem,) = st.warnings
    assert problem.origin.row == 8 + 5  # header on row 8, the fifth transaction
    assert "Số dư in ở dòng này" in problem.message
    assert st.summary().count == len(TXNS)
    assert st.balance_confirmed == len(TXNS) - 1


def test_a_wrong_printed_opening_balance_is_reported():
    data = samples.vietcombank_xlsx(TXNS)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb.active["B6"] = "9.000.000"
    out = io.BytesIO()
    wb.save(out)
    st = read(out.getvalue())
    assert "Số dư đầu kỳ" in st.errors[0].message


def test_statements_listed_newest_first_are_checked_too():
    data = samples.vietcombank_xlsx(TXNS)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    values = [list(r) for r in ws.iter_rows(min_row=9, max_row=8 + len(TXNS), values_only=True)]
    for offset, row in enumerate(reversed(values)):
        for col, value in enumerate(row, start=1):
            ws.cell(row=9 + offset, column=col).value = value
    out = io.BytesIO()
    wb.save(out)
    st = read(out.getvalue())
    assert st.lines[0].date > st.lines[-1].date
    assert st.ok and st.balance_checked
    assert st.summary().closing_balance == 10_000_000 + CREDITS - DEBITS


def test_efast_dates_are_filled_down_and_split_descriptions_joined():
    st = read(samples.vietinbank_efast_xlsx(TXNS))
    assert [line.date for line in st.lines] == [t.when.date() for t in TXNS]
    assert [line.time for line in st.lines] == [t.when.time() for t in TXNS]
    assert st.lines[0].reference == TXNS[0].reference
    assert st.printed_credit_total == CREDITS and st.printed_debit_total == DEBITS


def test_a_printed_total_that_does_not_match_the_lines_is_an_error():
    data = samples.vietinbank_efast_xlsx(TXNS)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    for row in ws.iter_rows():
        if row[0].value == "Tổng cộng":
            row[6].value = CREDITS + 1
    out = io.BytesIO()
    wb.save(out)
    st = read(out.getvalue())
    assert any("Tổng ghi có" in p.message for p in st.errors)


def test_repeated_headers_start_new_pages():
    st = read(samples.bidv_csv(TXNS, rows_per_page=5), "sao-ke.csv")
    assert [line.origin.page for line in st.lines] == [1] * 5 + [2] * 5 + [3] * 2
    assert st.lines[5].origin.label() == "Trang 2, dòng 10"


def test_techcombank_reference_comes_from_the_date_cell():
    st = read(samples.techcombank_xlsx(TXNS))
    assert st.lines[3].reference == "FT24250000000003"
    assert st.lines[0].counterparty_name == TXNS[0].cp_name


def test_mb_amounts_with_comma_thousands_and_short_dates():
    st = read(samples.mb_xlsx(TXNS))
    assert st.lines[0].time == dt.time(8, 15)
    assert st.lines[3].amount == -11_000
    assert st.lines[0].counterparty_account == TXNS[0].cp_account


def test_an_excel_file_that_is_really_html_is_read_and_its_split_description_joined():
    st = read(samples.html_table(TXNS), "sao-ke.xls")
    assert st.format == "vietcombank"
    assert st.summary().credit_total == CREDITS
    assert [line.description for line in st.lines] == [t.description for t in TXNS]


def test_an_html_excel_file_without_a_statement_table_is_refused_clearly():
    page = "<html><body><table><tr><td>Phiên đăng nhập đã hết hạn</td></tr></table></body></html>"
    with pytest.raises(StatementError, match="thực chất là trang HTML"):
        read(page.encode(), "sao-ke.xlsx")


def test_an_html_page_without_any_table_is_refused():
    with pytest.raises(StatementError, match="HTML"):
        read(b"<!DOCTYPE html><html><body><p>Loi</p></body></html>", "sao-ke.xls")


def test_an_encrypted_excel_file_is_refused_with_what_to_do():
    with pytest.raises(StatementError, match="mật khẩu") as exc:
        read((DATA / "encrypted.xlsx").read_bytes())
    assert "gỡ mật khẩu" in exc.value.messages[0]


def test_an_excel_97_file_is_refused_with_what_to_do():
    fake_xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(StatementError, match=".xls"):
        read(fake_xls, "sao-ke.xls")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "rỗng"),
        (b"%PDF-1.7 ...", "PDF"),
        (b"PK\x03\x04garbage", "hỏng"),
        (b"\x00\x01\x02\x03binary", "nhị phân"),
        ("Tên,Tuổi\nAn,30\n".encode(), "Không nhận ra mẫu"),
    ],
)
def test_files_that_are_not_statements_are_refused(data, message):
    with pytest.raises(StatementError, match=message):
        read(data, "x.csv")


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(StatementError, match="không phải sổ tính"):
        read(out.getvalue())


def test_an_unknown_format_name_lists_the_formats():
    with pytest.raises(StatementError, match="vietcombank"):
        read(samples.mb_xlsx(TXNS), format="khong-co")


def test_forcing_a_format_the_file_does_not_follow_is_refused():
    with pytest.raises(StatementError, match="Vietcombank"):
        read(samples.bidv_csv(TXNS), "x.csv", format="vietcombank")


def test_forcing_the_right_format_reads_the_file():
    assert read(samples.bidv_csv(TXNS), "x.csv", format="bidv").summary().count == len(TXNS)


def test_a_bad_amount_is_reported_naming_the_line():
    data = samples.bidv_csv(TXNS, rows_per_page=100).decode().replace("500.000,00", "5OO.000,00", 1)
    st = read(data.encode(), "x.csv")
    assert st.ok  # a bad line does not refuse the file: it is kept to correct by hand
    (problem,) = st.problem_lines
    assert (problem.origin.label(), problem.reason) == ("Dòng 4", "Số tiền “5OO.000,00” không đọc được.")
    assert "5OO.000,00" in problem.raw and problem.date == TXNS[1].when.date()
    assert st.summary().count == len(TXNS) - 1


def test_a_bad_date_on_a_line_with_an_amount_is_reported():
    data = (
        samples.bidv_csv(TXNS, rows_per_page=100)
        .decode()
        .replace("09/09/2024 08:15:00", "32/09/2024 08:15", 1)
    )
    st = read(data.encode(), "x.csv")
    (problem,) = st.problem_lines
    assert "không có thật" in problem.reason and problem.origin.row == 4
    assert problem.amount_read == next(t.amount for t in TXNS if t.when == dt.datetime(2024, 9, 9, 8, 15))


def test_a_gap_in_the_bank_line_numbers_is_a_warning():
    rows = samples.bidv_rows(TXNS, rows_per_page=100)
    del rows[4]
    data = "\n".join(" | ".join(r) for r in rows).encode()
    st = read(data, "x.csv")
    assert st.ok and "nhảy từ 3 lên 5" in st.warnings[0].message


def test_opening_plus_lines_must_equal_closing_when_there_is_no_running_balance():
    text = samples.bidv_csv(TXNS).decode()
    text = text.replace(
        "Số tài khoản: 1261122666",
        "Số tài khoản: 1261122666\nSố dư đầu kỳ: 1.000.000\nSố dư cuối kỳ: 5.000.000",
    )
    st = read(text.encode(), "x.csv")
    assert "có dòng bị thiếu hoặc thừa" in st.errors[0].message


def test_the_file_bank_and_account_can_be_checked_against_the_fund_account():
    st = read(samples.vietcombank_xlsx(TXNS))
    statements.check_bank(st, banks.by_code("VCB"))
    statements.check_account(st, "0011 0012 34567")
    with pytest.raises(StatementError, match="sao kê của Vietcombank, không phải của BIDV"):
        statements.check_bank(st, banks.by_code("BIDV"))
    with pytest.raises(StatementError, match="không phải tài khoản 0011009999999"):
        statements.check_account(st, "0011009999999")


def test_a_file_that_names_no_account_passes_the_account_check():
    st = read((DATA / "vietinbank-ct1111-2024-09-18.psv").read_bytes(), "x.psv")
    assert st.account_number == ""
    statements.check_account(st, "113000123456")


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters (ơ, ư, â...) plus combining tones."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        nfd = unicodedata.normalize("NFD", ch)
        base, marks = nfd[0], list(nfd[1:])
        for mark in marks:
            composed = unicodedata.normalize("NFC", base + mark)
            if len(composed) == 1:
                try:
                    composed.encode("cp1258")
                except UnicodeEncodeError:
                    continue
                base = composed
                marks.remove(mark)
                break
        out += base.encode("cp1258") + "".join(marks).encode("cp1258")
    return out


def test_csv_in_the_vietnamese_windows_code_page_is_read():
    text = "\n".join(" | ".join(r) for r in samples.bidv_rows(TXNS, rows_per_page=100))
    st = read(_cp1258(text), "x.csv")
    assert st.format == "bidv" and st.summary().count == len(TXNS)


def test_semicolon_csv_with_dates_to_fill_down_and_lines_to_join():
    csv = (
        "Ngày giao dịch;Diễn giải;Ghi nợ;Ghi có;Số dư\n"
        "9/9/2024;Ung ho bao;;100.000;1.100.000\n"
        ";Yagi K7M2QX;;;\n"
        ";TRAN VAN A ung ho;;200.000;1.300.000\n"
        "10/9/2024;Phi SMS;11.000;;1.289.000\n"
    )
    st = read(csv.encode(), "x.csv")
    assert st.format == "generic" and st.ok and st.balance_checked
    assert [(line.date.day, line.amount, line.description) for line in st.lines] == [
        (9, 100_000, "Ung ho bao Yagi K7M2QX"),
        (9, 200_000, "TRAN VAN A ung ho"),
        (10, -11_000, "Phi SMS"),
    ]
