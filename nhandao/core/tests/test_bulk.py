"""The bulk writer (core.bulk): rows by column name, COPY on PostgreSQL, bulk_create elsewhere.

The suite runs on SQLite and on PostgreSQL; each test here checks the path of the
database it runs on (COPY only on PostgreSQL)."""

import datetime as dt

import pytest
from django.db import transaction

from nhandao.core import bulk
from nhandao.core.models import AuditEvent

# Every column of AuditEvent but its id: nine text columns side by side, where a swap would show.
COLUMNS = tuple(f.attname for f in AuditEvent._meta.concrete_fields if not f.primary_key)
EventRow = bulk.row_type(AuditEvent, COLUMNS)
AT = dt.datetime(2024, 9, 10, 8, 30, 15, 123456, tzinfo=dt.UTC)


def event_row(n: int = 1) -> tuple:
    return EventRow(
        at=AT + dt.timedelta(minutes=n),
        actor_id=None,
        actor_label=f"actor label {n}",
        action=f"action.{n}",
        object_type=f"object.type{n}",
        object_id=f"object-id-{n}",
        object_repr=f"object repr {n} · Nguyễn Văn Đức",
        unit_id=1000 + n,
        unit_path=f"0001.{n:04d}",
        unit_label=f"unit label {n}",
        changes={"amount": {"before": None, "after": n}, "tên": "Đức"},
        data={"receipt": f"BN2024-{n:06d}", "list": [1, "a"]},
        ip=f"10.0.0.{n}",
        via=f"via{n}",
    )


def stored(pk) -> dict:
    return AuditEvent.objects.values(*COLUMNS).get(pk=pk)


def test_named_rows_land_in_their_columns(db):
    assert len(COLUMNS) == 14
    row = event_row(7)
    with transaction.atomic():
        (pk,) = bulk.insert_returning_ids(EventRow, [row])
    assert stored(pk) == row._asdict()


def test_rows_from_a_generator_are_written(db):
    with transaction.atomic():
        bulk.insert(EventRow, (event_row(n) for n in range(1, 4)))
    assert sorted(AuditEvent.objects.values_list("object_id", flat=True)) == [
        "object-id-1",
        "object-id-2",
        "object-id-3",
    ]


def test_ids_come_back_in_the_order_of_the_rows(db):
    with transaction.atomic():
        ids = bulk.insert_returning_ids(EventRow, (event_row(n) for n in range(1, 6)), count=5)
    assert ids == sorted(ids) and len(set(ids)) == 5
    assert [stored(pk)["object_id"] for pk in ids] == [f"object-id-{n}" for n in range(1, 6)]


def test_a_generator_error_rolls_back_the_rows_sent_before_it(db):
    def rows():
        yield event_row(1)
        yield event_row(2)
        raise LookupError("the third row cannot be built")

    with pytest.raises(LookupError, match="third row"), transaction.atomic():
        bulk.insert(EventRow, rows())
    assert not AuditEvent.objects.exists()


def test_a_column_the_table_lacks_is_refused_when_the_row_type_is_made():
    with pytest.raises(ValueError, match="AuditEvent has no column 'acton'"):
        bulk.row_type(AuditEvent, ("at", "acton"))


def test_a_column_given_twice_is_refused():
    with pytest.raises(ValueError, match="'via' given twice"):
        bulk.row_type(AuditEvent, ("via", "ip", "via"))


def test_a_misspelt_column_is_refused_where_the_row_is_built():
    Row = bulk.row_type(AuditEvent, ("action", "via"))
    with pytest.raises(TypeError, match="unexpected keyword argument 'vai'"):
        Row(action="x", vai="web")


def test_a_row_without_every_column_is_refused():
    Row = bulk.row_type(AuditEvent, ("action", "via"))
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'via'"):
        Row(action="x")


def test_a_row_cannot_be_filled_by_position():
    Row = bulk.row_type(AuditEvent, ("action", "via"))
    assert Row(action="x", via="web").via == "web"  # the positive control
    with pytest.raises(TypeError):
        Row("x", "web")


def test_rows_of_another_row_type_are_refused(db):
    Other = bulk.row_type(AuditEvent, ("action", "via", "object_type"), name="OtherRow")
    with pytest.raises(TypeError, match="OtherRow"), transaction.atomic():
        bulk.insert(EventRow, [event_row(1), Other(action="a", via="b", object_type="c")])
    assert not AuditEvent.objects.exists()


def test_a_table_whose_rows_carry_their_ids_cannot_have_ids_reserved():
    Row = bulk.row_type(AuditEvent, ("id", "action"))
    with pytest.raises(ValueError, match="carries its own ids"):
        bulk.insert_returning_ids(Row, [Row(id=1, action="x")])


def test_model_instances_come_back_with_their_ids(db):
    events = [AuditEvent(action="a.b", object_type="x", object_id=str(n), changes={"n": n}) for n in range(3)]
    with transaction.atomic():
        bulk.insert_many(AuditEvent, events)
    assert all(e.pk for e in events)
    assert [AuditEvent.objects.get(pk=e.pk).changes for e in events] == [{"n": 0}, {"n": 1}, {"n": 2}]


def test_a_generator_that_reads_the_database_while_rows_are_written_does_not_hang(db):
    """A COPY's connection takes no other query: rows are built in chunks before each COPY, so a
    generator may query (an audit label following a foreign key did, and waited for ever)."""

    def rows():
        for n in range(bulk.COPY_CHUNK + 3):
            AuditEvent.objects.exists()  # a query between rows, as a model's __str__ may make
            yield event_row(n % 250)

    with transaction.atomic():
        bulk.insert(EventRow, rows())
    assert AuditEvent.objects.count() == bulk.COPY_CHUNK + 3


def test_instances_already_written_are_updated_field_by_field(db):
    """update_many: the named fields (text, JSON, datetime, null) change, the others stay."""
    events = [AuditEvent(action="a.b", object_type="x", object_id=str(n), changes={"n": n}) for n in range(4)]
    with transaction.atomic():
        bulk.insert_many(AuditEvent, events)
        for n, e in enumerate(events[:3]):
            e.object_repr = f"Nguyễn Văn Đức {n}"
            e.changes = {"tên": "Đức", "n": [n]}
            e.at = AT + dt.timedelta(hours=n)
            e.unit_id = None if n else 7
            e.action = "not.written"
        assert bulk.update_many(AuditEvent, events[:3], ["object_repr", "changes", "at", "unit_id"]) == 3
    rows = list(
        AuditEvent.objects.order_by("pk").values_list("object_repr", "changes", "at", "unit_id", "action")
    )
    assert rows[:3] == [
        (f"Nguyễn Văn Đức {n}", {"tên": "Đức", "n": [n]}, AT + dt.timedelta(hours=n), None if n else 7, "a.b")
        for n in range(3)
    ]
    assert rows[3][0] == "" and rows[3][1] == {"n": 3}
    assert bulk.update_many(AuditEvent, [], ["object_repr"]) == 0
