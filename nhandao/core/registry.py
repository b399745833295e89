"""Extension points that later modules plug into from their AppConfig.ready().

NAV_ITEMS: menu entries shown to users holding a permission somewhere.
PUBLIC_LINKS: links on the public landing page (the transparency portal, …).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy translation
    url_name: str
    perm: str
    order: int = 50


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
