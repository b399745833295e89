"""Fast inserts for the ledger's batch path: COPY on PostgreSQL, bulk_create elsewhere.

Rows are plain tuples in the order of `columns` (attribute names, e.g.
"posting_id"); building model instances costs more than the database does when
a statement of 200,000 lines is posted.  Ids are reserved from the table's
sequence first (PostgreSQL) so that postings can point at the gifts they post.
SQLite (and any other database) falls back to the ORM, which returns ids.

psycopg is imported inside `fetch_all`: it exists only where PostgreSQL is the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models


def _copy(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> None:
    meta = model._meta
    names = ", ".join(
        connection.ops.quote_name(meta.get_field(c).column if c != "id" else meta.pk.column) for c in columns
    )
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _orm(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> list[models.Model]:
    objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
    return model.objects.bulk_create(objs, batch_size=1000)


def insert(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert rows whose primary key is given (or not needed back).

    `rows` may be a generator: on PostgreSQL each row is then built while the server is still
    inserting (and indexing) the ones sent before it, so the two processors work at once
    instead of in turn.  An exception raised by the generator ends the COPY and propagates
    unchanged; the transaction (or savepoint) then rolls back as with any failed statement.
    """
    if isinstance(rows, Sequence) and not rows:
        return
    if connection.vendor == "postgresql":
        _copy(model, columns, rows)
    else:
        rows = list(rows)
        if rows:
            _orm(model, columns, rows)


def insert_returning_ids(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple], count: int | None = None
) -> list[int]:
    """Insert rows of an auto-id table and return their ids, in order.

    A generator of rows must come with their `count` (the ids are reserved first); as with
    `insert`, its rows are then built while the server inserts the previous ones.
    """
    if count is None:
        rows = list(rows) if not isinstance(rows, Sequence) else rows
        count = len(rows)
    if not count:
        return []
    if connection.vendor == "postgresql":
        meta = model._meta
        with connection.cursor() as cursor:
            # Once: in the select list it would be looked up in the catalogue for every id.
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
            sequence = cursor.fetchone()[0]
        reserved = fetch_all("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
        ids = [r[0] for r in reserved]
        _copy(model, ["id", *columns], ((pk, *row) for pk, row in zip(ids, rows, strict=True)))
        return ids
    return [obj.pk for obj in _orm(model, columns, rows)]


def fetch_all(sql: str, params: Sequence) -> list[tuple]:
    """Run a query carrying large arrays (PostgreSQL only): e.g. 200,000 statement identities.

    Django's psycopg cursor binds on the client, quoting every element into the SQL text in
    Python, and PostgreSQL parses the literal back; here the values travel as binary parameters.
    """
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        return cursor.fetchall()


# One encoder for every row (json.dumps(..., cls=...) builds a new one per call).
_ENCODER = DjangoJSONEncoder(ensure_ascii=False)


def json_value(value):
    """A JSONField value as COPY expects it (text) on PostgreSQL; the ORM takes the object itself."""
    if connection.vendor == "postgresql":
        return _ENCODER.encode(value)
    return value
