"""IATI 2.03 activity file: one `iati-activity` per public campaign, written as a stream.

- iati-identifier: `<organisation identifier>-<campaign code>`.  The organisation identifier is
  the setting `NHANDAO_IATI_ORGANISATION_ID` (default below, a placeholder until the society
  registers its own); campaign codes never change, so identifiers are stable.
- reporting-org and participating-org (1 funding: the public's donors, 2 accountable: the
  society, 4 implementing: the campaign's unit and the units it transferred money to).
- activity-status from the campaign's status and distribution deadline; activity-date: actual
  start, planned or actual end.
- the communes the money went to as `location`s; the campaign's content area as a DAC 5-digit
  sector (`SECTORS`); default-currency VND, xml:lang vi.
- transactions: gifts of money summed per day as incoming funds (type 1: a million gifts would
  otherwise make a million transactions; the gift-by-gift list is the CSV), each approved money
  payment or transfer as a disbursement (type 3).  Goods are not funds and are left out.

Codes emitted must be in `nhandao/portal/iati/codelists/` (the tests check it) and the file
validates against the IATI 2.03 XSD copied in `nhandao/portal/iati/`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone

from nhandao.campaigns.models import CampaignKind, CampaignStatus
from nhandao.core.choices import ContentArea
from nhandao.core.formatting import money
from nhandao.funds import public as funds
from nhandao.funds.models import Channel, DisbursementKind
from nhandao.org.models import Unit

from . import selectors

DEFAULT_ORGANISATION_ID = "VN-VRC-HP"
ORGANISATION_TYPE = "24"  # Partner Country based NGO (OrganisationType)
VERSION = "2.03"

# Content area (Law on Red Cross Activities) -> DAC 5-digit purpose code (Sector codelist).
SECTORS = {
    ContentArea.RELIEF: "72010",  # Material relief assistance and services
    ContentArea.COMMUNITY_HEALTH: "12220",  # Basic health care
    ContentArea.FIRST_AID: "12261",  # Health education
    ContentArea.DONATION: "12191",  # Medical services (blood, tissue and organ donation)
    ContentArea.TRACING: "72010",  # Material relief assistance and services (restoring family links)
    ContentArea.DISSEMINATION: "12261",  # Health education (public awareness campaigns)
    ContentArea.DISASTER: "43060",  # Disaster Risk Reduction
}

MONEY_OUT = (DisbursementKind.PAYMENT, DisbursementKind.TRANSFER)


def organisation_id() -> str:
    return getattr(settings, "NHANDAO_IATI_ORGANISATION_ID", "") or DEFAULT_ORGANISATION_ID


def activity_identifier(campaign) -> str:
    return f"{organisation_id()}-{campaign.code}"


def activity_status(campaign, today: dt.date) -> str:
    if campaign.status == CampaignStatus.OPEN:
        return "2"  # Implementation
    if campaign.distribution_ends_on and campaign.distribution_ends_on < today:
        return "4"  # Closed
    return "3"  # Finalisation: no more gifts, help still being distributed


def _narrative(text: str) -> str:
    return f"<narrative>{escape(str(text))}</narrative>"


def _root_unit_name(unit) -> str:
    root_id = int(unit.path.split(".")[0]) if unit.path else unit.pk
    if root_id == unit.pk:
        return unit.name
    return Unit.objects.filter(pk=root_id).values_list("name", flat=True).first() or unit.name


def incoming_by_day(campaign):
    """(day, gifts, total) of the campaign's gifts of money: one grouped query."""
    return (
        funds.public_gifts(campaign)
        .exclude(channel=Channel.IN_KIND)
        .order_by()
        .values("received_on")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by("received_on")
        .values_list("received_on", "n", "total")
    )


