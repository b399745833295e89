"""The audit trail: who did what to which record, when, and what changed.

Every service that writes calls `audit.record(...)` inside its transaction, so
an event exists if and only if the write committed.  Values of secret fields
are masked; personal identifiers are partly masked.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import functools
import json
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from . import bulk
from .models import AuditEvent
from .text import search_key

SECRET_FIELDS = {"password", "secret", "token", "api_key", "otp"}
# Partly masked: the trail proves that an ID changed without copying it in full.
MASKED_FIELDS = {"cccd", "id_number", "national_id", "cmnd"}
MASK = "••••••"


@dataclass(frozen=True)
class Context:
    ip: str | None = None
    via: str = "web"


# Context is a frozen dataclass, so sharing the default instance is safe.
_context: contextvars.ContextVar[Context] = contextvars.ContextVar(
    "audit_context",
    default=Context(via="system"),  # noqa: B039
)


# The actor label stored when no person acted (a job, the seed); shown as "Hệ thống" / "System".
SYSTEM_LABEL = "hệ thống"


def set_context(ctx: Context) -> contextvars.Token:
    return _context.set(ctx)


def reset_context(token: contextvars.Token) -> None:
    _context.reset(token)


class via:
    def __init__(self, channel: str, ip: str | None = None):
        self.ctx = Context(ip=ip, via=channel)

    def __enter__(self):
        self.token = _context.set(self.ctx)
        return self

    def __exit__(self, *exc):
        _context.reset(self.token)


def mask_id(value: str) -> str:
    value = str(value or "")
    if len(value) <= 6:
        return MASK if value else ""
    return f"{value[:4]}{MASK}{value[-2:]}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return {"id": value.pk, "repr": str(value)[:200]}
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, FieldFile):  # an empty FieldFile raises on .url, so test the type
        return value.name or None
    return value


@functools.lru_cache(maxsize=4096)
def _mask_kind(field: str) -> str:
    name = field.lower()
    if any(s in name for s in SECRET_FIELDS):
        return "secret"
    if name in MASKED_FIELDS:
        return "id"
    return ""


def _masked(field: str, value: Any) -> Any:
    if value in (None, ""):
        return value
    kind = _mask_kind(field)
    if kind == "secret":
        return MASK
    if kind == "id":
        return mask_id(value)
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The current values of an object's concrete fields (FKs by id)."""
    result = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        result[field.name] = _jsonable(getattr(obj, field.attname))
    return result


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    changes = {}
    for key in sorted(set(before) | set(after)):
        old, new = _jsonable(before.get(key)), _jsonable(after.get(key))
        if old != new:
            changes[key] = {"before": _masked(key, old), "after": _masked(key, new)}
    return changes


_PLAIN_TYPES = (str, int, bool)


def created(obj: models.Model, exclude: Iterable[str] = ("id", "search_key", "path")) -> dict:
    """The changes of a new record: every non-empty field, from None (masked like diff())."""
    skip = set(exclude) if not isinstance(exclude, frozenset) else exclude
    result = {}
    for name, attname in _field_names(type(obj)):
        if name in skip:
            continue
        value = getattr(obj, attname)
        if value is None or value == "":
            continue
        if type(value) not in _PLAIN_TYPES:
            value = _jsonable(value)
            if value in ([], {}):
                continue
        result[name] = {"before": None, "after": _masked(name, value)}
    return result


@functools.cache
def _field_names(model) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((f.name, f.attname) for f in model._meta.concrete_fields))


def object_type(obj_or_model: models.Model | type[models.Model]) -> str:
    return obj_or_model._meta.label_lower


