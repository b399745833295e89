"""Inserting many rows fast: COPY on PostgreSQL, bulk_create elsewhere.

Django's bulk_create on PostgreSQL binds every value client-side (psycopg's
ClientCursor quotes each string in Python), which costs more than the insert
itself at 100,000 rows.  `insert_many` reserves primary keys from the table's
sequence, then streams the rows with COPY; objects come back with their pk
set, as from bulk_create.  On SQLite (and any other database) it is
bulk_create.  Model save() and signals are not run, exactly as with
bulk_create; auto_now/auto_now_add fields are filled.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router

# Field types whose Python value psycopg can write as is (no Django preparation needed).
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.DateField,
    models.DecimalField,
    models.ForeignKey,
    models.GenericIPAddressField,
)


def _converters(fields, connection):
    """Per field: None (write the value as is) or a function preparing it (JSON, …)."""

    result = []
    for field in fields:
        if isinstance(field, _PLAIN) and not isinstance(field, models.DateTimeField | models.BinaryField):
            result.append(None)
        elif isinstance(field, models.JSONField) and field.encoder in (None, DjangoJSONEncoder):
            # COPY's text format takes JSON as text; PostgreSQL parses it into jsonb.
            encoder = field.encoder
            result.append(lambda value, e=encoder: None if value is None else json.dumps(value, cls=e))
        else:
            result.append(lambda value, f=field: f.get_db_prep_save(value, connection))
    return result


def insert_many(
    model: type[models.Model], objs: Sequence[models.Model], batch_size: int = 5000
) -> Sequence[models.Model]:
    if not objs:
        return objs
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        return objs
    meta = model._meta
    pk = meta.pk
    fields = list(meta.concrete_fields)
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        missing = [o for o in objs if o.pk is None]
        if missing:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, pk.column])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, len(missing)])
            for obj, (value,) in zip(missing, cursor.fetchall(), strict=True):
                obj.pk = value
        raw = cursor.cursor
        convert = _converters(fields, connection)
        pairs = list(zip(fields, convert, strict=True))
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([c(f.pre_save(obj, True)) if c else f.pre_save(obj, True) for f, c in pairs])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    return objs


def insert_values(model: type[models.Model], rows: Sequence[dict]) -> int:
    """Insert rows given as {attname: value} (no primary keys returned): append-only logs."""
    if not rows:
        return 0
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**row) for row in rows], batch_size=2000)
        return len(rows)
    fields = [model._meta.get_field(name) for name in rows[0]]
    names = list(rows[0])
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(
                [f.get_db_prep_save(row[n], connection) for f, n in zip(fields, names, strict=True)]
            )
    return len(rows)
