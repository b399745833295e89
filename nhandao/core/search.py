"""Search instead of long lists (issue 15, point 5): one widget, one endpoint, sources per app.

A field that names a person, a user, a commune, a bank or a case by a code shows a search box:
the user types part of a name (diacritics ignored) and picks from what the source finds *in their
scope*.  Apps register a `SearchSource` from their AppConfig.ready(); the office app serves
`/tim/<key>/?q=` (JSON) for the static script static/nhandao/search-select.js.

Without script the widget is the plain text box the field always had (the code typed by hand), so
the field's own cleaning and the service's checks stay the only judges of what is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

LIMIT = 20


@dataclass(frozen=True)
class SearchSource:
    key: str  # the URL segment: /tim/<key>/
    # (user, query, limit) -> [(value, label)]: what the user may pick, best first, in their scope.
    search: Callable[[object, str, int], list[tuple[str, str]]]
    # (user, value) -> label, or None when the value is unknown or outside the user's scope.
    label: Callable[[object, str], str | None]
    # Whoever lacks it everywhere gets a 403 from the endpoint (None: any signed-in user).
    perm: str | None = None


SOURCES: dict[str, SearchSource] = {}


def register(source: SearchSource) -> None:
    SOURCES[source.key] = source


class SearchSelect(forms.TextInput):
    """A text box for a code that becomes a search-as-you-type list with script.

    The shared form include sets `user` (core.forms.form_ready) so that a sent value is shown by its
    label only where the user may see it (a scoped source answers None for no user); otherwise the
    value is shown as typed.
    """

    template_name = "core/widgets/search_select.html"

    def __init__(self, source: str, attrs=None, user=None):
        super().__init__(attrs)
        self.source = source
        self.user = user

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        label = ""
        if value not in (None, "") and self.source in SOURCES:
            label = SOURCES[self.source].label(self.user, str(value)) or ""
        context["widget"].update(
            search_url=reverse("office:search", args=[self.source]),
            label=label,
            placeholder=_("Gõ vài chữ để tìm…"),
            none=_("Không tìm thấy trong phạm vi của bạn."),
        )
        return context


def results(source: SearchSource, user, query: str) -> list[dict[str, str]]:
    query = (query or "").strip()[:100]
    return [{"value": str(v), "label": str(label)} for v, label in source.search(user, query, LIMIT)[:LIMIT]]
