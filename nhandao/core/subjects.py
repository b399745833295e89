"""What each app holds about a person, and how it forgets them: the data-subject registry.

Law 91/2025/QH15 gives every person the right to see what is held about them and to have it
deleted (Điều 4, Điều 14–16).  Every app that keeps personal data registers one `SubjectData`
from its AppConfig.ready(): `collect` answers the access request (sections of label → text, in
Vietnamese, ready for the JSON and PDF exports), `shred` pseudonymises the person's records in
that app (names → "Người đã xoá #<id>", ID numbers, phones, addresses, dates of birth blanked)
while amounts, counts and the audit trail stay, `blockers` names what must finish first (an open
payment), `withdraw` withdraws the consents the app records.  In the spirit of pretix's
base/shredder.py: each shredder knows its own models; `nhandao.privacy` calls them all in one
transaction.  `core` imports no domain app: the callables receive the person object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

Rows = list[dict[str, str]]


@dataclass
class Section:
    """One block of the export: a title and rows of label → value (already formatted text)."""

    title: str
    rows: Rows = field(default_factory=list)


@dataclass(frozen=True)
class SubjectData:
    name: str  # "people", "funds", …: the key in the JSON export
    label: Any  # a lazy translation
    collect: Callable[[Any], list[Section]]
    shred: Callable[[Any, Any], int] | None = None  # (person, actor) -> rows changed
    blockers: Callable[[Any], list[str]] | None = None  # (person) -> reasons, in Vietnamese
    withdraw: Callable[[Any, Any], int] | None = None  # (person, actor) -> consents withdrawn
    # (person) -> what shredding had to leave, and why, in Vietnamese (kept for the law's sake or
    # because an integrity guarantee commits to it): shown on the request and kept in the trail.
    remaining: Callable[[Any], list[str]] | None = None
    order: int = 50


_REGISTRY: dict[str, SubjectData] = {}


def register_subject_data(entry: SubjectData) -> None:
    """Called once per app from ready(); a second call with the same name replaces the first."""
    _REGISTRY[entry.name] = entry


def registered() -> list[SubjectData]:
    return sorted(_REGISTRY.values(), key=lambda e: (e.order, e.name))


def pseudonym(pk: int) -> str:
    """The name a shredded person keeps: stable, so statistics and the trail still count them."""
    return f"Người đã xoá #{pk}"


def text(value) -> str:
    """A value as the export shows it: dates dd/mm/yyyy, nothing for None."""

    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "có" if value else "không"
    return str(value)
