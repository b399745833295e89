"""Statement layouts: which column is which, recognised by the header texts banks print.

One engine reads every tabular statement.  A `Layout` only says how a bank
names its columns (synonyms, compared after removing diacritics, case and
punctuation), which header texts identify it (`signature`) and which words in
the title rows name the bank (`title_markers`).  The engine then:

* skips title rows above the header, reading the account number, account
  name, period and opening/closing balance printed there;
* treats a header row met again later as the start of a new page (PDF
  exports repeat it on every page), and a header spread over two rows
  (Vietnamese above English) as one;
* fills a missing date down from the line above (merged date cells);
* appends a row with text but no date and no amount to the line above
  (descriptions split over lines), and joins several description columns
  (descriptions split over cells);
* reads "Số dư đầu kỳ", "Số dư cuối kỳ" and "Tổng cộng" rows instead of
  taking them for transactions;
* skips page numbers ("Trang 1/3", "2", "- 3 -") and footers (signatures,
  "Ngày in") between pages and after the table;
* lines up a row of a text table whose cell count differs from the header's
  by the kinds of its cells (align.py): dropped empty cells, the separator
  inside a memo, two values glued in one cell; a spreadsheet row that does
  not read by position is tried the same way.  When several readings fit
  (the amount under "Ghi nợ" or "Ghi có"), the running balance decides
  (checks.py); without one the credit reading is kept and a warning says so;
* keeps every row that looks like a transaction but cannot be read for sure
  as a problem line (`Statement.problem_lines`: row, raw text, reason): a bad
  cell, a date in the future, a negative credit the balance does not confirm;
* refuses (StatementError) two statements concatenated (a second account,
  period or opening balance after the lines) and dates without a year when
  no statement period is known (code "year_needed": pass `period=`).

Signs: a negative amount under a credit heading ("-500.000", "(200.000)") is
never read as a gift: it is a debit when the running balance falls by it,
otherwise a problem line.  A file where no line reads for sure is returned
with all its problem lines and an error (so an import refuses it).

Saved column mappings (`mapping.MappingSpec`) produce a Layout too, so a file of
any bank goes through the same engine.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nhandao.banking import banks
from nhandao.core.formatting import money
from nhandao.core.text import clean_spaces, normalize

from . import align, values
from .model import Doubt, Origin, ProblemLine, Statement, StatementError, StatementLine, raw_text
from .sources import Sheet

# Column roles
NUMBER = "number"
DATE = "date"  # booking date, possibly with the time in the same cell
TIME = "time"
TXN_DATE = "txn_date"  # transaction / value date, often with the time
DATE_REF = "date_ref"  # one cell with the date and the reference (Techcombank)
REFERENCE = "reference"
DEBIT = "debit"
CREDIT = "credit"
AMOUNT = "amount"  # one signed column
DIRECTION = "direction"  # "C"/"D", "Có"/"Nợ" beside an unsigned amount
BALANCE = "balance"
DESCRIPTION = "description"
CP_NAME = "cp_name"
CP_ACCOUNT = "cp_account"
CP_BANK = "cp_bank"

ROLE_LABELS = {
    NUMBER: "STT",
    DATE: "Ngày giao dịch",
    TIME: "Giờ",
    TXN_DATE: "Ngày phát sinh",
    DATE_REF: "Ngày và số tham chiếu",
    REFERENCE: "Số tham chiếu",
    DEBIT: "Ghi nợ",
    CREDIT: "Ghi có",
    AMOUNT: "Số tiền",
    DIRECTION: "Nợ/Có",
    BALANCE: "Số dư",
    DESCRIPTION: "Diễn giải",
    CP_NAME: "Tên đối ứng",
    CP_ACCOUNT: "Tài khoản đối ứng",
    CP_BANK: "Ngân hàng đối ứng",
}

# Synonyms are header keys (see `header_key`).  A synonym starting with "="
# matches only a cell that is exactly that; the others also match a cell that
# contains them as whole words.  The longest match wins, so "Số tiền ghi có"
# is a credit column although it also contains "số tiền".
BASE_SYNONYMS: dict[str, tuple[str, ...]] = {
    NUMBER: ("=stt", "=so tt", "=no", "=stt no", "=seq"),
    DATE: (
        "ngay giao dich",
        "ngay gd",
        "ngay hach toan",
        "=ngay",
        "ngay ghi so",
        "ngay thuc hien",
        "thoi gian giao dich",
        "thoi gian chuyen khoan",
        "transaction date",
        "trans date",
        "txn date",
        "posting date",
        "=date",
        "date time",
    ),
    TIME: ("=gio", "gio giao dich", "=time"),
    TXN_DATE: ("ngay phat sinh", "ngay hieu luc", "value date", "effective date"),
    REFERENCE: (
        "so tham chieu",
        "so but toan",
        "so giao dich",
        "=so ct",
        "so chung tu",
        "ma giao dich",
        "reference",
        "ref no",
        "doc no",
        "transaction no",
        "txn no",
    ),
    DEBIT: (
        "ghi no",
        "so tien ghi no",
        "phat sinh no",
        "no debit",
        "debit",
        "so tien no",
        "=no",
        "debit amount",
    ),
    CREDIT: (
        "ghi co",
        "so tien ghi co",
        "phat sinh co",
        "co credit",
        "credit",
        "so tien co",
        "=co",
        "credit amount",
    ),
    AMOUNT: (
        "=so tien",
        "so tien giao dich",
        "=amount",
        "transaction amount",
        "=gia tri",
        "=so tien amount",
        "=so tien vnd",
        "=so tien amount vnd",
        "=amount vnd",
    ),
    # Bilingual headers ("Nợ/Có\nDebit/Credit") are matched whole: their "credit" is not a credit column.
    DIRECTION: (
        "=no co",
        "=co no",
        "=d c",
        "=c d",
        "=dr cr",
        "=cr dr",
        "loai giao dich",
        "=loai gd",
        "=debit credit",
        "=credit debit",
        "=no co debit credit",
        "=co no credit debit",
        "=no co dr cr",
        "=ghi no ghi co",
    ),
    BALANCE: ("so du", "balance", "so du cuoi"),
    DESCRIPTION: (
        "dien giai",
        "noi dung",
        "noi dung chi tiet",
        "noi dung giao dich",
        "mo ta",
        "mo ta giao dich",
        "description",
        "details",
        "transaction comment",
        "txn description",
        "remark",
        "remarks",
    ),
    CP_NAME: (
        "ten doi ung",
        "ten nguoi chuyen",
        "doi tac",
        "ten tai khoan doi ung",
        "ten tk doi ung",
        "offset name",
        "remitter",
        "nguoi chuyen",
        "ten nguoi gui",
    ),
    CP_ACCOUNT: (
        "=so tai khoan",
        "tai khoan doi ung",
        "so tai khoan doi ung",
        "so tai khoan cua nguoi chuyen",
        "tk doi ung",
        "offset account",
        "so tk nguoi chuyen",
    ),
    CP_BANK: ("ngan hang doi ung", "nh doi tac", "nh doi ung", "remitter bank", "ngan hang nguoi chuyen"),
}

_PUNCT = re.compile(r"[^0-9a-z]+")


# What a "Nợ/Có" column says, as header keys ("Có" -> "co"), or the raw sign.
_DEBIT_MARKERS = frozenset(("d", "dr", "no", "n", "debit", "ghi no", "chi", "-"))
_CREDIT_MARKERS = frozenset(("c", "cr", "co", "credit", "ghi co", "thu", "+"))


def header_key(value: object) -> str:
    """'Nợ/ Debit' -> 'no debit'; 'STT  (No)' -> 'stt no'."""
    return _PUNCT.sub(" ", normalize(value)).strip()


@dataclass(frozen=True)
class Layout:
    name: str
    label: str
    bank_code: str = ""
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(BASE_SYNONYMS))
    signature: tuple[str, ...] = ()  # header keys that must all be present (contained in a cell)
    title_markers: tuple[str, ...] = ()  # normalised words in the title rows that name the bank
    require_title: bool = False
    generic: bool = False
    # For saved mappings: fixed column indexes and header row (1-based; 0 = no header).
    fixed_columns: dict[str, tuple[int, ...]] | None = None
    header_row: int | None = None
    credit_is_negative: bool = False  # a signed amount column where credits are negative

    @property
    def bank(self) -> banks.Bank | None:
        return banks.by_code(self.bank_code) if self.bank_code else None

    # -- headers -----------------------------------------------------------
    def match_cell(self, key: str) -> str | None:
        if not key:
            return None
        best_role, best_score = None, 0
        padded = f" {key} "
        for role, synonyms in self.synonyms.items():
            for syn in synonyms:
                if syn.startswith("="):
                    score = 1000 + len(syn) if key == syn[1:] else 0
                elif key == syn:
                    score = 1000 + len(syn)
                elif f" {syn} " in padded:
                    score = len(syn)
                else:
                    score = 0
                if score > best_score:
                    best_role, best_score = role, score
        return best_role

    def header_map(self, row: list[object]) -> dict[str, list[int]] | None:
        """Column indexes per role if `row` is this layout's header row, else None."""
        keys = [header_key(c) if isinstance(c, str) else "" for c in row]
        if sum(1 for k in keys if k) < 3:
            return None
        if self.signature and not all(any(f" {s} " in f" {k} " for k in keys) for s in self.signature):
            return None
        columns: dict[str, list[int]] = {}
        for index, key in enumerate(keys):
            role = self.match_cell(key)
            if role is None:
                continue
            if role == NUMBER and key == "no" and NUMBER in columns and DEBIT in self.synonyms:
                role = DEBIT  # "STT ... Nợ": the line number is taken, this "no" is "Nợ"
            if role == DESCRIPTION or role not in columns:
                columns.setdefault(role, []).append(index)
        # "Nợ" and "No." are both "no" once diacritics go: beside a credit column it is the debit.
        if (
            NUMBER in columns
            and DEBIT not in columns
            and CREDIT in columns
            and keys[columns[NUMBER][0]] == "no"
            and self.fixed_columns is None
            and "no" in (s.lstrip("=") for s in self.synonyms.get(DEBIT, ()))
        ):
            columns[DEBIT] = columns.pop(NUMBER)
        if not _complete(columns):
            return None
        # A description header merged over several cells leaves the cells to its right empty.
        for index in list(columns.get(DESCRIPTION, [])):
            nxt = index + 1
            mapped = {i for idx in columns.values() for i in idx}
            while nxt < len(keys) and not keys[nxt] and nxt not in mapped:
                columns[DESCRIPTION].append(nxt)
                nxt += 1
        return columns


