"""Every demo role, every page of its menu and a record of each kind, in a real browser at 360 and
1280 px (issue 15, "what must hold"): no HTTP error, nothing wider than the page, no figure running
into another, no console error (a CSP violation is one), no page wording left in Vietnamese when
the user reads English, and axe-core's WCAG 2.1 A/AA checks (labels, contrast, names, keyboard
reach) once for each kind of page.  Screenshots: `var/crawl/` (CI keeps them).

The crawl reads the seeded demo city (`seeded_city`); the browser's requests are answered by
Django's test client in this thread (`tests/browser/crawl.py`)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from nhandao.accounts.models import User
from tests.browser import crawl

pytestmark = [pytest.mark.browser]

# The demo's sign-ins (`seed_demo` prints them); a test below holds this list to the seed's own.
DEMO_LOGINS = (
    "admin.thanhpho",
    "baocao.sogddt",
    "baocao.soyte",
    "duyetchi.lechan",
    "duyetchi.thanhpho",
    "ketoan.lechan",
    "ketoan.thanhpho",
    "kiemtra.thanhpho",
    "nhaplieu.lechan",
    "nhaplieu.ngoquyen",
    "quanly.lechan",
    "quanly.ngoquyen",
    "truyenthong.thanhpho",
    "truytim.thanhpho",
    "xem.lechan",
    "yte.thanhpho",
)
PUBLIC = "public"

# Page kinds that axe-core has checked, over all roles: each kind once, at 1280 px.
_axe_seen: set[str] = set()


def test_the_crawl_covers_every_demo_login(seeded_city, db):
    printed = set(re.findall(r"^\s{2}([a-z]+\.[a-z]+)\s{2,}", seeded_city.output, flags=re.M))
    assert printed == set(DEMO_LOGINS)


@pytest.mark.parametrize("role", (PUBLIC, *DEMO_LOGINS))
def test_every_page_of_every_role_fits_answers_and_is_accessible(browser, seeded_city, db, role):
    client = Client()
    if role != PUBLIC:
        client.force_login(User.objects.get(username=role))
    found = crawl.crawl_role(browser, client, role, axe_seen=_axe_seen)
    in_english = crawl.crawl_role(browser, client, role, widths=(360,), english=True, shots=False)
    problems = found.problems + in_english.problems
    assert found.pages > (3 if role == PUBLIC else 5), found.pages
    assert not problems, f"{len(problems)} problems on {found.pages + in_english.pages} pages:\n" + "\n".join(
        map(str, problems)
    )
