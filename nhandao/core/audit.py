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
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from .bulk import insert_values
from .models import AuditEvent

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
    """An unsaved event, for services that write many at once (`AuditEvent.objects.bulk_create`)."""
    ctx = _context.get()
    if unit is None and obj is not None:
        unit = getattr(obj, "audit_unit", None)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent(
        actor=actor_obj,
        actor_label=(actor_obj.get_full_name() or actor_obj.get_username()) if actor_obj else "hệ thống",
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


def record_many(
    *,
    actor,
    action: str,
    objects: Iterable[models.Model],
    changes: Callable[[models.Model], Mapping[str, Any]] | None = None,
    data: Mapping[str, Any] | None = None,
    unit=None,
    label: Callable[[models.Model], str] | None = None,
    batch_size: int = 5000,
) -> int:
    """One event per object (all of one model), written in bulk (imports of 100,000 rows):
    COPY on PostgreSQL, bulk_create elsewhere (see core.bulk).

    Same semantics as `record`: must run inside the caller's write transaction,
    same actor label, context (ip, via), masking, and each object's own unit
    unless `unit` is given.  `changes(obj)` must return JSON-ready values, as
    created() and diff() do.  `label(obj)` replaces str(obj) when that is costly.
    Returns the number of events written.
    """
    if not in_write_transaction():
        raise RuntimeError("audit.record_many() must be called inside transaction.atomic()")
    ctx = _context.get()
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    actor_label = (actor_obj.get_full_name() or actor_obj.get_username()) if actor_obj else "hệ thống"
    shared = {k: _jsonable(v) for k, v in (data or {}).items()}
    type_label = ""
    now = timezone.now()
    units: dict[int, tuple[str, str]] = {}

    def unit_fields(obj):
        target = unit if unit is not None else getattr(obj, "audit_unit", None)
        if target is None:
            return None, "", ""
        if target.pk not in units:
            units[target.pk] = (getattr(target, "path", "") or "", str(target)[:300])
        path, name = units[target.pk]
        return target.pk, path, name

    def events():
        nonlocal type_label
        for obj in objects:
            type_label = type_label or object_type(obj)
            unit_id, unit_path, unit_label = unit_fields(obj)
            yield {
                "at": now,
                "actor_id": actor_obj.pk if actor_obj else None,
                "actor_label": actor_label,
                "action": action,
                "object_type": type_label,
                "object_id": str(obj.pk),
                "object_repr": (label(obj) if label else str(obj))[:300],
                "unit_id": unit_id,
                "unit_path": unit_path,
                "unit_label": unit_label,
                # Built with created()/diff(), already JSON-ready (and masked).
                "changes": dict(changes(obj)) if changes else {},
                "data": shared,
                "ip": ctx.ip,
                "via": ctx.via,
            }

    count = 0
    buffer: list[dict] = []
    for event in events():
        buffer.append(event)
        if len(buffer) >= batch_size:
            count += insert_values(AuditEvent, buffer)
            buffer = []
    if buffer:
        count += insert_values(AuditEvent, buffer)
    return count
