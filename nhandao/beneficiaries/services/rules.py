"""The configurable parts: categories and the rules for help (city level)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import BENEFICIARIES_CONFIGURE
from nhandao.core.text import clean_spaces, normalize
from nhandao.org import access

from ..models import Category, HelpRules

CATEGORY_FIELDS = (
    "name",
    "scope",
    "sensitive",
    "requires_evidence",
    "evidence_label",
    "requires_year",
    "yearly",
    "description",
    "order",
    "active",
)
RULE_FIELDS = (
    "double_help_days",
    "same_campaign_check",
    "late_grace_days",
    "consent_form_version",
    "not_helped_days",
)


@transaction.atomic
def category_save(*, actor, category: Category | None = None, code: str = "", **fields) -> Category:
    """Create a category (category None) or change one; categories are retired, never deleted."""
    access.require(actor, BENEFICIARIES_CONFIGURE, everywhere=True)
    unknown = set(fields) - set(CATEGORY_FIELDS)
    if unknown:
        raise ValueError(f"unknown category fields: {sorted(unknown)}")
    creating = category is None
    if creating:
        category = Category()
        category.code = slugify(normalize(code or fields.get("name", "")))[:40]
        if not category.code:
            raise ValidationError({"name": _("Cần tên diện.")})
        if Category.objects.filter(code=category.code).exists():
            raise ValidationError({"name": _("Đã có diện với mã “%(c)s”.") % {"c": category.code}})
        before = {}
    else:
        category = Category.objects.select_for_update().get(pk=category.pk)
        before = audit.snapshot(category, CATEGORY_FIELDS)
    for key, value in fields.items():
        setattr(category, key, clean_spaces(value) if isinstance(value, str) else value)
    if not category.name:
        raise ValidationError({"name": _("Cần tên diện.")})
    if category.requires_evidence and not category.evidence_label:
        raise ValidationError({"evidence_label": _("Diện bắt buộc giấy tờ cần ghi tên giấy tờ.")})
    if category.yearly and not category.requires_year:
        category.requires_year = True
    category.full_clean()
    category.save()
    changes = audit.diff(before, audit.snapshot(category, CATEGORY_FIELDS))
    if changes:
        audit.record(
            actor=actor,
            action="beneficiaries.category_type." + ("created" if creating else "updated"),
            obj=category,
            changes=changes,
        )
    return category


@transaction.atomic
def rules_update(*, actor, **fields) -> HelpRules:
    access.require(actor, BENEFICIARIES_CONFIGURE, everywhere=True)
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"unknown rule fields: {sorted(unknown)}")
    rules = HelpRules.objects.select_for_update().order_by("pk").first() or HelpRules()
    before = audit.snapshot(rules, RULE_FIELDS) if rules.pk else {}
    for key, value in fields.items():
        setattr(rules, key, value)
    if rules.double_help_days > 366:
        raise ValidationError({"double_help_days": _("Tối đa 366 ngày.")})
    rules.full_clean()
    rules.save()
    changes = audit.diff(before, audit.snapshot(rules, RULE_FIELDS))
    if changes:
        audit.record(actor=actor, action="beneficiaries.rules.updated", obj=rules, changes=changes)
    return rules
