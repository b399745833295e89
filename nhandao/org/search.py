"""The user accounts' search list (core.search), for the role assignment form.

Who may manage accounts finds every account (a new one has no role yet); otherwise only accounts
holding a role inside the searcher's own scope are found.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from nhandao.core import search
from nhandao.core.access import ORG_ASSIGN_ROLES, USERS_MANAGE
from nhandao.core.text import normalize

from . import access
from .models import RoleAssignment


def _findable(user):
    users = get_user_model().objects.filter(is_active=True)
    if access.scope(user, USERS_MANAGE).everything:
        return users
    inside = access.scope(user, ORG_ASSIGN_ROLES).filter(RoleAssignment.objects.all())
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


def register() -> None:
    search.register(search.SearchSource("tai-khoan", accounts, account_label, perm=ORG_ASSIGN_ROLES))
