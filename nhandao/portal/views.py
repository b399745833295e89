"""The public transparency portal: no login, read-only, selectors only.

Every page is public; nothing here takes a user into account except the cache,
which never serves or stores a logged-in visitor's response.  Unknown codes
answer 404, bad query parameters a Vietnamese message and no filter.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from nhandao.banking.services import qrcodes
from nhandao.campaigns import selectors as campaigns
from nhandao.campaigns.models import CampaignStatus
from nhandao.core.pagination import query_without_page
from nhandao.funds import public as funds
from nhandao.funds.models import HelpKind
from nhandao.relief import public as relief
from nhandao.relief.models import FIGURES

from . import forms, totals
from . import report as report_mod
from .cache import public_cache

PAGE_SIZE = 20
GIFTS_PAGE_SIZE = 50
MAX_PAGE = 200  # deeper pages cost an OFFSET over the whole campaign: narrow the search instead
# A filtered search reads at most this many gifts (20 pages), counted and summed; a donor
# looking for their gift narrows a search that finds more (name and date, name and amount).
COUNT_CAP = 1000


# Campaigns found by code, per ledger version (which holds the campaigns' last change): a page
# computed for the cache does not look its campaign up again while nothing changed.
_by_code: dict[str, tuple[str, object]] = {}


def _campaign_or_404(request, code: str):
    version = getattr(request, "portal_version", None)
    known = _by_code.get(code) if version else None
    if known is not None and known[0] == version:
        campaign = known[1]
    else:
        campaign = campaigns.public_campaign_by_code(code)
        if version and len(code) <= 20:
            if len(_by_code) >= 500:  # unknown codes too: bounded
                _by_code.clear()
            _by_code[code] = (version, campaign)
    if campaign is None:
        raise Http404
    return campaign


# The one search's places (public campaigns, general funds) per ledger version, which changes
# with every posting (a fund's first gift) and every campaign change; kept a minute at most
# (a unit renamed changes neither).
PLACES_SECONDS = 60
_places: dict[str, object] = {}


def _gift_places(request):
    version = getattr(request, "portal_version", None)
    now = time.monotonic()
    if version and _places.get("version") == version and now - _places["at"] < PLACES_SECONDS:
        return _places["places"]
    places = funds.public_gift_places()
    if version:
        _places.update(version=version, places=places, at=now)
    return places


class _CountedPaginator(Paginator):
    """A paginator told its count (already computed with the totals): no second COUNT."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self._known = count

    @property
    def count(self) -> int:  # type: ignore[override]
        return min(self._known, MAX_PAGE * self.per_page)


def _page_number(request) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and len(raw) <= 6 else 1


def ping(request):
    """The ceiling the benchmark compares with: Django's stack and nothing else."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def language(request, lang):
    """The switcher of the public pages: a plain link (no form, no CSRF token) so pages stay cacheable."""
    target = request.GET.get("next") or "/minh-bach/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/minh-bach/"
    response = HttpResponseRedirect(target)
    if lang in {code for code, _ in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, lang, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax"
        )
    return response


@require_safe
@public_cache
def campaign_list(request):
    q = forms.campaign_query(request.GET, statuses={CampaignStatus.OPEN, CampaignStatus.CLOSED})
    qs = campaigns.public_campaigns()
    if q.unit is not None:
        qs = qs.filter(unit_id=q.unit)
    if q.status:
        qs = qs.filter(status=q.status)
    page = Paginator(qs, PAGE_SIZE).get_page(_page_number(request))
    rows = [{"campaign": c, "totals": totals.campaign_totals(c)} for c in page.object_list]
    return render(
        request,
        "portal/campaign_list.html",
        {
            "page": page,
            "rows": rows,
            "q": q,
            "units": campaigns.public_campaign_units(),
            "statuses": [
                (CampaignStatus.OPEN, CampaignStatus.OPEN.label),
                (CampaignStatus.CLOSED, CampaignStatus.CLOSED.label),
            ],
            "query_string": query_without_page(request),
        },
    )


@require_safe
@public_cache
def fund_list(request):
    """The humanitarian funds of the city and of each commune, with what they hold."""
    q = forms.campaign_query(request.GET, statuses=set())
    page = Paginator(funds.public_general_funds(unit_id=q.unit), PAGE_SIZE * 2).get_page(
        _page_number(request)
    )
    return render(
        request,
        "portal/fund_list.html",
        {"page": page, "q": q, "query_string": query_without_page(request)},
    )


def _vietqr_codes(campaign) -> list[dict]:
    return [
        {"account": b, "code": code, "svg": mark_safe(code.svg())}  # segno's markup of an ASCII payload
        for b in funds.public_bank_accounts(campaign)
        for code in [qrcodes.code_for(b, campaign=campaign)]
    ]


@require_safe
@public_cache
def campaign_detail(request, code):
    campaign = _campaign_or_404(request, code)
    figures = totals.campaign_totals(campaign)
    by_unit = totals.campaign_totals_by_unit(campaign)
    return render(
        request,
        "portal/campaign_detail.html",
        {
            "campaign": campaign,
            "totals": figures,
            "by_unit": by_unit,
            "held_below_zero": any(u["held"] < 0 for u in by_unit),
            "recent": list(funds.public_gift_rows(campaign)[:10]),
            "codes": _vietqr_codes(campaign) if campaign.status == CampaignStatus.OPEN else [],
            "digest": funds.ledger_digests(campaign=campaign).first(),
            "tab": "overview",
        },
    )


@require_safe
@public_cache
def gift_search(request, code):
    campaign = _campaign_or_404(request, code)
    q = forms.gift_query(request.GET)
    if q.is_filtered:
        # One indexed scan gives the count, the sum and the page's ids; one query the page's rows.
        found = funds.public_gift_search(campaign, cap=COUNT_CAP, **q.filters)
        page = _CountedPaginator([], GIFTS_PAGE_SIZE, found.count).get_page(_page_number(request))
        page.object_list = found.rows(campaign, page.start_index() - 1, page.end_index())
        totals_found = {"count": found.count, "total": found.total, "capped": found.capped}
        shown_cap = COUNT_CAP
    else:  # everything: the kept totals, exact at any size, and pages read by OFFSET
        kept = totals.campaign_totals(campaign)
        totals_found = {"count": kept.gifts, "total": kept.raised, "capped": False}
        rows = funds.public_gift_rows(campaign)
        page = _CountedPaginator(rows, GIFTS_PAGE_SIZE, kept.gifts).get_page(_page_number(request))
        shown_cap = MAX_PAGE * GIFTS_PAGE_SIZE
    return render(
        request,
        "portal/gift_search.html",
        {
            "campaign": campaign,
            "q": q,
            "page": page,
            "totals": totals_found,
            "capped": totals_found["capped"] or totals_found["count"] > shown_cap,
            "shown_cap": shown_cap,
            "query_string": query_without_page(request),
            "tab": "gifts",
        },
    )


@require_safe
@public_cache
def gift_search_everywhere(request):
    """One search across every public campaign and the units' general funds, with the campaign
    search's privacy and cap; it asks for a criterion rather than list every gift."""
    q = forms.everywhere_query(request.GET)
    places = _gift_places(request)
    page = totals_found = None
    if q.is_filtered:
        campaign_ids, fund_ids = places.scope(
            campaign_code=q.campaign_code, fund_id=q.fund_id, unit_id=q.unit
        )
        found = funds.public_gift_search_everywhere(
            cap=COUNT_CAP, campaign_ids=campaign_ids, fund_ids=fund_ids, **q.gifts.filters
        )
        page = _CountedPaginator([], GIFTS_PAGE_SIZE, found.count).get_page(_page_number(request))
        page.object_list = funds.public_found_gifts(found.ids[page.start_index() - 1 : page.end_index()])
        totals_found = {"count": found.count, "total": found.total, "capped": found.capped}
    return render(
        request,
        "portal/gift_search_everywhere.html",
        {
            "q": q,
            "page": page,
            "totals": totals_found,
            "shown_cap": COUNT_CAP,
            "places": places,
            "query_string": query_without_page(request),
        },
    )


