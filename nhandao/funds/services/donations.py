"""Recording gifts: one at a time from a form, or many at once (bank statements, seeding, benchmarks).

Both paths are the same function: `donation_record` is `donations_record_batch`
with one row, so a gift recorded by a clerk and a gift posted from a bank
statement keep exactly the same rules: a balanced posting on the chain, a
numbered receipt, an audit event per gift.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.campaigns.models import Campaign
from nhandao.core import audit, bulk
from nhandao.core.access import FUNDS_RECORD, FUNDS_VIEW
from nhandao.core.formatting import date as fmt_date
from nhandao.core.money import parse_quantity, round_to_dong, whole_dong
from nhandao.core.text import clean_spaces, search_key
from nhandao.org import access
from nhandao.org.access import require

from .. import ledger
from ..models import (
    AccountKind,
    BankAccount,
    Channel,
    Display,
    Donation,
    DonationItem,
    Donor,
    Fund,
    Pledge,
    PledgeFulfilment,
    PledgeStatus,
    PostingKind,
    PublicName,
    RecordStatus,
)
from ._common import (
    accounts_of,
    item_key,
    next_numbers,
    not_in_future,
    outstanding_locked,
    public_name,
    require_open_fund,
    verify_code,
)
from .donors import attachment_add
from .funds import bank_ledger_account, fund_for

CURRENCIES = {
    "VND",
    "USD",
    "EUR",
    "JPY",
    "KRW",
    "CNY",
    "GBP",
    "AUD",
    "SGD",
    "THB",
    "CAD",
    "CHF",
    "HKD",
    "TWD",
}


@dataclass
class GoodsLine:
    name: str
    unit_label: str
    quantity: Decimal | int | str
    value: int = 0  # estimated value in đồng


@dataclass
class DonationInput:
    """One gift.  Give `fund`, or `unit` (and optionally `campaign`) and the fund is found."""

    channel: str
    amount: int | None = None
    received_on: dt.date | None = None
    fund: Fund | None = None
    unit: object = None
    campaign: object = None
    bank_account: BankAccount | None = None
    donor: Donor | None = None
    donor_name: str = ""
    display: str | None = None
    items: list[GoodsLine] = field(default_factory=list)
    currency: str = "VND"
    original_amount: Decimal | None = None
    exchange_rate: Decimal | None = None
    external_ref: str = ""
    counterparty_name: str = ""
    counterparty_account: str = ""
    memo: str = ""
    pledge: Pledge | None = None
    note: str = ""
    # Booked to a campaign that has closed (a transfer that arrived late): why, audited; the
    # Decree 93 report shows such receipts separately.  Only a closed campaign takes them.
    late_reason: str = ""


@dataclass
class _Prepared:
    row: DonationInput
    fund: Fund
    campaign: object
    amount: int
    items: list[tuple[GoodsLine, Decimal, str, int]]
    money_account: object = None
    applied: int = 0
    # Filled in while the gift is written:
    number: int = 0
    label: str = ""
    name: str = ""
    shown: str = ""
    public_key: str = ""
    external_ref: str = ""
    donation_id: int | None = None


def _row_error(index: int | None, exc: ValidationError) -> ValidationError:
    if index is None:
        return exc
    messages = []
    for fld, errs in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
        messages += [f"{fld}: {m}" if fld and fld != "__all__" else m for m in errs]
    return ValidationError(_("Dòng %(n)s: %(msg)s") % {"n": index + 1, "msg": " ".join(messages)}, code="row")


def _fresh_campaign(campaign, cache: dict):
    """The campaign as stored now (its status may have changed since the caller loaded it)."""
    if campaign is None:
        return None
    if campaign.pk not in cache:
        cache[campaign.pk] = Campaign.objects.select_related("unit").get(pk=campaign.pk)
    return cache[campaign.pk]


def _resolve_target(actor, row: DonationInput, cache: dict | None = None) -> tuple[Fund, object]:
    cache = {} if cache is None else cache
    campaign, fund = row.campaign, row.fund
    if row.pledge is not None:
        if campaign is not None and campaign.pk != row.pledge.campaign_id:
            raise ValidationError({"pledge": _("Cam kết này thuộc cuộc vận động khác.")})
        if fund is not None and fund.pk != row.pledge.fund_id:
            raise ValidationError({"pledge": _("Cam kết này thuộc quỹ khác.")})
        campaign, fund = row.pledge.campaign, row.pledge.fund
    campaign = _fresh_campaign(campaign, cache)
    if fund is not None:
        if fund.restricted:
            if campaign is not None and campaign.pk != fund.campaign_id:
                raise ValidationError(
                    {
                        "campaign": _("Quỹ “%(fund)s” chỉ nhận cho cuộc vận động của quỹ.")
                        % {"fund": fund.name}
                    }
                )
            campaign = _fresh_campaign(fund.campaign, cache)
    else:
        unit = row.unit or (campaign.unit if campaign is not None else None)
        if unit is None:
            raise ValidationError({"fund": _("Hãy chọn quỹ hoặc đơn vị nhận ủng hộ.")})
        if campaign is not None and not campaign.accepts_from(unit):
            raise ValidationError(
                {
                    "campaign": _("“%(unit)s” không thuộc phạm vi của cuộc vận động “%(c)s”.")
                    % {"unit": unit.name, "c": campaign.name}
                }
            )
        if ("may_record", unit.pk) not in cache:  # once per unit in a batch (one actor)
            require(
                actor,
                FUNDS_RECORD,
                unit,
                message=_("Bạn không có quyền ghi nhận ủng hộ cho “%(unit)s”.") % {"unit": unit.name},
            )
            cache[("may_record", unit.pk)] = True
        key = ("fund", unit.pk, campaign.pk if campaign is not None and campaign.restricted else None)
        if key not in cache:
            cache[key] = fund_for(actor=actor, unit=unit, campaign=campaign)
        fund = cache[key]
    if campaign is not None:
        late = campaign.status == "closed" and clean_spaces(row.late_reason)
        if campaign.status != "open" and not late:
            raise ValidationError(
                {
                    "campaign": _("Cuộc vận động “%(c)s” không trong thời gian tiếp nhận (%(s)s).")
                    % {"c": campaign.name, "s": campaign.get_status_display().lower()}
                }
            )
        if not campaign.accepts_from(fund.unit):
            raise ValidationError(
                {
                    "campaign": _("“%(unit)s” không thuộc phạm vi của cuộc vận động “%(c)s”.")
                    % {"unit": fund.unit.name, "c": campaign.name}
                }
            )
    return fund, campaign


_CHANNELS = frozenset(Channel.values)
_DISPLAYS = frozenset(Display.values)


def _require_open(fund: Fund, day: dt.date, done: set[int]) -> None:
    """`require_open_fund` for a batch: the fund and its unit are checked once, the date on every row."""
    if fund.pk not in done:
        require_open_fund(fund, day)
        done.add(fund.pk)
    elif day < fund.opened_on:
        require_open_fund(fund, day)  # raises the date's message


def _prepare(actor, row: DonationInput, checked: set[int], cache: dict) -> _Prepared:
    fund, campaign = _resolve_target(actor, row, cache)
    if fund.pk not in checked:
        require(
            actor,
            FUNDS_RECORD,
            fund.unit,
            message=_("Bạn không có quyền ghi nhận ủng hộ cho quỹ của “%(unit)s”.")
            % {"unit": fund.unit.name},
        )
        checked.add(fund.pk)
    if row.channel not in _CHANNELS:
        raise ValidationError({"channel": _("Hình thức ủng hộ không hợp lệ.")})
    received_on = not_in_future(row.received_on, "received_on", today=cache["today"])
    _require_open(fund, received_on, cache["open"])
    items: list[tuple[GoodsLine, Decimal, str, int]] = []
    currency = (row.currency or "VND").strip().upper()
    if row.channel == Channel.IN_KIND:
        if not row.items:
            raise ValidationError({"items": _("Ủng hộ hiện vật cần ít nhất một mặt hàng.")})
        for goods in row.items:
            if not clean_spaces(goods.name) or not clean_spaces(goods.unit_label):
                raise ValidationError({"items": _("Mỗi mặt hàng cần tên và đơn vị tính.")})
            q = parse_quantity(goods.quantity)
            value = whole_dong(goods.value, "items", allow_zero=True)
            items.append((goods, q, item_key(goods.name, goods.unit_label), value))
        amount = sum(v for _g, _q, _k, v in items)
        if row.amount not in (None, "") and whole_dong(row.amount, allow_zero=True) != amount:
            raise ValidationError({"amount": _("Tổng giá trị hiện vật khác số tiền đã nhập.")})
        if row.pledge is not None:
            raise ValidationError({"pledge": _("Chỉ ủng hộ bằng tiền mới được ghi vào cam kết.")})
        if currency != "VND":
            raise ValidationError({"currency": _("Hiện vật được định giá bằng đồng.")})
    else:
        if currency not in CURRENCIES:
            raise ValidationError({"currency": _("Loại tiền “%(c)s” không được hỗ trợ.") % {"c": currency}})
        if currency == "VND":
            if row.original_amount is not None or row.exchange_rate is not None:
                raise ValidationError({"currency": _("Ủng hộ bằng đồng không có tỷ giá.")})
            amount = whole_dong(row.amount)
        else:
            try:
                original = Decimal(str(row.original_amount))
                rate = Decimal(str(row.exchange_rate))
            except Exception:
                raise ValidationError(
                    {"original_amount": _("Ủng hộ bằng ngoại tệ cần số tiền nguyên tệ và tỷ giá.")}
                ) from None
            if not original.is_finite() or original <= 0:
                raise ValidationError({"original_amount": _("Số tiền nguyên tệ phải lớn hơn 0.")})
            if not rate.is_finite() or rate <= 0:
                raise ValidationError({"exchange_rate": _("Tỷ giá phải lớn hơn 0.")})
            if original != original.quantize(Decimal("0.01")):
                raise ValidationError(
                    {"original_amount": _("Số tiền nguyên tệ có nhiều nhất 2 chữ số thập phân.")}
                )
            amount = (
                whole_dong(row.amount) if row.amount not in (None, "") else round_to_dong(original * rate)
            )
            if amount <= 0:
                raise ValidationError({"amount": _("Số tiền phải lớn hơn 0.")})
    if row.channel == Channel.BANK:
        if row.bank_account is None:
            raise ValidationError({"bank_account": _("Hãy chọn tài khoản ngân hàng nhận tiền.")})
        key = ("bank", fund.pk, row.bank_account.pk)
        if key not in cache:
            cache[key] = bank_ledger_account(fund, row.bank_account)
        money_account = cache[key]
    else:
        if row.bank_account is not None or row.external_ref:
            raise ValidationError({"bank_account": _("Chỉ khoản chuyển khoản mới có tài khoản ngân hàng.")})
        money_account = None
    if row.donor is not None and actor is not None and not access.has_perm(actor, FUNDS_VIEW, row.donor.unit):
        raise PermissionDenied(_("Nhà hảo tâm này không thuộc phạm vi của bạn."))
    return _Prepared(
        row=row, fund=fund, campaign=campaign, amount=amount, items=items, money_account=money_account
    )


def _description(p: _Prepared, name: str) -> str:
    target = p.campaign.name if p.campaign is not None else p.fund.name
    how = {Channel.CASH: "tiền mặt", Channel.BANK: "chuyển khoản", Channel.IN_KIND: "hiện vật"}[p.row.channel]
    return f"Nhận ủng hộ ({how}) của {name or 'Nhà hảo tâm'} — {target}"


def donations_record_batch(
    *,
    actor,
    rows: list[DonationInput],
    posted_at: dt.datetime | None = None,
    rng=None,
    return_objects: bool = True,
) -> list[Donation] | list[int]:
    """Record many gifts in one transaction: all are posted, or none (the first bad row is reported).

    `posted_at` (system use: seeding history) must not be earlier than the chain's last posting.
    Returns the donations, or only their ids with `return_objects=False` (large imports).
    """
    if not rows:
        return []
    with transaction.atomic():
        checked: set[int] = set()
        cache: dict = {"today": timezone.localdate(), "open": set()}
        prepared = []
        for index, row in enumerate(rows):
            try:
                prepared.append(_prepare(actor, row, checked, cache))
            except ValidationError as exc:
                raise _row_error(index if len(rows) > 1 else None, exc) from None
        funds = ledger.lock_funds({p.fund.pk for p in prepared})
        locked_open: set[int] = set()
        for index, p in enumerate(prepared):
            p.fund = funds[p.fund.pk]
            try:
                _require_open(p.fund, p.row.received_on, locked_open)
            except ValidationError as exc:
                raise _row_error(index if len(rows) > 1 else None, exc) from None
        _check_external_refs(prepared, len(rows) > 1)
        _apply_pledges(prepared, len(rows) > 1)

        # Receipt numbers: consecutive in each unit's book for the year of the gift.
        wanted: dict[tuple[int, int], int] = defaultdict(int)
        for p in prepared:
            wanted[(p.fund.unit_id, p.row.received_on.year)] += 1
        first = {key: next_numbers(key[0], "BN", key[1], count) for key, count in sorted(wanted.items())}
        accounts = {pk: accounts_of(f) for pk, f in funds.items()}

        # A donation is recorded when it is posted: the receipt check shows the same time as the office.
        now = posted_at or ledger.now()
        recorded_by_id = actor.pk if getattr(actor, "is_authenticated", False) else None

        # Built while written: the database stores and indexes each batch of rows while the
        # next is prepared (core.bulk); the side effects on `prepared` are complete on return.
        def donation_rows():
            for p in prepared:
                row = p.row
                key = (p.fund.unit_id, row.received_on.year)
                p.number = first[key]
                first[key] += 1
                name = clean_spaces(row.donor_name) or (row.donor.name if row.donor else "")
                display = row.display or (
                    row.donor.display if row.donor else (Display.FULL if name else Display.ANONYMOUS)
                )
                if display not in _DISPLAYS:
                    raise ValidationError({"display": _("Cách hiển thị không hợp lệ.")})
                p.name, p.shown = name[:200], public_name(name, display)[:200]
                p.public_key = search_key(p.shown)[:200]
                p.label = f"BN{row.received_on.year}-{p.number:06d}"
                if row.channel != Channel.BANK:
                    kind = AccountKind.GOODS if row.channel == Channel.IN_KIND else AccountKind.CASH
                    p.money_account = accounts[p.fund.pk][kind]
                currency = (row.currency or "VND").upper()
                p.external_ref = clean_spaces(row.external_ref)[:100]
                counterparty = clean_spaces(row.counterparty_name)[:200]
                yield DonationRow(
                    unit_id=p.fund.unit_id,
                    fund_id=p.fund.pk,
                    campaign_id=p.campaign.pk if p.campaign is not None else None,
                    account_id=p.money_account.pk,
                    channel=row.channel,
                    bank_account_id=row.bank_account.pk if row.bank_account is not None else None,
                    donor_id=row.donor.pk if row.donor is not None else None,
                    donor_name=p.name,
                    display=display,
                    public_name=p.shown,
                    public_key=p.public_key,
                    amount=p.amount,
                    currency=currency,
                    original_amount=row.original_amount if currency != "VND" else None,
                    exchange_rate=row.exchange_rate if currency != "VND" else None,
                    received_on=row.received_on,
                    external_ref=p.external_ref,
                    counterparty_name=counterparty,
                    counterparty_account=clean_spaces(row.counterparty_account)[:40],
                    memo=clean_spaces(row.memo)[:500],
                    pledge_id=row.pledge.pk if row.pledge is not None else None,
                    note=clean_spaces(row.note)[:500],
                    late_reason=clean_spaces(row.late_reason)[:300] if p.campaign is not None else "",
                    receipt_year=row.received_on.year,
                    receipt_number=p.number,
                    verify_code=verify_code(rng),
                    status=RecordStatus.POSTED,
                    recorded_by_id=recorded_by_id,
                    recorded_at=now,
                    search_key=search_key(
                        name,
                        p.shown if p.shown != name else "",
                        counterparty,
                        _searchable_ref(p.external_ref),
                        p.label,
                    )[:400],
                )

        # The rows need no query (donors, funds, accounts and campaigns are loaded above): one
        # COPY, each row built while the server stores the ones before (core.bulk, stream=True).
        ids = bulk.insert_returning_ids(DonationRow, donation_rows(), count=len(prepared), stream=True)
        _count_public_names(
            Counter((p.campaign.pk if p.campaign is not None else None, p.public_key) for p in prepared)
        )
        goods_rows = []
        for donation_id, p in zip(ids, prepared, strict=True):
            p.donation_id = donation_id
            for goods, q, key, value in p.items:
                goods_rows.append(
                    DonationItem(
                        donation_id=donation_id,
                        name=clean_spaces(goods.name)[:150],
                        unit_label=clean_spaces(goods.unit_label)[:30],
                        quantity=q,
                        value=value,
                        item_key=key,
                    )
                )
        if goods_rows:
            DonationItem.objects.bulk_create(goods_rows, batch_size=1000)

        posting_ids = ledger.post_ids(
            [_spec(p, accounts[p.fund.pk]) for p in prepared], actor=actor, posted_at=posted_at
        )

        fulfilments = [
            PledgeFulfilment(
                pledge_id=p.row.pledge.pk, donation_id=p.donation_id, amount=p.applied, posting_id=pid
            )
            for p, pid in zip(prepared, posting_ids, strict=True)
            if p.applied
        ]
        if fulfilments:
            PledgeFulfilment.objects.bulk_create(fulfilments)
            _refresh_pledge_statuses({f.pledge_id for f in fulfilments})
        _audit(actor, prepared, posting_ids, now)
    if return_objects:
        by_id = Donation.objects.in_bulk(ids)
        return [by_id[pk] for pk in ids]
    return ids


def _searchable_ref(ref: str) -> str:
    """What staff may type of a gift's transaction reference: the bank's own reference, also
    inside a statement line's identity ("ref:FT24252123456:C" -> "FT24252123456"), not a
    fingerprint nhandao computed ("fp:" and 40 hex digits), which nobody types and whose
    forty-odd trigrams made indexing a gift posted from a statement markedly slower."""
    if ref.startswith("fp:"):
        return ""
    if ref.startswith("ref:"):
        return ref[4:].rsplit(":", 1)[0]
    return ref


def _count_public_names(names: Mapping[tuple[int | None, str], int]) -> None:
    """Add gifts to their public names (PublicName), creating the new names: a campaign's, or the
    general funds' (campaign None).

    One statement per 500 names, in a fixed order so that two imports into the same campaign
    wait for each other instead of deadlocking; ON CONFLICT … DO UPDATE is PostgreSQL's and
    SQLite's (3.24+) alike.  The general funds' names conflict on their own partial unique index
    (NULLs are distinct in (campaign, key)).
    """
    table = connection.ops.quote_name(PublicName._meta.db_table)
    items = sorted(names.items(), key=lambda item: (item[0][0] is not None, item[0][0] or 0, item[0][1]))
    if connection.vendor == "postgresql":
        # One statement per kind, the names as three arrays (binary parameters): a statement of
        # 200,000 gifts has some 70,000 names, which 140 statements of quoted VALUES took 0.8 s to
        # send.  unnest keeps the arrays' (sorted) order.
        for general, target in (
            (True, "(key) WHERE campaign_id IS NULL"),
            (False, "(campaign_id, key)"),
        ):
            rows = [(key, n) for key, n in items if (key[0] is None) == general]
            if rows:
                keys, key_values = bulk.text_array([k for (_c, k), _n in rows])
                bulk.execute(
                    f"INSERT INTO {table} (campaign_id, key, gifts) "
                    f"SELECT * FROM unnest(%s::bigint[], {keys}, %s::integer[]) "
                    f"ON CONFLICT {target} DO UPDATE SET gifts = {table}.gifts + EXCLUDED.gifts",
                    [[c for (c, _k), _n in rows], key_values, [n for _key, n in rows]],
                )
        return
    with connection.cursor() as cursor:
        for general, target in (
            (True, "(key) WHERE campaign_id IS NULL"),
            (False, "(campaign_id, key)"),
        ):
            rows = [(key, n) for key, n in items if (key[0] is None) == general]
            for start in range(0, len(rows), 500):
                chunk = rows[start : start + 500]
                cursor.execute(
                    f"INSERT INTO {table} (campaign_id, key, gifts) VALUES "
                    + ", ".join(["(%s, %s, %s)"] * len(chunk))
                    + f" ON CONFLICT {target} DO UPDATE SET gifts = {table}.gifts + EXCLUDED.gifts",
                    [v for (campaign_id, key), n in chunk for v in (campaign_id, key, n)],
                )


def public_names_rebuild(campaign) -> int:
    """Count a campaign's gifts (campaign None: the general funds' gifts) into their public names
    again from the gifts themselves (for gifts written outside `donations_record_batch`, as
    bench/portal.py loads a million); returns the number of names."""
    campaign_id = campaign.pk if campaign is not None else None
    counts = (
        Donation.objects.filter(campaign_id=campaign_id)
        .values("public_key")
        .annotate(n=models.Count("id"))
        .values_list("public_key", "n")
    )
    with transaction.atomic():
        PublicName.objects.filter(campaign_id=campaign_id).delete()
        names = {(campaign_id, key): n for key, n in counts}
        _count_public_names(names)
    return len(names)


# The columns a batch writes (the rest keep their defaults).
DonationRow = bulk.row_type(
    Donation,
    (
        "unit_id",
        "fund_id",
        "campaign_id",
        "account_id",
        "channel",
        "bank_account_id",
        "donor_id",
        "donor_name",
        "display",
        "public_name",
        "public_key",
        "amount",
        "currency",
        "original_amount",
        "exchange_rate",
        "received_on",
        "external_ref",
        "counterparty_name",
        "counterparty_account",
        "memo",
        "pledge_id",
        "note",
        "late_reason",
        "receipt_year",
        "receipt_number",
        "verify_code",
        "status",
        "recorded_by_id",
        "recorded_at",
        "search_key",
    ),
)


def _audit(actor, prepared: list[_Prepared], posting_ids: list[int], now) -> None:
    """One audit event per gift, as audit.record writes it, in bulk (built while written)."""
    audit.record_many(
        actor=actor,
        action="funds.donation.recorded",
        object_type_label="funds.donation",
        at=now,
        stream=True,  # Targets whose units are loaded: no query while the events are written
        objects=(
            audit.Target(
                object_id=p.donation_id,
                object_repr=f"{p.label} · {p.shown}",
                unit=p.fund.unit,
                changes={
                    "amount": {"before": None, "after": p.amount},
                    "fund": {"before": None, "after": p.fund.name},
                    "channel": {"before": None, "after": p.row.channel},
                },
                data={
                    "posting": posting_id,
                    "receipt": p.label,
                    "campaign": p.campaign.code if p.campaign is not None else None,
                    "pledge": p.row.pledge.code if p.row.pledge is not None else None,
                    "external_ref": p.external_ref or None,
                    **({"late_reason": p.row.late_reason} if p.row.late_reason and p.campaign else {}),
                },
            )
            for p, posting_id in zip(prepared, posting_ids, strict=True)
        ),
    )


def _spec(p: _Prepared, accounts) -> ledger.PostingSpec:
    cid = p.campaign.pk if p.campaign is not None else None
    lines: list[ledger.Line] = []
    if p.row.channel == Channel.IN_KIND:
        for goods, q, key, value in p.items:
            label = clean_spaces(goods.name)
            lines.append(ledger.Line(accounts[AccountKind.GOODS], value, cid, key, q, label))
            lines.append(ledger.Line(accounts[AccountKind.INCOME_GOODS], -value, cid, key, -q, label))
    else:
        lines.append(ledger.Line(p.money_account, p.amount, cid))
        lines.append(ledger.Line(accounts[AccountKind.INCOME], -p.amount, cid))
    if p.applied:
        lines.append(ledger.Line(accounts[AccountKind.PLEDGES_DEFERRED], p.applied, cid))
        lines.append(ledger.Line(accounts[AccountKind.PLEDGES], -p.applied, cid))
    return ledger.PostingSpec(
        kind=PostingKind.DONATION,
        unit_id=p.fund.unit_id,
        value_date=p.row.received_on,
        description=_description(p, p.name),
        lines=lines,
        voucher=p.label,
        donation_id=p.donation_id,
        pledge_id=p.row.pledge.pk if p.row.pledge is not None else None,
    )


def _check_external_refs(prepared: list[_Prepared], many: bool) -> None:
    seen: dict[tuple[int, str], int] = {}
    for index, p in enumerate(prepared):
        ref = clean_spaces(p.row.external_ref)
        if not ref:
            continue
        key = (p.row.bank_account.pk, ref)
        if key in seen:
            raise _row_error(
                index if many else None,
                ValidationError(
                    {
                        "external_ref": _("Giao dịch %(r)s bị lặp lại (dòng %(n)s).")
                        % {"r": ref, "n": seen[key] + 1}
                    }
                ),
            )
        seen[key] = index
    if not seen:
        return
    by_account: dict[int, list[str]] = defaultdict(list)
    for account_id, ref in seen:
        by_account[account_id].append(ref)
    for account_id, refs in by_account.items():
        for ref, day in _recorded_refs(account_id, refs):
            index = seen[(account_id, ref)]
            raise _row_error(
                index if many else None,
                ValidationError(
                    {
                        "external_ref": _("Giao dịch %(r)s đã được ghi nhận ngày %(d)s.")
                        % {"r": ref, "d": fmt_date(day)}
                    }
                ),
            )


def _recorded_refs(account_id: int, refs: list[str]) -> list[tuple[str, dt.date]]:
    """(reference, day) of one gift already recorded on the account with one of `refs`, if any:
    one query on PostgreSQL (the references go as one array), batches elsewhere."""
    if connection.vendor == "postgresql":
        array, values = bulk.text_array(refs)
        return bulk.fetch_all(
            "SELECT external_ref, received_on FROM funds_donation "
            # "<> ''" lets the planner use the partial unique index on (account, reference).
            f"WHERE bank_account_id = %s AND external_ref = ANY({array}) AND external_ref <> '' LIMIT 1",
            [account_id, values],
        )
    for start in range(0, len(refs), 1000):
        existing = (
            Donation.objects.filter(bank_account_id=account_id, external_ref__in=refs[start : start + 1000])
            .exclude(external_ref="")
            .values_list("external_ref", "received_on")[:1]
        )
        if existing:
            return list(existing)
    return []


def _apply_pledges(prepared: list[_Prepared], many: bool) -> None:
    pledges = {p.row.pledge.pk for p in prepared if p.row.pledge is not None}
    if not pledges:
        return
    remaining = {pk: outstanding_locked(pk) for pk in sorted(pledges)}
    for index, p in enumerate(prepared):
        pledge = p.row.pledge
        if pledge is None:
            continue
        status, left = remaining[pledge.pk]
        if status != PledgeStatus.OPEN or left <= 0:
            raise _row_error(
                index if many else None,
                ValidationError(
                    {"pledge": _("Cam kết %(c)s không còn phần chưa thực hiện.") % {"c": pledge.code}}
                ),
            )
        p.applied = min(p.amount, left)
        remaining[pledge.pk] = (status, left - p.applied)


def _refresh_pledge_statuses(pledge_ids: set[int]) -> None:
    for pk in pledge_ids:
        status, left = outstanding_locked(pk)
        if status == PledgeStatus.OPEN and left == 0:
            Pledge.objects.filter(pk=pk).update(status=PledgeStatus.FULFILLED)
        elif status == PledgeStatus.FULFILLED and left > 0:
            Pledge.objects.filter(pk=pk).update(status=PledgeStatus.OPEN)


def donation_record(*, actor, attachments=(), **fields) -> Donation:
    """Record one gift (see `DonationInput` for the fields), with scanned documents if any."""
    items = [g if isinstance(g, GoodsLine) else GoodsLine(**g) for g in fields.pop("items", None) or []]
    with transaction.atomic():
        donation = donations_record_batch(actor=actor, rows=[DonationInput(items=items, **fields)])[0]
        for upload in attachments:
            attachment_add(actor=actor, upload=upload, donation=donation)
    return donation


@transaction.atomic
def donation_set_display(*, actor, donation: Donation, display: str) -> Donation:
    """A giver may change how they appear in public at any time (the money does not change)."""
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    require(actor, FUNDS_RECORD, donation.unit)
    if display not in Display.values:
        raise ValidationError({"display": _("Cách hiển thị không hợp lệ.")})
    before = audit.snapshot(donation, ["display", "public_name"])
    donation.display = display
    donation.public_name = public_name(donation.donor_name, display)[:200]
    donation.public_key = search_key(donation.public_name)[:200]
    donation.save(update_fields=["display", "public_name", "public_key"])
    _count_public_names(Counter([(donation.campaign_id, donation.public_key)]))
    audit.record(
        actor=actor,
        action="funds.donation.display_changed",
        obj=donation,
        changes=audit.diff(before, audit.snapshot(donation, ["display", "public_name"])),
    )
    return donation
