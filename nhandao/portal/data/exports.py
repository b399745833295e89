"""The campaign downloads: gifts and disbursements as CSV, XLSX and HXL CSV; the ledger entries as JSON.

Every column is listed here once, with its header and its HXL hashtag; the values come only
from the public selectors (`selectors.py`), so a download cannot carry more than the portal
shows.  CSV and XLSX are written by the core exporter (`nhandao.core.exports`: formula-safe,
streamed); the JSON is a generator the response sends as it is produced (rows read with
`.iterator(chunk_size=...)`), so memory stays flat for a million gifts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext_lazy as _

from nhandao.core.exports import ExportColumn
from nhandao.funds import ledger
from nhandao.funds.models import AccountKind, Channel, DisbursementKind, HelpKind, PostingKind

from . import selectors

CURRENCY = "VND"


def _column(header, hxl: str, get, kind: str = "text", width: int = 18) -> ExportColumn:
    """One public column: header, HXL hashtag (with attributes), value of a row."""
    return ExportColumn(get, header, kind=kind, width=width, hxl=hxl)


def _labels(choices) -> dict[str, str]:
    """value -> label in the current language, translated once per download (not once per row)."""
    return {value: str(label) for value, label in choices.choices}


def gift_columns(campaign) -> list[ExportColumn]:
    channels = _labels(Channel)
    return [
        _column(_("Ngày nhận"), "#date", lambda r: r["received_on"], "date", 12),
        _column(_("Người ủng hộ"), "#org+funder+name", lambda r: r["public_name"], width=30),
        _column(_("Số tiền (đồng)"), "#value", lambda r: r["amount"], "money", 16),
        _column(_("Loại tiền"), "#currency", lambda r: CURRENCY, width=9),
        _column(_("Hình thức"), "", lambda r: channels.get(r["channel"], r["channel"]), width=14),
        _column(_("Đơn vị tiếp nhận"), "#org+impl+name", lambda r: r["unit__name"], width=34),
        _column(_("Mã cuộc vận động"), "#activity+code", lambda r: campaign.code, width=12),
        _column(_("Cuộc vận động"), "#activity+name", lambda r: campaign.name, width=36),
    ]


def disbursement_columns(campaign) -> list[ExportColumn]:
    sector = str(campaign.get_content_area_display())
    kinds, help_kinds = _labels(DisbursementKind), _labels(HelpKind)
    return [
        _column(_("Ngày chi"), "#date", lambda r: r[0]["value_date"], "date", 12),
        _column(_("Loại"), "", lambda r: kinds.get(r[0]["kind"], r[0]["kind"]), width=26),
        _column(_("Nội dung chi"), "#description", lambda r: r[0]["purpose"], width=40),
        _column(
            _("Hình thức hỗ trợ"),
            "#activity+type",
            lambda r: help_kinds.get(r[0]["help_kind"], r[0]["help_kind"]),
            width=20,
        ),
        _column(_("Lĩnh vực"), "#sector", lambda r: sector, width=30),
        _column(_("Số tiền (đồng)"), "#value", lambda r: r[0]["amount"], "money", 16),
        _column(_("Loại tiền"), "#currency", lambda r: CURRENCY, width=9),
        _column(_("Số hộ được hỗ trợ"), "#reached+hh", lambda r: r[0]["households"], "int", 10),
        _column(_("Số người được hỗ trợ"), "#reached+ind", lambda r: r[0]["people"], "int", 10),
        _column(_("Đơn vị chi"), "#org+impl+name", lambda r: r[0]["unit__name"], width=34),
        _column(_("Đơn vị nhận"), "#org+recipient+name", lambda r: r[1]["unit"], width=34),
        _column(_("Mã tỉnh, thành phố"), "#adm1+code", lambda r: r[1]["province_code"], width=8),
        _column(_("Tỉnh, thành phố"), "#adm1+name", lambda r: r[1]["province_name"], width=22),
        _column(_("Mã địa bàn"), "#adm2+code", lambda r: r[1]["ward_code"], width=8),
        _column(_("Địa bàn nhận"), "#adm2+name", lambda r: r[1]["ward_name"], width=24),
        _column(_("Mã cuộc vận động"), "#activity+code", lambda r: campaign.code, width=12),
        _column(_("Cuộc vận động"), "#activity+name", lambda r: campaign.name, width=36),
    ]


# Ledger entries (JSON) ---------------------------------------------------------------------
CANONICAL_FORM = (
    '["nhandao-ledger-v1", number, posting_id, posting_digest, fund_id, account_id, amount, '
    'campaign_id, item, quantity, value_date, posted_at] as JSON, UTF-8, separators "," and ":" '
    "(no spaces), non-ASCII characters as they are; campaign_hash = sha256(previous campaign_hash "
    '+ "\\n" + canonical) in hex, starting from 64 zeros'
)


def entry_record(row: dict) -> dict:
    """One public entry in the form the canonical serialisation uses (texts exactly as hashed)."""
    return {
        "number": row["number"],
        "posting_id": row["posting_id"],
        "posting_digest": row["posting__digest"],
        "fund_id": row["fund_id"],
        "account_id": row["account_id"],
        "amount": row["amount"],
        "campaign_id": row["campaign_id"],
        "item": row["item"],
        "quantity": ledger.quantity_text(row["quantity"]),
        "value_date": row["value_date"].isoformat(),
        "posted_at": ledger.utc_iso(row["posted_at"]),
        "campaign_hash": row["campaign_hash"],
        # Labels only (not hashed): what kind of account and event the line belongs to.
        "account_kind": row["account__kind"],
        "posting_kind": row["posting__kind"],
    }


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def digest_record(d: dict | None) -> dict | None:
    if d is None:
        return None
    return {
        "day": d["day"].isoformat(),
        "last_number": d["last_number"],
        "chain_hash": d["chain_hash"],
        "entries": d["entries"],
    }


def entries_stream(
    campaign, rows: Iterable[dict], *, digest: dict | None, up_to: int | None = None, batch: int = 500
) -> Iterator[str]:
    """The campaign's public entries as one JSON document, written as the rows arrive.

    `up_to` says the download was cut on purpose at that entry: without it the document holds
    every entry, so a published digest beyond its last entry means entries were deleted."""
    head = {
        "format": ledger.ENTRY_VERSION,
        "campaign": {"id": campaign.pk, "code": campaign.code, "name": campaign.name},
        "genesis": ledger.GENESIS,
        "canonical_form": CANONICAL_FORM,
        "generated_at": ledger.utc_iso(dt.datetime.now(dt.UTC)),
        "digest": digest_record(digest),
        "up_to": up_to,
        "account_kinds": {k.value: str(k.label) for k in AccountKind},
        "posting_kinds": {k.value: str(k.label) for k in PostingKind},
    }
    yield _dumps(head)[:-1] + ',"entries":['
    parts: list[str] = []
    count, last = 0, ledger.GENESIS
    for row in rows:
        parts.append(("," if count else "") + "\n" + _dumps(entry_record(row)))
        count += 1
        last = row["campaign_hash"]
        if len(parts) >= batch:
            yield "".join(parts)
            parts.clear()
    parts.append(f'\n],"count":{count},"last_campaign_hash":"{last}"}}\n')
    yield "".join(parts)


def digests_page(campaign, page, next_url: str | None, previous_url: str | None) -> dict:
    return {
        "format": "nhandao-ledger-digests-v1",
        "campaign": {"id": campaign.pk, "code": campaign.code, "name": campaign.name} if campaign else None,
        "chain": "campaign" if campaign else "ledger",
        "page": page.number,
        "pages": page.paginator.num_pages,
        "count": page.paginator.count,
        "next": next_url,
        "previous": previous_url,
        "digests": [digest_record(d) for d in page.object_list],
    }


def gift_rows(campaign):
    return selectors.gift_rows(campaign)


def disbursement_rows(campaign):
    return selectors.disbursement_rows(campaign)
