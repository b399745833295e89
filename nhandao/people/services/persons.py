"""Registering, editing, transferring and merging people."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import (
    PEOPLE_EDIT,
    PEOPLE_MERGE,
)
from nhandao.core.imports.errors import CellError
from nhandao.core.imports.parsers import parse_phone
from nhandao.core.text import clean_spaces, normalize, title_name
from nhandao.org import access
from nhandao.org.models import Unit

from .. import identity
from ..choices import (
    CURRENT_STATUSES,
    RoleStatus,
    Sex,
)
from ..models import (
    ClubMember,
    DuesPayment,
    Person,
    PersonRole,
)
from ._common import _ETHNICITY_CODES, PERSON_FIELDS, _check_visible, _today
from .roles import _end_role
from .stats import refresh_stats


# People ------------------------------------------------------------------------
class DuplicateSuspected(ValidationError):
    """Raised by person_create when likely duplicates exist; `candidates` lists them."""

    def __init__(self, message, candidates):
        super().__init__(message)
        self.candidates = candidates


def _clean_person(data: dict, *, exclude_pk: int | None = None) -> dict:
    """Normalise and validate person fields; raises ValidationError naming each bad field."""
    errors: dict[str, list[str]] = {}
    out = dict(data)
    if "full_name" in out:
        out["full_name"] = title_name(out.get("full_name") or "")
        if not out["full_name"]:
            errors.setdefault("full_name", []).append(_("Họ và tên không được để trống."))
        elif any(ch.isdigit() for ch in out["full_name"]):
            errors.setdefault("full_name", []).append(_("Họ và tên không được có chữ số."))
    for key in ("address_detail", "occupation", "workplace", "note", "email", "legacy_id_number"):
        if key in out:
            out[key] = clean_spaces(out.get(key) or "")
    if out.get("email"):
        out["email"] = out["email"].lower()
    if "sex" in out:
        out["sex"] = out.get("sex") or ""
        if out["sex"] not in ("", Sex.MALE, Sex.FEMALE):
            errors.setdefault("sex", []).append(_("Giới tính không hợp lệ."))
    if "ethnicity" in out:
        out["ethnicity"] = out.get("ethnicity") or ""
        if out["ethnicity"] and out["ethnicity"] not in _ETHNICITY_CODES:
            errors.setdefault("ethnicity", []).append(_("Dân tộc không có trong danh mục 54 dân tộc."))
    if "phone" in out:
        try:
            out["phone"] = parse_phone(out.get("phone")) or ""
        except CellError as exc:
            errors.setdefault("phone", []).append(exc.message)
    dob = out.get("date_of_birth")
    today = _today()
    if dob:
        if dob > today:
            errors.setdefault("date_of_birth", []).append(_("Ngày sinh ở tương lai."))
        elif dob.year < 1900:
            errors.setdefault("date_of_birth", []).append(_("Ngày sinh trước năm 1900."))
        out["birth_year"] = dob.year
    elif out.get("birth_year") and not 1900 <= out["birth_year"] <= today.year:
        errors.setdefault("birth_year", []).append(_("Năm sinh phải từ 1900 đến %(y)s.") % {"y": today.year})
    if "cccd" in out:
        number = identity.clean_id(out.get("cccd"))
        if number and len(number) == 9:
            # A 9-digit number is the legacy CMND.
            out["legacy_id_number"] = number
            number = ""
        out["cccd"] = number or None
        if number:
            problems = identity.cccd_problems(
                number,
                sex=out.get("sex", ""),
                birth_year=out.get("birth_year"),
                date_of_birth=out.get("date_of_birth"),
            )
            if problems:
                errors.setdefault("cccd", []).extend(problems)
            elif Person.objects.filter(cccd=number).exclude(pk=exclude_pk).exists():
                errors.setdefault("cccd", []).append(
                    _("Số CCCD %(v)s đã có trong hồ sơ của một người khác.") % {"v": identity.masked(number)}
                )
    if out.get("legacy_id_number") and (
        not out["legacy_id_number"].isdigit() or len(out["legacy_id_number"]) != 9
    ):
        errors.setdefault("legacy_id_number", []).append(_("Số CMND cũ phải có 9 chữ số."))
    if errors:
        raise ValidationError(errors)
    return out


def duplicate_candidates(
    *, full_name: str, date_of_birth=None, birth_year=None, phone="", cccd=None, exclude_pk=None
) -> list[tuple[Person, str]]:
    """Likely duplicates with the reason: same CCCD; same name and date of birth (or birth
    year when only the year is known); same phone and name."""
    name_key = normalize(title_name(full_name or ""))
    conditions = []
    if cccd:
        conditions.append((Q(cccd=cccd), _("cùng số CCCD")))
    if name_key and date_of_birth:
        conditions.append((Q(name_key=name_key, date_of_birth=date_of_birth), _("cùng họ tên và ngày sinh")))
        conditions.append(
            (
                Q(name_key=name_key, date_of_birth__isnull=True, birth_year=date_of_birth.year),
                _("cùng họ tên và năm sinh"),
            )
        )
    elif name_key and birth_year:
        conditions.append((Q(name_key=name_key, birth_year=birth_year), _("cùng họ tên và năm sinh")))
    if name_key and phone:
        conditions.append((Q(name_key=name_key, phone=phone), _("cùng họ tên và số điện thoại")))
    found: dict[int, tuple[Person, str]] = {}
    for condition, reason in conditions:
        for person in (
            Person.objects.live().filter(condition).exclude(pk=exclude_pk).select_related("unit")[:20]
        ):
            found.setdefault(person.pk, (person, reason))
    return list(found.values())


@transaction.atomic
def person_create(
    *, actor, unit: Unit, allow_duplicate: bool = False, skills: Iterable = (), **fields
) -> Person:
    access.require(actor, PEOPLE_EDIT, unit, needs_unit=True)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    data = _clean_person(fields)
    if not allow_duplicate:
        candidates = duplicate_candidates(
            full_name=data["full_name"],
            date_of_birth=data.get("date_of_birth"),
            birth_year=data.get("birth_year"),
            phone=data.get("phone", ""),
        )
        if candidates:
            raise DuplicateSuspected(
                _("Có thể người này đã có hồ sơ (%(reasons)s). Hãy kiểm tra trước khi tạo mới.")
                % {"reasons": ", ".join(sorted({reason for _p, reason in candidates}))},
                candidates,
            )
    person = Person(unit=unit, **data)
    person.refresh_keys()
    person.full_clean(exclude=["search_key", "name_key", "sort_key"])
    person.save()
    if skills:
        person.skills.set(skills)
    audit.record(actor=actor, action="people.person.created", obj=person, changes=audit.created(person))
    return person


@transaction.atomic
def person_update(*, actor, person: Person, skills: Iterable | None = None, **fields) -> Person:
    person = Person.objects.select_for_update().select_related("unit").get(pk=person.pk)
    _check_visible(actor, person)
    access.require(actor, PEOPLE_EDIT, person.unit, needs_unit=True)
    if person.merged_into_id:
        raise ValidationError(_("Hồ sơ này đã được hợp nhất vào hồ sơ khác; hãy sửa hồ sơ còn lại."))
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    merged = {k: getattr(person, k) for k in PERSON_FIELDS}
    merged.update(fields)
    if "date_of_birth" in fields and fields["date_of_birth"] is None and "birth_year" not in fields:
        merged["birth_year"] = person.birth_year
    # The CCCD is re-checked against the (possibly changed) sex and birth date.
    data = _clean_person(merged, exclude_pk=person.pk)
    before = audit.snapshot(person, PERSON_FIELDS)
    for key in PERSON_FIELDS:
        setattr(person, key, data.get(key, getattr(person, key)))
    person.refresh_keys()
    person.full_clean(exclude=["search_key", "name_key", "sort_key"])
    changes = audit.diff(before, audit.snapshot(person, PERSON_FIELDS))
    if skills is not None:
        old = sorted(person.skills.values_list("code", flat=True))
        person.skills.set(skills)
        new = sorted(person.skills.values_list("code", flat=True))
        if old != new:
            changes["skills"] = {"before": old, "after": new}
    if changes:
        person.save()
        audit.record(actor=actor, action="people.person.updated", obj=person, changes=changes)
    return person


@transaction.atomic
def person_transfer(*, actor, person: Person, unit: Unit) -> Person:
    """Move the keeping of a record to another unit (both must be in the actor's scope)."""
    person = Person.objects.select_for_update().select_related("unit").get(pk=person.pk)
    _check_visible(actor, person)
    access.require(actor, PEOPLE_EDIT, person.unit, needs_unit=True)
    access.require(actor, PEOPLE_EDIT, unit, needs_unit=True)
    if person.unit_id == unit.pk:
        return person
    old = person.unit
    person.unit = unit
    person.save(update_fields=["unit", "updated_at"])
    audit.record(
        actor=actor,
        action="people.person.transferred",
        obj=person,
        changes={
            "unit": {"before": {"id": old.pk, "repr": str(old)}, "after": {"id": unit.pk, "repr": str(unit)}}
        },
    )
    refresh_stats([old.pk, unit.pk])
    return person


# Merge ------------------------------------------------------------------------------------
# Every field of a person but the free note (which a merge joins) is chosen by the manager on conflict.
MERGE_CHOOSABLE = tuple(name for name in PERSON_FIELDS if name != "note")


def merge_conflicts(keep: Person, remove: Person) -> list[str]:
    """Fields where both records have a value and the values differ (the manager chooses)."""
    result = []
    for name in MERGE_CHOOSABLE:
        a, b = (
            getattr(keep, f"{name}_id" if name == "ward" else name),
            getattr(remove, f"{name}_id" if name == "ward" else name),
        )
        if a not in (None, "") and b not in (None, "") and a != b:
            result.append(name)
    return result


def _person_foreign_keys() -> list[tuple[type[models.Model], str]]:
    """(model, field) for every foreign key to Person in any installed app, including the
    through tables of many-to-many relations (later modules are covered without changes here)."""
    result = []
    for relation in Person._meta.related_objects:
        if relation.related_model is Person:
            continue
        if relation.many_to_many:
            through = relation.through
            for field in through._meta.get_fields():
                if isinstance(field, models.ForeignKey) and field.related_model is Person:
                    result.append((through, field.name))
        elif isinstance(relation.field, models.ForeignKey):
            result.append((relation.related_model, relation.field.name))
    for field in Person._meta.many_to_many:
        through = field.remote_field.through
        for f in through._meta.get_fields():
            if isinstance(f, models.ForeignKey) and f.related_model is Person:
                result.append((through, f.name))
    return result


@transaction.atomic
def person_merge(*, actor, keep: Person, remove: Person, take_from_removed: Iterable[str] = ()) -> Person:
    """Merge `remove` into `keep`: every row pointing at `remove` (roles, dues, hours, clubs,
    training, awards, and any other module's records) now points at `keep`; empty fields of
    `keep` are filled from `remove`, and `take_from_removed` names the conflicting fields
    where the removed record's value wins.  The removed record stays as a tombstone."""
    if keep.pk == remove.pk:
        raise ValidationError(_("Không thể hợp nhất một hồ sơ với chính nó."))
    first, second = sorted([keep.pk, remove.pk])
    locked = {
        p.pk: p
        for p in Person.objects.select_for_update().select_related("unit").filter(pk__in=[first, second])
    }
    keep, remove = locked[keep.pk], locked[remove.pk]
    for person in (keep, remove):
        _check_visible(actor, person)
        access.require(actor, PEOPLE_MERGE, person.unit, needs_unit=True)
        if person.merged_into_id:
            raise ValidationError(_("Hồ sơ %(n)s đã được hợp nhất trước đó.") % {"n": person.full_name})
    take = set(take_from_removed)
    if take - set(MERGE_CHOOSABLE):
        raise ValueError(sorted(take - set(MERGE_CHOOSABLE)))
    before = audit.snapshot(keep, MERGE_CHOOSABLE)
    new_values = {}
    for name in MERGE_CHOOSABLE:
        attr = f"{name}_id" if name == "ward" else name
        mine, theirs = getattr(keep, attr), getattr(remove, attr)
        if theirs not in (None, "") and (mine in (None, "") or name in take):
            new_values[attr] = theirs
    # Current roles of the same kind cannot both survive: the removed one ends.
    moved: dict[str, int] = {}
    for role in PersonRole.objects.select_for_update().filter(person=remove, status__in=CURRENT_STATUSES):
        if PersonRole.objects.filter(person=keep, kind=role.kind, status__in=CURRENT_STATUSES).exists():
            _end_role(actor, role, RoleStatus.LEFT, _today(), _("Hợp nhất hồ sơ trùng"))
    # Dues: one row per person per year; a year paid on both records keeps the kept record's row
    # and the other is recorded in the audit event before it is removed from the person.
    duplicate_years = set(
        DuesPayment.objects.filter(
            person=remove, year__in=DuesPayment.objects.filter(person=keep).values("year")
        ).values_list("year", flat=True)
    )
    dropped_dues = []
    for payment in DuesPayment.objects.filter(person=remove, year__in=duplicate_years):
        dropped_dues.append(audit.snapshot(payment))
        payment.delete()
    # Every relation that points at Person, including other modules' (generic).
    # Rows that would collide once both point at the same person: shared skills and a
    # current membership of the same club (the removed one ends).
    keep.skills.add(*remove.skills.all())
    remove.skills.clear()
    shared_clubs = ClubMember.objects.filter(person=keep, left_on__isnull=True).values("club")
    ClubMember.objects.filter(person=remove, left_on__isnull=True, club__in=shared_clubs).update(
        left_on=_today()
    )
    for model, field_name in _person_foreign_keys():
        try:
            with transaction.atomic():
                count = model._default_manager.filter(**{field_name: remove}).update(**{field_name: keep})
        except IntegrityError:
            raise ValidationError(
                _("Không thể hợp nhất tự động: %(what)s của hai hồ sơ trùng nhau; hãy xử lý trước.")
                % {"what": model._meta.verbose_name_plural}
            ) from None
        if count:
            moved[model._meta.label_lower] = count
    cccd = new_values.get("cccd")
    if cccd or remove.cccd:
        # The unique CCCD moves to the kept record; the tombstone keeps none.
        Person.objects.filter(pk=remove.pk).update(cccd=None)
    for attr, value in new_values.items():
        setattr(keep, attr, value)
    keep.refresh_keys()
    keep.save()
    remove.merged_into = keep
    remove.cccd = None
    remove.save(update_fields=["merged_into", "cccd", "updated_at"])
    changes = audit.diff(before, audit.snapshot(keep, MERGE_CHOOSABLE))
    data = {
        "merged": {"id": remove.pk, "repr": remove.full_name},
        "moved": moved,
        "dropped_dues": dropped_dues,
    }
    audit.record(actor=actor, action="people.person.merged", obj=keep, changes=changes, data=data)
    audit.record(
        actor=actor,
        action="people.person.merged_away",
        obj=remove,
        changes={"merged_into": {"before": None, "after": {"id": keep.pk, "repr": keep.full_name}}},
    )
    refresh_stats(
        {
            keep.unit_id,
            remove.unit_id,
            *PersonRole.objects.filter(person=keep).values_list("unit_id", flat=True),
        }
    )
    return keep
