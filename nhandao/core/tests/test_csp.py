"""The Content-Security-Policy header (issue 16, point 3): strict, on every page."""

from django.urls import reverse


def test_every_page_carries_a_strict_content_security_policy(client, db):
    policy = client.get(reverse("accounts:login")).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe-inline" not in policy and "http" not in policy
