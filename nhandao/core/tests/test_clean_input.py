"""Input is cleaned at the edge (issue 16, point 10): a NUL byte or a direction override in any
query string or form answers like ordinary text, never a server error, and never reaches a record."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from nhandao.core.middleware import CleanInputMiddleware
from nhandao.core.text import strip_invisible


def test_invisible_and_control_characters_are_stripped_and_vietnamese_kept():
    assert strip_invisible("Nguy\x00ễn Thị\u202e Mai\ufeff") == "Nguyễn Thị Mai"
    assert strip_invisible("dòng 1\ndòng 2\tcột") == "dòng 1\ndòng 2\tcột"
    assert strip_invisible("Đỗ Thị Hằng 🌸") == "Đỗ Thị Hằng 🌸"


def test_the_middleware_cleans_query_strings_and_forms_before_the_view():
    seen = {}

    def view(request):
        seen["get"] = request.GET.get("q")
        seen["post"] = request.POST.get("donor_name")
        seen["keys"] = list(request.POST)
        return None

    factory = RequestFactory()
    request = factory.post("/x/?q=a%00b%E2%80%AE", {"donor_name": "Mai\u202e\x00", "n\x00ote": "x"})
    CleanInputMiddleware(view)(request)
    assert seen == {"get": "ab", "post": "Mai", "keys": ["donor_name", "note"]}


def _plain_paths(resolver=None, prefix=""):
    """Every URL pattern that takes no argument, as a path."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _plain_paths(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and not p.pattern.converters and "<" not in str(p.pattern):
            route = prefix + str(p.pattern)
            if "^" in route or "(" in route:
                continue
            yield "/" + route


@pytest.mark.django_db
def test_a_nul_byte_in_any_query_string_never_answers_a_server_error(world):
    paths = sorted(set(_plain_paths()))
    assert len(paths) > 40
    clients = {"anonymous": Client(), "admin": world.client(world.city_admin)}
    tried = 0
    for who, client in clients.items():
        for path in paths:
            if path.startswith("/admin"):
                continue
            for query in ("q=%00", "page=1%00", "unit=%00&date_from=01%2F01%2F2026%00", "q=%E2%80%AE%00"):
                response = client.get(f"{path}?{query}")
                assert response.status_code < 500, (who, path, query, response.status_code)
                tried += 1
    assert tried > 150
