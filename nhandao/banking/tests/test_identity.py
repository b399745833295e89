import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from nhandao.banking import statements
from nhandao.banking.statements import identity
from nhandao.banking.statements.model import Origin, StatementLine

from . import samples


def line(day=9, hour=8, amount=100_000, description="Ung ho", reference="", row=1):
    return StatementLine(
        origin=Origin(row),
        date=dt.date(2024, 9, day),
        time=dt.time(hour),
        amount=amount,
        description=description,
        reference=reference,
    )


def test_identical_lines_are_told_apart_by_their_position_among_identical_lines():
    lines = [line(row=1), line(row=2), line(row=3, amount=200_000)]
    identity.assign(lines, account="1")
    assert len({x.identity for x in lines}) == 3
    assert lines[0].identity == identity.fingerprint(lines[0], account="1", occurrence=1)
    assert lines[1].identity == identity.fingerprint(lines[1], account="1", occurrence=2)


def test_the_bank_reference_is_the_identity_when_there_is_one():
    lines = [
        line(reference="5213.20126"),
        line(reference="5213.20126", amount=-100_000),
        line(reference="x1"),
    ]
    identity.assign(lines, account="1")
    assert [x.identity for x in lines] == ["ref:5213.20126:C", "ref:5213.20126:D", "ref:X1:C"]


def test_a_reference_repeated_in_one_file_is_numbered():
    lines = [line(reference="A1"), line(reference="A1")]
    identity.assign(lines)
    assert [x.identity for x in lines] == ["ref:A1:C", "ref:A1:C#2"]


def test_description_spelling_does_not_change_the_fingerprint():
    a, b = [line(description="Ủng hộ  Đồng bào")], [line(description="UNG HO DONG BAO")]
    identity.assign(a, account="1")
    identity.assign(b, account="1")
    assert a[0].identity == b[0].identity


def test_rereading_a_generated_statement_gives_the_same_identities():
    data = samples.bidv_csv(samples.sample_txns(), rows_per_page=4)
    first = statements.read(data, "x.csv")
    second = statements.read(data, "x.csv")
    assert [x.identity for x in first.lines] == [x.identity for x in second.lines]


def test_yesterdays_and_todays_overlapping_statements_agree_on_shared_lines():
    txns = samples.sample_txns(24)
    days = sorted({t.when.date() for t in txns})
    yesterday = [t for t in txns if t.when.date() <= days[2]]
    today = [t for t in txns if t.when.date() >= days[1]]
    a = statements.read(samples.vietcombank_xlsx(yesterday), "a.xlsx")
    b = statements.read(samples.vietcombank_xlsx(today), "b.xlsx")
    shared = {days[1], days[2]}
    assert {x.identity for x in a.lines if x.date in shared} == {
        x.identity for x in b.lines if x.date in shared
    }
    assert len({x.identity for x in a.lines} | {x.identity for x in b.lines}) == len(txns)


lines_strategy = st.lists(
    st.builds(
        line,
        day=st.integers(1, 3),
        hour=st.integers(0, 1),
        amount=st.sampled_from([-5000, 100_000, 200_000]),
        description=st.sampled_from(["Ung ho", "ung ho", "Phi", "Ung ho bao Yagi"]),
    ),
    max_size=40,
)


@given(lines_strategy)
def test_identities_are_unique_within_a_file(lines):
    identity.assign(lines, account="1261122666")
    assert len({x.identity for x in lines}) == len(lines)


@given(lines_strategy, st.integers(1, 3))
def test_cutting_a_file_at_a_day_keeps_the_identities_of_the_days_it_holds(lines, cut):
    lines.sort(key=lambda x: (x.date, x.time))
    identity.assign(lines, account="1")
    whole = {id(x): x.identity for x in lines}
    later = [x for x in lines if x.date.day >= cut]
    identity.assign(later, account="1")
    assert all(x.identity == whole[id(x)] for x in later)
