"""The strict Content-Security-Policy holds in a real browser (issue 16, point 3): the public portal,
the sign-in page and the main pages of a commune manager and of the city administrator load with no
CSP violation, neither in the console nor as a `securitypolicyviolation` event."""

import pytest
from django.urls import reverse

from nhandao.portal.tests.conftest import _fresh_cache, portal  # noqa: F401 (fixtures)
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Recorded before any script of the page runs, so nothing escapes.
LISTEN = """window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});"""

OFFICE_PAGES = [
    "office:home",
    "people:list",
    "beneficiaries:cases",
    "funds:donations",
    "funds:disbursements",
    "blood:drives",
    "relief:incidents",
    "plans:plans",
]


def _violations_on(page, base: str, paths: list[str]) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda msg: (
            found.append(f"{page.url}: {msg.text}") if "Content Security Policy" in msg.text else None
        ),
    )
    for path in paths:
        response = page.goto(f"{base}{path}")
        assert response.status < 400, (path, response.status)
        assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}, path
        page.wait_for_load_state("networkidle")
        found += [f"{path}: {v}" for v in page.evaluate("window.__cspViolations")]
    return found


@pytest.fixture
def csp_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_public_pages_load_without_a_csp_violation(live_server, csp_page, portal):  # noqa: F811
    code = portal.campaign.code
    paths = [
        reverse("accounts:login"),
        reverse("portal:home"),
        reverse("portal:funds"),
        reverse("portal:search"),
        reverse("portal:campaign", args=[code]),
        reverse("portal:gifts", args=[code]),
        reverse("portal:spending", args=[code]),
        reverse("portal:report", args=[code]),
    ]
    assert _violations_on(csp_page, live_server.url, paths) == []


@pytest.mark.parametrize("who", ["manager_a", "city_admin"])
def test_office_pages_load_without_a_csp_violation(live_server, csp_page, world, who):
    login(csp_page, live_server.url, getattr(world, who).username)
    found = _violations_on(csp_page, live_server.url, [reverse(name) for name in OFFICE_PAGES])
    csp_page.screenshot(path=f"var/shots/csp-{who}.png")
    assert found == []
