"""Writes agribank-style.xls and agribank-contradicted.xls, the Excel 97-2003 (BIFF8)
statements of test_shapes.py.

Not run by the tests (the file is committed); kept to say how it was made:
    pip install --target /tmp/xlwt xlwt==1.3.0 && PYTHONPATH=/tmp/xlwt python make-xls.py
xlwt is not a project dependency.  The layout follows an Agribank E-Banking export: a merged
title block, real Excel dates for most lines and a text date for one, numbers stored as
floats, a debit, a summary block, and a second sheet of notes that is not a statement.
agribank-contradicted.xls is the same with 205.000 read on the third line where the balance
rose by 250.000.
"""

import datetime as dt
from pathlib import Path

import xlwt


def write(name: str, third: float) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("Sao ke")
    bold = xlwt.easyxf("font: bold on")
    when = xlwt.easyxf(num_format_str="dd/mm/yyyy hh:mm:ss")
    money = xlwt.easyxf(num_format_str="#,##0")
    ws.write_merge(0, 0, 0, 6, "NGÂN HÀNG NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN VIỆT NAM", bold)
    ws.write_merge(1, 1, 0, 6, "SAO KÊ TÀI KHOẢN", bold)
    ws.write(2, 0, "Số tài khoản: 2100201012345")
    ws.write(3, 0, "Từ ngày 02/10/2024 đến ngày 04/10/2024")
    header = ["STT", "Ngày giao dịch", "Số chứng từ", "Ghi nợ", "Ghi có", "Số dư", "Diễn giải"]
    for c, text in enumerate(header):
        ws.write(5, c, text, bold)
    ws.write(6, 0, "Số dư đầu kỳ")
    ws.write(6, 5, 2_000_000.0, money)
    lines = [
        (
            dt.datetime(2024, 10, 2, 8, 15, 0),
            "AB001",
            None,
            1_500_000.0,
            "NGUYEN THI HOA ung ho quy nhan dao",
        ),
        (dt.datetime(2024, 10, 2, 14, 2, 30), "AB002", 22_000.0, None, "Phi quan ly tai khoan"),
        ("03/10/2024 09:00:00", "AB003", None, third, "CLB TINH NGUYEN LE CHAN ung ho"),
        (
            dt.datetime(2024, 10, 4, 16, 45, 0),
            "AB004",
            None,
            3_000_000.0,
            "CONG TY TNHH AN PHAT ung ho bao lu",
        ),
    ]
    balance = 2_000_000.0
    row = 7
    for n, (date, ref, debit, credit, memo) in enumerate(lines, start=1):
        balance += (credit or 0) - (debit or 0)
        if credit == third:
            balance += 250_000.0 - third
        ws.write(row, 0, n)
        if isinstance(date, dt.datetime):
            ws.write(row, 1, date, when)
        else:
            ws.write(row, 1, date)
        ws.write(row, 2, ref)
        if debit is not None:
            ws.write(row, 3, debit, money)
        if credit is not None:
            ws.write(row, 4, credit, money)
        ws.write(row, 5, balance, money)
        ws.write(row, 6, memo)
        row += 1
    ws.write(row, 0, "Tổng cộng")
    ws.write(row, 3, 22_000.0, money)
    ws.write(row, 4, 4_750_000.0, money)
    ws.write(row + 1, 0, "Số dư cuối kỳ")
    ws.write(row + 1, 5, balance, money)
    notes = book.add_sheet("Ghi chu")
    notes.write(0, 0, "Sao kê in từ Agribank E-Banking")
    book.save(str(Path(__file__).with_name(name)))


write("agribank-style.xls", 250_000.0)
write("agribank-contradicted.xls", 205_000.0)
