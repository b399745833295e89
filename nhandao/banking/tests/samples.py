"""Realistic statement files in the layouts DOMAIN.md describes, generated at test time.

Each builder takes transactions (oldest first) and returns the bytes a bank
would hand out: title rows, the bank's own header texts, its amount style,
running balances, repeated headers, merged (blank) date cells, descriptions
split over lines.  `Txn.amount` is signed: > 0 credit, < 0 debit.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import openpyxl


@dataclass(frozen=True)
class Txn:
    when: dt.datetime
    amount: int
    description: str
    reference: str = ""
    cp_name: str = ""
    cp_account: str = ""
    cp_bank: str = ""


def dots(n: int) -> str:
    """1000000 -> '1.000.000'."""
    return f"{n:,}".replace(",", ".")


def commas(n: int) -> str:
    return f"{n:,}"


def dots_decimals(n: int) -> str:
    """20000000 -> '20.000.000,00' (BIDV)."""
    return dots(n) + ",00"


def sample_txns(n: int = 12, start: dt.datetime | None = None) -> list[Txn]:
    """Credits and a few debits over three days, with Vietnamese memos."""
    start = start or dt.datetime(2024, 9, 9, 8, 15, 0)
    memos = [
        (
            "MBVCB.6987345207.627824.ung ho dong bao bao Yagi.CT tu 0011004455667 NGUYEN VAN AN toi 0011001234567",
            500_000,
        ),
        ("TRAN THI BICH chuyen tien ung ho mien Bac FT24253280013017", 200_000),
        ("Ung ho bao Yagi K7M2QX", 1_000_000),
        ("Phi quan ly tai khoan", -11_000),
        ("LE VAN CUONG ung ho khac phuc hau qua bao so 3", 300_000),
        ("Chi ho tro dong bao vung lu theo QD 12/QD-CTD", -5_000_000),
        ("PHAM MINH DUC chuyen khoan ung ho", 2_000_000),
        ("Gia dinh Hoang ung ho 20 trieu dong", 20_000_000),
        ("NGO THI HA ung ho", 150_000),
        ("Lai tien gui thang 9", 12_345),
        ("VU DINH KHOA ung ho dong bao", 100_000),
        ("DO THI LAN ung ho", 50_000),
    ]
    txns = []
    for i in range(n):
        memo, amount = memos[i % len(memos)]
        when = start + dt.timedelta(hours=7 * i, minutes=3 * i, seconds=i)
        txns.append(
            Txn(
                when=when,
                amount=amount,
                description=memo,
                reference=f"{5213 + i}.{20126 + i * 7}",
                cp_name=memo.split(" ung")[0][:30] if amount > 0 else "",
                cp_account=f"10{i:02d}887***" if amount > 0 else "",
                cp_bank="VCB" if amount > 0 else "",
            )
        )
    return txns


def balances(txns: list[Txn], opening: int) -> list[int]:
    result, balance = [], opening
    for t in txns:
        balance += t.amount
        result.append(balance)
    return result


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sao ke"
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def vietcombank_xlsx(
    txns: list[Txn],
    *,
    account: str = "0011001234567",
    opening: int = 10_000_000,
    break_at: int | None = None,
    opening_printed: int | None = None,
) -> bytes:
    """Title rows, 'Ngày GD / Số tham chiếu / Ghi nợ / Ghi có / Số dư / Diễn giải', amounts '1.000.000'."""
    bal = balances(txns, opening)
    if break_at is not None:
        bal[break_at] += 1_000
    first, last = txns[0].when, txns[-1].when
    rows: list[list[object]] = [
        ["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM"],
        ["SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT"],
        [f"Từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}"],
        ["Số tài khoản:", account],
        ["Tên tài khoản:", "HOI CHU THAP DO THANH PHO HAI PHONG"],
        ["Số dư đầu kỳ:", dots(opening if opening_printed is None else opening_printed)],
        [],
        ["STT", "Ngày GD", "Số tham chiếu", "Ghi nợ", "Ghi có", "Số dư", "Diễn giải"],
    ]
    for i, (t, b) in enumerate(zip(txns, bal, strict=True), start=1):
        rows.append(
            [
                i,
                t.when.strftime("%d/%m/%Y"),
                t.reference,
                dots(-t.amount) if t.amount < 0 else "",
                dots(t.amount) if t.amount > 0 else "",
                dots(b),
                t.description,
            ]
        )
    rows.append(["Số dư cuối kỳ:", "", "", "", "", dots(bal[-1])])
    return _xlsx(rows)


def vietinbank_efast_xlsx(
    txns: list[Txn], *, account: str = "113000123456", opening: int = 5_000_000
) -> bytes:
    """eFAST: title rows, booking date only on the first line of each day, long descriptions on two rows."""
    bal = balances(txns, opening)
    rows: list[list[object]] = [
        ["NGÂN HÀNG TMCP CÔNG THƯƠNG VIỆT NAM - VietinBank eFAST"],
        ["SAO KÊ TÀI KHOẢN"],
        [f"Số tài khoản: {account}"],
        ["Chủ tài khoản: HỘI CHỮ THẬP ĐỎ PHƯỜNG LÊ CHÂN"],
        [f"Từ ngày {txns[0].when:%d/%m/%Y} đến ngày {txns[-1].when:%d/%m/%Y}"],
        ["Số dư đầu kỳ", None, None, None, None, None, None, opening],
        [
            "STT",
            "Ngày hạch toán",
            "Ngày phát sinh",
            "Mô tả giao dịch",
            "Số giao dịch",
            "Nợ/ Debit",
            "Có / Credit",
            "Số dư",
        ],
    ]
    previous_day = None
    for i, (t, b) in enumerate(zip(txns, bal, strict=True), start=1):
        day = t.when.date()
        booking = t.when.replace(hour=0, minute=0, second=0) if day != previous_day else None
        previous_day = day
        words = t.description.split()
        head, tail = (" ".join(words[:4]), " ".join(words[4:])) if len(words) > 6 else (t.description, "")
        rows.append(
            [
                i,
                booking,
                t.when,
                head,
                t.reference,
                -t.amount if t.amount < 0 else None,
                t.amount if t.amount > 0 else None,
                b,
            ]
        )
        if tail:
            rows.append([None, None, None, tail, None, None, None, None])
    rows.append(
        [
            "Tổng cộng",
            None,
            None,
            None,
            None,
            sum(-t.amount for t in txns if t.amount < 0),
            sum(t.amount for t in txns if t.amount > 0),
            None,
        ]
    )
    rows.append(["Số dư cuối kỳ", None, None, None, None, None, None, bal[-1]])
    return _xlsx(rows)


BIDV_HEADER = [
    "STT",
    "Thời gian chuyển khoản",
    "Số tài khoản của người chuyển",
    "Số tiền ghi nợ (VND)",
    "Số tiền ghi có (VND)",
    "Nội dung chi tiết",
]


def bidv_rows(txns: list[Txn], *, rows_per_page: int = 5) -> list[list[str]]:
    """Header repeated on every page, amounts '20.000.000,00'."""
    rows = []
    for i, t in enumerate(txns):
        if i % rows_per_page == 0:
            rows.append(list(BIDV_HEADER))
        rows.append(
            [
                str(i + 1),
                t.when.strftime("%d/%m/%Y %H:%M:%S"),
                t.cp_account,
                dots_decimals(-t.amount) if t.amount < 0 else "",
                dots_decimals(t.amount) if t.amount > 0 else "",
                t.description,
            ]
        )
    return rows


def bidv_csv(txns: list[Txn], *, rows_per_page: int = 5, title: bool = True) -> bytes:
    lines = []
    if title:
        lines += ["NGÂN HÀNG TMCP ĐẦU TƯ VÀ PHÁT TRIỂN VIỆT NAM (BIDV)", "Số tài khoản: 1261122666"]
    lines += [" | ".join(row) for row in bidv_rows(txns, rows_per_page=rows_per_page)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def bidv_xlsx(txns: list[Txn]) -> bytes:
    rows: list[list[object]] = [
        ["NGÂN HÀNG TMCP ĐẦU TƯ VÀ PHÁT TRIỂN VIỆT NAM"],
        ["Số tài khoản: 1261122666"],
        [],
    ]
    rows += bidv_rows(txns, rows_per_page=1000)
    return _xlsx(rows)


def techcombank_xlsx(txns: list[Txn], *, account: str = "19036655778899", opening: int = 2_000_000) -> bytes:
    """Opening/closing balance rows, the date and the reference in one cell, debit, credit, balance."""
    bal = balances(txns, opening)
    rows: list[list[object]] = [
        ["NGÂN HÀNG TMCP KỸ THƯƠNG VIỆT NAM (TECHCOMBANK)"],
        ["SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT"],
        [f"Số tài khoản / Account number: {account}"],
        ["Tên khách hàng / Customer name: HOI CHU THAP DO PHUONG NGO QUYEN"],
        [
            "Ngày giao dịch / Số tham chiếu\nTransaction date / Reference",
            "Đối tác\nRemitter",
            "NH Đối tác\nRemitter Bank",
            "Diễn giải\nDetails",
            "Nợ/Debit",
            "Có/Credit",
            "Số dư/Balance",
        ],
        ["Số dư đầu kỳ / Opening balance", None, None, None, None, None, dots(opening)],
    ]
    for i, (t, b) in enumerate(zip(txns, bal, strict=True)):
        rows.append(
            [
                f"{t.when:%d/%m/%Y}\nFT2425{i:010d}",
                t.cp_name,
                t.cp_bank,
                t.description,
                dots(-t.amount) if t.amount < 0 else "",
                dots(t.amount) if t.amount > 0 else "",
                dots(b),
            ]
        )
    rows.append(["Số dư cuối kỳ / Closing balance", None, None, None, None, None, dots(bal[-1])])
    return _xlsx(rows)


def mb_xlsx(txns: list[Txn], *, account: str = "0801123456789", opening: int = 0) -> bytes:
    bal = balances(txns, opening)
    rows: list[list[object]] = [
        ["NGÂN HÀNG TMCP QUÂN ĐỘI"],
        ["Military Commercial Joint Stock Bank"],
        ["SAO KÊ TÀI KHOẢN"],
        ["Số tài khoản:", account, None, "Tên tài khoản:", "HOI CHU THAP DO XA AN LAO"],
        [],
        [
            "STT",
            "Ngày giao dịch",
            "Số bút toán",
            "Số tiền ghi nợ",
            "Số tiền ghi có",
            "Số dư",
            "Nội dung chi tiết",
            "Tài khoản đối ứng",
            "Tên tài khoản đối ứng",
            "Ngân hàng đối ứng",
        ],
    ]
    for i, (t, b) in enumerate(zip(txns, bal, strict=True), start=1):
        rows.append(
            [
                i,
                t.when.strftime("%-d/%-m/%Y %H:%M"),
                f"FT24{i:012d}",
                commas(-t.amount) if t.amount < 0 else "0",
                commas(t.amount) if t.amount > 0 else "0",
                commas(b),
                t.description,
                t.cp_account,
                t.cp_name,
                t.cp_bank,
            ]
        )
    return _xlsx(rows)


def html_table(txns: list[Txn], *, account: str = "0011001234567") -> bytes:
    """A Vietcombank-style 'Excel' that is really an HTML table, with a merged description header."""
    head = (
        "<html><head><meta charset='utf-8'></head><body>"
        "<table><tr><td colspan='7'>NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM</td></tr>"
        f"<tr><td>Số tài khoản:</td><td>{account}</td></tr>"
        "<tr><th>STT</th><th>Ngày GD</th><th>Số tham chiếu</th><th>Ghi nợ</th><th>Ghi có</th>"
        "<th colspan='2'>Diễn giải</th></tr>"
    )
    body = []
    for i, t in enumerate(txns, start=1):
        words = t.description.split()
        half = len(words) // 2
        body.append(
            f"<tr><td>{i}</td><td>{t.when:%d/%m/%Y %H:%M:%S}</td><td>{t.reference}</td>"
            f"<td>{dots(-t.amount) if t.amount < 0 else ''}</td><td>{dots(t.amount) if t.amount > 0 else ''}</td>"
            f"<td>{' '.join(words[:half])}</td><td>{' '.join(words[half:])}</td></tr>"
        )
    return (head + "".join(body) + "</table></body></html>").encode("utf-8")
