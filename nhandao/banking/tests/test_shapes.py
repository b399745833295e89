"""Statements in the shapes bank exports and PDF-to-text conversions really take (issue 13).

Each shape has a file under data/shapes/ (pipe-separated text like the public
extracts, or CSV); the spreadsheet variants are built here from the same rows.
Every test states the count, the credit total and the problem lines exactly.
"""

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from nhandao.banking import statements
from nhandao.banking.statements import StatementError, sources

SHAPES = Path(__file__).parent / "data" / "shapes"


def read(name: str, **kw):
    return statements.read((SHAPES / name).read_bytes(), name, **kw)


def as_xlsx(name: str) -> bytes:
    """The rows of a text shape as a spreadsheet: one text cell per field, blank lines kept."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sao ke"
    delimiter = "|" if name.endswith(".psv") else ";"
    for line in (SHAPES / name).read_text(encoding="utf-8").splitlines():
        ws.append([cell.strip() or None for cell in line.split(delimiter)] if line.strip() else [None])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def figures(st):
    s = st.summary()
    return s.count, s.credit_count, s.credit_total, s.debit_count, s.debit_total


def problems(st):
    return [(p.origin.row, p.amount_read, p.implied_amount) for p in st.problem_lines]


# -- a header with more columns than the data rows ------------------------------------------


@pytest.mark.parametrize("kind", ["psv", "xlsx"])
def test_a_credit_extract_whose_header_names_a_debit_column_is_read_by_the_running_balance(kind):
    # Every data row has one field fewer than the header: the amount sits under "Ghi nợ", the
    # balance under "Ghi có".  The balance tells credits (it rises) from the one fee (it falls),
    # and flags row 13, whose amount the balance contradicts, with the amount it implies.
    name = "credit-only-debit-header.psv"
    st = read(name) if kind == "psv" else statements.read(as_xlsx(name), "x.xlsx")
    assert figures(st) == (7, 6, 3_100_000, 1, 11_000)
    assert problems(st) == [(13, 200_000, 300_000)]
    (problem,) = st.problem_lines
    assert "5 giá trị dưới 6 tiêu đề" in problem.reason and "300.000 ₫" in problem.reason
    assert problem.raw == "7 | 03/09/2024 09:00:00 | 200.000 | 13.289.000 | ung ho so tien doc sai"
    assert problem.best_amount == 300_000
    assert st.balance_checked and st.balance_confirmed == 7
    assert st.ok and not st.warnings
    fee = next(line for line in st.lines if line.amount < 0)
    assert (fee.description, fee.balance) == ("Phi SMS", 12_989_000)
    assert st.account_number == "1234567890" and st.opening_balance == 10_000_000


@pytest.mark.parametrize("kind", ["psv", "xlsx"])
def test_without_a_balance_the_short_rows_are_read_as_credits_and_the_printed_total_checks_them(kind):
    name = "credit-only-no-balance.psv"
    st = read(name) if kind == "psv" else statements.read(as_xlsx(name), "x.xlsx")
    assert figures(st) == (3, 3, 2_225_000, 0, 0)
    assert st.problem_lines == []
    assert st.printed_credit_total == 2_225_000 and st.ok
    (warning,) = st.warnings
    assert "3 dòng có ít giá trị hơn số cột tiêu đề" in warning.message


# -- pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["psv", "xlsx"])
def test_headers_repeated_at_page_breaks_with_page_numbers_and_footers_between(kind):
    name = "pages-repeated-header.psv"
    st = read(name) if kind == "psv" else statements.read(as_xlsx(name), "x.xlsx")
    assert figures(st) == (6, 6, 2_100_000, 0, 0)
    assert st.problem_lines == [] and st.ok and not st.warnings
    assert [line.origin.page for line in st.lines] == [1, 1, 1, 2, 2, 3]
    assert [line.description for line in st.lines] == [f"ung ho {n}" for n in range(1, 7)]
    assert st.bank.short_name == "BIDV" and st.account_number == "1261122666"


# -- a missing cell --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["psv", "xlsx"])
def test_a_row_without_its_sender_account_cell_shifts_for_that_row_only(kind):
    name = "missing-cell.psv"
    st = read(name) if kind == "psv" else statements.read(as_xlsx(name), "x.xlsx")
    assert figures(st) == (4, 4, 1_750_000, 0, 0)
    assert st.problem_lines == [] and st.ok
    assert [(line.counterparty_name, line.counterparty_account, line.description) for line in st.lines] == [
        ("NGUYEN VAN A", "0011001234567", "ung ho dong bao"),
        ("TRAN THI B", "", "ung ho mien bac"),
        ("LE VAN C", "103875283***", "ung ho"),
        ("PHAM THI D", "", "chuyen tien"),
    ]


# -- the separator inside a memo, glued cells -------------------------------------------------


def test_the_separator_inside_a_memo_in_the_last_column_is_kept_in_the_memo():
    st = read("separator-in-memo-last.psv")
    assert st.format == "bidv_psv"
    assert figures(st) == (3, 3, 450_000, 0, 0)
    assert st.problem_lines == []
    assert st.lines[0].description == "TKThe :2512205187276, tai Agribank. BIDV|1261122666|THU THAO ung ho"
    assert st.lines[2].description == "a|b|c ung ho"


def test_the_separator_inside_a_memo_in_a_middle_column_does_not_shift_the_amount():
    st = read("separator-in-memo-middle.psv")
    assert st.format == "vietinbank_psv"
    assert figures(st) == (3, 3, 450_000, 0, 0)
    assert st.problem_lines == []
    assert st.lines[0].description == "CT nhanh 247 den: ung ho | mien bac (CT1111)"
    assert (st.lines[0].counterparty_name, st.lines[0].counterparty_account) == ("VO THI HUE", "8938999***")
    assert (st.lines[2].description, st.lines[2].counterparty_name) == ("a|b|c ung ho", "NGUYEN X")


def test_an_amount_glued_to_a_reference_or_to_the_balance_is_split():
    st = read("glued-cells.psv")
    assert figures(st) == (5, 4, 1_100_000, 1, 50_000)
    assert st.problem_lines == [] and st.ok
    assert [(line.amount, line.reference, line.balance) for line in st.lines] == [
        (500_000, "FT24253000000001", 10_500_000),
        (200_000, "FT24253000000002", 10_700_000),  # "200.000 FT24253000000002"
        (300_000, "", 11_000_000),  # "300.000 11.000.000", the reference cell dropped
        (100_000, "", 11_100_000),  # "100.00011.100.000", not even a space between
        (-50_000, "FT24253000000005", 11_050_000),
    ]
    assert st.balance_confirmed == 5


# -- dates -------------------------------------------------------------------------------------


def test_dates_with_times_without_seconds_and_single_digit_days_and_months():
    st = read("dates-mixed.csv")
    assert figures(st) == (4, 4, 1_000_000, 0, 0)
    assert [(line.date, line.time) for line in st.lines] == [
        (dt.date(2024, 9, 2), dt.time(8, 5)),
        (dt.date(2024, 9, 2), dt.time(8, 6)),
        (dt.date(2024, 9, 3), None),
        (dt.date(2024, 9, 3), dt.time(23, 59, 59)),
    ]


def test_dates_without_a_year_need_the_statement_period():
    with pytest.raises(StatementError, match="không ghi năm") as exc:
        read("dates-without-year.psv")
    assert exc.value.code == "year_needed" and "30/12 23:10:05" in exc.value.messages[0]


def test_dates_without_a_year_take_it_from_the_period_even_across_new_year():
    st = read("dates-without-year.psv", period=(dt.date(2024, 12, 15), dt.date(2025, 1, 15)))
    assert figures(st) == (3, 3, 600_000, 0, 0)
    assert [(line.date, line.time) for line in st.lines] == [
        (dt.date(2024, 12, 30), dt.time(23, 10, 5)),
        (dt.date(2024, 12, 31), dt.time(8, 0)),
        (dt.date(2025, 1, 2), dt.time(9, 15, 30)),
    ]
    assert (st.period_from, st.period_to) == (dt.date(2024, 12, 15), dt.date(2025, 1, 15))


def test_a_period_printed_in_the_title_gives_the_year():
    text = "Từ ngày 01/09/2024 đến ngày 30/09/2024\n" + (SHAPES / "dates-without-year.psv").read_text()
    text = text.replace("30/12", "10/09").replace("31/12", "11/09").replace("02/01", "12/09")
    st = statements.read(text.encode(), "x.psv")
    assert [line.date for line in st.lines] == [dt.date(2024, 9, d) for d in (10, 11, 12)]


def test_a_date_in_the_future_is_a_problem_line():
    text = (SHAPES / "dates-mixed.csv").read_text().replace("03/09/2024;300.000", "03/09/2099;300.000")
    st = statements.read(text.encode(), "x.csv")
    assert figures(st) == (3, 3, 700_000, 0, 0)
    (problem,) = st.problem_lines
    assert problem.origin.row == 4 and "ở tương lai" in problem.reason and "03/09/2099" in problem.reason
    assert problem.amount_read == 300_000 and problem.date == dt.date(2099, 9, 3)


# -- amounts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["amounts-commas.psv", "amounts-dots-decimals.csv"])
def test_amounts_with_either_thousands_separator_and_zero_decimals(name):
    st = read(name)
    assert figures(st) == (3, 2, 1_001_250, 1, 22_000)
    assert st.problem_lines == [] and st.ok
    assert st.opening_balance == 5_000_000 and st.balance_confirmed == 3


def test_an_amount_beyond_what_the_database_holds_is_a_problem_line():
    text = (SHAPES / "dates-mixed.csv").read_text().replace("400.000", "99999999999999999999999")
    st = statements.read(text.encode(), "x.csv")
    (problem,) = st.problem_lines
    assert problem.origin.row == 5 and "quá lớn" in problem.reason
    assert figures(st) == (3, 3, 600_000, 0, 0)


def test_an_excel_number_beyond_a_bigint_is_a_problem_line():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ngày giao dịch", "Số tiền ghi có", "Diễn giải"])
    ws.append(["01/09/2024", 10**19, "qua lon"])
    ws.append(["01/09/2024", 100_000, "ung ho"])
    out = io.BytesIO()
    wb.save(out)
    st = statements.read(out.getvalue(), "x.xlsx")
    assert figures(st) == (1, 1, 100_000, 0, 0)
    (problem,) = st.problem_lines
    assert problem.origin.row == 2 and "quá lớn" in problem.reason


# -- title block and summary block ----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["psv", "xlsx"])
def test_blank_lines_and_a_title_block_before_and_a_summary_block_after(kind):
    name = "title-and-summary.psv"
    st = read(name) if kind == "psv" else statements.read(as_xlsx(name), "x.xlsx")
    assert figures(st) == (3, 2, 600_000, 1, 11_000)
    assert st.problem_lines == [] and st.ok and not st.warnings
    assert (st.account_number, st.account_name) == ("113000123456", "HOI CHU THAP DO HAI PHONG")
    assert (st.period_from, st.period_to) == (dt.date(2024, 9, 10), dt.date(2024, 9, 11))
    assert (st.opening_balance, st.closing_balance) == (5_000_000, 5_589_000)
    assert (st.printed_credit_total, st.printed_debit_total) == (600_000, 11_000)
    assert st.lines[-1].description == "ung ho b"  # the signatures are not glued to it
    assert st.bank.short_name == "VietinBank"


def test_a_last_line_the_balance_contradicts_does_not_put_the_line_before_it_in_doubt():
    # Row 10 reads 2.000.000 where the balance rose by 2.500.000: it is kept to correct by hand.
    # The printed closing balance (13.500.000) is the balance after row 10, so the chain ends where
    # the bank says: row 9 (-300.000 under "ghi có", a debit by the balance) is read, not flagged.
    st = read("last-line-contradicted.csv")
    assert figures(st) == (4, 2, 1_500_000, 2, 500_000)
    assert problems(st) == [(10, 2_000_000, 2_500_000)]
    assert st.balance_confirmed == 3
    # The printed credit total counts row 10 as read: the difference is said to be that line.
    (note,) = [p.message for p in st.errors]
    assert "3.500.000 ₫" in note and "1.500.000 ₫" in note
    assert "Phần chênh lệch (2.000.000 ₫) bằng số tiền đọc được ở 1 dòng cần sửa tay." in note


def test_a_closing_balance_that_disagrees_with_the_end_of_the_chain_is_reported():
    # The same file with a closing balance of 14.000.000: no line explains the last 500.000.
    # It names the last line read, which the import then keeps to correct by hand.
    st = read("closing-disagrees.csv")
    (closing,) = [p for p in st.errors if p.origin is not None]
    assert closing.message == (
        "Số dư cuối kỳ in trên sao kê (14.000.000 ₫) khác số dư sau giao dịch cuối cùng (13.500.000 ₫)."
    )
    assert closing.origin.row == 9
    assert problems(st) == [(10, 2_000_000, 2_500_000)]


# -- English month names, 12-hour times ------------------------------------------------------------


def test_english_month_names_and_12_hour_times_are_read_as_the_bank_meant():
    # "02:15:00 PM" is 14:15 and "12:05:00 AM" is 00:05: read as 02:15 and 12:05 before.
    st = read("dates-english-ampm.csv")
    assert figures(st) == (4, 3, 1_700_000, 1, 11_000)
    assert [(line.date, line.time) for line in st.lines] == [
        (dt.date(2024, 9, 10), dt.time(8, 15)),
        (dt.date(2024, 9, 10), dt.time(14, 15)),
        (dt.date(2024, 9, 11), dt.time(0, 5)),
        (dt.date(2024, 9, 12), dt.time(12, 30)),
    ]
    assert [line.value_date for line in st.lines] == [dt.date(2024, 9, d) for d in (10, 10, 11, 12)]
    assert st.problem_lines == [] and st.balance_confirmed == 3
    assert (st.account_number, st.period_from, st.period_to) == (
        "700012345678",
        dt.date(2024, 9, 10),
        dt.date(2024, 9, 12),
    )


def test_times_in_their_own_cell_with_the_vietnamese_sa_and_ch_of_windows():
    # Windows in Vietnamese prints "02:15:00 CH" (chiều) and "08:15:00 SA" (sáng); dates yyyy/mm/dd.
    st = read("dates-windows-vietnamese.psv")
    assert figures(st) == (4, 3, 900_000, 1, 11_000)
    assert [(line.date.day, line.time) for line in st.lines] == [
        (10, dt.time(8, 15)),
        (10, dt.time(14, 15)),
        (11, dt.time(0, 5)),
        (11, dt.time(12, 30)),
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("10/09/2024 13:15 PM", "không có thật"),  # 13 o'clock in the afternoon
        ("10-Foo-2024", "không đọc được"),
    ],
)
def test_a_date_that_is_not_one_says_so(cell, expected):
    from nhandao.banking.statements import values

    with pytest.raises(values.ValueProblem, match=expected):
        values.parse_datetime(cell)


# -- a "Nợ/Có" column beside an unsigned amount ---------------------------------------------------


@pytest.mark.parametrize("kind", ["psv", "xlsx"])
def test_a_debit_credit_column_beside_an_unsigned_amount_gives_each_line_its_side(kind):
    # Bilingual headers: "Nợ/Có / Debit/Credit" is the side, not a credit column, and
    # "Số tiền / Amount" the amount.  C/D, Có/Nợ and +/- name the side; row 14 ("?") and row 15
    # (blank) name none, and the running balance says which; row 16 ("X") the balance does not
    # confirm either way (it does not move), so it is kept to correct by hand.
    name = "direction-column.psv"
    st = read(name) if kind == "psv" else statements.read(as_xlsx(name), "x.xlsx")
    assert figures(st) == (8, 4, 2_000_000, 4, 2_161_000)
    assert [(line.origin.row, line.amount) for line in st.lines][-3:] == [
        (13, -100_000),
        (14, -50_000),
        (15, 200_000),
    ]
    assert st.lines[6].description == "khong ro"
    assert problems(st) == [(16, 70_000, 0)]
    assert st.problem_lines[0].reason.startswith("Cột Nợ/Có ghi “X”: không rõ là khoản thu hay khoản chi.")
    assert st.balance_confirmed == 8 and not st.errors


def test_without_a_balance_a_line_whose_side_is_not_named_is_kept_to_correct_by_hand():
    text = (SHAPES / "direction-column.psv").read_text(encoding="utf-8")
    cut = "\n".join("|".join(row.split("|")[:5]) for row in text.splitlines())
    st = statements.read(cut.encode(), "x.psv")
    assert figures(st) == (6, 3, 1_800_000, 3, 2_111_000)
    assert [(p.origin.row, p.amount_read, p.implied_amount) for p in st.problem_lines] == [
        (14, 50_000, None),
        (15, 200_000, None),
        (16, 70_000, None),
    ]
    assert st.problem_lines[1].reason == "Cột Nợ/Có để trống: không rõ là khoản thu hay khoản chi."


def test_a_techcombank_style_sheet_with_two_line_headers_and_real_dates():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["NGÂN HÀNG TMCP KỸ THƯƠNG VIỆT NAM (TECHCOMBANK)"])
    ws.append(["Số tài khoản/Account No: 19036612345012"])
    ws.append([])
    ws.append(
        [
            "Ngày giao dịch\nTransaction Date",
            "Đối tác\nRemitter",
            "NH Đối tác\nRemitter Bank",
            "Diễn giải\nDetails",
            "Nợ/Có\nDebit/Credit",
            "Số tiền\nAmount",
            "Số dư\nBalance",
        ]
    )
    balance = 1_000_000
    for day, name, bank, details, side, amount in (
        (1, "NGUYEN VAN A", "VCB", "ung ho bao Yagi", "C", 500_000),
        (2, "", "", "Phi SMS", "D", 11_000),
        (3, "TRAN THI B", "BIDV", "UNG HO DONG BAO MIEN BAC", "C", 2_000_000),
    ):
        balance += amount if side == "C" else -amount
        ws.append([dt.datetime(2024, 9, day, 9, 30), name, bank, details, side, amount, balance])
    out = io.BytesIO()
    wb.save(out)
    st = statements.read(out.getvalue(), "tcb.xlsx")
    assert figures(st) == (3, 2, 2_500_000, 1, 11_000)
    assert st.problem_lines == [] and st.bank.short_name == "Techcombank"
    assert (st.lines[2].counterparty_name, st.lines[2].counterparty_bank) == ("TRAN THI B", "BIDV")


# -- Excel 97-2003 (.xls) ------------------------------------------------------------------------


def test_an_excel_97_statement_is_read_with_its_dates_amounts_and_balances():
    # A BIFF8 workbook (make-xls.py): merged title, real Excel dates and one text date, numbers
    # stored as floats, opening and closing balances, a total row, and a second sheet of notes.
    st = read("agribank-style.xls")
    assert figures(st) == (4, 3, 4_750_000, 1, 22_000)
    assert st.problem_lines == [] and st.ok and st.balance_confirmed == 4
    assert st.account_number == "2100201012345"
    assert (st.opening_balance, st.closing_balance) == (2_000_000, 6_728_000)
    assert (st.printed_credit_total, st.printed_debit_total) == (4_750_000, 22_000)
    assert [(line.date, line.time) for line in st.lines] == [
        (dt.date(2024, 10, 2), dt.time(8, 15)),
        (dt.date(2024, 10, 2), dt.time(14, 2, 30)),
        (dt.date(2024, 10, 3), dt.time(9, 0)),
        (dt.date(2024, 10, 4), dt.time(16, 45)),
    ]
    assert [line.reference for line in st.lines] == ["AB001", "AB002", "AB003", "AB004"]


def test_an_excel_97_line_the_balance_contradicts_is_kept_naming_its_sheet_and_row():
    st = read("agribank-contradicted.xls")
    assert figures(st) == (3, 2, 4_500_000, 1, 22_000)
    assert problems(st) == [(10, 205_000, 250_000)]
    assert st.problem_lines[0].origin.label() == "Trang tính “Sao ke”, dòng 10"


def test_an_excel_2003_xml_statement_saved_as_xls_is_read():
    # "XML Spreadsheet 2003" under a .xls name: rows and cells placed by ss:Index, a merged title,
    # typed cells (DateTime, Number) and one text date, a memo in rich text.
    st = read("spreadsheet-2003.xls")
    assert figures(st) == (5, 4, 4_450_000, 1, 50_000)
    assert st.problem_lines == [] and st.ok and st.balance_confirmed == 5
    assert (st.account_number, st.bank.short_name) == ("0801012345678", "MB")
    assert (st.opening_balance, st.closing_balance) == (10_000_000, 14_400_000)
    assert st.printed_credit_total == 4_450_000
    assert st.lines[2].description == "DOAN THANH NIEN ung ho quy nhan dao"
    assert [line.origin.label() for line in st.lines][:1] == ["Trang tính “Sao kê”, dòng 8"]
    assert [(line.date, line.time) for line in st.lines][-2:] == [
        (dt.date(2024, 11, 7), dt.time(16, 45)),
        (dt.date(2024, 11, 7), dt.time(17, 0)),
    ]


def test_an_excel_2003_xml_file_with_entities_or_cut_short_is_refused_unread():
    text = (SHAPES / "spreadsheet-2003.xls").read_text(encoding="utf-8")
    laughs = text.replace(
        "<Workbook ",
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<Workbook ',
        1,
    )
    with pytest.raises(StatementError, match="DOCTYPE/ENTITY"):
        statements.read(laughs.encode(), "x.xls")
    padded = laughs.replace("<!DOCTYPE", "<!--" + "x" * 100_000 + "-->\n<!DOCTYPE", 1)
    with pytest.raises(StatementError, match="DOCTYPE/ENTITY"):
        statements.read(padded.encode(), "x.xls")
    with pytest.raises(StatementError, match=r"Tệp Excel 2003 \(XML\) bị hỏng ở dòng \d+"):
        statements.read(text[: len(text) // 2].encode(), "x.xls")


def test_a_word_97_document_is_not_taken_for_an_excel_97_statement():
    with pytest.raises(StatementError, match="không phải bảng tính Excel 97-2003") as exc:
        read("word-97.doc")
    assert "có thể là tệp Word" in exc.value.messages[0] and "(.xlsx)" in exc.value.messages[0]


# -- signs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["psv", "xlsx"])
def test_a_negative_credit_is_a_debit_when_the_balance_says_so_and_a_problem_otherwise(kind):
    name = "signs-with-balance.psv"
    st = read(name) if kind == "psv" else statements.read(as_xlsx(name), "x.xlsx")
    # -500.000 under "Ghi có": the balance falls by 500.000, so it is a debit.
    # (200.000) under "Ghi có": the balance does not move, so it is kept to correct by hand.
    assert figures(st) == (3, 2, 300_000, 1, 500_000)
    assert problems(st) == [(5, -200_000, 0)]
    assert "Số ghi có âm (“(200.000)”)" in st.problem_lines[0].reason


def test_without_a_balance_a_negative_credit_is_never_a_gift():
    st = read("signs-without-balance.psv")
    assert figures(st) == (1, 1, 300_000, 0, 0)
    assert problems(st) == [(2, -500_000, None), (3, -200_000, None)]
    assert all("không rõ là khoản thu hay khoản chi" in p.reason for p in st.problem_lines)


# -- bad input -----------------------------------------------------------------------------------


def test_a_file_of_only_headers_is_refused():
    with pytest.raises(StatementError, match="không có dòng giao dịch nào") as exc:
        read("only-headers.psv")
    assert exc.value.code == "no_lines"


def test_a_file_where_every_line_is_a_problem_is_read_as_problem_lines_and_marked_not_ok():
    # Decision: still read (the person sees every row and why), but an error says no line
    # could be read for sure, so an import refuses it unless the problem lines are corrected.
    st = read("every-line-a-problem.psv")
    assert figures(st) == (0, 0, 0, 0, 0)
    assert [(p.origin.row, p.reason) for p in st.problem_lines] == [
        (2, "Số tiền “1tr2” không hợp lệ: hãy ghi đủ chữ số, ví dụ 1.200.000 thay cho 1tr2."),
        (3, "Số tiền “abc” không đọc được."),
        (4, "Số tiền phải là số đồng nguyên, không có phần lẻ."),
    ]
    assert not st.ok and "cả 3 dòng giao dịch đều cần sửa tay" in st.errors[0].message


def test_a_balance_column_that_never_agrees_is_taken_for_a_wrong_column():
    with pytest.raises(StatementError, match="chọn nhầm cột số dư") as exc:
        read("balance-never-agrees.psv")
    assert exc.value.code == "balance_never_agrees"


def test_debit_and_credit_columns_swapped_are_named():
    text = "\n".join(
        [
            "Ngày GD|Ghi nợ|Ghi có|Số dư|Diễn giải",
            "Số dư đầu kỳ|||1.000.000|",
            "01/09/2024|100.000||1.100.000|a",
            "02/09/2024|200.000||1.300.000|b",
            "03/09/2024|300.000||1.600.000|c",
        ]
    )
    with pytest.raises(StatementError, match="cột ghi nợ và cột ghi có bị đảo"):
        statements.read(text.encode(), "x.psv")


def test_two_different_statements_concatenated_are_refused():
    with pytest.raises(StatementError, match="hai sao kê khác nhau ghép lại") as exc:
        read("two-statements.psv")
    assert "1111111111" in exc.value.messages[0] and "2222222222" in exc.value.messages[0]


def test_two_periods_of_one_account_concatenated_are_refused():
    first = "Từ ngày 01/09/2024 đến ngày 01/09/2024\nNgày GD|Ghi có|Diễn giải\n01/09/2024|100.000|a\n"
    second = "Từ ngày 02/09/2024 đến ngày 02/09/2024\nNgày GD|Ghi có|Diễn giải\n02/09/2024|100.000|b\n"
    with pytest.raises(StatementError, match="kỳ 01/09/2024–01/09/2024"):
        statements.read((first + second).encode(), "x.psv")


def test_a_second_opening_balance_after_the_lines_is_a_second_statement():
    text = (SHAPES / "title-and-summary.psv").read_text()
    text += "Số dư đầu kỳ|||||7.000.000\n4|12/09/2024 09:00:00|ung ho c||1.000|7.001.000\n"
    with pytest.raises(StatementError, match="hai sao kê ghép lại"):
        statements.read(text.encode(), "x.psv")


def test_a_file_that_is_not_a_statement_is_refused():
    with pytest.raises(StatementError, match="Không nhận ra mẫu sao kê"):
        read("not-a-statement.csv")


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(sources, "MAX_BYTES", 1024)
    calls = []
    monkeypatch.setattr(sources, "_decode", lambda data: calls.append(data))
    with pytest.raises(StatementError, match="Tệp quá lớn"):
        statements.read(b"x" * 2048, "x.csv")
    assert calls == []


def test_the_size_cap_is_fifty_megabytes():
    assert sources.MAX_BYTES == 50 * 1024 * 1024
    with pytest.raises(StatementError, match="tối đa 50 MB"):
        statements.read(b"\n" * (sources.MAX_BYTES + 1), "x.csv")


def test_a_table_with_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(sources, "MAX_ROWS", 5)
    text = (SHAPES / "credit-only-debit-header.psv").read_text()
    with pytest.raises(StatementError, match="quá nhiều dòng"):
        statements.read(text.encode(), "x.psv")


# -- XLSX tricks --------------------------------------------------------------------------------


def _workbook(*rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ngày giao dịch", "Số tiền ghi có", "Diễn giải"])
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _patch(data: bytes, name: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, change(content) if item.filename == name else content)
    return out.getvalue()


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">'
        % (i, b"".join(b"&lol%s;" % (b"" if i == 2 else b"%d" % (i - 1)) for _ in range(10)))
        for i in range(2, 10)
    )
    + b"]>"
)
XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize(("prolog", "entity"), [(LAUGHS, b"&lol9;"), (XXE, b"&xxe;")])
def test_an_xlsx_with_entity_tricks_is_refused_unread(prolog, entity):
    data = _workbook(["01/09/2024", "100.000", "ung ho"])

    def change(xml: bytes) -> bytes:
        return prolog + re.sub(rb"^<\?xml[^>]*\?>", b"", xml).replace(b"ung ho", entity)

    with pytest.raises(StatementError, match="khai báo thực thể XML"):
        statements.read(_patch(data, "xl/worksheets/sheet1.xml", change), "x.xlsx")


def test_an_xlsx_whose_parts_unzip_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(sources, "MAX_UNZIPPED", 1000)
    with pytest.raises(StatementError, match="giải nén ra quá lớn"):
        statements.read(_workbook(["01/09/2024", "100.000", "ung ho"]), "x.xlsx")


def test_formula_cells_without_a_saved_value_are_problem_lines_and_the_others_are_noted():
    data = _workbook(["01/09/2024", "=1000*100", "cong thuc"], ["02/09/2024", 200_000, "ung ho"])
    st = statements.read(data, "x.xlsx")
    assert figures(st) == (1, 1, 200_000, 0, 0)
    (problem,) = st.problem_lines
    assert (
        problem.origin.row == 2 and "Ô công thức “=1000*100” không có giá trị Excel lưu sẵn" in problem.reason
    )
    assert any("1 ô công thức (ô đầu tiên: B2)" in w.message for w in st.warnings)


def test_a_formula_cell_with_the_value_excel_saved_is_read_with_a_note():
    data = _workbook(["01/09/2024", "=1000*100", "cong thuc"])
    data = _patch(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb"(<f>[^<]*</f>)(<v\s*/>|<v></v>)?", rb"\1<v>100000</v>", xml),
    )
    st = statements.read(data, "x.xlsx")
    assert figures(st) == (1, 1, 100_000, 0, 0) and st.problem_lines == []
    assert any("ô công thức" in w.message for w in st.warnings)


# -- real exports' quirks ------------------------------------------------------------------------


def test_a_vietcombank_credit_extract_with_the_reference_beside_or_inside_the_date_cell():
    # Header of six columns, rows of three or four values: the debit and balance cells dropped,
    # the reference once in the date cell, and the separator once inside the memo.
    st = read("vcb-credit-extract.psv")
    assert figures(st) == (3, 3, 1_250_000, 0, 0)
    assert st.problem_lines == [] and st.ok
    assert [line.reference for line in st.lines] == ["5078.97236", "5213.45946", "5214.20133"]
    assert st.lines[2].description == "ung ho | bao Yagi"
    assert st.printed_credit_total == 1_250_000  # "Tổng số/ Total||1.250.000": one amount, no heading
    assert len(st.warnings) == 1  # debit or credit told by nothing but the totals: said so


def test_a_heading_no_beside_co_is_the_debit_column_and_the_balance_places_short_rows():
    st = read("debit-heading-no.psv")
    assert figures(st) == (3, 2, 300_000, 1, 11_000)
    assert st.problem_lines == [] and st.ok and st.balance_confirmed == 3
    assert [line.counterparty_name for line in st.lines] == [
        "NGUYEN VAN A / 0011001234567",
        "NGUYEN VAN B",
        "Phi",
    ]


def test_a_memo_continuation_that_starts_like_a_title_label_stays_in_the_memo():
    text = "Ngày GD|Ghi có|Diễn giải\n01/09/2024|100.000|ung ho\n||tai khoan 0011001234567 cua me\n"
    st = statements.read(text.encode(), "x.psv")
    assert st.lines[0].description == "ung ho tai khoan 0011001234567 cua me"


def test_a_row_kept_as_a_problem_carries_the_running_balance_and_gets_the_amount_it_implies():
    text = (
        (SHAPES / "title-and-summary.psv").read_text().replace("||100.000|5.100.000", "||1OO.000|5.100.000")
    )
    st = statements.read(text.encode(), "x.psv")
    assert figures(st) == (2, 1, 500_000, 1, 11_000)
    (problem,) = st.problem_lines
    assert (problem.origin.row, problem.amount_read, problem.implied_amount) == (11, None, 100_000)
    assert problem.best_amount == 100_000 and "1OO.000" in problem.reason
    assert st.balance_confirmed == 2  # the next line follows from the problem row's balance
    # The printed total still counts the problem row: the reader says the lines fall short.
    assert any("Tổng ghi có in trên sao kê là 600.000" in p.message for p in st.errors)


def test_a_memo_word_after_a_number_is_not_taken_for_a_glued_reference():
    text = "STT|Ngày GD|Nợ|Có|Số dư|Diễn giải\n1|01/09/2024|100.000|1.100.000|1261122666 unghobaconvunglu\n"
    text = text.replace("Diễn giải\n", "Diễn giải\nSố dư đầu kỳ||||1.000.000|\n")
    st = statements.read(text.encode(), "x.psv")
    assert [(line.amount, line.description) for line in st.lines] == [
        (100_000, "1261122666 unghobaconvunglu")
    ]


def test_a_time_printed_in_its_own_cell_joins_its_date():
    st = read("time-in-its-own-cell.psv")
    assert figures(st) == (3, 3, 650_000, 0, 0)
    assert st.problem_lines == []
    assert [(line.date, line.time, line.description) for line in st.lines] == [
        (dt.date(2024, 9, 10), dt.time(12, 1, 29), "ung ho"),
        (dt.date(2024, 9, 10), dt.time(12, 5), "ung ho mien bac"),
        (dt.date(2024, 9, 11), None, "ung ho khong co gio"),
    ]
