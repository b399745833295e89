from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator


def paginate(request, queryset, per_page: int | None = None) -> Page:
    """A page of results; any bad ?page= value gives the first or last page, never an error."""
    per_page = per_page or settings.NHANDAO_PAGE_SIZE
    raw = request.GET.get("page", "1")
    if len(raw) > 9:
        raw = "1"
    return Paginator(queryset, per_page).get_page(raw)


def query_without_page(request) -> str:
    """The current query string minus `page`, for building page links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
