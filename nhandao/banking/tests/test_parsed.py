"""The lines read at upload are kept on the import, and the commit writes those without reading the
file again; an import without them (or with lines of another file) reads the kept bytes as before."""

import datetime as dt
import hashlib
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nhandao.banking import services, statements
from nhandao.banking.models import ImportStatus, StatementImport, StatementLine
from nhandao.banking.services import imports, parsed

from .conftest import import_file, upload
from .test_real_statements import BIDV, raw_credits

lines = st.builds(
    parsed.Line,
    identity=st.text(max_size=80),
    row=st.integers(min_value=1, max_value=10**6),
    date=st.dates(),
    time=st.none() | st.times(),
    amount=st.integers(min_value=-(10**15), max_value=10**15),
    description=st.text(max_size=300),
    reference=st.text(max_size=30),
    counterparty_name=st.text(max_size=50),
    counterparty_account=st.text(max_size=20),
    counterparty_bank=st.text(max_size=20),
    balance=st.none() | st.integers(min_value=-(10**15), max_value=10**15),
)


@given(st.lists(lines, max_size=20))
def test_kept_lines_read_back_unchanged(kept):
    assert parsed.unpack(parsed.pack(kept, "abc"), "abc") == kept


def test_kept_lines_of_another_file_or_damaged_are_not_used():
    data = parsed.pack([], "abc")
    assert parsed.unpack(data, "abc") == []
    assert parsed.unpack(data, "def") is None
    assert parsed.unpack(data[:-3], "abc") is None
    assert parsed.unpack(zlib.compress(b'{"v": 1, "sha256": "abc"}'), "abc") is None
    assert parsed.unpack(zlib.compress(b'{"v": 1, "sha256": "abc", "lines": [[1, 2]]}'), "abc") is None
    assert parsed.unpack(None, "abc") is None


@pytest.mark.django_db
def test_the_upload_keeps_the_lines_it_read(world, bidv):
    imp = upload(world.city_admin, bidv, BIDV.read_bytes(), BIDV.name)
    kept = parsed.unpack(StatementImport.objects.get(pk=imp.pk).parsed, imp.file_sha256)
    st_ = statements.read(BIDV.read_bytes(), BIDV.name, account=bidv.account_number)
    assert kept == parsed.from_statement(st_)


@pytest.mark.django_db
def test_the_commit_writes_the_kept_lines_without_reading_the_file_again(world, bidv, monkeypatch):
    imp = upload(world.city_admin, bidv, BIDV.read_bytes(), BIDV.name)

    def no_second_read(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(imports, "read_file", no_second_read)
    monkeypatch.setattr(statements, "read", no_second_read)
    imp = services.statement_commit(actor=world.city_admin, statement_import=imp)
    imp.refresh_from_db()
    expected = raw_credits(BIDV, 2)
    assert imp.status == ImportStatus.IMPORTED and imp.lines_new == len(expected)
    assert StatementLine.objects.filter(bank_account=bidv).count() == len(expected)
    assert imp.content is None and imp.parsed is None


@pytest.mark.django_db
def test_an_import_whose_kept_lines_are_not_of_its_file_reads_the_file_again(world, bidv):
    imp = upload(world.city_admin, bidv, BIDV.read_bytes(), BIDV.name)
    StatementImport.objects.filter(pk=imp.pk).update(parsed=parsed.pack([], "another file"))
    imp = services.statement_commit(actor=world.city_admin, statement_import=imp)
    imp.refresh_from_db()
    expected = raw_credits(BIDV, 2)
    assert imp.status == ImportStatus.IMPORTED and imp.lines_new == len(expected)
    assert imp.line_count == len(expected) and imp.credit_total == sum(expected)


@pytest.mark.django_db
def test_an_import_checked_before_lines_were_kept_still_imports(world, bidv):
    data = BIDV.read_bytes()
    imp = StatementImport.objects.create(
        bank_account=bidv,
        unit=bidv.unit,
        status=ImportStatus.CHECKED,
        file_name=BIDV.name,
        file_sha256=hashlib.sha256(data).hexdigest(),
        content=data,
    )
    services.statement_commit(actor=world.city_admin, statement_import=imp)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.IMPORTED and imp.lines_new == len(raw_credits(BIDV, 2))


@pytest.mark.django_db
def test_a_discarded_or_refused_import_keeps_no_lines(world, bidv, vcb):
    imp = upload(world.city_admin, bidv, BIDV.read_bytes(), BIDV.name)
    services.statement_discard(actor=world.city_admin, statement_import=imp)
    assert StatementImport.objects.get(pk=imp.pk).parsed is None
    refused = upload(world.city_admin, vcb, BIDV.read_bytes(), BIDV.name)
    assert refused.status == ImportStatus.REFUSED
    assert StatementImport.objects.get(pk=refused.pk).parsed is None


@pytest.mark.django_db
def test_the_kept_lines_are_the_ones_checked_even_if_the_duplicates_changed_since(world, bidv):
    """Lines imported by another statement between the check and the commit are still skipped."""
    data = BIDV.read_bytes()
    waiting = upload(world.city_admin, bidv, data, BIDV.name)
    first = import_file(world.city_admin, bidv, data, BIDV.name)
    services.statement_commit(actor=world.city_admin, statement_import=waiting)
    waiting.refresh_from_db()
    assert (waiting.lines_new, waiting.lines_duplicate) == (0, first.lines_new)
    assert StatementLine.objects.filter(bank_account=bidv).count() == first.lines_new


@pytest.mark.django_db
def test_the_check_of_a_file_already_imported_keeps_no_lines(world, bidv):
    data = BIDV.read_bytes()
    first = import_file(world.city_admin, bidv, data, BIDV.name)
    again = upload(world.city_admin, bidv, data, BIDV.name)
    assert parsed.unpack(StatementImport.objects.get(pk=again.pk).parsed, again.file_sha256) == []
    again = services.statement_commit(actor=world.city_admin, statement_import=again)
    again.refresh_from_db()
    assert again.status == ImportStatus.IMPORTED
    assert (again.line_count, again.lines_new, again.lines_duplicate) == (first.lines_new, 0, first.lines_new)
    assert StatementLine.objects.filter(bank_account=bidv).count() == first.lines_new


@pytest.mark.django_db
def test_the_check_of_an_overlapping_statement_keeps_only_its_new_lines(world, bidv):
    text = BIDV.read_text(encoding="utf-8").splitlines()
    header, rows = text[0], text[1:]
    half = len(rows) // 2
    import_file(world.city_admin, bidv, "\n".join([header, *rows[:half]]).encode(), "first.psv")
    whole = BIDV.read_bytes()
    imp = upload(world.city_admin, bidv, whole, BIDV.name)
    kept = parsed.unpack(StatementImport.objects.get(pk=imp.pk).parsed, imp.file_sha256)
    every = parsed.from_statement(statements.read(whole, BIDV.name, account=bidv.account_number))
    stored = set(StatementLine.objects.filter(bank_account=bidv).values_list("identity", flat=True))
    assert kept == [line for line in every if line.identity not in stored] and kept
    imp = services.statement_commit(actor=world.city_admin, statement_import=imp)
    imp.refresh_from_db()
    assert (imp.lines_new, imp.lines_duplicate) == (len(kept), len(every) - len(kept))
    assert StatementLine.objects.filter(bank_account=bidv).count() == len(every)


def test_dates_and_times_survive_the_round_trip():
    line = parsed.Line("ref:1:C", 3, dt.date(2024, 9, 9), dt.time(23, 59, 1), 5, "a", "", "", "", "", None)
    assert parsed.unpack(parsed.pack([line], "x"), "x") == [line]