def _actor_fields(actor) -> tuple[Any, str]:
    """The acting user (None for the system) and the label the trail keeps of them."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    label = (actor_obj.get_full_name() or actor_obj.get_username()) if actor_obj else SYSTEM_LABEL
    return actor_obj, label


def build(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    unit=None,
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    object_type_label: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """An unsaved event (`record` saves it; many at once go through `record_many`)."""
    ctx = _context.get()
    if unit is None and obj is not None:
        unit = getattr(obj, "audit_unit", None)
    actor_obj, actor_label = _actor_fields(actor)
    return AuditEvent(
        actor=actor_obj,
        actor_label=actor_label,
        action=action,
        object_type=object_type_label or (object_type(obj) if obj is not None else ""),
        object_id=object_id if object_id is not None else (str(obj.pk) if obj is not None else ""),
        object_repr=(object_repr if object_repr is not None else (str(obj) if obj is not None else ""))[:300],
        unit_id=getattr(unit, "pk", None),
        unit_path=getattr(unit, "path", "") or "",
        unit_label=str(unit)[:300] if unit is not None else "",
        changes={k: _jsonable(v) for k, v in (changes or {}).items()},
        data={k: _jsonable(v) for k, v in (data or {}).items()},
        ip=ctx.ip,
        via=ctx.via,
    )


def in_write_transaction(using: str | None = None) -> bool:
    """Inside a `transaction.atomic()` block of the code itself.

    The transaction a test case wraps around each test (Django's TestCase, pytest-django's
    `django_db`) does not count: a service that forgot its own atomic block then fails its tests
    the way it would fail in production, where requests are not wrapped in a transaction.
    """
    blocks = transaction.get_connection(using).atomic_blocks
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


def record(**kwargs) -> AuditEvent:
    """Record one event.  Must run inside the caller's write transaction (arguments as `build`)."""
    if not in_write_transaction():
        raise RuntimeError("audit.record() must be called inside transaction.atomic()")
    event = build(**kwargs)
    event.save()
    return event


# Sensitive reads (issue 16, point 8) ---------------------------------------------------------
READ_PREFIX = "read."  # every read event's action starts with it: the trail's filter "read."
READ_WINDOW = dt.timedelta(hours=1)


def record_read(*, actor, obj: models.Model, fields: Iterable[str], unit=None) -> AuditEvent | None:
    """Record that `actor` opened `obj` on a page showing personal data the law counts as
    sensitive (ID numbers, health data, ethnicity): who, when, which record, which kinds of data.

    One event per user, record and hour (READ_WINDOW) keeps the trail readable: a page reloaded
    ten times is one read.  Its own transaction: a read page writes nothing else.  Returns the
    event, or None when an event of the last hour already covers this read."""
    actor_obj, _label = _actor_fields(actor)
    action = f"{READ_PREFIX}{object_type(obj)}"
    since = timezone.now() - READ_WINDOW
    with transaction.atomic():
        if AuditEvent.objects.filter(
            object_type=object_type(obj), object_id=str(obj.pk), actor=actor_obj, action=action, at__gte=since
        ).exists():
            return None
        return record(actor=actor, action=action, obj=obj, unit=unit, data={"fields": sorted(set(fields))})


class Target(NamedTuple):
    """One object of a `record_many` batch given by its parts, for batch services that write
    rows rather than model instances (donations_record_batch)."""

    object_id: int | str
    object_repr: str
    unit: Any = None  # None: record_many's `unit`
    changes: Mapping[str, Any] | None = None  # JSON-ready and masked, as created() and diff() give
    data: Mapping[str, Any] | None = None  # JSON-ready; added to record_many's shared `data`


@functools.cache
def _event_row() -> type[tuple]:
    """The row type of AuditEvent (made on first use: the model must be ready)."""
    return bulk.row_type(
        AuditEvent,
        (
            "at",
            "actor_id",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "unit_id",
            "unit_path",
            "unit_label",
            "changes",
            "data",
            "ip",
            "via",
        ),
        name="AuditEventRow",
    )