def _complete(columns: dict[str, list[int]]) -> bool:
    has_date = DATE in columns or DATE_REF in columns
    has_amount = CREDIT in columns or DEBIT in columns or AMOUNT in columns
    return has_date and has_amount and DESCRIPTION in columns


def _syn(**extra: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    merged = dict(BASE_SYNONYMS)
    for role, more in extra.items():
        merged[role] = tuple(more) + merged.get(role, ())
    return merged


LAYOUTS: tuple[Layout, ...] = (
    Layout(
        "bidv_psv",
        "BIDV – bản trích xuất sao kê công khai (phân cách “|”)",
        "BIDV",
        signature=("phat sinh co", "txn description"),
    ),
    Layout(
        "vietinbank_psv",
        "VietinBank – bản trích xuất sao kê công khai (phân cách “|”)",
        "ICB",
        signature=("mo ta giao dich", "ten doi ung"),
    ),
    Layout(
        "bidv",
        "BIDV – sao kê Excel/CSV",
        "BIDV",
        signature=("thoi gian chuyen khoan", "noi dung chi tiet"),
        title_markers=("bidv", "dau tu va phat trien"),
    ),
    Layout(
        "vietcombank",
        "Vietcombank – sao kê Excel",
        "VCB",
        signature=("ghi no", "ghi co", "dien giai"),
        title_markers=("vietcombank", "ngoai thuong"),
        require_title=True,
    ),
    Layout(
        "vietinbank_efast",
        "VietinBank eFAST – sao kê Excel",
        "ICB",
        signature=("ngay hach toan", "mo ta giao dich"),
        title_markers=("vietinbank", "cong thuong", "efast"),
    ),
    Layout(
        "techcombank",
        "Techcombank – sao kê Excel",
        "TCB",
        synonyms=_syn(**{DATE_REF: ("ngay giao dich so tham chieu", "transaction date reference")}),
        signature=("so tham chieu", "doi tac"),
        title_markers=("techcombank", "ky thuong"),
        require_title=True,
    ),
    Layout(
        "mb",
        "MB – sao kê Excel",
        "MB",
        signature=("so tien ghi no", "so tien ghi co", "noi dung chi tiet"),
        title_markers=("quan doi", "mbbank", "mb bank"),
        require_title=True,
    ),
    Layout("generic", "Bảng sao kê (nhận dạng theo tên cột)", generic=True),
)
BY_NAME = {layout.name: layout for layout in LAYOUTS}

TITLE_SCAN_ROWS = 60


def title_bank(text_key: str) -> banks.Bank | None:
    """The bank named in the title rows (normalised text), if exactly one is."""
    found = {layout.bank_code for layout in LAYOUTS if layout.bank_code and _has_marker(text_key, layout)}
    if len(found) == 1:
        return banks.by_code(found.pop())
    return None


def _has_marker(text_key: str, layout: Layout) -> bool:
    padded = f" {text_key} "
    return any(f" {m} " in padded for m in layout.title_markers)


# -- reading ---------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return clean_spaces(str(value))


def _cell(row: list[object], index: int) -> object:
    return row[index] if index < len(row) else None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_OPENING = ("so du dau ky", "so du dau", "opening balance", "so du dau ngay")
_CLOSING = ("so du cuoi ky", "so du cuoi", "closing balance", "so du cuoi ngay")
_TOTAL = ("tong cong", "tong phat sinh", "cong phat sinh", "total", "tong so")
_ACCOUNT_LABELS = ("so tai khoan", "tai khoan so", "so tk", "account number", "account no", "tai khoan")
_NAME_LABELS = ("ten tai khoan", "chu tai khoan", "ten khach hang", "account name", "customer name")
_ACCOUNT_DIGITS = re.compile(r"^\D{0,3}([0-9][0-9 .\-]{3,30}[0-9])")
_MONTH_NAME = "|".join(sorted(values.MONTHS, key=len, reverse=True))
_DATES_IN_TEXT = re.compile(
    r"(\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}"
    rf"|\d{{1,2}}[\s\-](?:{_MONTH_NAME})\.?[\s\-,]+\d{{2,4}}|(?:{_MONTH_NAME})\.?\s+\d{{1,2}},?\s+\d{{4}})",
    re.IGNORECASE,
)


def _label_index(keys: list[str], labels: tuple[str, ...]) -> int | None:
    for index, key in enumerate(keys):
        if key and any(key.startswith(label) for label in labels):
            return index
    return None


def _value_after(row: list[object], index: int, label_keys: tuple[str, ...]) -> object:
    """The value printed after a label: in the same cell after ':' or in the next non-empty cell."""
    cell = _cell(row, index)
    if isinstance(cell, str) and ":" in cell:
        rest = cell.split(":", 1)[1].strip()
        if rest:
            return rest
    for later in row[index + 1 :]:
        if not _blank(later):
            return later
    return None


def _amount_after(row: list[object], index: int) -> int | None:
    for candidate in [_value_after(row, index, ()), *row[index + 1 :]]:
        if _blank(candidate):
            continue
        try:
            amount = values.parse_amount(candidate)
        except values.ValueProblem:
            continue
        if amount is not None:
            return amount
    return None


_BOTH_SIDES = gettext_lazy("Một dòng có cả số ghi nợ và số ghi có.")


class RowProblem(Exception):
    """A row that looks like a transaction but cannot be read for sure."""

    def __init__(self, reason: str, **fields):
        super().__init__(reason)
        self.reason = reason
        self.fields = fields


def _sentence(exc: Exception) -> str:
    text = str(exc)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


_FOOTER = re.compile(r"^(?:(?:trang|page)\s*\d+(?:\s*(?:/|of|tren)\s*\d+)?|-?\s*\d{1,4}\s*-?|\d+\s*/\s*\d+)$")
_FOOTER_WORDS = (
    "nguoi lap",
    "ke toan",
    "giam doc",
    "kiem soat",
    "ngay in",
    "printed",
    "ghi chu",
    "note",
    "het",
    "cong hoa xa hoi",
    "chu ky",
    "trang",
    "page",
    "sao ke nay",
    "xac nhan",
    "dau ngan hang",
)
_STATEMENT_WORDS = ("sao ke tai khoan", "statement of account", "account statement", "so phu")
_NEW_OPENING = ("so du dau ky", "opening balance")
_BODY_LABELS = ("so tai khoan", "tai khoan so", "so tk", "account number", "account no", "ten tai khoan")


def _is_footer(texts: list[str]) -> bool:
    key = normalize(" ".join(texts)).strip()
    if _FOOTER.match(key):
        return True
    return any(key.startswith(word) for word in _FOOTER_WORDS)


class Reader:
    """Reads one sheet with one layout into a Statement.

    Good rows become `st.lines`; rows that look like transactions but cannot be
    read for sure become `st.problem_lines` (never dropped); statement-level
    notes go to `st.problems`.  `period` gives the year of dates printed
    without one; `year_missing` is set when such a date met no period.
    """

    def __init__(self, layout: Layout, statement: Statement, period: tuple[dt.date, dt.date] | None = None):
        self.layout = layout
        self.st = statement
        self.period = period
        self.year_missing = ""
        self.today = timezone.localdate()
        # Description cells of each line, joined once at the end (continuation rows add to them).
        self.parts: list[list[object]] = []
        self.shifted = 0  # rows lined up by the kinds of their cells
        self.unreadable_balance: tuple[Origin, str] | None = None  # the first, for one warning
        self.unreadable_balances = 0
        self.loose_total: int | None = None  # a total printed in a short row, not saying which
        self.width = 0
        self._fields_off = False  # while trying readings of a row (see _align_row)

    # title rows: account, name, period, balances, bank
    def read_title(self, rows: list[list[object]]) -> None:
        texts = []
        for row in rows:
            keys = [header_key(c) if not _blank(c) else "" for c in row]
            texts.append(" ".join(k for k in keys if k))
            self._label_values(row, keys)
        joined = " ".join(texts)
        bank = title_bank(joined)
        if bank is not None:
            self.st.bank = bank

    def _label_values(self, row: list[object], keys: list[str], st: Statement | None = None) -> None:
        st = st or self.st
        i = _label_index(keys, _OPENING)
        if i is not None and st.opening_balance is None:
            st.opening_balance = _amount_after(row, i)
        i = _label_index(keys, _CLOSING)
        if i is not None and st.closing_balance is None:
            st.closing_balance = _amount_after(row, i)
        i = _label_index(keys, _NAME_LABELS)
        if i is not None and not st.account_name:
            st.account_name = _text(_value_after(row, i, _NAME_LABELS))[:200]
        i = _label_index(keys, _ACCOUNT_LABELS)
        if i is not None and not st.account_number and _label_index(keys, _NAME_LABELS) != i:
            value = _text(_value_after(row, i, _ACCOUNT_LABELS))
            match = _ACCOUNT_DIGITS.match(value)
            if match:
                st.account_number = re.sub(r"\D", "", match.group(1))
        joined = " ".join(_text(c) for c in row if not _blank(c))
        key = normalize(joined)
        if any(word in key for word in ("tu ngay", "from", "ky sao ke", "period")) and st.period_from is None:
            found = _DATES_IN_TEXT.findall(joined)
            if len(found) >= 2:
                try:
                    st.period_from = values.parse_datetime(found[0])[0]
                    st.period_to = values.parse_datetime(found[1])[0]
                except values.ValueProblem:
                    pass

    def _summary_row(self, row: list[object], columns: dict[str, list[int]], origin: Origin) -> bool:
        """Opening/closing balance and total rows in or after the table."""
        keys = [header_key(c) if isinstance(c, str) else "" for c in row]
        if not any(keys):
            return False
        st = self.st
        i = _label_index(keys, _OPENING)
        if i is not None:
            value = self._column_amount(row, columns, BALANCE)
            value = value if value is not None else _amount_after(row, i)
            if st.lines and _label_index(keys, _NEW_OPENING) is not None and value != st.opening_balance:
                raise StatementError(
                    _(
                        "Tệp có vẻ gồm hai sao kê ghép lại: %(where)s in số dư đầu kỳ lần nữa (%(v)s) sau "
                        "các dòng giao dịch. Hãy tách thành từng tệp rồi nhập riêng."
                    )
                    % {"where": origin.label(), "v": money(value) if value is not None else "?"}
                )
            if st.opening_balance is None:
                st.opening_balance = value
            return True
        if _label_index(keys, _CLOSING) is not None:
            i = _label_index(keys, _CLOSING)
            value = self._column_amount(row, columns, BALANCE)
            st.closing_balance = value if value is not None else _amount_after(row, i)
            return True
        if _label_index(keys, _TOTAL) is not None:
            credit = self._column_amount(row, columns, CREDIT)
            debit = self._column_amount(row, columns, DEBIT)
            if credit is None and debit is None and AMOUNT not in columns:
                # A total in a row that lost its empty cells: the label says which total it is.
                amounts = []
                for cell in row:
                    try:
                        amount = values.parse_amount(cell)
                    except values.ValueProblem:
                        continue
                    if amount is not None:
                        amounts.append(abs(amount))
                label = f" {next(k for k in keys if k)} "
                if len(amounts) == 1 and (" co " in label or " credit " in label):
                    credit = amounts[0]
                elif len(amounts) == 1 and (" no " in label or " debit " in label):
                    debit = amounts[0]
                elif len(amounts) == 1:
                    self.loose_total = amounts[0]
            elif len(row) < self.width and (credit is None) != (debit is None) and CREDIT in columns:
                # A short total row: its one amount sits under the first amount heading, whichever it is.
                self.loose_total = abs(credit if credit is not None else debit)
                credit = debit = None
            if credit is not None:
                st.printed_credit_total = abs(credit)
            if debit is not None:
                st.printed_debit_total = abs(debit)
            return True
        return False

    def _title_again(self, row: list[object], origin: Origin) -> bool:
        """Title rows in the body (a second page's header block, or a second statement)."""
        keys = [header_key(c) if not _blank(c) else "" for c in row]
        position = next((i for i, k in enumerate(keys) if k), None)
        if position is None:
            return False
        first, text = keys[position], _text(row[position])
        if any(first.startswith(words) for words in _STATEMENT_WORDS):
            return True
        # Strict: a label with its value after ":" or in the next cell, never a memo that starts alike.
        labelled = any(first.startswith(label) for label in _BODY_LABELS) and (
            ":" in text or first in _BODY_LABELS
        )
        period = first.startswith(("tu ngay", "ky sao ke")) and len(_DATES_IN_TEXT.findall(text)) >= 2
        if not (labelled or period):
            return False
        seen = Statement(format="", format_label="")
        self._label_values(row, keys, seen)
        st = self.st
        if seen.account_number and st.account_number and seen.account_number != st.account_number:
            raise StatementError(
                _(
                    "Tệp có hai sao kê khác nhau ghép lại: tài khoản %(a)s ở đầu tệp và tài khoản %(b)s từ "
                    "%(where)s. Hãy tách thành từng tệp rồi nhập riêng."
                )
                % {"a": st.account_number, "b": seen.account_number, "where": origin.label().lower()}
            )
        if (
            seen.period_from
            and st.period_from
            and (seen.period_from, seen.period_to)
            != (
                st.period_from,
                st.period_to,
            )
        ):
            raise StatementError(
                _(
                    "Tệp có hai sao kê khác nhau ghép lại: kỳ %(a)s ở đầu tệp và kỳ %(b)s từ %(where)s. "
                    "Hãy tách thành từng tệp rồi nhập riêng."
                )
                % {
                    "a": f"{st.period_from:%d/%m/%Y}–{st.period_to:%d/%m/%Y}",
                    "b": f"{seen.period_from:%d/%m/%Y}–{seen.period_to:%d/%m/%Y}",
                    "where": origin.label().lower(),
                }
            )
        if seen.account_number and not st.account_number:
            st.account_number = seen.account_number
        return True

    def _column_amount(self, row, columns, role) -> int | None:
        for index in columns.get(role, ()):
            try:
                return values.parse_amount(_cell(row, index))
            except values.ValueProblem:
                return None
        return None

    def _is_header_again(self, row: list[object]) -> bool:
        if self.layout.fixed_columns is not None:
            return False
        keys = [header_key(c) if isinstance(c, str) else "" for c in row]
        hits = sum(1 for k in keys if k and self.layout.match_cell(k) is not None)
        return hits >= 2 and hits * 2 >= sum(1 for k in keys if k)

    def _problem(self, origin: Origin, row: list[object], reason: str, **fields) -> None:
        raw = raw_text([_text(c) for c in row])
        self.st.problem_lines.append(ProblemLine(origin=origin, raw=raw, reason=str(reason), **fields))

    def read_sheet(
        self, sheet: Sheet, header_index: int, columns: dict[str, list[int]], *, header_width: int = 0
    ) -> None:
        st = self.st
        self._columns = columns
        rows, numbers, name = sheet.rows, sheet.row_numbers, sheet.name
        col = {role: idx[0] for role, idx in columns.items()}
        desc_cols = columns.get(DESCRIPTION, [])
        date_col = col.get(DATE, col.get(DATE_REF))
        mapped_width = 1 + max(i for idx in columns.values() for i in idx)
        width = max(header_width, mapped_width)
        self.width = width
        roles_list: list[str | None] = [None] * width
        for role, idx in columns.items():
            for i in idx:
                roles_list[i] = role
        roles = tuple(roles_list)
        # Only text tables lose or gain cells; spreadsheets keep one cell per column.
        may_shift = sheet.kind == "csv" and self.layout.fixed_columns is None
        joiner = sheet.delimiter or " "
        parse_dt = values.parse_datetime
        ValueProblem = values.ValueProblem
        period = self.period
        page = 1
        seen_data = False
        last: StatementLine | None = None
        last_date: dt.date | None = None
        for pos in range(header_index + 1, len(rows)):
            row = rows[pos]
            if not row or all(_blank(c) for c in row):
                continue
            if len(row) > width:
                while len(row) > width and _blank(row[-1]):
                    row = row[:-1]
            origin = Origin(numbers[pos], page, name)
            raw_date = _cell(row, date_col)
            try:
                date, time = parse_dt(raw_date, period)
                dated = True
            except ValueProblem as exc:
                dated = False
                date_problem = exc
                if isinstance(exc, values.YearNeeded):
                    self.year_missing = self.year_missing or _text(raw_date)
                    continue
            shifted = may_shift and len(row) != width
            kinds = None
            if shifted:
                kinds = tuple(align.kind(c) for c in row)
                if align.DATE not in kinds:
                    shifted = False  # not a transaction row: read by position below
            if not shifted or kinds is None:
                if not dated:
                    if self._summary_row(row, columns, origin):
                        continue
                    if not _blank(raw_date) and self._is_header_again(row):
                        if seen_data:
                            page += 1
                            seen_data = False
                        continue
                    if self._title_again(row, origin):
                        continue
                moment = (date, time) if dated else None
                problem_of = date_problem if not dated else None
                try:
                    built = self._build(row, col, origin, moment, raw_date, last_date, problem_of, trial=True)
                except RowProblem:
                    # Cells in the wrong columns (a spreadsheet row shifted left, a glued cell):
                    # try lining the row up by the kinds of its cells before giving up on it.
                    trimmed = list(row)
                    while trimmed and _blank(trimmed[-1]):
                        trimmed.pop()
                    kinds = tuple(align.kind(c) for c in trimmed)
                    aligned = None
                    if self.layout.fixed_columns is None and align.DATE in kinds:
                        aligned = self._align_row(trimmed, kinds, roles, width, joiner, origin, last_date)
                    if not isinstance(aligned, tuple):
                        try:  # again, to say what is wrong with the row as the file has it
                            self._build(row, col, origin, moment, raw_date, last_date, problem_of)
                        except RowProblem as problem:
                            self._problem(origin, row, problem.reason, **problem.fields)
                        continue
                    built = aligned
                if built is None:
                    texts = [_text(c) for c in row if not _blank(c)]
                    if _is_footer(texts):
                        continue
                    on_text = all(
                        _blank(c) or i in desc_cols or i == col.get(CP_NAME) for i, c in enumerate(row)
                    )
                    if on_text or len(row) == 1:
                        self._continue(
                            last,
                            row if on_text else [None] * (desc_cols[0] if desc_cols else 0) + row,
                            desc_cols,
                            col,
                        )
                    continue
                if built == "skip":
                    continue
                line, parts = built
            else:
                # The cells do not line up with the header: try every reading one change away.
                aligned = self._align_row(row, kinds, roles, width, joiner, origin, last_date)
                if not isinstance(aligned, tuple):
                    self._problem(origin, row, aligned)
                    continue
                line, parts = aligned
            if line.date > self.today + dt.timedelta(days=1):
                self._problem(
                    origin,
                    row,
                    _("Ngày giao dịch %(d)s ở tương lai (hôm nay là %(t)s).")
                    % {"d": f"{line.date:%d/%m/%Y}", "t": f"{self.today:%d/%m/%Y}"},
                    date=line.date,
                    time=line.time,
                    amount_read=line.amount,
                    balance=line.balance,
                    description=clean_spaces(" ".join(_text(p) for p in parts if not _blank(p))),
                )
                st.doubts.pop(id(line), None)
                continue
            line.source = row
            st.lines.append(line)
            self.parts.append(parts)
            last, last_date = line, line.date
            seen_data = True
        if page == 1:
            # No header was repeated: the file has no pages to speak of.
            for line in st.lines:
                line.origin.page = None
            for problem in st.problems:
                if problem.origin is not None and problem.origin.sheet == name:
                    problem.origin.page = None
            for problem_line in st.problem_lines:
                if problem_line.origin.sheet == name:
                    problem_line.origin.page = None

    def _align_row(self, row, kinds, roles, width, joiner, origin, last_date):
        """(line, description cells) from the best readings of a row lined up by cell kinds, the
        other readings kept as the line's alternatives; or the reason (str) why it cannot be read."""
        col = {role: idx[0] for role, idx in self._columns.items()}
        date_col = col.get(DATE, col.get(DATE_REF))
        readings = []
        failure = None
        for recipe in align.recipes(kinds, roles):
            cells = align.apply(row, recipe, width, joiner)
            raw = _cell(cells, date_col)
            try:
                moment = values.parse_datetime(raw, self.period)
                built = self._build(cells, col, origin, moment, raw, last_date, None, trial=True)
            except (values.ValueProblem, RowProblem) as exc:
                failure = failure or exc
                continue
            if built not in (None, "skip"):
                readings.append(built)
        if not readings:
            return _(
                "Dòng này có %(n)d giá trị dưới %(w)d tiêu đề và không xếp được vào đúng cột%(why)s."
            ) % {
                "n": len(row),
                "w": width,
                "why": (": " + _sentence(failure).rstrip(".").lower()) if failure else "",
            }
        self.shifted += 1
        distinct = [readings[0]]
        for reading in readings[1:]:
            if all((reading[0].amount, reading[0].balance) != (d[0].amount, d[0].balance) for d in distinct):
                distinct.append(reading)
        # The default reading is a credit; the running balance decides between them (checks.py).
        distinct.sort(key=lambda r: r[0].amount < 0)
        line, parts = distinct[0]
        if len(distinct) > 1:
            doubt = self.st.doubts.setdefault(id(line), Doubt())
            doubt.ambiguity = _(
                "Dòng này có %(n)d giá trị dưới %(w)d tiêu đề: không rõ số tiền thuộc cột nào."
            ) % {
                "n": len(row),
                "w": width,
            }
            for other, other_parts in distinct[1:]:
                other.description = clean_spaces(" ".join(_text(p) for p in other_parts if not _blank(p)))
                other.source = row
                doubt.alternatives.append(other)
        return line, parts

    def _build(self, row, col, origin, moment, raw_date, last_date, date_problem, trial=False):
        """(line, description cells) from a row read by position (`moment`: its date and time, None
        when the date cell does not read); None: not a transaction row; "skip": nothing to read.
        Raises RowProblem (`trial`: a reading among others, raised without the row's fields)."""
        self._fields_off = trial
        try:
            return self._read_cells(row, col, origin, moment, raw_date, last_date, date_problem)
        finally:
            self._fields_off = False

    def _read_cells(self, row, col, origin, moment, raw_date, last_date, date_problem):
        dated = moment is not None
        layout = self.layout
        parse_amount = values.parse_amount
        ValueProblem = values.ValueProblem
        credit_col, debit_col, amount_col = col.get(CREDIT), col.get(DEBIT), col.get(AMOUNT)
        desc_cols = list(self._desc_cols(col))
        try:
            credit = parse_amount(_cell(row, credit_col)) if credit_col is not None else None
            debit = parse_amount(_cell(row, debit_col)) if debit_col is not None else None
            signed = parse_amount(_cell(row, amount_col)) if amount_col is not None else None
        except ValueProblem as exc:
            if not dated and not any(self._looks_like_amount(c) for c in row):
                return None
            raise RowProblem(_sentence(exc), **self._fields(row, col, dated and raw_date)) from None
        has_amount = bool(credit) or bool(debit) or bool(signed)
        if not dated:
            if _blank(raw_date):
                if not has_amount:
                    return None
                if last_date is None:
                    raise RowProblem(
                        _("Có số tiền nhưng thiếu ngày giao dịch."), **self._fields(row, col, None)
                    )
                date, time = last_date, None  # a merged date cell: fill down
            else:
                if has_amount:
                    raise RowProblem(_sentence(date_problem), **self._fields(row, col, None))
                return None
        else:
            date, time = moment
        if not has_amount:
            if any(not _blank(_cell(row, i)) for i in desc_cols):
                raise RowProblem(
                    _("Dòng có ngày và nội dung nhưng không có số tiền."), **self._fields(row, col, raw_date)
                )
            return "skip"
        if credit and debit:
            raise RowProblem(_BOTH_SIDES, **self._fields(row, col, raw_date))
        doubt = ""
        either_side = False
        if signed is not None and signed != 0:
            amount = signed
            if DIRECTION in col:
                raw_marker = _text(_cell(row, col[DIRECTION]))
                marker = header_key(raw_marker) or raw_marker
                if marker in _DEBIT_MARKERS:
                    amount = -abs(signed)
                elif marker in _CREDIT_MARKERS:
                    amount = abs(signed)
                else:
                    # Neither side named: read as written, and the running balance decides (checks.py).
                    doubt = (
                        _("Cột Nợ/Có ghi “%(v)s”: không rõ là khoản thu hay khoản chi.") % {"v": raw_marker}
                        if raw_marker
                        else _("Cột Nợ/Có để trống: không rõ là khoản thu hay khoản chi.")
                    )
                    either_side = True
            if layout.credit_is_negative:
                amount = -amount
        elif credit:
            amount = abs(credit)
            if credit < 0:
                # A negative credit is never a gift: a debit if the running balance says so, else a problem.
                amount = credit
                doubt = _("Số ghi có âm (“%(v)s”): không rõ là khoản thu hay khoản chi.") % {
                    "v": _text(_cell(row, credit_col))
                }
        else:
            amount = -abs(debit)
        line = StatementLine(origin=origin, date=date, time=time, amount=amount, description="")
        if TXN_DATE in col:
            try:
                vdate, vtime = values.parse_datetime(_cell(row, col[TXN_DATE]), self.period)
                line.value_date = vdate
                if line.time is None:
                    line.time = vtime
            except ValueProblem:
                pass
        if TIME in col and line.time is None:
            line.time = _time_of(_cell(row, col[TIME]))
        if REFERENCE in col:
            line.reference = _text(_cell(row, col[REFERENCE]))
            if not line.reference and isinstance(raw_date, str):
                # A PDF extract that put the reference in the date cell ("02/09/2024 5214.20133").
                line.reference = values.leading_reference(raw_date)
        elif DATE not in col and DATE_REF in col:
            line.reference = values.leading_reference(raw_date)
        if BALANCE in col:
            try:
                line.balance = parse_amount(_cell(row, col[BALANCE]))
            except ValueProblem as exc:
                if not self.unreadable_balance:
                    self.unreadable_balance = (origin, str(exc))
                self.unreadable_balances += 1
        if CP_NAME in col:
            line.counterparty_name = _text(_cell(row, col[CP_NAME]))
        if CP_ACCOUNT in col:
            line.counterparty_account = _text(_cell(row, col[CP_ACCOUNT])).replace(" ", "")
        if CP_BANK in col:
            line.counterparty_bank = _text(_cell(row, col[CP_BANK]))
        if NUMBER in col:
            line.number = _number(_cell(row, col[NUMBER]))
        if doubt:
            # An unnamed side: the other sign is a reading too, and the running balance may confirm
            # either.  A negative credit has no other reading: it is a debit or a problem, never a gift.
            other = [dataclasses.replace(line, amount=-amount)] if either_side else []
            self.st.doubts[id(line)] = Doubt(reason=doubt, alternatives=other)
        return line, [_cell(row, i) for i in desc_cols]

    def _desc_cols(self, col):
        return self._columns.get(DESCRIPTION, [])

    @staticmethod
    def _looks_like_amount(value: object) -> bool:
        return align.kind(value) in (align.AMOUNT, align.GLUED)

    def _fields(self, row, col, raw_date) -> dict:
        """What can be read of a problem row, for the person correcting it."""
        fields: dict = {}
        if self._fields_off:
            return fields
        if raw_date:
            with contextlib.suppress(values.ValueProblem):
                fields["date"], fields["time"] = values.parse_datetime(raw_date, self.period)
        desc = [_text(_cell(row, i)) for i in self._desc_cols(col) if not _blank(_cell(row, i))]
        fields["description"] = clean_spaces(" ".join(desc))[:1000]
        for role, key in (
            (REFERENCE, "reference"),
            (CP_NAME, "counterparty_name"),
            (CP_ACCOUNT, "counterparty_account"),
        ):
            if role in col:
                fields[key] = _text(_cell(row, col[role]))[:200]
        if BALANCE in col:
            with contextlib.suppress(values.ValueProblem):
                fields["balance"] = values.parse_amount(_cell(row, col[BALANCE]))
        amounts = []
        for role, sign in ((CREDIT, 1), (DEBIT, -1), (AMOUNT, 1)):
            if role in col:
                try:
                    value = values.parse_amount(_cell(row, col[role]))
                except values.ValueProblem:
                    continue
                if value:
                    amounts.append(sign * abs(value) if role != AMOUNT else value)
        if len(amounts) == 1:
            fields["amount_read"] = amounts[0]
        return fields

    def finish(self) -> None:
        for line, parts in zip(self.st.lines, self.parts, strict=True):
            line.description = clean_spaces(" ".join(_text(p) for p in parts if not _blank(p)))

    def _continue(self, last, row, desc_cols, col) -> None:
        if last is None:
            return
        parts = [_cell(row, i) for i in desc_cols if not _blank(_cell(row, i))]
        if parts:
            self.parts[-1].extend(parts)
        if CP_NAME in col and not _blank(_cell(row, col[CP_NAME])):
            last.counterparty_name = f"{last.counterparty_name} {_text(_cell(row, col[CP_NAME]))}".strip()


_NUMBER = re.compile(r"^\s*(\d+)")


def _number(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value))
    match = _NUMBER.match(str(value or ""))
    return match.group(1) if match else ""


