"""The people search list (core.search): a person by name, phone or record number, in scope.

The value is the record number (the person's id), what the merge form and the club and training
pickers take.
"""

from __future__ import annotations

from nhandao.core import search
from nhandao.core.access import PEOPLE_VIEW

from . import selectors
from .models import Person


def _label(person: Person) -> str:
    parts = [person.full_name, person.birth_display, person.unit.name if person.unit_id else ""]
    return f"{' · '.join(p for p in parts if p)} (#{person.pk})"


def people(user, query: str, limit: int) -> list[tuple[str, str]]:
    if not query:
        return []
    found = []
    if query.isdigit() and len(query) <= 9 and not query.startswith("0"):  # a record number
        found = list(selectors.visible_people(user).select_related("unit").filter(pk=int(query)))
    found += selectors.people(user, selectors.PersonFilter(q=query, include_former=True))[:limit]
    seen: set[int] = set()
    unique = [p for p in found if not (p.pk in seen or seen.add(p.pk))]
    return [(str(p.pk), _label(p)) for p in unique[:limit]]


def person_label(user, value: str) -> str | None:
    if user is None or not value.strip().isdigit() or len(value.strip()) > 9:
        return None
    found = selectors.visible_people(user).select_related("unit").filter(pk=int(value)).first()
    return _label(found) if found else None


def register() -> None:
    search.register(search.SearchSource("nguoi", people, person_label, perm=PEOPLE_VIEW))
