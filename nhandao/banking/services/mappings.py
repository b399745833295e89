"""Every write of the banking app (this phase: saved column mappings).

Each function checks the actor's permission on the unit it touches, validates,
writes and records an audit event in one transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import BANKING_IMPORT
from nhandao.core.text import clean_spaces
from nhandao.org import access
from nhandao.org.models import Unit

from .. import banks
from ..models import DESCRIPTION_SEPARATOR, StatementColumnMapping

MAPPING_FIELDS = (
    "name",
    "bank_code",
    "date_column",
    "time_column",
    "amount_column",
    "debit_column",
    "credit_column",
    "direction_column",
    "balance_column",
    "description_columns",
    "reference_column",
    "counterparty_name_column",
    "counterparty_account_column",
    "header_row",
    "credit_is_negative",
)

# MappingSpec field -> model field, to put the spec's errors on the form's fields.
_SPEC_TO_FIELD = {
    "date": "date_column",
    "description": "description_columns",
    "amount": "amount_column",
    "header_row": "header_row",
}


def _clean(mapping: StatementColumnMapping) -> None:
    for field in MAPPING_FIELDS:
        value = getattr(mapping, field)
        if isinstance(value, str):
            setattr(mapping, field, clean_spaces(value))
    mapping.description_columns = f"{DESCRIPTION_SEPARATOR} ".join(mapping.descriptions)
    if not mapping.name:
        raise ValidationError({"name": _("Tên mẫu không được để trống.")})
    if mapping.bank_code and banks.by_code(mapping.bank_code) is None:
        raise ValidationError({"bank_code": _("Không có ngân hàng mã “%(c)s”.") % {"c": mapping.bank_code}})
    clash = StatementColumnMapping.objects.filter(unit=mapping.unit, name__iexact=mapping.name).exclude(
        pk=mapping.pk
    )
    if clash.exists():
        raise ValidationError({"name": _("Đơn vị đã có mẫu tên “%(n)s”.") % {"n": mapping.name}})
    try:
        mapping.spec().validate()
    except ValidationError as exc:
        raise ValidationError(
            {_SPEC_TO_FIELD.get(field, "date_column"): errors for field, errors in exc.error_dict.items()}
        ) from None


@transaction.atomic
def column_mapping_create(*, actor, unit: Unit, **fields) -> StatementColumnMapping:
    access.require(actor, BANKING_IMPORT, unit)
    unknown = set(fields) - set(MAPPING_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    mapping = StatementColumnMapping(unit=unit, created_by=actor, **fields)
    _clean(mapping)
    mapping.save()
    audit.record(
        actor=actor, action="banking.mapping.create", obj=mapping, unit=unit, changes=audit.created(mapping)
    )
    return mapping


@transaction.atomic
def column_mapping_update(*, actor, mapping: StatementColumnMapping, **fields) -> StatementColumnMapping:
    mapping = StatementColumnMapping.objects.select_for_update().get(pk=mapping.pk)
    access.require(actor, BANKING_IMPORT, mapping.unit)
    before = audit.snapshot(mapping, MAPPING_FIELDS)
    for field, value in fields.items():
        if field not in MAPPING_FIELDS:
            raise TypeError(f"unknown field: {field}")
        setattr(mapping, field, value)
    _clean(mapping)
    mapping.save()
    changes = audit.diff(before, audit.snapshot(mapping, MAPPING_FIELDS))
    if changes:
        audit.record(
            actor=actor, action="banking.mapping.update", obj=mapping, unit=mapping.unit, changes=changes
        )
    return mapping


@transaction.atomic
def column_mapping_delete(*, actor, mapping: StatementColumnMapping) -> None:
    mapping = StatementColumnMapping.objects.select_for_update().get(pk=mapping.pk)
    access.require(actor, BANKING_IMPORT, mapping.unit)
    audit.record(
        actor=actor,
        action="banking.mapping.delete",
        obj=mapping,
        unit=mapping.unit,
        changes={"deleted": audit.snapshot(mapping, MAPPING_FIELDS)},
    )
    mapping.delete()
