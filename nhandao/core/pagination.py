from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

# Results counted on the big lists (people, households, gifts): beyond this the page says "more
# than …" and the user narrows the filter; an exact COUNT over a city's hundreds of thousands of
# rows with the list's filters costs more than the page itself.
LIST_CAP = 2_000


class CappedPaginator(Paginator):
    """Counts at most `cap` rows.

    At city scale an exact COUNT(*) over 272,000 people with the list's filters
    costs 100–400 ms, far more than fetching the page; beyond the cap the page
    says "more than …" and the user narrows the filter (pages past the cap are
    not offered).
    """

    def __init__(self, object_list, per_page, cap: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        if hasattr(self.object_list, "count") and hasattr(self.object_list, "query"):
            n = self.object_list.order_by()[: self.cap + 1].count()
        else:
            n = len(self.object_list)
        self.capped = n > self.cap
        return min(n, self.cap)


class LookaheadPaginator(Paginator):
    """No COUNT at all: fetches one row more than a page to know whether a next page exists.

    For searches, where counting costs as much as finding (a trigram index scan
    each time); the page shows "Trang n" and a link to the next one.
    """

    lookahead = True
    capped = False

    def __init__(self, object_list, per_page, number: int):
        super().__init__(object_list, per_page)
        self.number = max(1, number)
        offset = (self.number - 1) * per_page
        self.rows = list(object_list[offset : offset + per_page + 1])
        if not self.rows and self.number > 1:
            self.number = 1
            self.rows = list(object_list[: per_page + 1])
        self.offset = (self.number - 1) * per_page

    @cached_property
    def count(self) -> int:
        return self.offset + len(self.rows)

    def page(self, number):
        return self._get_page(self.rows[: self.per_page], self.number, self)

    def get_page(self, number):
        return self.page(self.number)


def paginate(
    request, queryset, per_page: int | None = None, cap: int | None = None, lookahead: bool = False
) -> Page:
    """A page of results; any bad ?page= value gives the first or last page, never an error.

    With `cap`, at most that many results are counted (see CappedPaginator); with
    `lookahead`, none are (see LookaheadPaginator).
    """
    per_page = per_page or settings.NHANDAO_PAGE_SIZE
    raw = request.GET.get("page", "1")
    if len(raw) > 9:
        raw = "1"
    if lookahead:
        return LookaheadPaginator(queryset, per_page, int(raw) if raw.isdigit() else 1).get_page(raw)
    if cap:
        return CappedPaginator(queryset, per_page, cap).get_page(raw)
    return Paginator(queryset, per_page).get_page(raw)


def query_without_page(request) -> str:
    """The current query string minus `page`, for building page links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
