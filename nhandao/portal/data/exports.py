"""The campaign downloads: gifts and disbursements as CSV, XLSX and HXL CSV; the ledger entries as JSON.

Every column is listed here once, with its Vietnamese header and its HXL hashtag; the values
come only from the public selectors (`selectors.py`), so a download cannot carry more than the
portal shows.  Everything streams: CSV and JSON are generators the response sends as they
are produced (rows read with `.iterator(chunk_size=...)`), XLSX is written by openpyxl in
write-only mode into a spooled temporary file; memory stays flat for a million gifts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from nhandao.core import formatting
from nhandao.core.exports import ExportColumn, write_xlsx
from nhandao.funds import ledger
from nhandao.funds.models import AccountKind, Channel, DisbursementKind, HelpKind, PostingKind

from . import selectors

BOM = "\ufeff"
CURRENCY = "VND"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: Any  # lazy Vietnamese text
    hxl: str  # hashtag with attributes; "" leaves the column untagged
    get: Callable[[Any], Any]
    kind: str = "text"  # text, date, money, int
    width: int = 18


def _labels(choices) -> dict[str, str]:
    """value -> label in the current language, translated once per download (not once per row)."""
    return {value: str(label) for value, label in choices.choices}


def gift_columns(campaign) -> list[Column]:
    channels = _labels(Channel)
    return [
        Column(_("Ngày nhận"), "#date", lambda r: r["received_on"], "date", 12),
        Column(_("Người ủng hộ"), "#org+funder+name", lambda r: r["public_name"], width=30),
        Column(_("Số tiền (đồng)"), "#value", lambda r: r["amount"], "money", 16),
        Column(_("Loại tiền"), "#currency", lambda r: CURRENCY, width=9),
        Column(_("Hình thức"), "", lambda r: channels.get(r["channel"], r["channel"]), width=14),
        Column(_("Đơn vị tiếp nhận"), "#org+impl+name", lambda r: r["unit__name"], width=34),
        Column(_("Mã cuộc vận động"), "#activity+code", lambda r: campaign.code, width=12),
        Column(_("Cuộc vận động"), "#activity+name", lambda r: campaign.name, width=36),
    ]


def disbursement_columns(campaign) -> list[Column]:
    sector = str(campaign.get_content_area_display())
    kinds, help_kinds = _labels(DisbursementKind), _labels(HelpKind)
    return [
        Column(_("Ngày chi"), "#date", lambda r: r[0]["value_date"], "date", 12),
        Column(_("Loại"), "", lambda r: kinds.get(r[0]["kind"], r[0]["kind"]), width=26),
        Column(_("Nội dung chi"), "#description", lambda r: r[0]["purpose"], width=40),
        Column(
            _("Hình thức hỗ trợ"),
            "#activity+type",
            lambda r: help_kinds.get(r[0]["help_kind"], r[0]["help_kind"]),
            width=20,
        ),
        Column(_("Lĩnh vực"), "#sector", lambda r: sector, width=30),
        Column(_("Số tiền (đồng)"), "#value", lambda r: r[0]["amount"], "money", 16),
        Column(_("Loại tiền"), "#currency", lambda r: CURRENCY, width=9),
        Column(_("Số hộ được hỗ trợ"), "#reached+hh", lambda r: r[0]["households"], "int", 10),
        Column(_("Số người được hỗ trợ"), "#reached+ind", lambda r: r[0]["people"], "int", 10),
        Column(_("Đơn vị chi"), "#org+impl+name", lambda r: r[0]["unit__name"], width=34),
        Column(_("Đơn vị nhận"), "#org+recipient+name", lambda r: r[1]["unit"], width=34),
        Column(_("Mã tỉnh, thành phố"), "#adm1+code", lambda r: r[1]["province_code"], width=8),
        Column(_("Tỉnh, thành phố"), "#adm1+name", lambda r: r[1]["province_name"], width=22),
        Column(_("Mã địa bàn"), "#adm2+code", lambda r: r[1]["ward_code"], width=8),
        Column(_("Địa bàn nhận"), "#adm2+name", lambda r: r[1]["ward_name"], width=24),
        Column(_("Mã cuộc vận động"), "#activity+code", lambda r: campaign.code, width=12),
        Column(_("Cuộc vận động"), "#activity+name", lambda r: campaign.name, width=36),
    ]


# CSV ---------------------------------------------------------------------------------------
def _text(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_value(column: Column, value, *, iso_dates: bool) -> str:
    if value is None or value == "":
        return ""
    if column.kind == "date":
        return value.isoformat() if iso_dates else formatting.date(value)
    if column.kind in ("money", "int"):
        return str(int(value))
    return _text(value)


def csv_stream(
    columns: list[Column], rows: Iterable, *, hxl: bool = False, batch: int = 500
) -> Iterator[str]:
    """UTF-8 CSV with a BOM (Excel then reads Vietnamese right), produced in batches of rows.

    With `hxl`, a row of HXL hashtags follows the headers and dates are ISO 8601
    (what HXL tools read); otherwise dates are dd/mm/yyyy like every other export.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([str(c.header) for c in columns])
    if hxl:
        writer.writerow([c.hxl for c in columns])
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for n, row in enumerate(rows, start=1):
        writer.writerow([_csv_value(c, c.get(row), iso_dates=hxl) for c in columns])
        if n % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


# XLSX --------------------------------------------------------------------------------------
def xlsx_file(columns: list[Column], rows: Iterable, *, title: str):
    """(file, row count): the core XLSX writer (openpyxl write-only, spooled to disk past 8 MB)."""
    export_columns = [ExportColumn(c.get, c.header, kind=c.kind, width=c.width) for c in columns]
    return write_xlsx(export_columns, rows, title=title)


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


def entries_stream(campaign, rows: Iterable[dict], *, digest: dict | None, batch: int = 500) -> Iterator[str]:
    """The campaign's public entries as one JSON document, written as the rows arrive."""
    head = {
        "format": ledger.ENTRY_VERSION,
        "campaign": {"id": campaign.pk, "code": campaign.code, "name": campaign.name},
        "genesis": ledger.GENESIS,
        "canonical_form": CANONICAL_FORM,
        "generated_at": ledger.utc_iso(dt.datetime.now(dt.UTC)),
        "digest": digest_record(digest),
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
