"""The cases search list (core.search): a file by number, head's name or phone, in scope.

Found through `selectors.cases`, so outside their commune a user finds by name only the files
that agreed to share, as on the list.  The value is the file number ("HS-000123").
"""

from __future__ import annotations

from nhandao.core import search
from nhandao.core.access import BENEFICIARIES_VIEW

from . import selectors
from .models import Case


def _label(user, case: Case) -> str:
    # Outside its commune, a file that did not agree to share shows its number and place only.
    head = case.head.full_name if case.head_id and selectors.details_visible(user, case) else ""
    parts = [case.number, head, case.commune.name if case.commune_id else ""]
    return " · ".join(p for p in parts if p)


def cases(user, query: str, limit: int) -> list[tuple[str, str]]:
    if not query:
        return []
    qs = selectors.cases(user, selectors.CaseFilter(q=query, status="all"))
    qs = qs.filter(merged_into__isnull=True).select_related("head", "commune")
    return [(c.number, _label(user, c)) for c in qs[:limit]]


def case_label(user, value: str) -> str | None:
    text = value.strip().upper()
    digits = text[3:] if text.startswith("HS-") else text
    if user is None or not digits.isdigit() or len(digits) > 9:
        return None
    found = selectors.visible_cases(user).select_related("head", "commune").filter(pk=int(digits)).first()
    return _label(user, found) if found else None


def register() -> None:
    search.register(search.SearchSource("ho-so", cases, case_label, perm=BENEFICIARIES_VIEW))
