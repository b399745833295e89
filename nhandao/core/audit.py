"""The audit trail: who did what to which record, when, and what changed.

Every service that writes calls `audit.record(...)` inside its transaction, so
an event exists if and only if the write committed.  Values of secret fields
are masked; personal identifiers are partly masked.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models.fields.files import FieldFile

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


def _masked(field: str, value: Any) -> Any:
    if value in (None, ""):
        return value
    name = field.lower()
    if any(s in name for s in SECRET_FIELDS):
        return MASK
    if name in MASKED_FIELDS:
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


def created(obj: models.Model, exclude: Iterable[str] = ("id", "search_key", "path")) -> dict:
    snap = snapshot(obj)
    return diff({}, {k: v for k, v in snap.items() if k not in set(exclude) and v not in (None, "", [], {})})


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


def record(**kwargs) -> AuditEvent:
    """Record one event.  Must run inside the caller's write transaction (arguments as `build`)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must be called inside transaction.atomic()")
    event = build(**kwargs)
    event.save()
    return event


def record_many(events: list[AuditEvent]) -> None:
    """Save events made with `build`, in the caller's write transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many() must be called inside transaction.atomic()")
    AuditEvent.objects.bulk_create(events, batch_size=2000)