def record_many(
    *,
    actor,
    action: str,
    objects: Iterable[models.Model] | Iterable[Target],
    changes: Callable[[models.Model], Mapping[str, Any]] | None = None,
    data: Mapping[str, Any] | None = None,
    unit=None,
    label: Callable[[models.Model], str] | None = None,
    object_type_label: str | None = None,
    at: dt.datetime | None = None,
    batch_size: int = 5000,
    stream: bool = False,
) -> int:
    """One event per object, written in bulk (imports of 100,000 rows) by core.bulk: COPY on
    PostgreSQL, the events built while written; bulk_create elsewhere.

    Same semantics as `record`: must run inside the caller's write transaction,
    same actor label, context (ip, via), masking, and each object's own unit
    unless `unit` is given.  `objects` are model instances of one model, or
    `Target`s (with `object_type_label`) for a batch that never built them.
    `changes(obj)` must return JSON-ready values, as created() and diff() do.
    `label(obj)` replaces str(obj) when that is costly.  `at` is the events' time
    (default: now; the ledger's clock when history is seeded).
    `stream=True` when building the events reads nothing from the database (core.bulk: one
    COPY, built while written; a query would then raise).
    Returns the number of events written.
    """
    if not in_write_transaction():
        raise RuntimeError("audit.record_many() must be called inside transaction.atomic()")
    ctx = _context.get()
    actor_obj, actor_label = _actor_fields(actor)
    actor_id = actor_obj.pk if actor_obj else None
    shared = {k: _jsonable(v) for k, v in (data or {}).items()}
    type_label = object_type_label or ""
    at = at or timezone.now()
    units: dict[int, tuple[str, str]] = {}
    row = _event_row()
    count = 0

    def unit_fields(target):
        if target is None:
            return None, "", ""
        pk = target.pk
        if pk not in units:
            units[pk] = (getattr(target, "path", "") or "", str(target)[:300])
        path, name = units[pk]
        return pk, path, name

    def event(object_id, object_repr, target_unit, event_changes, event_data):
        nonlocal count
        count += 1
        unit_id, unit_path, unit_label = unit_fields(target_unit)
        return row(
            at=at,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=type_label,
            object_id=str(object_id),
            object_repr=object_repr[:300],
            unit_id=unit_id,
            unit_path=unit_path,
            unit_label=unit_label,
            changes=event_changes,
            data=event_data,
            ip=ctx.ip,
            via=ctx.via,
        )

    def events():
        nonlocal type_label
        for obj in objects:
            if isinstance(obj, Target):
                if not type_label:
                    raise ValueError("audit.record_many() needs object_type_label for Targets")
                yield event(
                    obj.object_id,
                    obj.object_repr,
                    obj.unit if obj.unit is not None else unit,
                    dict(obj.changes or {}),
                    ({**shared, **obj.data} if shared else obj.data) if obj.data else shared,
                )
                continue
            type_label = type_label or object_type(obj)
            yield event(
                obj.pk,
                label(obj) if label else str(obj),
                unit if unit is not None else getattr(obj, "audit_unit", None),
                # Built with created()/diff(), already JSON-ready (and masked).
                dict(changes(obj)) if changes else {},
                shared,
            )

    bulk.insert(row, events(), batch_size=batch_size, stream=stream)
    return count


def forget(names: Iterable[str], replacement: str, *, since: dt.datetime | None = None) -> int:
    """Replace a shredded person's `names` by `replacement` in the trail (object labels, changes,
    details), as pretix's shredder does with its log: every event stays (who, what, when, which
    record), the name does not.  Also the name's search-key form ("pham thi hong") that snapshots
    of search columns carry.  `since` narrows the scan to events after the person was recorded.
    Returns the number of events rewritten."""
    pairs: list[tuple[str, str]] = []
    for name in {n.strip() for n in names if n and len(n.strip()) >= 4}:
        pairs.append((name, replacement))
        key = search_key(name)
        if len(key) >= 4:
            pairs.append((key, search_key(replacement)))
    if not pairs:
        return 0
    pairs.sort(key=lambda p: len(p[0]), reverse=True)
    forms = sorted({f for old, _new in pairs for f in (old.lower(), json.dumps(old)[1:-1].lower())})
    table = AuditEvent._meta.db_table
    clauses = " OR ".join(
        f"LOWER(CAST({column} AS TEXT)) LIKE %s"
        for _form in forms
        for column in ("object_repr", "changes", "data")
    )
    params = [f"%{form}%" for form in forms for _column in range(3)]
    sql = f"SELECT id FROM {table} WHERE ({clauses})"
    if since is not None:
        sql += " AND at >= %s"
        params.append(since)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    pattern = re.compile("|".join(re.escape(old) for old, _new in pairs), re.IGNORECASE)
    new = {old.lower(): replacement_text for old, replacement_text in pairs}

    def scrub(value):
        if isinstance(value, str):
            return pattern.sub(lambda m: new[m.group(0).lower()], value)
        if isinstance(value, list):
            return [scrub(v) for v in value]
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items()}
        return value

    for event in AuditEvent.objects.filter(pk__in=ids).order_by("pk"):
        AuditEvent.objects.filter(pk=event.pk).update(
            object_repr=scrub(event.object_repr)[:300], changes=scrub(event.changes), data=scrub(event.data)
        )
    return len(ids)
