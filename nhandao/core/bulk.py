"""Writing many rows fast: COPY on PostgreSQL, bulk_create elsewhere.  The one bulk writer.

Two ways in, one way out:

* rows by column name, for the batch paths where building model instances costs
  more than the database does (a statement of 200,000 lines, its gifts, their
  postings, entries and audit events).  A row type names a table's columns once;
  callers fill them by keyword, never by position::

      LineRow = bulk.row_type(StatementLine, ("bank_account_id", "amount", ...))
      ids = bulk.insert_returning_ids(LineRow, (LineRow(bank_account_id=..., amount=...) for ...))

  A row is a tuple underneath (psycopg writes it as is) whose constructor takes
  keywords only, every column required: a misspelt or missing column fails where
  the row is built, a column the table lacks fails where the row type is made.
* model instances, for seeders and importers (`insert_many`): primary keys are
  reserved, then set on the objects, as bulk_create does.

Django's bulk_create on PostgreSQL binds every value client-side (psycopg's
ClientCursor quotes each string in Python), which costs more than the insert
itself at 100,000 rows.  Here PostgreSQL gets COPY, with ids reserved from the
table's sequence first (so that postings can point at the gifts they post).
Rows may come from a generator; they are built in chunks of COPY_CHUNK before
each COPY starts, because while a COPY streams its connection takes no other
query (a generator that reads the database, a model's __str__ following a
foreign key, would otherwise wait for ever).  A list of rows, or a generator
its caller declares free of queries (`stream=True`), is written by one COPY
instead, each row built while the server stores the ones before: the server's
parsing and index upkeep then run on the other core while Python builds rows
(a query attempted meanwhile raises at once instead of waiting).  An exception raised by the
generator propagates unchanged; the transaction (or savepoint) then rolls back
the chunks already written, as with any failed statement.  SQLite (and any
other database) gets the ORM's bulk_create, which returns ids.  Model save() and
signals are not run, exactly as with bulk_create.
"""

from __future__ import annotations

import itertools
import json
from collections import namedtuple
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connections, models, router

# Field types whose Python value psycopg writes as is (no Django preparation needed).
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.DateField,
    models.TimeField,
    models.DecimalField,
    models.ForeignKey,
    models.GenericIPAddressField,
)