def activity(campaign, *, today: dt.date, now: dt.datetime) -> Iterator[str]:
    org = organisation_id()
    org_name = getattr(settings, "NHANDAO_IATI_ORGANISATION_NAME", "") or _root_unit_name(campaign.unit)
    totals = funds.campaign_totals(campaign)
    money_out = [
        (row, place) for row, place in selectors.disbursement_rows(campaign) if row["kind"] in MONEY_OUT
    ]
    humanitarian = campaign.kind == CampaignKind.APPEAL or campaign.content_area in (
        ContentArea.RELIEF,
        ContentArea.DISASTER,
    )
    yield (
        f'<iati-activity default-currency="VND" xml:lang="vi" last-updated-datetime="{now.isoformat()}"'
        f' humanitarian="{"1" if humanitarian else "0"}">\n'
    )
    yield f"<iati-identifier>{escape(activity_identifier(campaign))}</iati-identifier>\n"
    yield f"<reporting-org ref={quoteattr(org)} type={quoteattr(ORGANISATION_TYPE)}>{_narrative(org_name)}</reporting-org>\n"
    yield f"<title>{_narrative(campaign.name)}</title>\n"
    description = campaign.description or campaign.name
    summary = (
        f"Đã nhận {money(totals.raised_money)} bằng tiền và {money(totals.raised_goods)} hiện vật quy đổi; "
        f"đã chi {money(totals.spent)}; {totals.gifts} lượt ủng hộ."
    )
    for text in (description, summary, campaign.eligibility, campaign.support_level):
        if text:
            yield f"<description>{_narrative(text)}</description>\n"
    yield f'<participating-org role="1">{_narrative("Các tổ chức, cá nhân ủng hộ")}</participating-org>\n'
    yield (
        f'<participating-org role="2" ref={quoteattr(org)} type={quoteattr(ORGANISATION_TYPE)}>'
        f"{_narrative(org_name)}</participating-org>\n"
    )
    implementers = [campaign.unit.name]
    for row, place in money_out:
        if row["kind"] == DisbursementKind.TRANSFER and place["unit"] and place["unit"] not in implementers:
            implementers.append(place["unit"])
    for name in implementers:
        yield f'<participating-org role="4">{_narrative(name)}</participating-org>\n'
    yield f'<activity-status code="{activity_status(campaign, today)}"/>\n'
    yield f'<activity-date type="2" iso-date="{campaign.starts_on.isoformat()}"/>\n'
    if campaign.ends_on:
        ended = campaign.status == CampaignStatus.CLOSED and campaign.ends_on <= today
        yield f'<activity-date type="{"4" if ended else "3"}" iso-date="{campaign.ends_on.isoformat()}"/>\n'
    yield '<recipient-country code="VN" percentage="100"/>\n'
    seen: set[str] = set()
    for _row, place in money_out:
        if place["ward_code"] and place["ward_code"] not in seen:
            seen.add(place["ward_code"])
            yield (
                f'<location ref="VN-{escape(place["ward_code"])}">'
                f"<name>{_narrative(place['ward_name'])}</name>"
                f"<description>{_narrative(place['ward_name'] + ', ' + place['province_name'])}</description>"
                "</location>\n"
            )
    yield f'<sector code="{SECTORS.get(campaign.content_area, "72010")}" percentage="100"/>\n'
    for day, n, total in incoming_by_day(campaign).iterator(chunk_size=selectors.CHUNK):
        yield (
            '<transaction><transaction-type code="1"/>'
            f'<transaction-date iso-date="{day.isoformat()}"/>'
            f'<value value-date="{day.isoformat()}">{total}</value>'
            f"<description>{_narrative(f'{n} lượt ủng hộ bằng tiền')}</description>"
            f"<provider-org>{_narrative('Các tổ chức, cá nhân ủng hộ')}</provider-org>"
            "</transaction>\n"
        )
    for row, place in money_out:
        day = row["value_date"].isoformat()
        receiver = place["unit"] or row["unit__name"]
        if row["kind"] == DisbursementKind.PAYMENT:
            counts = ", ".join(
                part
                for part in (
                    f"{row['households']} hộ" if row["households"] else "",
                    f"{row['people']} người" if row["people"] else "",
                )
                if part
            )
            receiver = f"Người được hỗ trợ tại {receiver}" + (f" ({counts})" if counts else "")
        yield (
            '<transaction><transaction-type code="3"/>'
            f'<transaction-date iso-date="{day}"/>'
            f'<value value-date="{day}">{row["amount"]}</value>'
            f"<description>{_narrative(row['purpose'])}</description>"
            f"<provider-org>{_narrative(row['unit__name'])}</provider-org>"
            f"<receiver-org>{_narrative(receiver)}</receiver-org>"
            "</transaction>\n"
        )
    yield "</iati-activity>\n"


def activities_stream(campaigns: Iterable) -> Iterator[str]:
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate()
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<iati-activities version="{VERSION}" generated-datetime="{now.isoformat()}">\n'
    for campaign in campaigns:
        yield from activity(campaign, today=today, now=now)
    yield "</iati-activities>\n"