def _time_of(value: object) -> dt.time | None:
    return values.parse_time(value)


@dataclass
class Found:
    layout: Layout
    sheet: Sheet
    header_index: int
    columns: dict[str, list[int]]
    score: int
    title_rows: list[list[object]]


def find_header(layout: Layout, sheets: list[Sheet]) -> Found | None:
    """Where `layout`'s header is in the file (first sheet that has it), with a detection score."""
    for sheet in sheets:
        if layout.fixed_columns is not None:
            index = (layout.header_row or 0) - 1
            columns = {r: list(i) for r, i in layout.fixed_columns.items()}
            return Found(layout, sheet, index, columns, 1, sheet.rows[: max(index, 0)])
        if layout.header_row:
            scan = [layout.header_row - 1] if layout.header_row <= len(sheet.rows) else []
        else:
            scan = range(min(len(sheet.rows), TITLE_SCAN_ROWS))
        for index in scan:
            columns = layout.header_map(sheet.rows[index])
            if columns is None:
                continue
            title_rows = sheet.rows[:index]
            title_key = " ".join(
                header_key(c) for row in title_rows for c in row if isinstance(c, str) and c.strip()
            )
            has_title = _has_marker(title_key, layout)
            if layout.require_title and not has_title:
                continue
            score = 10 * len(layout.signature) + (100 if has_title else 0) + len(columns)
            if layout.generic:
                score -= 1000
            return Found(layout, sheet, index, columns, score, title_rows)
    return None


