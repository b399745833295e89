"""The user accounts' search lists (core.search): `tai-khoan` for the role assignment form,
`nguoi-thuc-hien` for the audit log's filter by who did it.

Who may manage accounts finds every account (a new one has no role yet); otherwise only accounts
holding a role inside the searcher's own scope (of assigning roles, or of reading the audit log) are
found.  The audit log's list also finds closed accounts: their deeds stay in the log.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from nhandao.core import search
from nhandao.core.access import AUDIT_VIEW, ORG_ASSIGN_ROLES, USERS_MANAGE
from nhandao.core.text import normalize

from . import access
from .models import RoleAssignment


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


def register() -> None:
    search.register(search.SearchSource("tai-khoan", accounts, account_label, perm=ORG_ASSIGN_ROLES))
    search.register(search.SearchSource("nguoi-thuc-hien", actors, actor_label, perm=AUDIT_VIEW))
