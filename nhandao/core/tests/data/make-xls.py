"""Writes the Excel 97-2003 (BIFF8) files of test_import_readers.py.

Not run by the tests (the files are committed); kept to say how they were made:
    pip install --target /tmp/xlwt xlwt==1.3.0 && PYTHONPATH=/tmp/xlwt python make-xls.py
xlwt is not a project dependency.
  * members-1997.xls: a commune's member list as older offices keep it: a merged title row,
    the header, a text phone number, a real Excel date, a number stored as a float;
  * members-merged.xls: the same with two data cells merged.
"""

import datetime as dt
from pathlib import Path

import xlwt


def write(name: str, merge: bool) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("Danh sách")
    ws.write_merge(0, 0, 0, 3, "DANH SÁCH HỘI VIÊN CHI HỘI THÔN 3")
    for c, text in enumerate(["Họ và tên", "Điện thoại", "Ngày sinh", "Số tiền"]):
        ws.write(2, c, text)
    date = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    rows = [
        ("Nguyễn Thị Hoa", "0912345678", dt.date(1980, 5, 17), 50_000.0),
        ("Trần Văn Đức", "0987654321", dt.date(1975, 12, 1), 100_000.0),
    ]
    for r, (full_name, phone, born, amount) in enumerate(rows, start=3):
        if merge and r == 4:
            ws.write_merge(r, r, 0, 1, full_name)
        else:
            ws.write(r, 0, full_name)
            ws.write(r, 1, phone)
        ws.write(r, 2, born, date)
        ws.write(r, 3, amount)
    book.save(str(Path(__file__).with_name(name)))


write("members-1997.xls", merge=False)
write("members-merged.xls", merge=True)
