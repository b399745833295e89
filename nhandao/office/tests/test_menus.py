"""Every demo role's menu shows only what it may open, and its dashboard says what the role is for
(issue 15, point 7); a closed root unit (Hải Dương, merged in 2025) is neither a dashboard card nor
a root of the tree unless closed units are asked for (point 4)."""

from __future__ import annotations

import re

from django.test import Client

from nhandao.accounts.models import User
from nhandao.org.models import Unit


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _menu_links(html: str) -> list[str]:
    header = re.search(r"<header class=\"site-header\">.*?</header>", html, re.S).group(0)
    links = re.findall(r'href="(/[^"#]*)"', header)
    return [link for link in dict.fromkeys(links) if not link.startswith("/static/")]


def test_every_menu_link_of_every_demo_role_opens(seeded_city, db):
    logins = [u.username for u in User.objects.filter(role_assignments__isnull=False).distinct()]
    assert "baocao.soyte" in logins and "xem.lechan" in logins
    tried = 0
    for username in logins:
        client = _client(username)
        home = client.get("/")
        assert home.status_code == 200
        for link in _menu_links(home.content.decode()):
            assert client.get(link).status_code == 200, (username, link)
            tried += 1
    assert tried > len(logins) * 3


def test_the_agency_reporter_is_told_what_its_role_is_for_not_that_it_has_none(seeded_city, db):
    body = _client("baocao.soyte").get("/").content.decode()
    assert "chưa được phân quyền" not in body
    assert "Báo cáo của cơ quan phối hợp" in body and "Sở Y tế" in body
    assert "Lập và nộp báo cáo của cơ quan" in body
    links = _menu_links(body)
    assert "/so-lieu-tro-giup/" in links and "/don-vi/" not in links and "/co-quan/" not in links


def test_a_user_without_any_role_is_told_so(db, world):
    body = world.client(world.nobody).get("/").content.decode()
    assert "chưa được phân quyền" in body


def test_a_closed_root_is_no_dashboard_card_nor_root_of_the_tree_unless_asked_for(seeded_city, db):
    closed = Unit.objects.filter(parent__isnull=True, valid_to__isnull=False).first()
    assert closed is not None and "Hải Dương" in closed.name  # the demo's merged province
    client = _client("admin.thanhpho")
    assert closed.name not in client.get("/").content.decode()
    assert closed.name not in client.get("/don-vi/").content.decode()
    assert closed.name in client.get("/don-vi/", {"closed": "1"}).content.decode()


def _top_level(html: str) -> list[str]:
    """The menu's top-level entries: a group's summary or a link that stands alone."""
    header = re.search(r"<ul class=\"nav-links\">(.*?)</nav>", html, re.S).group(1)
    header = re.sub(r"<details[^>]*>\s*<summary>(.*?)</summary>.*?</details>", r"[\1]", header, flags=re.S)
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li>(.*?)</li>", header, re.S)]


def test_the_city_admins_menu_is_a_few_groups_not_a_line_per_module(seeded_city, db):
    body = _client("admin.thanhpho").get("/").content.decode()
    top = _top_level(body)
    assert len(top) <= 10, top
    for group in ("[Hội viên, phong trào]", "[Trợ giúp]", "[Tài chính]", "[Kế hoạch]", "[Quản trị]"):
        assert group in top, top
    # every module is still there, inside its group
    links = _menu_links(body)
    for url in ("/don-vi/", "/co-quan/", "/nhat-ky/", "/quy/", "/hien-mau/quan-ly/"):
        assert url in links, url
    assert len(links) >= 18


def test_a_group_of_one_entry_is_that_entry_alone(seeded_city, db):
    body = _client("baocao.soyte").get("/").content.decode()
    top = _top_level(body)
    assert "[Trợ giúp]" not in top and "Số liệu trợ giúp" in top, top


def test_the_menu_is_rendered_once_per_roles_and_language_and_follows_a_change_of_roles(db, world):
    """office.menu.menu_html keeps the menu's HTML by roles and language: two users with the same
    roles share it, another role set or language gets its own, and a new role shows at once."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from nhandao.office import menu
    from nhandao.org import access, services

    menu._HTML.clear()
    viewer = world.viewer_a
    fresh = render_to_string("_nav_modules.html", {"nav": {"menu": menu.menu(viewer)}})
    assert menu.menu_html(viewer) == fresh
    assert menu.menu_html(viewer) is menu.menu_html(viewer)
    manager = world.manager_a
    assert menu.menu_html(manager) != menu.menu_html(viewer)
    with translation.override("en"):
        english = menu.menu_html(viewer)
    assert english != fresh and ("Members" in english or "Help" in english or "Units" in english)

    body = world.client(viewer).get("/").content.decode()
    assert fresh in body
    # The viewer is given the manager's role: the next page shows the manager's menu.
    role = next(r for r, _p, _a in access._assignments(manager))
    services.role_assign(actor=None, user=viewer, unit=world.commune_a, role=role)
    access.forget(viewer)
    body = world.client(viewer).get("/").content.decode()
    assert menu.menu_html(manager) in body