@require_safe
@public_cache
def spending(request, code):
    campaign = _campaign_or_404(request, code)
    page = Paginator(funds.public_disbursements(campaign), GIFTS_PAGE_SIZE).get_page(_page_number(request))
    return render(
        request,
        "portal/spending.html",
        {
            "campaign": campaign,
            "page": page,
            "totals": totals.campaign_totals(campaign),
            "goods": funds.public_goods(campaign),
            "help_kinds": dict(HelpKind.choices),
            "query_string": query_without_page(request),
            "tab": "spending",
        },
    )


@require_safe
@public_cache
def report(request, code):
    campaign = _campaign_or_404(request, code)
    return render(
        request,
        "portal/report.html",
        {"r": report_mod.build(campaign), "campaign": campaign, "tab": "report"},
    )


@require_safe
@public_cache
def report_pdf(request, code):
    campaign = _campaign_or_404(request, code)
    response = HttpResponse(report_mod.pdf(report_mod.build(campaign)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bao-cao-{campaign.code}.pdf"'
    return response


@require_safe
def mobilisation_document(request, code):
    """The uploaded mobilisation document, only for public campaigns (the file's storage path is never linked)."""
    campaign = _campaign_or_404(request, code)
    if not campaign.mobilisation_document:
        raise Http404
    try:
        handle = campaign.mobilisation_document.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="van-ban-van-dong-{campaign.code}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@public_cache
def vietqr_png(request, code):
    campaign = _campaign_or_404(request, code)
    codes = _vietqr_codes(campaign) if campaign.status == CampaignStatus.OPEN else []
    raw = request.GET.get("tk", "")
    chosen = next((c for c in codes if str(c["account"].pk) == raw), codes[0] if codes else None)
    if chosen is None:
        raise Http404
    response = HttpResponse(chosen["code"].png(), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="vietqr-{campaign.code}.png"'
    return response


@require_safe
@public_cache
def receipt_check(request, code):
    """What a receipt's QR code proves: the gift as the donor chose to appear, and its place in the chain.

    Cached like the other pages: a reversal is a posting, which changes the cache's key at once."""
    check = funds.receipt_verification(code)
    if check is None:
        return render(request, "portal/receipt_unknown.html", {"code": code[:40]}, status=404)
    digest = funds.ledger_digests().filter(last_number__gte=check.entry_number).order_by("day").first()
    return render(
        request,
        "portal/receipt.html",
        {"check": check, "digest": digest, "campaign": check.public_campaign},
    )


@require_safe
@public_cache
def incident(request, pk):
    """A disaster as the public sees it: figures by commune, the response, the appeals; no names."""
    found = relief.public_incident(pk)
    if found is None:
        raise Http404
    situation = relief.public_situation(found)
    return render(
        request,
        "portal/incident.html",
        {
            "incident": found,
            "situation": situation,
            "totals": [
                (label, value) for (_name, label), value in zip(FIGURES, situation.total_values, strict=True)
            ],
            "response": relief.public_response(found),
            "figures": FIGURES,
            "campaigns": found.campaigns.filter(is_public=True).exclude(status=CampaignStatus.DRAFT),
        },
    )
