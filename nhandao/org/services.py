"""Every write to the organisation tree, agencies and role assignments.

Each function checks the actor's permission on the unit it touches, validates,
writes and records an audit event in one transaction.  Errors are
ValidationError with a Vietnamese message; nothing is written when one is
raised.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import ORG_ASSIGN_ROLES, ORG_MANAGE, ORG_MANAGE_AGENCIES, Role
from nhandao.core.formatting import date as fmt_date
from nhandao.core.text import clean_spaces, search_key
from nhandao.geo.models import LegacyDistrict, LegacyWard, Province, Ward

from . import access
from .models import (
    Agency,
    AgencySuccession,
    RoleAssignment,
    SuccessionKind,
    Unit,
    UnitKind,
    UnitSuccession,
    path_segment,
)

ALLOWED_CHILDREN = {
    UnitKind.NATIONAL: {UnitKind.PROVINCE},
    UnitKind.PROVINCE: {UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.BRANCH},
    UnitKind.DISTRICT: {UnitKind.COMMUNE, UnitKind.BRANCH},
    UnitKind.COMMUNE: {UnitKind.BRANCH},
    UnitKind.BRANCH: {UnitKind.GROUP},
    UnitKind.GROUP: set(),
}

UNIT_EDITABLE = (
    "name",
    "code",
    "branch_type",
    "address",
    "phone",
    "email",
    "ward",
    "province",
    "legacy_district",
    "legacy_ward",
    "valid_from",
)


def _check(actor, perm: str, unit: Unit | None) -> None:
    """Refuse unless the actor holds perm on unit (actor None = the system itself, e.g. seeding)."""
    if actor is None:
        return
    if unit is None:
        if not getattr(actor, "is_superuser", False):
            raise PermissionDenied
        return
    if not access.has_perm(actor, perm, unit):
        raise PermissionDenied


def _resolve(model, value, label):
    """Accept a model instance or an official code; an unknown code is a clear error."""
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    try:
        return model.objects.get(pk=str(value).strip())
    except model.DoesNotExist:
        raise ValidationError(
            {label: _("Không có đơn vị hành chính mã “%(code)s”.") % {"code": value}}
        ) from None


def _check_code(code: str, exclude_pk: int | None = None) -> str:
    code = clean_spaces(code).upper()
    if not code:
        raise ValidationError({"code": _("Mã đơn vị không được để trống.")})
    other = Unit.objects.filter(code=code).exclude(pk=exclude_pk).first()
    if other is not None:
        raise ValidationError(
            {
                "code": _("Mã đơn vị “%(code)s” đã được dùng cho “%(name)s”.")
                % {"code": code, "name": other.name}
            }
        )
    return code


def _next_code(parent: Unit | None) -> str:
    base = parent.code if parent else "HCTD"
    n = (parent.children.count() if parent else Unit.objects.filter(parent__isnull=True).count()) + 1
    while Unit.objects.filter(code=f"{base}.{n:02d}").exists():
        n += 1
    return f"{base}.{n:02d}"


def _require_active(unit: Unit, on: dt.date | None = None) -> None:
    if not unit.is_active(on):
        raise ValidationError(
            _("Đơn vị “%(name)s” đã ngừng hoạt động từ %(date)s.")
            % {"name": unit.name, "date": fmt_date(unit.valid_to)}
        )


@transaction.atomic
def unit_create(
    *,
    actor,
    name: str,
    kind: str,
    parent: Unit | None = None,
    code: str = "",
    branch_type: str = "",
    ward: Ward | str | None = None,
    province: Province | str | None = None,
    legacy_district: LegacyDistrict | str | None = None,
    legacy_ward: LegacyWard | str | None = None,
    address: str = "",
    phone: str = "",
    email: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    closed_reason: str = "",
) -> Unit:
    _check(actor, ORG_MANAGE, parent)
    name = clean_spaces(name)
    if not name:
        raise ValidationError({"name": _("Tên đơn vị không được để trống.")})
    if parent is not None:
        parent = Unit.objects.select_for_update().get(pk=parent.pk)
        if valid_to is None:
            _require_active(parent)
        if kind not in ALLOWED_CHILDREN[UnitKind(parent.kind)]:
            raise ValidationError(
                {
                    "kind": _("Không thể tạo %(kind)s trực thuộc %(parent_kind)s.")
                    % {
                        "kind": UnitKind(kind).label.lower(),
                        "parent_kind": UnitKind(parent.kind).label.lower(),
                    }
                }
            )
    unit = Unit(
        name=name,
        kind=kind,
        branch_type=branch_type or "",
        parent=parent,
        code=_check_code(code) if code else _next_code(parent),
        ward=_resolve(Ward, ward, "ward"),
        province=_resolve(Province, province, "province"),
        legacy_district=_resolve(LegacyDistrict, legacy_district, "legacy_district"),
        legacy_ward=_resolve(LegacyWard, legacy_ward, "legacy_ward"),
        address=clean_spaces(address),
        phone=clean_spaces(phone),
        email=(email or "").strip(),
        valid_from=valid_from or timezone.localdate(),
        valid_to=valid_to,
        closed_reason=closed_reason,
        path=f"new-{uuid.uuid4().hex}",  # replaced once the id is known
        depth=(parent.depth + 1) if parent else 0,
        search_key=search_key(name),
    )
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = (parent.path if parent else "") + path_segment(unit.pk)
    unit.save(update_fields=["path"])
    audit.record(actor=actor, action="org.unit.created", obj=unit, changes=audit.created(unit))
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, **fields) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _check(actor, ORG_MANAGE, unit)
    unknown = set(fields) - set(UNIT_EDITABLE)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    before = audit.snapshot(unit, fields)
    for key in ("ward", "province", "legacy_district", "legacy_ward"):
        if key in fields:
            model = {
                "ward": Ward,
                "province": Province,
                "legacy_district": LegacyDistrict,
                "legacy_ward": LegacyWard,
            }[key]
            fields[key] = _resolve(model, fields[key], key)
    if "code" in fields:
        fields["code"] = _check_code(fields["code"], exclude_pk=unit.pk)
    if "name" in fields:
        fields["name"] = clean_spaces(fields["name"])
        if not fields["name"]:
            raise ValidationError({"name": _("Tên đơn vị không được để trống.")})
    for key, value in fields.items():
        setattr(unit, key, value)
    unit.search_key = search_key(unit.name)
    unit.full_clean()
    changes = audit.diff(before, audit.snapshot(unit, fields))
    if changes:
        unit.save()
        action = "org.unit.renamed" if set(changes) == {"name"} else "org.unit.updated"
        audit.record(actor=actor, action=action, obj=unit, changes=changes)
    return unit


@transaction.atomic
def unit_move(*, actor, unit: Unit, new_parent: Unit) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    new_parent = Unit.objects.select_for_update().get(pk=new_parent.pk)
    _check(actor, ORG_MANAGE, unit)
    _check(actor, ORG_MANAGE, new_parent)
    if new_parent.pk == unit.pk or new_parent.path.startswith(unit.path):
        raise ValidationError(
            {"new_parent": _("Không thể chuyển đơn vị vào chính nó hoặc vào một đơn vị trực thuộc của nó.")}
        )
    _require_active(unit)
    _require_active(new_parent)
    if unit.kind not in ALLOWED_CHILDREN[UnitKind(new_parent.kind)]:
        raise ValidationError(
            {
                "new_parent": _("Không thể đặt %(kind)s trực thuộc %(parent_kind)s.")
                % {
                    "kind": UnitKind(unit.kind).label.lower(),
                    "parent_kind": UnitKind(new_parent.kind).label.lower(),
                }
            }
        )
    if unit.parent_id == new_parent.pk:
        return unit
    old_parent = unit.parent
    old_path, new_path = unit.path, new_parent.path + path_segment(unit.pk)
    depth_shift = new_parent.depth + 1 - unit.depth
    # Rewrite the whole subtree's paths in one statement (portable: Concat + Substr).
    Unit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_shift,
    )
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()
    audit.record(
        actor=actor,
        action="org.unit.moved",
        obj=unit,
        changes={
            "parent": {
                "before": {"id": old_parent.pk if old_parent else None, "repr": str(old_parent or "")},
                "after": {"id": new_parent.pk, "repr": str(new_parent)},
            }
        },
    )
    return unit


def _end_roles(actor, unit: Unit, on: dt.date) -> None:
    for assignment in RoleAssignment.objects.active(on).filter(unit=unit).select_related("user"):
        before = audit.snapshot(assignment, ["valid_to"])
        assignment.valid_to = on
        assignment.save(update_fields=["valid_to"])
        audit.record(
            actor=actor,
            action="org.role.ended",
            obj=assignment,
            changes=audit.diff(before, audit.snapshot(assignment, ["valid_to"])),
            data={"reason": _("Đơn vị ngừng hoạt động")},
        )


@transaction.atomic
def unit_close(
    *,
    actor,
    unit: Unit,
    on: dt.date,
    reason: str = "",
    successors: list[Unit] | tuple[Unit, ...] = (),
    kind: str = SuccessionKind.MERGED,
    partly: bool = False,
) -> Unit:
    """Close a unit on `on` (its last day of activity); its work continues in `successors`."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _check(actor, ORG_MANAGE, unit)
    if unit.valid_to is not None and unit.valid_to <= timezone.localdate():
        raise ValidationError(
            _("Đơn vị “%(name)s” đã ngừng hoạt động từ %(date)s.")
            % {"name": unit.name, "date": fmt_date(unit.valid_to)}
        )
    if on < unit.valid_from:
        raise ValidationError(
            {
                "on": _("Ngày giải thể không thể trước ngày thành lập (%(date)s).")
                % {"date": fmt_date(unit.valid_from)}
            }
        )
    count = unit.children.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on)).count()
    if count:
        raise ValidationError(
            _(
                "Đơn vị còn %(count)s đơn vị trực thuộc đang hoạt động; hãy chuyển hoặc giải thể các đơn vị đó trước."
            )
            % {"count": count}
        )
    for successor in successors:
        if successor.pk == unit.pk or successor.path.startswith(unit.path):
            raise ValidationError(
                {"successors": _("Đơn vị kế thừa không thể là chính đơn vị hoặc đơn vị trực thuộc.")}
            )
        _check(actor, ORG_MANAGE, successor)
    before = audit.snapshot(unit, ["valid_to", "closed_reason"])
    unit.valid_to = on
    unit.closed_reason = clean_spaces(reason)
    unit.full_clean()
    unit.save(update_fields=["valid_to", "closed_reason", "updated_at"])
    for successor in successors:
        UnitSuccession.objects.update_or_create(
            predecessor=unit,
            successor=successor,
            defaults={
                "date": on + dt.timedelta(days=1),
                "kind": kind,
                "partly": partly,
                "note": unit.closed_reason,
            },
        )
    _end_roles(actor, unit, on)
    audit.record(
        actor=actor,
        action="org.unit.closed",
        obj=unit,
        changes=audit.diff(before, audit.snapshot(unit, ["valid_to", "closed_reason"])),
        data={"successors": [{"id": s.pk, "name": s.name} for s in successors], "kind": kind},
    )
    return unit


