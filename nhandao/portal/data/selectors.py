"""Public reads for the open-data downloads, built only on `funds.public` and campaigns' public selectors.

Nothing here touches a private field: gifts come from `funds.public_gifts` (values, public
name only), disbursements from `funds.public_disbursements` (no payee, no beneficiary),
entries from `funds.public_entries` and digests from `funds.ledger_digests`.  What this
module adds is where a disbursement landed (the receiving unit's commune and province codes,
looked up once per download) and the campaign lookup by its public code.
"""

from __future__ import annotations

from django.http import Http404

from nhandao.campaigns import selectors as campaigns
from nhandao.funds import public as funds
from nhandao.org.models import Unit

CHUNK = 2000


def public_campaign(code: str):
    """The public campaign with this reference code, or 404 (drafts and hidden campaigns too)."""
    code = (code or "").strip().upper()
    if not code or len(code) > 12 or not code.isalnum():
        raise Http404
    campaign = campaigns.public_campaigns().filter(code=code).first()
    if campaign is None:
        raise Http404
    return campaign


def gift_rows(campaign):
    """Every public gift of the campaign, oldest first, streamed from the database."""
    return funds.public_gifts(campaign).order_by("received_on", "id").iterator(chunk_size=CHUNK)


def gift_count(campaign) -> int:
    return funds.public_gifts(campaign).order_by().count()


def disbursement_count(campaign) -> int:
    return funds.public_disbursements(campaign).order_by().count()


def _disbursements(campaign):
    return funds.public_disbursements(campaign).values(
        *funds.PUBLIC_DISBURSEMENT_FIELDS, "recipient_unit_id", "destination_unit_id", "unit_id"
    )


def unit_places(campaign) -> dict[int, dict]:
    """Unit id -> where it is (GSO codes and names), for the units a campaign's disbursements name:
    one query over a handful of units, whatever the number of rows.

    Second level: the commune since 01/07/2025; for a unit closed before the reform, its district
    (the second level of the time) and the province of the time.
    """
    ids: set[int] = set()
    for row in (
        _disbursements(campaign)
        .order_by()
        .values_list("recipient_unit_id", "destination_unit_id", "unit_id")
        .distinct()
    ):
        ids.update(i for i in row if i)
    places = {}
    fields = (
        "id",
        "name",
        "ward__code",
        "ward__name",
        "ward__province__code",
        "ward__province__name",
        "province__code",
        "province__name",
        "legacy_district__code",
        "legacy_district__name",
        "legacy_district__province__code",
        "legacy_district__province__name",
    )
    for u in Unit.objects.filter(pk__in=ids).values(*fields):
        places[u["id"]] = {
            "unit": u["name"],
            "ward_code": u["ward__code"] or u["legacy_district__code"] or "",
            "ward_name": u["ward__name"] or u["legacy_district__name"] or "",
            "province_code": u["ward__province__code"]
            or u["province__code"]
            or u["legacy_district__province__code"]
            or "",
            "province_name": u["ward__province__name"]
            or u["province__name"]
            or u["legacy_district__province__name"]
            or "",
        }
    return places


def disbursement_rows(campaign):
    """(row, place) for every approved disbursement, oldest first; place is where the help went:
    the receiving commune of a payment or goods issue, the receiving unit of a transfer."""
    places = unit_places(campaign)
    empty = {"unit": "", "ward_code": "", "ward_name": "", "province_code": "", "province_name": ""}
    for row in _disbursements(campaign).order_by("value_date", "id").iterator(chunk_size=CHUNK):
        target = row["recipient_unit_id"] or row["destination_unit_id"] or row["unit_id"]
        yield row, places.get(target, empty)


def entry_rows(campaign):
    return funds.public_entries(campaign).iterator(chunk_size=CHUNK)


def digests(campaign=None):
    """Daily digests, newest first: the whole ledger's (campaign None) or one campaign's chain."""
    return funds.ledger_digests(campaign=campaign).values("day", "last_number", "chain_hash", "entries")


def latest_digest(campaign) -> dict | None:
    return digests(campaign).first()


def digest_campaigns() -> list[tuple[str, str]]:
    """(code, name) of the public campaigns, newest first, for the digests page's chooser."""
    return list(campaigns.public_campaigns().values_list("code", "name")[:500])


def public_campaigns():
    """Every campaign the portal lists (public, not a draft), newest first."""
    return campaigns.public_campaigns()
