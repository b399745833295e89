"""Open data of the transparency portal: verify the books, download everything.  Public, read-only.

Every view reads through `selectors.py` (public selectors only).  Unknown campaign codes answer
404; a bad `page` gives the first or last page; a bad `up_to` or `campaign` parameter answers
with a Vietnamese message, never a 500.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from nhandao.core import formatting
from nhandao.core.exports import export_response
from nhandao.core.pagination import paginate
from nhandao.funds import public as funds
from nhandao.portal.cache import public_cache

from . import exports, iati, selectors

DIGESTS_PER_PAGE = 60
SCRIPT = Path(settings.BASE_DIR) / "scripts" / "verify_ledger_chain.py"


def _stamp() -> str:
    return timezone.localdate().strftime("%Y%m%d")


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _campaign_param(request):
    """(campaign or None, error message or ""): the optional ?campaign=CODE of the digests views."""
    raw = request.GET.get("campaign", "").strip()
    if not raw:
        return None, ""
    try:
        return selectors.public_campaign(raw), ""
    except Http404:
        return None, _("Không có cuộc vận động công khai nào mang mã này.")


# Verify the books ----------------------------------------------------------------------------
@require_safe
@public_cache
def index(request):
    """The open-data page: daily digests (whole ledger or one campaign), how to verify, downloads."""
    campaign, error = _campaign_param(request)
    page = paginate(request, selectors.digests(campaign), per_page=DIGESTS_PER_PAGE)
    context = {
        "campaign": campaign,
        "error": error,
        "page": page,
        "campaigns": selectors.digest_campaigns(),
        "canonical_form": exports.CANONICAL_FORM,
        "organisation_id": iati.organisation_id(),
        "query": urlencode({"campaign": campaign.code}) if campaign else "",
    }
    return render(request, "portal_data/index.html", context, status=404 if error else 200)


@require_safe
@public_cache
def digests_json(request):
    """The daily digests as JSON, newest first, paginated (?campaign=CODE&page=N)."""
    campaign, error = _campaign_param(request)
    if error:
        return JsonResponse({"error": error}, status=404, json_dumps_params={"ensure_ascii": False})
    page = paginate(request, selectors.digests(campaign), per_page=DIGESTS_PER_PAGE * 5)

    def link(number):
        params = {"page": number}
        if campaign:
            params["campaign"] = campaign.code
        return request.build_absolute_uri(reverse("portal_data:digests_json") + "?" + urlencode(params))

    data = exports.digests_page(
        campaign,
        page,
        link(page.next_page_number()) if page.has_next() else None,
        link(page.previous_page_number()) if page.has_previous() else None,
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_safe
def entries_json(request, code):
    """A campaign's public ledger entries with their hashes: what recomputing its chain needs."""
    campaign = selectors.public_campaign(code)
    raw = request.GET.get("up_to", "").strip()
    up_to = None
    if raw:
        if not raw.isdigit() or len(raw) > 18:
            return HttpResponse(
                _("Tham số up_to phải là số thứ tự của một dòng sổ cái (số nguyên dương)."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        up_to = int(raw)
    rows = selectors.entry_rows(campaign) if up_to is None else _entries_up_to(campaign, up_to)
    stream = exports.entries_stream(campaign, rows, digest=selectors.latest_digest(campaign), up_to=up_to)
    response = StreamingHttpResponse(stream, content_type="application/json; charset=utf-8")
    return _attachment(response, f"{campaign.code}-so-cai-{_stamp()}.json")


def _entries_up_to(campaign, up_to: int):
    return funds.public_entries(campaign, up_to=up_to).iterator(chunk_size=selectors.CHUNK)


@require_safe
def verify_script(request):
    """The verification script of the repository, as published."""
    if not SCRIPT.is_file():
        raise Http404
    response = HttpResponse(SCRIPT.read_bytes(), content_type="text/x-python; charset=utf-8")
    return _attachment(response, SCRIPT.name)


# Downloads -----------------------------------------------------------------------------------
EXCEL_MAX_ROWS = 1_048_575  # a worksheet's 1,048,576 rows, less the header


def _table(request, columns, rows, *, fmt: str, filename: str, what: str, title: str = "", hxl: bool = False):
    """A public table through the core exporter (public columns only: nothing to audit)."""
    return export_response(
        actor=request.user,
        columns=columns,
        rows=rows,
        fmt=fmt,
        filename=filename,
        what=what,
        title=title,
        hxl=hxl,
    )


def _too_many_rows(count: int):
    if count <= EXCEL_MAX_ROWS:
        return None
    return HttpResponse(
        _("Có %(n)s dòng, quá số dòng tối đa của một bảng tính Excel; hãy tải tệp CSV.")
        % {"n": formatting.number(count)},
        status=400,
        content_type="text/plain; charset=utf-8",
    )


# table -> (columns, rows, count, file name, sheet title)
TABLES = {
    "gifts": (
        exports.gift_columns,
        exports.gift_rows,
        selectors.gift_count,
        "ung-ho",
        gettext_lazy("Ủng hộ"),
    ),
    "disbursements": (
        exports.disbursement_columns,
        exports.disbursement_rows,
        selectors.disbursement_count,
        "chi",
        gettext_lazy("Chi"),
    ),
}


def _download(request, code, table: str, fmt: str, *, hxl: bool = False):
    columns, rows, count, name, title = TABLES[table]
    campaign = selectors.public_campaign(code)
    if fmt == "xlsx" and (refusal := _too_many_rows(count(campaign))):
        return refusal
    return _table(
        request,
        columns(campaign),
        rows(campaign),
        fmt=fmt,
        filename=f"{campaign.code}-{name}" + ("-hxl" if hxl else ""),
        what=f"portal.{table}",
        title=str(title),
        hxl=hxl,
    )


@require_safe
def gifts_csv(request, code):
    return _download(request, code, "gifts", "csv")


@require_safe
def gifts_hxl(request, code):
    return _download(request, code, "gifts", "csv", hxl=True)


@require_safe
def gifts_xlsx(request, code):
    return _download(request, code, "gifts", "xlsx")


@require_safe
def disbursements_csv(request, code):
    return _download(request, code, "disbursements", "csv")


@require_safe
def disbursements_hxl(request, code):
    return _download(request, code, "disbursements", "csv", hxl=True)


@require_safe
def disbursements_xlsx(request, code):
    return _download(request, code, "disbursements", "xlsx")


def _xml(stream, filename: str):
    response = StreamingHttpResponse(stream, content_type="application/xml; charset=utf-8")
    return _attachment(response, filename)


@require_safe
def campaign_iati(request, code):
    campaign = selectors.public_campaign(code)
    return _xml(iati.activities_stream([campaign]), f"{campaign.code}-iati-{_stamp()}.xml")


@require_safe
def iati_all(request):
    """Every public campaign, one activity each."""
    campaigns = list(selectors.public_campaigns())
    if not campaigns:
        raise Http404(_("Chưa có cuộc vận động công khai nào."))
    # Gifts are summed per day, so the file grows with days and campaigns, not with gifts: it is
    # built whole (a plain response, like every other URL without arguments).
    content = "".join(iati.activities_stream(campaigns)).encode()
    response = HttpResponse(content, content_type="application/xml; charset=utf-8")
    return _attachment(response, f"nhandao-iati-{_stamp()}.xml")
