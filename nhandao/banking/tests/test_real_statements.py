"""The two real statement extracts of the 2024 Typhoon Yagi appeal (see data/README.md).

Expected figures are computed here from the raw text, independently of the parser.
"""

import datetime as dt
import re
from pathlib import Path

import pytest

from nhandao.banking import statements
from nhandao.banking.statements import identity

DATA = Path(__file__).parent / "data"
BIDV = DATA / "bidv-1261122666-2024-09-01_12.psv"
VIETINBANK = DATA / "vietinbank-ct1111-2024-09-18.psv"


def raw_credits(path: Path, amount_field: int) -> list[int]:
    """Credit amounts of the transaction rows: rows whose first field starts with a line number."""
    amounts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("|")
        if re.match(r"^\d+\s", fields[0] + " "):
            amounts.append(int(fields[amount_field].strip().replace(".", "")))
    return amounts


@pytest.fixture(scope="module")
def bidv():
    return statements.read(BIDV.read_bytes(), BIDV.name)


@pytest.fixture(scope="module")
def vietinbank():
    return statements.read(VIETINBANK.read_bytes(), VIETINBANK.name)


def test_bidv_count_and_credit_total_match_the_raw_file(bidv):
    expected = raw_credits(BIDV, 2)
    summary = bidv.summary()
    assert (summary.count, summary.credit_count, summary.credit_total) == (
        len(expected),
        len(expected),
        sum(expected),
    )
    assert summary.debit_count == 0 and summary.debit_total == 0


def test_vietinbank_count_and_credit_total_match_the_raw_file(vietinbank):
    expected = raw_credits(VIETINBANK, 3)
    summary = vietinbank.summary()
    assert (summary.count, summary.credit_count, summary.credit_total) == (
        len(expected),
        len(expected),
        sum(expected),
    )


def test_each_real_file_is_recognised_with_its_bank(bidv, vietinbank):
    assert (bidv.format, bidv.bank.short_name) == ("bidv_psv", "BIDV")
    assert (vietinbank.format, vietinbank.bank.short_name) == ("vietinbank_psv", "VietinBank")
    assert bidv.ok and vietinbank.ok


def test_real_files_give_their_date_ranges(bidv, vietinbank):
    assert (bidv.summary().date_from, bidv.summary().date_to) == (dt.date(2024, 9, 1), dt.date(2024, 9, 12))
    assert vietinbank.summary().date_from == vietinbank.summary().date_to == dt.date(2024, 9, 18)


def test_the_first_bidv_line_is_read_exactly(bidv):
    line = bidv.lines[0]
    assert line.origin.row == 2
    assert (line.date, line.time, line.amount, line.number) == (
        dt.date(2024, 9, 1),
        dt.time(10, 27, 58),
        150_000,
        "1",
    )
    assert line.description == "1261122666 Ung ho nguoi co hoan canh kho khan"


def test_page_footer_junk_in_the_number_column_is_dropped(bidv):
    # Row 57 of the file reads "56  khách hàng của BIDV.|09/09/2024 11:58:20|100.000|..."
    line = next(line for line in bidv.lines if line.origin.row == 57)
    assert (line.number, line.amount) == ("56", 100_000)


def test_vietinbank_counterparty_columns_are_kept_as_published(vietinbank):
    line = vietinbank.lines[1]
    assert line.counterparty_name == "TRUONG CONG DANG"
    assert line.counterparty_account == "103875283***"
    # Two rows lack the account column altogether.
    short = next(line for line in vietinbank.lines if line.number == "1765")
    assert short.counterparty_account == "" and short.amount == 10_000_000


def test_every_real_line_has_a_distinct_identity(bidv, vietinbank):
    for st in (bidv, vietinbank):
        ids = [line.identity for line in st.lines]
        assert len(set(ids)) == len(ids)


def test_rereading_a_real_file_gives_the_same_identities(vietinbank):
    again = statements.read(VIETINBANK.read_bytes(), VIETINBANK.name)
    assert [line.identity for line in again.lines] == [line.identity for line in vietinbank.lines]


def test_overlapping_extracts_of_the_real_file_share_identities():
    """Yesterday's file (01-07/09) and today's (05-12/09) agree on the lines they share."""
    text = BIDV.read_text(encoding="utf-8").splitlines()
    header, rows = text[0], text[1:]

    def day(row):
        return int(row.split("|")[1].strip()[:2])

    yesterday = "\n".join([header] + [r for r in rows if day(r) <= 7]).encode()
    today = "\n".join([header] + [r for r in rows if day(r) >= 5]).encode()
    a = statements.read(yesterday, account="1261122666")
    b = statements.read(today, account="1261122666")
    shared_a = {line.identity for line in a.lines if line.date.day >= 5}
    shared_b = {line.identity for line in b.lines if line.date.day <= 7}
    assert shared_a == shared_b and shared_a
    union = {line.identity for line in a.lines} | {line.identity for line in b.lines}
    assert len(union) == len(rows)


def test_identities_depend_on_the_account(bidv):
    lines = bidv.lines[:3]
    identity.assign(lines, account="1261122666")
    first = [line.identity for line in lines]
    identity.assign(lines, account="9999999999")
    assert first != [line.identity for line in lines]
    identity.assign(lines, account=bidv.account_number)