@transaction.atomic
def unit_merge(*, actor, unit: Unit, into: Unit, on: dt.date, reason: str = "") -> Unit:
    """Merge `unit` into `into`: its active sub-units move under `into`, then it closes."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    into = Unit.objects.select_for_update().get(pk=into.pk)
    _check(actor, ORG_MANAGE, unit)
    _check(actor, ORG_MANAGE, into)
    if into.pk == unit.pk or into.path.startswith(unit.path):
        raise ValidationError(
            {"into": _("Không thể sáp nhập đơn vị vào chính nó hoặc vào đơn vị trực thuộc của nó.")}
        )
    _require_active(unit)
    _require_active(into)
    for child in unit.children.active():
        unit_move(actor=actor, unit=child, new_parent=into)
    return unit_close(
        actor=actor,
        unit=unit,
        on=on,
        reason=reason or _("Sáp nhập vào %(name)s") % {"name": into.name},
        successors=[into],
        kind=SuccessionKind.MERGED,
    )


@transaction.atomic
def role_assign(
    *,
    actor,
    user,
    unit: Unit,
    role: str,
    agency: Agency | None = None,
    title: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> RoleAssignment:
    _check(actor, ORG_ASSIGN_ROLES, unit)
    unit = Unit.objects.get(pk=unit.pk)
    if not unit.is_active():
        raise ValidationError(
            {
                "unit": _("Đơn vị “%(name)s” đã ngừng hoạt động từ %(date)s; không thể phân quyền.")
                % {"name": unit.name, "date": fmt_date(unit.valid_to)}
            }
        )
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    if role == Role.AGENCY_REPORTER and agency is None:
        raise ValidationError({"agency": _("Vai trò báo cáo của cơ quan phối hợp cần chọn cơ quan.")})
    if role != Role.AGENCY_REPORTER:
        agency = None
    if agency is not None and not agency.is_active():
        raise ValidationError({"agency": _("Cơ quan “%(name)s” đã ngừng hoạt động.") % {"name": agency.name}})
    if not user.is_active:
        raise ValidationError({"user": _("Tài khoản “%(user)s” đang bị khóa.") % {"user": user}})
    exists = RoleAssignment.objects.active().filter(user=user, unit=unit, role=role, agency=agency).exists()
    if exists:
        raise ValidationError(
            {"role": _("%(user)s đã có vai trò này tại %(unit)s.") % {"user": user, "unit": unit.name}}
        )
    assignment = RoleAssignment(
        user=user,
        unit=unit,
        role=role,
        agency=agency,
        title=clean_spaces(title),
        valid_from=valid_from or timezone.localdate(),
        valid_to=valid_to,
        granted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    assignment.full_clean()
    assignment.save()
    access.forget(user)
    audit.record(actor=actor, action="org.role.assigned", obj=assignment, changes=audit.created(assignment))
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment, on: dt.date | None = None) -> RoleAssignment:
    assignment = (
        RoleAssignment.objects.select_for_update().select_related("unit", "user").get(pk=assignment.pk)
    )
    _check(actor, ORG_ASSIGN_ROLES, assignment.unit)
    on = on or timezone.localdate()
    if assignment.valid_to is not None and assignment.valid_to <= on:
        raise ValidationError(_("Phân quyền này đã kết thúc."))
    before = audit.snapshot(assignment, ["valid_to"])
    assignment.valid_to = max(on, assignment.valid_from)
    assignment.save(update_fields=["valid_to"])
    access.forget(assignment.user)
    audit.record(
        actor=actor,
        action="org.role.revoked",
        obj=assignment,
        changes=audit.diff(before, audit.snapshot(assignment, ["valid_to"])),
    )
    return assignment


@transaction.atomic
def agency_create(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    short_name: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    note: str = "",
    legacy_district: LegacyDistrict | None = None,
) -> Agency:
    access.require(actor, ORG_MANAGE_AGENCIES)
    code = clean_spaces(code).upper()
    if Agency.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã cơ quan “%(code)s” đã tồn tại.") % {"code": code}})
    agency = Agency(
        code=code,
        name=clean_spaces(name),
        short_name=clean_spaces(short_name),
        kind=kind,
        valid_from=valid_from or dt.date(2000, 1, 1),
        valid_to=valid_to,
        note=note,
        legacy_district=legacy_district,
        search_key=search_key(name, short_name),
    )
    agency.full_clean()
    agency.save()
    audit.record(actor=actor, action="org.agency.created", obj=agency, changes=audit.created(agency))
    return agency


@transaction.atomic
def agency_update(*, actor, agency: Agency, **fields) -> Agency:
    access.require(actor, ORG_MANAGE_AGENCIES)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    allowed = {"name", "short_name", "kind", "note", "valid_from"}
    if set(fields) - allowed:
        raise ValueError(f"not editable here: {sorted(set(fields) - allowed)}")
    before = audit.snapshot(agency, fields)
    for key, value in fields.items():
        setattr(agency, key, clean_spaces(value) if isinstance(value, str) else value)
    agency.search_key = search_key(agency.name, agency.short_name)
    agency.full_clean()
    changes = audit.diff(before, audit.snapshot(agency, fields))
    if changes:
        agency.save()
        audit.record(actor=actor, action="org.agency.updated", obj=agency, changes=changes)
    return agency


@transaction.atomic
def agency_close(
    *,
    actor,
    agency: Agency,
    on: dt.date,
    successors: list[tuple[Agency, bool, str]] = (),
    reference: str = "",
) -> Agency:
    """Close an agency; `successors` lists (successor, is_primary, functions taken over)."""
    access.require(actor, ORG_MANAGE_AGENCIES)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if agency.valid_to is not None:
        raise ValidationError(_("Cơ quan “%(name)s” đã ngừng hoạt động.") % {"name": agency.name})
    for successor, _primary, _functions in successors:
        if successor.pk == agency.pk:
            raise ValidationError({"successors": _("Cơ quan kế thừa không thể là chính cơ quan đó.")})
    agency.valid_to = on
    agency.full_clean()
    agency.save(update_fields=["valid_to"])
    for successor, primary, functions in successors:
        AgencySuccession.objects.update_or_create(
            predecessor=agency,
            successor=successor,
            defaults={
                "date": on + dt.timedelta(days=1),
                "primary": primary,
                "functions": functions,
                "reference": reference,
            },
        )
    audit.record(
        actor=actor,
        action="org.agency.closed",
        obj=agency,
        changes={"valid_to": {"before": None, "after": on.isoformat()}},
        data={
            "successors": [
                {"id": s.pk, "name": s.name, "primary": p, "functions": f} for s, p, f in successors
            ],
            "reference": reference,
        },
    )
    return agency
