"""Keeping this module's rows right when the people registry merges two records of one human.

people.services.person_merge re-points every foreign key to Person generically
(members, categories, consents, help records, volunteers, sponsors of this
module included) and then marks the removed record merged_into the kept one.
That last save is the signal used here: the same human may now appear twice in
one household or twice among a delivery's volunteers, and those duplicates are
folded in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.people.models import Person
from nhandao.people.selectors import register_foreign_link

from .choices import HEAD_RELATIONSHIPS
from .models import Case, HelpVolunteer, Member
from .services import refresh_case


@receiver(post_save, sender=Person, dispatch_uid="beneficiaries.fold_after_person_merge")
def fold_after_person_merge(sender, instance: Person, update_fields=None, **kwargs):
    if not update_fields or "merged_into" not in update_fields or not instance.merged_into_id:
        return
    keep_id = instance.merged_into_id
    by_case: dict[int, list[Member]] = defaultdict(list)
    for member in Member.objects.filter(person_id=keep_id, left_on__isnull=True).order_by("id"):
        by_case[member.case_id].append(member)
    today = timezone.localdate()
    for case_id, rows in by_case.items():
        if len(rows) < 2:
            continue
        rows.sort(key=lambda m: (m.relationship not in HEAD_RELATIONSHIPS, m.id))
        for extra in rows[1:]:
            extra.left_on = today
            extra.left_reason = str(_("Hợp nhất hồ sơ trùng của cùng một người"))
            extra.save(update_fields=["left_on", "left_reason"])
        case = Case.objects.select_related("unit", "head").get(pk=case_id)

        refresh_case(case)
        audit.record(
            actor=None,
            action="beneficiaries.member.folded",
            obj=case,
            data={"person": keep_id, "merged": instance.pk, "ended_rows": [m.pk for m in rows[1:]]},
        )
    seen: set[tuple[int, int]] = set()
    for row in HelpVolunteer.objects.filter(person_id=keep_id).order_by("id"):
        key = (row.help_id, row.person_id)
        if key in seen:
            row.delete()
        else:
            seen.add(key)
    # Names and phones of the kept record feed the search keys of its households.

    for case in Case.objects.filter(members__person_id=keep_id).distinct().select_related("head"):
        refresh_case(case)


def _beneficiary_links():
    """Household heads and members stay out of the people registry unless they hold a registry role."""

    return Exists(Case.objects.filter(head=OuterRef("pk"))) | Exists(
        Member.objects.filter(person=OuterRef("pk"))
    )


def _register_registry_exclusion():
    register_foreign_link(_beneficiary_links)
