"""The staff's main menu (issue 15, point 3): a few groups with sub-menus instead of one line per
module, so a city administrator's header fits one line at 1280 px.  Each app registers its entries
(`core.registry.add_nav`) with the key of its group; the organisation's own pages (units, agencies,
audit log, accounts) join the administration group here.  A user sees only the entries whose
permission it holds somewhere, and a group left with one entry is shown as that entry alone."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nhandao.core.access import AUDIT_VIEW, ORG_VIEW, USERS_MANAGE
from nhandao.core.registry import NAV_ITEMS, NavItem
from nhandao.org import access


@dataclass(frozen=True)
class Group:
    key: str
    label: object  # a lazy translation


GROUPS = (
    Group("members", _("Hội viên, phong trào")),
    Group("help", _("Trợ giúp")),
    Group("money", _("Tài chính")),
    Group("plans", _("Kế hoạch")),
    Group("news", _("Tin tức")),
    Group("admin", _("Quản trị")),
)

# The organisation's pages: office's own entries of the administration group.
ORG_ITEMS = (
    NavItem(_("Đơn vị"), "org:tree", ORG_VIEW, order=1, group="admin"),
    NavItem(_("Cơ quan"), "org:agencies", ORG_VIEW, order=2, group="admin"),
    NavItem(_("Nhật ký"), "org:audit", AUDIT_VIEW, order=3, group="admin"),
    NavItem(_("Tài khoản"), "accounts:users", USERS_MANAGE, order=4, group="admin"),
)


def _entry(item: NavItem) -> dict:
    return {"label": item.label, "url": reverse(item.url_name)}


def modules(user) -> list[dict]:
    """The apps' entries this user may open, in their order (the dashboard's shortcuts)."""
    return [_entry(item) for item in NAV_ITEMS if access.has_perm(user, item.perm)]


def menu(user) -> list[dict]:
    """The menu's top-level entries: {"label", "key", "items": [{"label", "url"}, ...]}; an entry
    with one item is a plain link, more make a sub-menu."""
    perms: dict[str, bool] = {}

    def may(perm: str) -> bool:
        if perm not in perms:
            perms[perm] = access.has_perm(user, perm)
        return perms[perm]

    by_group: dict[str, list[dict]] = {group.key: [] for group in GROUPS}
    alone: list[dict] = []
    seen: set[str] = set()
    for item in (*NAV_ITEMS, *ORG_ITEMS):
        if not may(item.perm):
            continue
        entry = _entry(item)
        if entry["url"] in seen:  # one page under two names (the dashboard for agencies)
            continue
        seen.add(entry["url"])
        by_group.get(item.group, alone).append(entry)
    entries = [{"key": "", "label": e["label"], "items": [e]} for e in alone]
    for group in GROUPS:
        items = by_group[group.key]
        if len(items) == 1:
            entries.append({"key": group.key, "label": items[0]["label"], "items": items})
        elif items:
            entries.append({"key": group.key, "label": group.label, "items": items})
    return entries


# The menu's HTML by what it depends on: which entries a user may open follows from their roles
# alone (access.has_perm with no unit: some unit grants the permission), and its words and links
# from the language and the script prefix.  Rendered once per process for each such key instead of
# on every page (a fifth of a list page's template work); a change of roles changes the key.
_HTML: dict[tuple, str] = {}


def _key(user) -> tuple:
    return (
        bool(user.is_superuser),
        frozenset(access.roles_of(user)),
        get_language(),
        get_script_prefix(),
    )


def menu_html(user) -> str:
    key = _key(user)
    html = _HTML.get(key)
    if html is None:
        html = render_to_string("_nav_modules.html", {"nav": {"menu": menu(user)}})
        if len(_HTML) >= 512:
            _HTML.clear()
        _HTML[key] = html
    return html
