"""Extension points that later modules plug into from their AppConfig.ready().

NAV_ITEMS: menu entries shown to users holding a permission somewhere, each in a group of the menu
(`NavItem.group`, one of nhandao.office.menu.GROUPS: members, money, help, plans, news, admin).
PUBLIC_LINKS: links on the public landing page (the transparency portal, …).
FRONT_SECTIONS: sections of the public home page (`register_front_section`), `set_public_home`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy translation
    url_name: str
    perm: str
    order: int = 50
    group: str = ""  # the menu's group (nhandao.office.menu.GROUPS); "" stands alone in the menu


@dataclass(frozen=True)
class PublicLink:
    label: object
    url_name: str
    order: int = 50


NAV_ITEMS: list[NavItem] = []
PUBLIC_LINKS: list[PublicLink] = []


def add_nav(item: NavItem) -> None:
    if item not in NAV_ITEMS:
        NAV_ITEMS.append(item)
        NAV_ITEMS.sort(key=lambda i: i.order)


def add_public_link(link: PublicLink) -> None:
    if link not in PUBLIC_LINKS:
        PUBLIC_LINKS.append(link)
        PUBLIC_LINKS.sort(key=lambda i: i.order)


# The public front (nhandao.portal's home page for visitors) ---------------------------------------
@dataclass(frozen=True)
class FrontSection:
    """One section of the public home page.

    `context()` returns the template's context (a dict), or None to leave the section out (nothing
    to show).  It runs for anonymous visitors only and its output is cached with the page (the
    portal's cache: a short TTL and the ledger and stories versions), so it must not depend on who
    asks and must read public data only.  `template` is rendered with that context and `section`
    (this object).  Lower `order` comes first.
    """

    key: str
    title: object  # a lazy translation
    template: str
    context: object  # Callable[[], dict | None]
    order: int = 50


FRONT_SECTIONS: list[FrontSection] = []


def register_front_section(section: FrontSection) -> None:
    """Add a section to the public home page (call it from your AppConfig.ready()).

    The movements app shows the running movements with their live results, the blood app its
    next drives, stories the latest stories, the portal its campaigns.  A key registered twice
    keeps the later registration (reloads in development)."""
    FRONT_SECTIONS[:] = [s for s in FRONT_SECTIONS if s.key != section.key]
    FRONT_SECTIONS.append(section)
    FRONT_SECTIONS.sort(key=lambda s: (s.order, s.key))


_public_home: list = []


def set_public_home(view) -> None:
    """The view visitors (not signed in) get at "/": office shows its plain landing page until an
    app above it (the portal's public front) sets one."""
    _public_home[:] = [view]


def public_home():
    return _public_home[0] if _public_home else None
