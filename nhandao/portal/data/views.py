"""Open data of the transparency portal: verify the books, download everything.  Public, read-only.

Every view reads through `selectors.py` (public selectors only).  Unknown campaign codes answer
404; a bad `page` gives the first or last page; a bad `up_to` or `campaign` parameter answers
with a Vietnamese message, never a 500.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from nhandao.core import formatting
from nhandao.core.exports import XLSX_TYPE
from nhandao.core.pagination import paginate
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
    stream = exports.entries_stream(campaign, rows, digest=selectors.latest_digest(campaign))
    response = StreamingHttpResponse(stream, content_type="application/json; charset=utf-8")
    return _attachment(response, f"{campaign.code}-so-cai-{_stamp()}.json")


def _entries_up_to(campaign, up_to: int):
    from nhandao.funds import public as funds

    return funds.public_entries(campaign, up_to=up_to).iterator(chunk_size=selectors.CHUNK)


@require_safe
def verify_script(request):
    """The verification script of the repository, as published."""
    if not SCRIPT.is_file():
        raise Http404
    response = HttpResponse(SCRIPT.read_bytes(), content_type="text/x-python; charset=utf-8")
    return _attachment(response, SCRIPT.name)


# Downloads -----------------------------------------------------------------------------------
def _csv(stream, filename: str):
    response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


EXCEL_MAX_ROWS = 1_048_575  # a worksheet's 1,048,576 rows, less the header


def _xlsx(columns, rows, *, title: str, filename: str, count: int):
    if count > EXCEL_MAX_ROWS:
        return HttpResponse(
            _("Có %(n)s dòng, quá số dòng tối đa của một bảng tính Excel; hãy tải tệp CSV.")
            % {"n": formatting.number(count)},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    handle, _count = exports.xlsx_file(columns, rows, title=title)
    response = FileResponse(handle, as_attachment=True, filename=filename)
    response["Content-Type"] = XLSX_TYPE
    return response


@require_safe
def gifts_csv(request, code):
    campaign = selectors.public_campaign(code)
    stream = exports.csv_stream(exports.gift_columns(campaign), exports.gift_rows(campaign))
    return _csv(stream, f"{campaign.code}-ung-ho-{_stamp()}.csv")


@require_safe
def gifts_hxl(request, code):
    campaign = selectors.public_campaign(code)
    stream = exports.csv_stream(exports.gift_columns(campaign), exports.gift_rows(campaign), hxl=True)
    return _csv(stream, f"{campaign.code}-ung-ho-hxl-{_stamp()}.csv")


@require_safe
def gifts_xlsx(request, code):
    campaign = selectors.public_campaign(code)
    return _xlsx(
        exports.gift_columns(campaign),
        exports.gift_rows(campaign),
        title=_("Ủng hộ"),
        filename=f"{campaign.code}-ung-ho-{_stamp()}.xlsx",
        count=selectors.gift_count(campaign),
    )


@require_safe
def disbursements_csv(request, code):
    campaign = selectors.public_campaign(code)
    stream = exports.csv_stream(exports.disbursement_columns(campaign), exports.disbursement_rows(campaign))
    return _csv(stream, f"{campaign.code}-chi-{_stamp()}.csv")


@require_safe
def disbursements_hxl(request, code):
    campaign = selectors.public_campaign(code)
    stream = exports.csv_stream(
        exports.disbursement_columns(campaign), exports.disbursement_rows(campaign), hxl=True
    )
    return _csv(stream, f"{campaign.code}-chi-hxl-{_stamp()}.csv")


@require_safe
def disbursements_xlsx(request, code):
    campaign = selectors.public_campaign(code)
    return _xlsx(
        exports.disbursement_columns(campaign),
        exports.disbursement_rows(campaign),
        title=_("Chi"),
        filename=f"{campaign.code}-chi-{_stamp()}.xlsx",
        count=selectors.disbursement_count(campaign),
    )


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