def detect(sheets: list[Sheet], candidates: tuple[Layout, ...] = LAYOUTS) -> list[Found]:
    """Layouts whose header is found, best first."""
    found = [f for f in (find_header(layout, sheets) for layout in candidates) if f is not None]
    return sorted(found, key=lambda f: -f.score)


def read_with(
    found: Found,
    statement_factory: Callable[[Layout], Statement] | None = None,
    *,
    period: tuple[dt.date, dt.date] | None = None,
) -> Statement:
    """Read the sheet `found` names; `period` (from, to) gives the year of dates printed without one."""
    layout = found.layout
    st = (
        statement_factory(layout)
        if statement_factory
        else Statement(format=layout.name, format_label=layout.label, bank=layout.bank)
    )
    reader = Reader(layout, st)
    reader.read_title(found.title_rows)
    if period is not None:
        if st.period_from is None:
            st.period_from, st.period_to = period
        reader.period = period
    elif st.period_from is not None and st.period_to is not None:
        reader.period = (st.period_from, st.period_to)
    if layout.bank is not None:
        st.bank = layout.bank
    header = found.sheet.rows[found.header_index] if found.header_index >= 0 else []
    reader.read_sheet(found.sheet, found.header_index, found.columns, header_width=len(header))
    if reader.year_missing:
        raise StatementError(
            _(
                "Ngày trong tệp không ghi năm (ví dụ “%(v)s”) và tệp không in kỳ sao kê. Hãy cho biết kỳ "
                "sao kê (từ ngày … đến ngày …) để đọc được năm của từng dòng."
            )
            % {"v": reader.year_missing[:40]},
            code="year_needed",
        )
    reader.finish()
    if reader.loose_total is not None:
        credits = sum(line.amount for line in st.lines if line.amount > 0)
        debits = -sum(line.amount for line in st.lines if line.amount < 0)
        if reader.loose_total == credits or (reader.loose_total != debits and not debits):
            st.printed_credit_total = reader.loose_total
        elif reader.loose_total == debits or not credits:
            st.printed_debit_total = reader.loose_total
    if reader.unreadable_balance is not None:
        origin, why = reader.unreadable_balance
        st.warn(
            _(
                "Số dư không đọc được ở %(n)d dòng (dòng đầu tiên: %(why)s); các dòng vẫn được đọc nhưng không "
                "kiểm tra được bằng số dư."
            )
            % {"n": reader.unreadable_balances, "why": why},
            origin,
        )
    return st
