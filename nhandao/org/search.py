"""The user accounts' search lists (core.search): `tai-khoan` for the role assignment form,
`nguoi-thuc-hien` for the audit log's filter by who did it.

Who may manage accounts finds every account (a new one has no role yet); otherwise only accounts
holding a role inside the searcher's own scope (of assigning roles, or of reading the audit log) are
found.  The audit log's list also finds closed accounts: their deeds stay in the log.

`don-vi` and `don-vi-quy` find units by name or code among those the user may see (a unit field's
search list once its select would be long: org.forms.UnitChoiceField); `don-vi-quy` leaves out
branches and groups, which keep no funds.  What the form accepts stays its own field's choice.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from nhandao.core import search
from nhandao.core.access import AUDIT_VIEW, ORG_ASSIGN_ROLES, ORG_VIEW, USERS_MANAGE
from nhandao.core.collation import vi
from nhandao.core.text import normalize

from . import access
from .models import RoleAssignment, Unit, UnitKind


def _findable(user, perm: str = ORG_ASSIGN_ROLES, active_only: bool = True):
    users = get_user_model().objects.all()
    if active_only:
        users = users.filter(is_active=True)
    if access.scope(user, USERS_MANAGE).everything:
        return users
    inside = access.scope(user, perm).filter(RoleAssignment.objects.all())
    return users.filter(Exists(inside.filter(user=OuterRef("pk"))))


def _label(account) -> str:
    return f"{account.full_name} ({account.username})" if account.full_name else account.username


def accounts(user, query: str, limit: int) -> list[tuple[str, str]]:
    qs = _findable(user)
    if query:
        qs = qs.filter(search_key__contains=normalize(query))
    return [(a.username, _label(a)) for a in qs.order_by("username")[:limit]]


def account_label(user, value: str) -> str | None:
    if user is None:
        return None
    found = _findable(user).filter(username__iexact=value.strip()).first()
    return _label(found) if found else None


def actors(user, query: str, limit: int) -> list[tuple[str, str]]:
    qs = _findable(user, AUDIT_VIEW, active_only=False)
    if query:
        qs = qs.filter(search_key__contains=normalize(query))
    return [(a.username, _label(a)) for a in qs.order_by("username")[:limit]]


def actor_label(user, value: str) -> str | None:
    if user is None:
        return None
    found = _findable(user, AUDIT_VIEW, active_only=False).filter(username__iexact=value.strip()).first()
    return _label(found) if found else None


def _units(user, funds_only: bool):
    units = access.scope(user, ORG_VIEW).units().active()
    if funds_only:
        units = units.exclude(kind__in=[UnitKind.BRANCH, UnitKind.GROUP])
    return units


def _unit_label(unit: Unit) -> str:
    return f"{unit.name} ({unit.code})"


def _unit_search(funds_only: bool):
    def search_units(user, query: str, limit: int) -> list[tuple[str, str]]:
        qs = _units(user, funds_only)
        if query:
            qs = qs.filter(search_key__contains=normalize(query))
        return [(str(u.pk), _unit_label(u)) for u in qs.order_by("depth", vi("name"))[:limit]]

    return search_units


def _unit_label_of(funds_only: bool):
    def unit_label(user, value: str) -> str | None:
        if user is None or not value.strip().isdigit() or len(value.strip()) > 9:
            return None
        found = _units(user, funds_only).filter(pk=int(value)).first()
        return _unit_label(found) if found else None

    return unit_label


def register() -> None:
    search.register(search.SearchSource("tai-khoan", accounts, account_label, perm=ORG_ASSIGN_ROLES))
    search.register(search.SearchSource("nguoi-thuc-hien", actors, actor_label, perm=AUDIT_VIEW))
    search.register(search.SearchSource("don-vi", _unit_search(False), _unit_label_of(False), perm=ORG_VIEW))
    search.register(
        search.SearchSource("don-vi-quy", _unit_search(True), _unit_label_of(True), perm=ORG_VIEW)
    )