# Row types --------------------------------------------------------------------
def row_type(model: type[models.Model], columns: Sequence[str], name: str | None = None) -> type[tuple]:
    """A named row for `model` with `columns` (attribute names: "fund_id", "amount", "id"), built by
    keyword only: `Row(fund_id=1, amount=5000)`.  The model is `Row._model`."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    unknown = [c for c in columns if c not in by_attname]
    if unknown:
        raise ValueError(
            f"{model.__name__} has no column {', '.join(map(repr, unknown))} "
            f"(columns are attribute names: {', '.join(sorted(by_attname))})"
        )
    repeated = sorted({c for c in columns if list(columns).count(c) > 1})
    if repeated:
        raise ValueError(f"{model.__name__}: column {', '.join(map(repr, repeated))} given twice")
    name = name or f"{model.__name__}Row"
    base = namedtuple(name, columns)
    # namedtuple's own constructor, with the arguments made keyword-only: as fast, and no
    # row can be filled by position.  The names are attnames, hence identifiers.
    arguments = ", ".join(columns)
    new = eval(
        f"lambda _cls, *, {arguments}: _tuple_new(_cls, ({arguments},))", {"_tuple_new": tuple.__new__}
    )
    new.__name__ = "__new__"
    new.__doc__ = f"{name}({', '.join(f'{c}=…' for c in columns)})"
    return type(name, (base,), {"__slots__": (), "__new__": new, "_model": model})


def _columns(model: type[models.Model], names: Sequence[str]) -> list[models.Field]:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    return [by_attname[n] for n in names]


def _converters(fields: Sequence[models.Field], connection) -> list[tuple[int, Callable[[Any], Any]]]:
    """(position, function) for each column whose value COPY cannot take as Python gives it."""
    result = []
    for index, field in enumerate(fields):
        if isinstance(field, models.JSONField):
            # COPY's text format takes JSON as text; PostgreSQL parses it into jsonb.  One encoder
            # for every row (json.dumps(..., cls=...) builds a new one per call).
            encode = (field.encoder or json.JSONEncoder)(ensure_ascii=False).encode
            result.append((index, lambda value, encode=encode: None if value is None else encode(value)))
        elif isinstance(field, models.DateTimeField):
            # Aware datetimes go as they are; Django makes a naive one aware (with its warning).
            prepare = field.get_db_prep_save
            result.append(
                (
                    index,
                    lambda value, prepare=prepare: (
                        value
                        if value is None or getattr(value, "tzinfo", None)
                        else prepare(value, connection)
                    ),
                )
            )
        elif not isinstance(field, _PLAIN):
            result.append((index, lambda value, f=field: f.get_db_prep_save(value, connection)))
    return result


# Rows are built in chunks BEFORE each COPY starts: while a COPY streams, its connection takes no
# other query, so a generator that reads the database (a model's __str__ following a foreign key)
# would wait for ever.  A chunk bounds the memory as the generator did.
COPY_CHUNK = 5000


def _copy(
    connection,
    model: type[models.Model],
    fields: Sequence[models.Field],
    rows: Iterable[Sequence],
    table: str | None = None,
    stream: bool = False,
):
    table = connection.ops.quote_name(table or model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    convert = _converters(fields, connection)

    def write(copy, chunk):
        for row in chunk:
            if convert:
                row = list(row)
                for index, function in convert:
                    row[index] = function(row[index])
            copy.write_row(row)

    # Django's wrapper turns psycopg's errors into django.db's (IntegrityError...), as for any query.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        if stream:
            # One COPY, each row built while the server stores the ones before (both cores at
            # work).  A query from the row builder would wait for ever: it is refused instead.
            with (
                connection.execute_wrapper(_refuse_query),
                raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                write(copy, rows)
            return
        rows = iter(rows)
        while chunk := list(itertools.islice(rows, COPY_CHUNK)):
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                write(copy, chunk)


def _refuse_query(execute, sql, params, many, context):
    raise RuntimeError(
        "a query while rows are streamed by COPY (core.bulk, stream=True): the rows' builder must not "
        f"read the database; build those rows first or write them with stream=False ({sql[:80]!r})"
    )


def _reserve_ids(connection, model: type[models.Model], count: int) -> list[int]:
    meta = model._meta
    with connection.cursor() as cursor:
        # Once: in the select list it would be looked up in the catalogue for every id.
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
        sequence = cursor.fetchone()[0]
    reserved = fetch_all(
        "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count], connection=connection
    )
    return [r[0] for r in reserved]


def _checked(row_cls: type[tuple], rows: Iterable[tuple]) -> Iterable[tuple]:
    for row in rows:
        if type(row) is not row_cls:
            columns = ", ".join(getattr(row, "_fields", ()))
            raise TypeError(f"a {type(row).__name__} ({columns}) among the {row_cls.__name__} rows")
        yield row


def _orm(row_cls: type[tuple], rows: Iterable[tuple], batch_size: int) -> list[int]:
    """bulk_create, `batch_size` instances at a time (a generator is not held in memory whole)."""
    model = row_cls._model
    rows = _checked(row_cls, rows)
    ids = []
    while batch := [model(**row._asdict()) for row in itertools.islice(rows, batch_size)]:
        ids += [obj.pk for obj in model._default_manager.bulk_create(batch, batch_size=batch_size)]
    return ids


def _connection(model: type[models.Model]):
    return connections[router.db_for_write(model)]


# Writing ----------------------------------------------------------------------
def insert(row_cls: type[tuple], rows: Iterable[tuple], batch_size: int = 1000, stream: bool = False) -> None:
    """Write `rows` (of `row_cls`, made by `row_type`) whose primary key is given or not needed back.

    `rows` may be a generator, built while written (see the module's docstring); `stream=True`
    for a generator that never reads the database.  A list is always streamed."""
    if isinstance(rows, Sequence) and not rows:
        return
    model = row_cls._model
    connection = _connection(model)
    if connection.vendor == "postgresql":
        stream = stream or isinstance(rows, Sequence)
        _copy(connection, model, _columns(model, row_cls._fields), _checked(row_cls, rows), stream=stream)
    else:
        _orm(row_cls, rows, batch_size)


def insert_returning_ids(
    row_cls: type[tuple],
    rows: Iterable[tuple],
    count: int | None = None,
    batch_size: int = 1000,
    stream: bool = False,
) -> list[int]:
    """Write rows of an auto-id table and return their ids, in order.

    A generator of rows must come with their `count` (the ids are reserved first); its rows are
    then built while the server inserts the previous ones (`stream` as for `insert`)."""
    model = row_cls._model
    if model._meta.pk.attname in row_cls._fields:
        raise ValueError(f"{row_cls.__name__} carries its own ids: write it with bulk.insert")
    if count is None:
        rows = rows if isinstance(rows, Sequence) else list(rows)
        count = len(rows)
    stream = stream or isinstance(rows, Sequence)
    if not count:
        return []
    connection = _connection(model)
    if connection.vendor != "postgresql":
        return _orm(row_cls, rows, batch_size)
    ids = _reserve_ids(connection, model, count)
    fields = [model._meta.pk, *_columns(model, row_cls._fields)]
    _copy(
        connection,
        model,
        fields,
        ((pk, *row) for pk, row in zip(ids, _checked(row_cls, rows), strict=True)),
        stream=stream,
    )
    return ids


def insert_many(
    model: type[models.Model], objs: Sequence[models.Model], batch_size: int = 5000
) -> Sequence[models.Model]:
    """Write model instances (seeders, importers); they come back with their pk set, as from
    bulk_create.  auto_now/auto_now_add fields are filled."""
    if not objs:
        return objs
    connection = _connection(model)
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        return objs
    missing = [o for o in objs if o.pk is None]
    if missing:
        for obj, pk in zip(missing, _reserve_ids(connection, model, len(missing)), strict=True):
            obj.pk = pk
    fields = list(model._meta.concrete_fields)
    _copy(connection, model, fields, ([f.pre_save(obj, True) for f in fields] for obj in objs))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def update_many(
    model: type[models.Model], objs: Sequence[models.Model], fields: Sequence[str], batch_size: int = 2000
) -> int:
    """Write `fields` (names) of model instances already in the table, as bulk_update does; returns the
    number of rows updated.  PostgreSQL gets the values by COPY into a temporary table and one
    UPDATE ... FROM (bulk_update's CASE per row and field costs minutes at 30,000 rows); any other
    database gets bulk_update.  Model save() and signals are not run, auto_now fields not touched."""
    if not objs:
        return 0
    connection = _connection(model)
    if connection.vendor != "postgresql":
        return model._default_manager.bulk_update(objs, fields, batch_size=batch_size)
    meta = model._meta
    columns = [meta.pk] + [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table, temp = quote(meta.db_table), f"bulk_update_{meta.db_table}"
    names = ", ".join(quote(f.column) for f in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {quote(temp)}")
        cursor.execute(f"CREATE TEMPORARY TABLE {quote(temp)} AS SELECT {names} FROM {table} WITH NO DATA")
    _copy(connection, model, columns, ([getattr(obj, f.attname) for f in columns] for obj in objs), temp)
    pk = quote(meta.pk.column)
    sets = ", ".join(f"{quote(f.column)} = t.{quote(f.column)}" for f in columns[1:])
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} AS m SET {sets} FROM {quote(temp)} AS t WHERE m.{pk} = t.{pk}")
        count = cursor.rowcount
        cursor.execute(f"DROP TABLE {quote(temp)}")
    return count


# Reading ----------------------------------------------------------------------
_SEPARATOR = "\x1f"  # the ASCII unit separator, in no identity, reference or name in practice


def text_array(values: Sequence[str]) -> tuple[str, Any]:
    """(SQL, parameter) of a text[] parameter for `fetch_all` / `execute`: "... = ANY(" + sql + ")".

    psycopg adapts a list element by element in Python (10,000 statement identities: 50 ms);
    here the strings travel as one, split by the server (8 ms).  A value holding the separator
    (or a single empty string, which the split would lose) makes it go as a list instead."""
    joined = _SEPARATOR.join(values)
    if joined and joined.count(_SEPARATOR) == len(values) - 1:
        return "string_to_array(%s, chr(31))", joined
    return "%s::text[]", list(values)


def fetch_all(sql: str, params: Sequence, connection=None) -> list[tuple]:
    """Run a query carrying large arrays (PostgreSQL only): e.g. 200,000 statement identities.

    Django's psycopg cursor binds on the client, quoting every element into the SQL text in
    Python, and PostgreSQL parses the literal back; here the values travel as binary parameters.
    """
    import psycopg

    connection = connection or connections["default"]
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        return cursor.fetchall()


def execute(sql: str, params: Sequence, connection=None) -> int:
    """`fetch_all` for a statement without a result (an INSERT ... SELECT FROM unnest(arrays)):
    the values travel as binary parameters.  Returns the number of rows it affected."""
    import psycopg

    connection = connection or connections["default"]
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        return cursor.rowcount
