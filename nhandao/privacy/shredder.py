"""Forget a person everywhere, keeping amounts, statistics and the audit trail (after pretix's
base/shredder.py): each app's shredder is registered in `core.subjects`; this module checks what
must finish first, then runs them all in one transaction and records one audit event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from nhandao.core import audit, subjects


def blockers(person) -> list[str]:
    reasons: list[str] = []
    for entry in subjects.registered():
        if entry.blockers is not None:
            reasons.extend(entry.blockers(person))
    return reasons


def remaining(person) -> list[str]:
    """What shredding could not remove, with the reason (e.g. names in postings older than the
    ledger's canonical form v2)."""
    notes: list[str] = []
    for entry in subjects.registered():
        if entry.remaining is not None:
            notes.extend(entry.remaining(person))
    return notes


def is_shredded(person) -> bool:
    return person.full_name == subjects.pseudonym(person.pk)


def shred_person(*, actor, person, reason: str) -> dict[str, int]:
    """Pseudonymise `person` in every app; ValidationError (nothing written) while something
    open still needs them (a payment in draft).  The caller has checked the actor's rights."""
    reasons = blockers(person)
    if reasons:
        raise ValidationError(
            ["Chưa thể xoá dữ liệu của người này; yêu cầu được hoãn đến khi xử lý xong: " + " ".join(reasons)]
        )
    with transaction.atomic():
        name = person.full_name  # before any app forgets it
        counts = {}
        for entry in subjects.registered():
            if entry.shred is not None:
                counts[entry.name] = entry.shred(person, actor)
        # The trail keeps every event, under the pseudonym (pretix's shredder does the same).
        counts["audit"] = audit.forget([name], subjects.pseudonym(person.pk))
        person.refresh_from_db()
        audit.record(
            actor=actor,
            action="privacy.person.shredded",
            obj=person,
            data={"reason": reason, "counts": counts, "remaining": remaining(person)},
        )
    return counts


def withdraw_consents(*, actor, person) -> dict[str, int]:
    with transaction.atomic():
        counts = {}
        for entry in subjects.registered():
            if entry.withdraw is not None:
                counts[entry.name] = entry.withdraw(person, actor)
        audit.record(actor=actor, action="privacy.consents.withdrawn", obj=person, data={"counts": counts})
    return counts


def collect(person) -> dict[str, list[subjects.Section]]:
    return {entry.name: entry.collect(person) for entry in subjects.registered()}
