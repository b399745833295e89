"""Every write to relief stock: warehouses, the catalogue, receipts, issues, transfers, counts.

Goods move only through `_apply`, which locks the StockBalance rows of the whole
document in a fixed order (warehouse, lot) with select_for_update, checks that
no balance goes negative, and writes the stock book.  The database's check
constraint on StockBalance is the last guard.  A document is all or nothing:
a bad line refuses the whole document, naming the line and the field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import RELIEF_APPROVE, RELIEF_MANAGE, RELIEF_STOCK
from nhandao.core.formatting import date as fmt_date
from nhandao.core.money import format_amount, parse_quantity, round_to_dong, whole_dong
from nhandao.funds import services as fund_services
from nhandao.funds.models import (
    Channel,
    Disbursement,
    DisbursementKind,
    DisbursementStatus,
    Donation,
    RecordStatus,
)
from nhandao.org import access
from nhandao.org.models import Unit, UnitKind

from ..models import (
    CountLine,
    CountStatus,
    Item,
    Lot,
    MovementKind,
    ReceiptSource,
    StockBalance,
    StockCount,
    StockIssue,
    StockMovement,
    StockReceipt,
    StockTransfer,
    TransferLine,
    TransferStatus,
    Warehouse,
)
from ._common import need_date, required_text, text, user_or_none


def qty_text(q: Decimal) -> str:
    """1500.000 -> "1.500", 2.500 -> "2,5" (Vietnamese)."""
    q = Decimal(q).normalize()
    whole, _sep, frac = f"{q:f}".partition(".")
    whole = f"{int(whole):,}".replace(",", ".")
    return f"{whole},{frac}" if frac else whole


# Warehouses and the catalogue ---------------------------------------------------------------------
@transaction.atomic
def warehouse_create(
    *, actor, unit: Unit, name: str, address: str = "", keeper: str = "", phone: str = ""
) -> Warehouse:
    access.require(actor, RELIEF_MANAGE, unit, needs_unit=True)
    if unit.kind in (UnitKind.BRANCH, UnitKind.GROUP):
        raise ValidationError({"unit": _("Kho thuộc Hội cấp xã hoặc thành phố, không thuộc chi hội.")})
    name = required_text(name, 200, "name", _("Hãy nhập tên kho."))
    warehouse = Warehouse.objects.create(
        unit=unit, name=name, address=text(address, 300), keeper=text(keeper, 200), phone=text(phone, 30)
    )
    audit.record(
        actor=actor, action="relief.warehouse.created", obj=warehouse, changes=audit.created(warehouse)
    )
    return warehouse


@transaction.atomic
def item_create(
    *, actor, code: str, name: str, measure: str, unit_value=0, perishable: bool = False, warn_days: int = 60
) -> Item:
    """An item of the city's catalogue (the city's managers keep it)."""
    access.require(actor, RELIEF_MANAGE, everywhere=True)
    code = required_text(code, 20, "code", _("Hãy nhập mã hàng.")).upper()
    if Item.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã hàng %(c)s đã có.") % {"c": code}})
    name = required_text(name, 150, "name", _("Hãy nhập tên hàng."))
    measure = required_text(measure, 20, "measure", _("Hãy nhập đơn vị tính (bộ, kg, thùng, chiếc…)."))
    value = whole_dong(unit_value, "unit_value", allow_zero=True) if unit_value not in (None, "") else 0
    item = Item.objects.create(
        code=code, name=name, measure=measure, unit_value=value, perishable=perishable, warn_days=warn_days
    )
    audit.record(actor=actor, action="relief.item.created", obj=item, changes=audit.created(item), unit=None)
    return item


# The one place goods move -----------------------------------------------------------------------
@dataclass(frozen=True)
class Move:
    warehouse: Warehouse
    lot: Lot
    quantity: Decimal  # signed: > 0 in, < 0 out
    kind: str


def _lock(pairs: list[tuple[int, int]]) -> dict[tuple[int, int], StockBalance]:
    """Lock (creating when missing) the balance rows of (warehouse, lot) pairs, in a fixed order."""
    pairs = sorted(set(pairs))
    missing = set(pairs)
    for warehouse_id, lot_id in pairs:
        if StockBalance.objects.filter(warehouse_id=warehouse_id, lot_id=lot_id).exists():
            missing.discard((warehouse_id, lot_id))
    for warehouse_id, lot_id in sorted(missing):
        item_id = Lot.objects.filter(pk=lot_id).values_list("item_id", flat=True).get()
        try:
            with transaction.atomic():
                StockBalance.objects.create(warehouse_id=warehouse_id, lot_id=lot_id, item_id=item_id)
        except IntegrityError:
            pass  # made at the same moment by another receipt: lock that one
    rows = {}
    for warehouse_id, lot_id in pairs:  # one by one, in order: two documents never deadlock
        rows[(warehouse_id, lot_id)] = StockBalance.objects.select_for_update().get(
            warehouse_id=warehouse_id, lot_id=lot_id
        )
    return rows


def after_lock() -> None:
    """A seam for the concurrency test (widens the window between locking and writing)."""


def _apply(moves: list[Move], *, on: dt.date, **document) -> list[StockMovement]:
    balances = _lock([(m.warehouse.pk, m.lot.pk) for m in moves])
    after_lock()
    needed: dict[tuple[int, int], Decimal] = {}
    for m in moves:
        key = (m.warehouse.pk, m.lot.pk)
        needed[key] = needed.get(key, Decimal(0)) + m.quantity
    for key, delta in needed.items():
        balance = balances[key]
        if balance.quantity + delta < 0:
            lot = next(m.lot for m in moves if (m.warehouse.pk, m.lot.pk) == key)
            warehouse = next(m.warehouse for m in moves if m.warehouse.pk == key[0])
            raise ValidationError(
                _(
                    "%(w)s chỉ còn %(a)s %(u)s %(i)s (lô %(l)s), không đủ để xuất %(n)s %(u)s. "
                    "Không có gì được ghi."
                )
                % {
                    "w": warehouse.name,
                    "a": qty_text(balance.quantity),
                    "u": lot.item.measure,
                    "i": lot.item.name,
                    "l": lot.code,
                    "n": qty_text(-delta),
                }
            )
    rows = []
    for key, delta in needed.items():
        balance = balances[key]
        balance.quantity += delta
        balance.save(update_fields=["quantity"])
    for m in moves:
        rows.append(
            StockMovement(
                warehouse=m.warehouse,
                lot=m.lot,
                item_id=m.lot.item_id,
                kind=m.kind,
                occurred_on=on,
                quantity=m.quantity,
                value=round_to_dong(m.quantity * m.lot.unit_value),
                **document,
            )
        )
    return StockMovement.objects.bulk_create(rows)


def _check_warehouse(actor, warehouse: Warehouse, perm: str = RELIEF_STOCK) -> Warehouse:
    warehouse = Warehouse.objects.select_related("unit").get(pk=warehouse.pk)
    access.require(actor, perm, warehouse.unit, needs_unit=True)
    if not warehouse.is_active:
        raise ValidationError(_("Kho %(w)s đã ngừng sử dụng.") % {"w": warehouse.name})
    return warehouse


def _not_future(day: dt.date | None, field: str) -> None:
    need_date(day, field)
    if day > timezone.localdate():
        raise ValidationError({field: _("Ngày không được ở tương lai.")})


# Receipts ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReceiptLine:
    item: Item
    quantity: object
    unit_value: object = None  # None: the catalogue's value
    lot_code: str = ""
    expires_on: dt.date | None = None


def _row_error(row: int, field: str, message: str) -> ValidationError:
    return ValidationError({"lines": _("Dòng %(r)s, %(f)s: %(m)s") % {"r": row, "f": field, "m": message}})


@transaction.atomic
def stock_receive(
    *,
    actor,
    warehouse: Warehouse,
    received_on: dt.date,
    source: str,
    lines: list[ReceiptLine],
    donation: Donation | None = None,
    disbursement: Disbursement | None = None,
    supplier: str = "",
    note: str = "",
) -> StockReceipt:
    """Goods into a warehouse.  A gift in kind names the fund's donation and a purchase the fund's
    approved payment; the value received may not pass what the ledger booked for them."""
    warehouse = _check_warehouse(actor, warehouse)
    _not_future(received_on, "received_on")
    if source not in ReceiptSource.values:
        raise ValidationError({"source": _("Chọn nguồn hàng.")})
    if not lines:
        raise ValidationError({"lines": _("Phiếu nhập cần ít nhất một dòng hàng.")})
    booked, linked = None, {}
    if source == ReceiptSource.GIFT:
        if donation is None:
            raise ValidationError(
                {"donation": _("Hàng ủng hộ phải gắn với khoản ủng hộ hiện vật đã ghi ở Quỹ.")}
            )
        donation = Donation.objects.select_for_update().select_related("unit").get(pk=donation.pk)
        if donation.channel != Channel.IN_KIND or donation.status != RecordStatus.POSTED:
            raise ValidationError({"donation": _("Khoản ủng hộ này không phải hiện vật đã ghi sổ.")})
        _related_units(warehouse.unit, donation.unit, "donation")
        booked, linked = donation.amount, {"donation": donation}
    elif source == ReceiptSource.PURCHASE:
        if disbursement is None:
            raise ValidationError({"disbursement": _("Hàng mua phải gắn với khoản chi đã duyệt ở Quỹ.")})
        disbursement = Disbursement.objects.select_for_update().select_related("unit").get(pk=disbursement.pk)
        if (
            disbursement.kind != DisbursementKind.PAYMENT
            or disbursement.status != DisbursementStatus.APPROVED
        ):
            raise ValidationError(
                {"disbursement": _("Khoản chi này chưa được duyệt hoặc không phải chi tiền.")}
            )
        _related_units(warehouse.unit, disbursement.unit, "disbursement")
        booked, linked = disbursement.amount, {"disbursement": disbursement}
    receipt = StockReceipt.objects.create(
        warehouse=warehouse,
        received_on=received_on,
        source=source,
        supplier=text(supplier, 200),
        note=text(note, 300),
        recorded_by=user_or_none(actor),
        **linked,
    )
    moves = []
    for row, line in enumerate(lines, start=1):
        lot = _receipt_lot(row, line, receipt, received_on)
        quantity = _row_quantity(row, line.quantity)
        moves.append(Move(warehouse, lot, quantity, MovementKind.RECEIPT))
    rows = _apply(moves, on=received_on, receipt=receipt)
    receipt.value = sum(r.value for r in rows)
    receipt.save(update_fields=["value"])
    if booked is not None:
        already = StockReceipt.objects.filter(**linked).exclude(pk=receipt.pk).values_list("value", flat=True)
        total = sum(already) + receipt.value
        if total > booked:
            raise ValidationError(
                {
                    "lines": _(
                        "Giá trị hàng nhập (%(v)s, cộng các lần nhập trước) vượt giá trị Quỹ đã ghi sổ (%(b)s): "
                        "hàng và tiền phải khớp trên cùng một sổ."
                    )
                    % {"v": format_amount(total), "b": format_amount(booked)}
                }
            )
    audit.record(
        actor=actor,
        action="relief.stock.received",
        obj=receipt,
        changes=audit.created(receipt),
        data={"lines": [[r.lot_id, str(r.quantity), r.value] for r in rows]},
    )
    return receipt


def _related_units(unit: Unit, other: Unit, field: str) -> None:
    if not (unit.path.startswith(other.path) or other.path.startswith(unit.path)):
        raise ValidationError({field: _("Chứng từ Quỹ thuộc đơn vị khác, không liên quan đến kho này.")})


def _row_quantity(row: int, value) -> Decimal:
    try:
        return parse_quantity(value, "quantity")
    except ValidationError as exc:
        raise _row_error(row, _("số lượng"), " ".join(exc.messages)) from None


def _receipt_lot(row: int, line: ReceiptLine, receipt: StockReceipt, on: dt.date) -> Lot:
    item = line.item
    if item is None:
        raise _row_error(row, _("mặt hàng"), _("chọn mặt hàng."))
    if line.unit_value in (None, ""):
        value = item.unit_value
    else:
        try:
            value = whole_dong(line.unit_value, "unit_value", allow_zero=True)
        except ValidationError as exc:
            raise _row_error(row, _("đơn giá"), " ".join(exc.messages)) from None
    if item.perishable and line.expires_on is None:
        raise _row_error(row, _("hạn sử dụng"), _("%(i)s có hạn sử dụng; hãy nhập hạn.") % {"i": item.name})
    code = text(line.lot_code, 40) or f"{on:%Y%m%d}-{receipt.pk}"
    lot, created = Lot.objects.get_or_create(
        item=item, code=code, defaults={"expires_on": line.expires_on, "unit_value": value}
    )
    if not created and (lot.expires_on != line.expires_on or lot.unit_value != value):
        raise _row_error(
            row,
            _("số lô"),
            _("lô %(l)s của %(i)s đã có với hạn hoặc đơn giá khác; hãy dùng số lô khác.")
            % {"l": code, "i": item.name},
        )
    return lot


# Issues ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IssueLine:
    lot: Lot
    quantity: object


def expired_lots(lots, on: dt.date) -> list[Lot]:
    return [lot for lot in lots if lot.expires_on is not None and lot.expires_on < on]


def _expired_check(lots, on: dt.date, reason: str) -> str:
    expired = expired_lots(lots, on)
    reason = text(reason, 300)
    if expired and not reason:
        names = ", ".join(f"{lot.item.name} lô {lot.code} ({fmt_date(lot.expires_on)})" for lot in expired)
        raise ValidationError(
            {"expired_reason": _("Hàng đã hết hạn: %(l)s. Nếu vẫn xuất, hãy ghi lý do.") % {"l": names}}
        )
    return reason if expired else ""


@transaction.atomic
def stock_issue(
    *,
    actor,
    warehouse: Warehouse,
    issued_on: dt.date,
    purpose: str,
    lines: list[IssueLine],
    expired_reason: str = "",
) -> StockIssue:
    """Goods out of a warehouse; never more than on hand; an expired lot needs a reason."""
    warehouse = _check_warehouse(actor, warehouse)
    _not_future(issued_on, "issued_on")
    purpose = required_text(purpose, 300, "purpose", _("Hãy ghi nội dung xuất (xuất cho ai, việc gì)."))
    return issue_goods(actor, warehouse, issued_on, purpose, lines, expired_reason)


def issue_goods(actor, warehouse, issued_on, purpose, lines, expired_reason, *, audit_it=True) -> StockIssue:
    """The issue itself, for services that checked access and the date (a distribution's receipt)."""
    if not lines:
        raise ValidationError({"lines": _("Phiếu xuất cần ít nhất một dòng hàng.")})
    moves = []
    for row, line in enumerate(lines, start=1):
        if line.lot is None:
            raise _row_error(row, _("lô hàng"), _("chọn lô hàng."))
        moves.append(Move(warehouse, line.lot, -_row_quantity(row, line.quantity), MovementKind.ISSUE))
    reason = _expired_check([m.lot for m in moves], issued_on, expired_reason)
    issue = StockIssue.objects.create(
        warehouse=warehouse,
        issued_on=issued_on,
        purpose=purpose,
        expired_reason=reason,
        recorded_by=user_or_none(actor),
    )
    rows = _apply(moves, on=issued_on, issue=issue)
    issue.value = -sum(r.value for r in rows)
    issue.save(update_fields=["value"])
    _book_gift_goods(actor, warehouse, issue, rows)
    if audit_it:
        audit.record(
            actor=actor,
            action="relief.stock.issued",
            obj=issue,
            changes=audit.created(issue),
            data={"lines": [[r.lot_id, str(-r.quantity), -r.value] for r in rows]},
        )
    return issue


def _gift_goods(changes: list[tuple[Lot, Decimal, int]]) -> list:
    """(lot, signed quantity, signed value) of goods that came from gifts in kind, as the fund's
    `GoodsOut` lines.  A lot's gift is the donation named by the receipt that brought it in (a
    transfer keeps the lot); goods bought were booked as a payment and are not the ledger's goods."""
    lot_ids = {lot.pk for lot, _q, _v in changes}
    origin = dict(
        StockMovement.objects.filter(
            lot_id__in=lot_ids, kind=MovementKind.RECEIPT, receipt__donation__isnull=False
        ).values_list("lot_id", "receipt__donation_id")
    )
    if not origin:
        return []
    donations = (
        Donation.objects.select_related("fund__unit").prefetch_related("items").in_bulk(set(origin.values()))
    )
    return [
        fund_services.GoodsOut(
            donation=donations[origin[lot.pk]],
            name=lot.item.name,
            unit_label=lot.item.measure,
            quantity=quantity,
            value=value,
        )
        for lot, quantity, value in changes
        if lot.pk in origin and quantity != 0
    ]


def _book_gift_goods(actor, warehouse: Warehouse, issue: StockIssue, rows: list[StockMovement]) -> None:
    """Goods of a gift in kind leaving the warehouse leave the fund's ledger too, at the same value
    (funds.services.goods_issue_post, the one home of postings), in this transaction."""
    lines = _gift_goods([(r.lot, -r.quantity, -r.value) for r in rows])
    if not lines:
        return
    fund_services.goods_issue_post(
        recorded_by=user_or_none(actor),
        unit_id=warehouse.unit_id,
        value_date=issue.issued_on,
        description=_("Xuất kho cứu trợ: %(p)s") % {"p": issue.purpose},
        voucher=f"PX-{issue.pk}",
        lines=lines,
    )


def _book_gift_difference(actor, unit_id: int, on: dt.date, description: str, voucher: str, changes) -> None:
    """Goods of a gift found missing (< 0) or in excess (> 0) by a count or a transfer's receipt
    change the fund's goods in stock by the same value, in this transaction."""
    lines = _gift_goods(changes)
    if lines:
        fund_services.goods_adjust_post(
            recorded_by=user_or_none(actor),
            unit_id=unit_id,
            value_date=on,
            description=description,
            voucher=voucher,
            lines=lines,
        )


def pick_lots(warehouse: Warehouse, item: Item, quantity: Decimal, on: dt.date) -> list[IssueLine]:
    """First expiry, first out, among lots not yet expired on `on` (then the expired ones, which
    the issue refuses without a reason).  Reads without locking: `_apply` locks and re-checks."""
    balances = (
        StockBalance.objects.filter(warehouse=warehouse, item=item, quantity__gt=0)
        .select_related("lot__item")
        .order_by("lot__expires_on", "lot_id")
    )
    fresh = [b for b in balances if b.lot.expires_on is None or b.lot.expires_on >= on]
    stale = [b for b in balances if b not in fresh]
    lines, left = [], quantity
    for balance in fresh + stale:
        if left <= 0:
            break
        take = min(balance.quantity, left)
        lines.append(IssueLine(balance.lot, take))
        left -= take
    if left > 0:
        on_hand = sum((b.quantity for b in balances), Decimal(0))
        raise ValidationError(
            _("%(w)s chỉ còn %(a)s %(u)s %(i)s, không đủ %(n)s %(u)s. Không có gì được ghi.")
            % {
                "w": warehouse.name,
                "a": qty_text(on_hand),
                "u": item.measure,
                "i": item.name,
                "n": qty_text(quantity),
            }
        )
    return lines


# Transfers -------------------------------------------------------------------------------------------
@transaction.atomic
def transfer_dispatch(
    *,
    actor,
    source: Warehouse,
    destination: Warehouse,
    dispatched_on: dt.date,
    lines: list[IssueLine],
    vehicle: str = "",
    note: str = "",
    expired_reason: str = "",
) -> StockTransfer:
    """Goods leave `source` now and are in transit until the destination receives them."""
    source = _check_warehouse(actor, source)
    destination = Warehouse.objects.select_related("unit").get(pk=destination.pk)
    if destination.pk == source.pk:
        raise ValidationError({"destination": _("Kho nhận phải khác kho xuất.")})
    if not destination.is_active:
        raise ValidationError({"destination": _("Kho nhận đã ngừng sử dụng.")})
    _not_future(dispatched_on, "dispatched_on")
    if not lines:
        raise ValidationError({"lines": _("Phiếu điều chuyển cần ít nhất một dòng hàng.")})
    moves = []
    for row, line in enumerate(lines, start=1):
        if line.lot is None:
            raise _row_error(row, _("lô hàng"), _("chọn lô hàng."))
        moves.append(Move(source, line.lot, -_row_quantity(row, line.quantity), MovementKind.TRANSFER_OUT))
    reason = _expired_check([m.lot for m in moves], dispatched_on, expired_reason)
    transfer = StockTransfer.objects.create(
        source=source,
        destination=destination,
        status=TransferStatus.IN_TRANSIT,
        dispatched_on=dispatched_on,
        vehicle=text(vehicle, 200),
        note=text(" ".join(filter(None, [text(note, 300), reason]))[:300], 300),
        dispatched_by=user_or_none(actor),
    )
    _apply(moves, on=dispatched_on, transfer=transfer)
    TransferLine.objects.bulk_create(
        [TransferLine(transfer=transfer, lot=m.lot, sent=-m.quantity) for m in moves]
    )
    audit.record(
        actor=actor,
        action="relief.transfer.dispatched",
        obj=transfer,
        changes=audit.created(transfer),
        data={"lines": [[m.lot.pk, str(-m.quantity)] for m in moves]},
    )
    return transfer


@transaction.atomic
def transfer_receive(
    *,
    actor,
    transfer: StockTransfer,
    received_on: dt.date,
    received: dict[int, object],
    notes: dict[int, str] | None = None,
) -> StockTransfer:
    """The destination counts what arrived.  A quantity different from what was sent is recorded
    as a discrepancy (with its note), never refused: the goods that arrived are the goods on hand."""
    transfer = (
        StockTransfer.objects.select_for_update()
        .select_related("destination__unit", "source")
        .get(pk=transfer.pk)
    )
    access.require(actor, RELIEF_STOCK, transfer.destination.unit, needs_unit=True)
    if transfer.status != TransferStatus.IN_TRANSIT:
        raise ValidationError(_("Phiếu điều chuyển này đã được nhận."))
    _not_future(received_on, "received_on")
    if received_on < transfer.dispatched_on:
        raise ValidationError({"received_on": _("Ngày nhận trước ngày xuất.")})
    notes = notes or {}
    lines = list(transfer.lines.select_related("lot__item").order_by("pk"))
    moves, differences = [], []
    for row, line in enumerate(lines, start=1):
        raw = received.get(line.pk)
        if raw in (None, ""):
            raise _row_error(
                row, _("số lượng nhận"), _("hãy nhập số lượng thực nhận (0 nếu không nhận được).")
            )
        if str(raw).strip() in ("0", "0,0", "0.0"):
            quantity = Decimal(0)
        else:
            quantity = _row_quantity(row, raw)
        line.received = quantity
        line.discrepancy_note = text(notes.get(line.pk, ""), 300)
        if quantity != line.sent:
            differences.append([line.lot.pk, str(line.sent), str(quantity)])
            if not line.discrepancy_note:
                line.discrepancy_note = _("Chênh lệch khi nhận: gửi %(s)s, nhận %(r)s.") % {
                    "s": qty_text(line.sent),
                    "r": qty_text(quantity),
                }
        if quantity > 0:
            moves.append(Move(transfer.destination, line.lot, quantity, MovementKind.TRANSFER_IN))
    if moves:
        _apply(moves, on=received_on, transfer=transfer)
    _book_gift_difference(
        actor,
        transfer.destination.unit_id,
        received_on,
        _("Chênh lệch khi nhận điều chuyển từ %(w)s") % {"w": transfer.source.name},
        f"DC-{transfer.pk}",
        [
            (
                line.lot,
                line.received - line.sent,
                round_to_dong((line.received - line.sent) * line.lot.unit_value),
            )
            for line in lines
        ],
    )
    TransferLine.objects.bulk_update(lines, ["received", "discrepancy_note"])
    transfer.status = TransferStatus.RECEIVED
    transfer.received_on = received_on
    transfer.received_by = user_or_none(actor)
    transfer.save(update_fields=["status", "received_on", "received_by"])
    audit.record(
        actor=actor,
        action="relief.transfer.received",
        obj=transfer,
        unit=transfer.destination.unit,
        changes={"status": {"before": TransferStatus.IN_TRANSIT, "after": TransferStatus.RECEIVED}},
        data={"discrepancies": differences} if differences else None,
    )
    return transfer


# Stock counts ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CountedLine:
    lot: Lot
    counted: object
    reason: str = ""


def _book_at(warehouse: Warehouse, day: dt.date) -> dict[int, Decimal]:
    """What the book says the warehouse held per lot at the end of `day`: a count made on an earlier day
    compares with that day's book, not with today's (goods issued since would show as a false loss)."""
    if day >= timezone.localdate():
        return dict(StockBalance.objects.filter(warehouse=warehouse).values_list("lot_id", "quantity"))
    return dict(
        StockMovement.objects.filter(warehouse=warehouse, occurred_on__lte=day)
        .values("lot_id")
        .annotate(q=Sum("quantity"))
        .values_list("lot_id", "q")
    )


@transaction.atomic
def count_record(*, actor, warehouse: Warehouse, counted_on: dt.date, lines: list[CountedLine]) -> StockCount:
    """A stock count; each difference from the book needs its reason; nothing moves until approved."""
    warehouse = _check_warehouse(actor, warehouse)
    _not_future(counted_on, "counted_on")
    if not lines:
        raise ValidationError({"lines": _("Biên bản kiểm kê cần ít nhất một dòng.")})
    book = _book_at(warehouse, counted_on)
    made = []
    for row, line in enumerate(lines, start=1):
        raw = str(line.counted).strip()
        counted = Decimal(0) if raw in ("0", "0,0", "0.0") else _row_quantity(row, raw)
        expected = book.get(line.lot.pk, Decimal(0))
        reason = text(line.reason, 300)
        if counted != expected and not reason:
            raise _row_error(
                row,
                _("lý do"),
                _("%(i)s lô %(l)s: sổ %(e)s, đếm được %(c)s; hãy ghi lý do chênh lệch.")
                % {
                    "i": line.lot.item.name,
                    "l": line.lot.code,
                    "e": qty_text(expected),
                    "c": qty_text(counted),
                },
            )
        made.append(CountLine(lot=line.lot, expected=expected, counted=counted, reason=reason))
    count = StockCount.objects.create(
        warehouse=warehouse, counted_on=counted_on, status=CountStatus.DRAFT, counted_by=user_or_none(actor)
    )
    for line in made:
        line.count = count
    CountLine.objects.bulk_create(made)
    audit.record(actor=actor, action="relief.count.recorded", obj=count, changes=audit.created(count))
    return count


@transaction.atomic
def count_decide(*, actor, count: StockCount, approve: bool) -> StockCount:
    """Approve (the adjustments are booked) or reject a count; never by the person who counted."""
    count = StockCount.objects.select_for_update().select_related("warehouse__unit").get(pk=count.pk)
    access.require(actor, RELIEF_APPROVE, count.warehouse.unit, needs_unit=True)
    if count.status != CountStatus.DRAFT:
        raise ValidationError(_("Biên bản này đã được xử lý."))
    if actor is not None and count.counted_by_id == getattr(actor, "pk", None):
        raise ValidationError(_("Người kiểm kê không tự duyệt biên bản của mình."))
    if approve:
        # The difference is what the count found missing or extra on its day; goods moved since then
        # (issues, receipts) are real and stay, so the difference is applied on top of today's stock.
        moves = [
            Move(count.warehouse, line.lot, line.counted - line.expected, MovementKind.ADJUSTMENT)
            for line in count.lines.select_related("lot__item")
            if line.counted != line.expected
        ]
        if moves:
            today = timezone.localdate()
            rows = _apply(moves, on=today, count=count)
            _book_gift_difference(
                actor,
                count.warehouse.unit_id,
                today,
                _("Điều chỉnh theo biên bản kiểm kê %(w)s ngày %(d)s")
                % {"w": count.warehouse.name, "d": fmt_date(count.counted_on)},
                f"KK-{count.pk}",
                [(r.lot, r.quantity, r.value) for r in rows],
            )
    count.status = CountStatus.APPROVED if approve else CountStatus.REJECTED
    count.decided_by = user_or_none(actor)
    count.decided_at = timezone.now()
    count.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(
        actor=actor,
        action="relief.count.approved" if approve else "relief.count.rejected",
        obj=count,
        changes={"status": {"before": CountStatus.DRAFT, "after": count.status}},
    )
    return count
