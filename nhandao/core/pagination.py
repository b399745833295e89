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


def rows_by_ids(queryset, bottom: int, top: int) -> list:
    """Rows `bottom`..`top` of an ordered queryset, found by their ids first.

    The first query reads only the ids in the list's order, which PostgreSQL answers from a
    covering index without visiting the table (a commune's page of the city's people: the index
    walks past the other communes' entries, where a full-row query fetched each of their rows
    from the table to test it: 1–3 ms instead of 8–24 ms); the second fetches the page's rows by
    id, with the queryset's columns, joins and prefetches.  A row deleted between the two is
    simply not shown."""
    ids = list(queryset.prefetch_related(None).values_list("pk", flat=True)[bottom:top])
    if not ids:
        return []
    found = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


class IdsFirstPaginator(CappedPaginator):
    """A capped paginator whose pages are read by ids first (see rows_by_ids)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(rows_by_ids(self.object_list, bottom, top), number, self)


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
    request,
    queryset,
    per_page: int | None = None,
    cap: int | None = None,
    lookahead: bool = False,
    ids_first: bool = False,
) -> Page:
    """A page of results; any bad ?page= value gives the first or last page, never an error.

    With `cap`, at most that many results are counted (see CappedPaginator), and with
    `ids_first` too the page's rows are found by their ids first (IdsFirstPaginator: for a list
    whose order and filters a covering index holds); with `lookahead`, none are counted (see
    LookaheadPaginator).
    """
    per_page = per_page or settings.NHANDAO_PAGE_SIZE
    raw = request.GET.get("page", "1")
    if len(raw) > 9:
        raw = "1"
    if lookahead:
        return LookaheadPaginator(queryset, per_page, int(raw) if raw.isdigit() else 1).get_page(raw)
    if cap:
        paginator = IdsFirstPaginator if ids_first else CappedPaginator
        return paginator(queryset, per_page, cap).get_page(raw)
    return Paginator(queryset, per_page).get_page(raw)


def query_without_page(request) -> str:
    """The current query string minus `page`, for building page links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
