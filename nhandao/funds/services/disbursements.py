"""Disbursements: drafted by one user, approved by another, posted only when approved.

Maker ≠ checker is enforced here, not only in the pages.  Approval locks the
disbursement, then the funds (source and, for a transfer, destination), and
checks the balance under those locks, so two approvals racing for the same
money cannot both succeed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.beneficiaries import api as beneficiaries
from nhandao.core import audit
from nhandao.core.access import BENEFICIARIES_VIEW, FUNDS_APPROVE, FUNDS_DRAFT, FUNDS_RECORD
from nhandao.core.formatting import datetime as fmt_datetime
from nhandao.core.formatting import money
from nhandao.core.money import parse_quantity, round_to_dong, whole_dong
from nhandao.core.text import clean_spaces, normalize, search_key
from nhandao.org import access
from nhandao.org.access import require

from .. import ledger
from ..models import (
    CASE_DISBURSEMENTS,
    FUND_TO_CASE_HELP_KIND,
    GOODS_DISBURSEMENTS,
    MAX_CASES_PER_DISBURSEMENT,
    MONEY_DISBURSEMENTS,
    TRANSFERS,
    Account,
    AccountKind,
    BankAccount,
    Disbursement,
    DisbursementCase,
    DisbursementItem,
    DisbursementKind,
    DisbursementStatus,
    DonationItem,
    Fund,
    HelpKind,
    PostingKind,
)
from ._common import accounts_of, next_numbers, not_in_future, require_open_fund
from .funds import bank_ledger_account, fund_for


@dataclass
class CaseShare:
    """A beneficiary case named on a payment or an issue of goods.

    `amount` is the case's share of a payment (whole đồng; the shares sum to the
    payment); goods are shared out at approval.  `duplicate_reason` lets the help go
    on when the case was helped the same way recently (see DoubleHelpNeedsReason)."""

    case: object  # beneficiaries.Case
    amount: object = None
    duplicate_reason: str = ""


class DoubleHelpNeedsReason(ValidationError):
    """Some cases already received the same kind of help in the window (from any unit).

    `earlier` maps each such case's pk to the earlier help records; draft or approve
    again with a reason for each of them (the reason is stored with the help record)."""

    def __init__(self, message, earlier: dict[int, list]):
        super().__init__({"cases": [message]})
        self.earlier = earlier


def case_help_kind(d_kind: str, help_kind: str) -> str:
    """The beneficiaries help kind a disbursement records (money or goods)."""
    money_kind, goods_kind = FUND_TO_CASE_HELP_KIND.get(help_kind, ("cash", "goods"))
    return goods_kind if d_kind in GOODS_DISBURSEMENTS else money_kind


def _double_help_message(earlier: dict[int, list], numbers: dict[int, str]) -> str:
    return _(
        "Hồ sơ %(cases)s đã được trợ giúp cùng hình thức gần đây (xem các lần trước); nếu vẫn chi, "
        "hãy ghi lý do cho từng hồ sơ."
    ) % {"cases": ", ".join(numbers[pk] for pk in earlier)}


_LONG_NUMBER = re.compile(r"\d{9,}")  # an ID card (9 or 12 digits), a phone, an account number


def _check_public_purpose(purpose: str, private: list[str]) -> None:
    """The purpose is published on the transparency portal as typed: refuse one that carries a
    person's name given elsewhere in the payment (the payee, a named case's head), their account
    or a long number (ID card, phone, account).  Amounts written with separators pass."""
    found = _LONG_NUMBER.search(purpose)
    key = normalize(purpose)
    if found is None:
        for text in private:
            text_key = normalize(text)
            if len(text_key) >= 5 and text_key in key:
                found = text
                break
    if found is not None:
        text = found.group(0) if isinstance(found, re.Match) else found
        raise ValidationError(
            {
                "purpose": _(
                    "Nội dung chi được công khai trên cổng minh bạch: không ghi tên, số giấy tờ, "
                    "số điện thoại hay số tài khoản của người nhận (“%(text)s”). Ghi các thông tin đó "
                    "vào ô người nhận hoặc hồ sơ đối tượng."
                )
                % {"text": text}
            }
        )


def _clean_cases(
    *,
    actor,
    fund: Fund,
    kind: str,
    help_kind: str,
    value_date: dt.date,
    campaign,
    amount,
    cases: list[CaseShare],
) -> tuple[list[tuple[object, int, str]], object]:
    """Check the named cases; return [(case, amount, reason)] and the payment's amount.

    Refused: a transfer naming cases, a case the drafter may not see or outside the
    fund's unit, a case the commune has not confirmed (named), shares that do not sum
    to the amount.  Double help without a reason raises DoubleHelpNeedsReason."""
    if not cases:
        return [], amount
    if kind not in CASE_DISBURSEMENTS:
        raise ValidationError(
            {
                "cases": _(
                    "Chỉ khoản chi tiền hoặc xuất hiện vật để hỗ trợ người mới ghi được hồ sơ đối tượng."
                )
            }
        )
    if len(cases) > MAX_CASES_PER_DISBURSEMENT:
        raise ValidationError(
            {
                "cases": _("Một khoản chi ghi tối đa %(n)s hồ sơ; hãy lập thêm khoản chi.")
                % {"n": MAX_CASES_PER_DISBURSEMENT}
            }
        )
    ids = [share.case.pk for share in cases]
    if len(set(ids)) != len(ids):
        raise ValidationError({"cases": _("Mỗi hồ sơ chỉ ghi một dòng.")})
    found = {
        c.pk: c
        for c in beneficiaries.Case.objects.filter(pk__in=ids).select_related("unit", "commune", "head")
    }
    eligible = set(
        beneficiaries.eligible_cases(actor)
        .filter(pk__in=ids, unit__path__startswith=fund.unit.path)
        .values_list("pk", flat=True)
    )
    rows: list[tuple[object, int, str]] = []
    for n, share in enumerate(cases, start=1):
        case = found.get(share.case.pk)
        number = f"HS-{share.case.pk:06d}"
        if case is None or not access.has_perm(actor, BENEFICIARIES_VIEW, case.unit):
            raise ValidationError(
                {
                    "cases": _("Dòng %(n)s: không có hồ sơ %(c)s trong phạm vi của bạn.")
                    % {"n": n, "c": number}
                }
            )
        if case.pk not in eligible:
            refusal = beneficiaries.case_help_refusal(case)
            if refusal:
                raise ValidationError({"cases": _("Dòng %(n)s: %(r)s") % {"n": n, "r": refusal}})
            raise ValidationError(
                {
                    "cases": _("Dòng %(n)s: hồ sơ %(c)s không thuộc địa bàn của quỹ “%(f)s”.")
                    % {"n": n, "c": number, "f": fund.name}
                }
            )
        share_amount = 0
        if kind in MONEY_DISBURSEMENTS:
            try:
                share_amount = whole_dong(share.amount)
            except ValidationError as exc:
                raise ValidationError(
                    {
                        "cases": _("Dòng %(n)s (%(c)s): %(e)s")
                        % {"n": n, "c": number, "e": " ".join(exc.messages)}
                    }
                ) from None
        rows.append((case, share_amount, clean_spaces(share.duplicate_reason)[:300]))
    if kind in MONEY_DISBURSEMENTS:
        total = sum(a for _c, a, _r in rows)
        if amount in (None, ""):
            amount = total
        elif whole_dong(amount) != total:
            raise ValidationError(
                {
                    "cases": _("Tổng số tiền của các hồ sơ (%(t)s) phải bằng số tiền chi (%(a)s).")
                    % {"t": money(total), "a": money(whole_dong(amount))}
                }
            )
    # Double help: warned here, with the earlier records, and checked again at approval.
    help_kind_b = case_help_kind(kind, help_kind)
    earlier = {}
    for case, _a, reason in rows:
        found_earlier = beneficiaries.earlier_help(
            case=case, kind=help_kind_b, date=value_date, campaign=campaign.name if campaign else ""
        )
        if found_earlier and not reason:
            earlier[case.pk] = found_earlier
    if earlier:
        raise DoubleHelpNeedsReason(
            _double_help_message(earlier, {c.pk: c.number for c, _a, _r in rows}), earlier
        )
    return rows, amount


def _labels(fund: Fund) -> dict[str, tuple[str, str]]:
    """item key -> (name, unit label) as first received into this fund."""
    labels = {}
    rows = (
        DonationItem.objects.filter(donation__fund=fund)
        .order_by("id")
        .values_list("item_key", "name", "unit_label")
    )
    for key, name, unit_label in rows:
        labels.setdefault(key, (name, unit_label))
    for key, name, unit_label in DisbursementItem.objects.filter(
        disbursement__destination_fund=fund, disbursement__status=DisbursementStatus.APPROVED
    ).values_list("item_key", "name", "unit_label"):
        labels.setdefault(key, (name, unit_label))
    return labels


@transaction.atomic
def disbursement_draft(
    *,
    actor,
    fund: Fund,
    kind: str,
    purpose: str,
    value_date: dt.date | None = None,
    amount=None,
    source_account: Account | None = None,
    items: list[tuple[str, object]] | None = None,
    help_kind: str = "",
    campaign=None,
    destination_unit=None,
    destination_bank_account: BankAccount | None = None,
    recipient_unit=None,
    households: int | None = None,
    people: int | None = None,
    payee_name: str = "",
    payee_account: str = "",
    payee_bank: str = "",
    help_reference: str = "",
    cases: list[CaseShare] | None = None,
) -> Disbursement:
    """Draft a payment, a transfer to a sub-unit or an issue of goods.  `items` are (item key, quantity).

    A payment or an issue of goods for help to people may name beneficiary `cases`
    (confirmed cases the drafter may see, under the fund's unit); a payment's shares sum
    to its amount (which may then be left out).  Their help records are made at approval."""
    require(actor, FUNDS_DRAFT, fund.unit)
    if not getattr(actor, "is_authenticated", False):
        raise ValidationError(_("Khoản chi phải do một người dùng lập."))
    value_date = not_in_future(value_date or timezone.localdate(), "value_date")
    require_open_fund(fund, value_date)
    if kind not in DisbursementKind.values:
        raise ValidationError({"kind": _("Loại khoản chi không hợp lệ.")})
    purpose = clean_spaces(purpose)
    if not purpose:
        raise ValidationError({"purpose": _("Hãy ghi nội dung chi.")})
    if fund.restricted:
        if campaign is not None and campaign.pk != fund.campaign_id:
            raise ValidationError(
                {
                    "campaign": _("Tiền của quỹ “%(fund)s” chỉ được chi cho cuộc vận động của quỹ.")
                    % {"fund": fund.name}
                }
            )
        campaign = fund.campaign
    elif campaign is not None and not campaign.accepts_from(fund.unit):
        raise ValidationError(
            {
                "campaign": _("“%(unit)s” không thuộc phạm vi của cuộc vận động “%(c)s”.")
                % {"unit": fund.unit.name, "c": campaign.name}
            }
        )
    if kind in TRANSFERS:
        help_kind = HelpKind.TRANSFER
        if destination_unit is None:
            raise ValidationError({"destination_unit": _("Hãy chọn đơn vị cấp dưới nhận điều chuyển.")})
        if destination_unit.pk == fund.unit_id or not destination_unit.path.startswith(fund.unit.path):
            raise ValidationError(
                {
                    "destination_unit": _("Chỉ điều chuyển cho đơn vị trực thuộc “%(unit)s”.")
                    % {"unit": fund.unit.name}
                }
            )
        if not destination_unit.is_active():
            raise ValidationError(
                {
                    "destination_unit": _("Đơn vị “%(unit)s” đã ngừng hoạt động.")
                    % {"unit": destination_unit.name}
                }
            )
        if destination_bank_account is not None and destination_bank_account.unit_id != destination_unit.pk:
            raise ValidationError(
                {"destination_bank_account": _("Tài khoản nhận không phải của đơn vị nhận điều chuyển.")}
            )
        recipient_unit = recipient_unit or destination_unit
    else:
        destination_unit = destination_bank_account = None
        recipient_unit = recipient_unit or fund.unit  # help given where the fund's unit works, unless said
        if help_kind not in HelpKind.values or help_kind == HelpKind.TRANSFER:
            raise ValidationError({"help_kind": _("Hãy chọn hình thức hỗ trợ.")})
    if kind == DisbursementKind.GOODS_TRANSFER and destination_bank_account is not None:
        destination_bank_account = None
    case_rows, amount = _clean_cases(
        actor=actor,
        fund=fund,
        kind=kind,
        help_kind=help_kind,
        value_date=value_date,
        campaign=campaign,
        amount=amount,
        cases=list(cases or []),
    )
    if case_rows and households is None:
        households = len(case_rows)
    _check_public_purpose(
        purpose,
        [payee_name, payee_account]
        + [case.head.full_name for case, _share, _reason in case_rows if case.head_id is not None],
    )
    goods: list[tuple[str, Decimal, str, str]] = []
    if kind in MONEY_DISBURSEMENTS:
        amount = whole_dong(amount)
        if source_account is None:
            source_account = accounts_of(fund)[AccountKind.CASH]
        else:
            source_account = Account.objects.get(pk=source_account.pk)  # its balance as stored now
        if source_account.fund_id != fund.pk or not source_account.is_money:
            raise ValidationError(
                {"source_account": _("Hãy chọn tài khoản tiền mặt hoặc ngân hàng của quỹ.")}
            )
        if amount > source_account.balance:
            raise ValidationError(
                {
                    "amount": _("Số dư “%(a)s” của quỹ là %(b)s, không đủ để chi %(c)s.")
                    % {"a": source_account, "b": money(source_account.balance), "c": money(amount)}
                }
            )
    else:
        amount = 0
        source_account = None
        if not items:
            raise ValidationError({"items": _("Hãy chọn hiện vật và số lượng cần xuất.")})
        labels = _labels(fund)
        stock_account = accounts_of(fund)[AccountKind.GOODS]
        in_stock = ledger.stock([stock_account.pk], [k for k, _q in items])
        seen = set()
        for key, q in items:
            q = parse_quantity(q)
            if key in seen:
                raise ValidationError({"items": _("Mỗi mặt hàng chỉ ghi một dòng.")})
            seen.add(key)
            have = in_stock.get((stock_account.pk, key), (Decimal(0), 0))[0]
            name, unit_label = labels.get(key, (key.split("|")[0], key.split("|")[-1]))
            if q > have:
                raise ValidationError(
                    {
                        "items": _("Trong kho chỉ còn %(h)s %(u)s “%(n)s”, không đủ để xuất %(q)s.")
                        % {"h": _qty(have), "u": unit_label, "n": name, "q": _qty(q)}
                    }
                )
            goods.append((key, q, name, unit_label))
    for fld, value in (("households", households), ("people", people)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise ValidationError({fld: _("Số lượng phải là số nguyên không âm.")})

    series = "PX" if kind in GOODS_DISBURSEMENTS else "PC"
    number = next_numbers(fund.unit_id, series, value_date.year)
    disbursement = Disbursement(
        unit=fund.unit,
        fund=fund,
        campaign=campaign,
        kind=kind,
        series=series,
        year=value_date.year,
        number=number,
        amount=amount,
        source_account=source_account,
        destination_unit=destination_unit,
        destination_bank_account=destination_bank_account,
        purpose=purpose[:300],
        help_kind=help_kind,
        recipient_unit=recipient_unit,
        households=households,
        people=people,
        payee_name=clean_spaces(payee_name)[:200],
        payee_account=clean_spaces(payee_account)[:40],
        payee_bank=clean_spaces(payee_bank)[:150],
        help_reference=clean_spaces(help_reference)[:100],
        value_date=value_date,
        drafted_by=actor,
        drafted_at=ledger.now(),
        search_key=search_key(purpose, payee_name, help_reference)[:400],
    )
    disbursement.full_clean()
    disbursement.save()
    DisbursementItem.objects.bulk_create(
        [
            DisbursementItem(disbursement=disbursement, item_key=k, name=n, unit_label=u, quantity=q)
            for k, q, n, u in goods
        ]
    )
    DisbursementCase.objects.bulk_create(
        [
            DisbursementCase(disbursement=disbursement, case=c, amount=a, duplicate_reason=r)
            for c, a, r in case_rows
        ]
    )
    data = {}
    if goods:
        data["items"] = [{"item": n, "quantity": str(q)} for _k, q, n, _u in goods]
    if case_rows:
        data["cases"] = [
            {"case": c.number, "amount": a, **({"duplicate_reason": r} if r else {})} for c, a, r in case_rows
        ]
    audit.record(
        actor=actor,
        action="funds.disbursement.drafted",
        obj=disbursement,
        changes=audit.created(disbursement),
        data=data or None,
    )
    return disbursement


def _qty(value: Decimal) -> str:
    text = format(Decimal(value).quantize(Decimal("0.001")), "f").rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _lock(disbursement: Disbursement) -> Disbursement:
    """Lock the row, then read it with its relations.  In one query, a row changed while we waited
    (a concurrent approval) comes back re-checked, but the rows joined to it do not: its new
    `decided_by` read as empty, and nine of ten simultaneous approvals answered a server error
    instead of "already approved"."""
    Disbursement.objects.select_for_update().filter(pk=disbursement.pk).values_list("pk").first()
    return Disbursement.objects.select_related(
        "fund", "unit", "campaign", "drafted_by", "decided_by", "source_account"
    ).get(pk=disbursement.pk)


def _require_draft(d: Disbursement) -> None:
    if d.status == DisbursementStatus.DRAFT:
        return
    if d.status in (DisbursementStatus.APPROVED, DisbursementStatus.REVERSED):
        raise ValidationError(
            _("Khoản chi %(v)s đã được duyệt lúc %(t)s bởi %(u)s.")
            % {"v": d.voucher_label, "t": fmt_datetime(d.decided_at), "u": d.decided_by.get_full_name()}
        )
    raise ValidationError(
        _("Khoản chi %(v)s đã %(s)s; không thể duyệt.")
        % {"v": d.voucher_label, "s": d.get_status_display().lower()}
    )


def _require_checker(actor, d: Disbursement) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise ValidationError(_("Khoản chi phải do một người dùng duyệt."))
    if actor.pk == d.drafted_by_id:
        raise ValidationError(
            _("Người duyệt phải khác người lập khoản chi (%(u)s): nguyên tắc hai người.")
            % {"u": d.drafted_by.get_full_name()}
        )


def _goods_shares(total: int, n: int) -> list[int]:
    """Goods issued to n cases: equal shares of the issued value, the first ones take the remainder."""
    base, extra = divmod(total, n)
    return [base + (1 if i < extra else 0) for i in range(n)]


def _record_help(actor, d: Disbursement, reasons: dict[int, str]) -> list[DisbursementCase]:
    """One help record per named case, in the approval's transaction (all or nothing).

    The fund decided access itself (the drafter could see the cases; the approver holds
    funds.approve), so the records are made by the system on the approver's behalf."""
    links = list(d.cases.select_related("case").order_by("id"))
    if not links:
        return links
    if d.kind in GOODS_DISBURSEMENTS:
        for link, value in zip(links, _goods_shares(d.amount, len(links)), strict=True):
            link.amount = value
    kind = case_help_kind(d.kind, d.help_kind)
    earlier: dict[int, list] = {}
    for link in links:
        given = clean_spaces(reasons.get(link.case_id, ""))[:300]
        if given:
            link.duplicate_reason = given
        try:
            link.help_record = beneficiaries.help_record_create(
                actor=None,
                recorded_by=actor,
                case=link.case,
                date=d.value_date,
                kind=kind,
                value=link.amount,
                description=f"{d.voucher_label}: {d.purpose}"[:300],
                delivering_unit=d.unit,
                source_type="fund",
                source=d.fund.name,
                campaign=d.campaign.name if d.campaign_id else "",
                source_ref=f"funds.disbursement:{d.pk}",
                duplicate_reason=link.duplicate_reason,
            )
        except beneficiaries.DoubleHelpSuspected as exc:
            earlier[link.case_id] = exc.earlier
        except ValidationError as exc:
            raise ValidationError(
                _("Hồ sơ %(c)s: %(e)s") % {"c": link.case.number, "e": " ".join(exc.messages)}
            ) from None
    if earlier:
        raise DoubleHelpNeedsReason(
            _double_help_message(earlier, {link.case_id: link.case.number for link in links}), earlier
        )
    DisbursementCase.objects.bulk_update(links, ["amount", "duplicate_reason", "help_record"])
    return links


@transaction.atomic
def disbursement_approve(
    *, actor, disbursement: Disbursement, note: str = "", duplicate_reasons: dict[int, str] | None = None
) -> Disbursement:
    """Approve and post a draft.  Named cases get their help records in the same transaction;
    `duplicate_reasons` (case pk -> reason) answers a DoubleHelpNeedsReason."""
    d = _lock(disbursement)
    require(actor, FUNDS_APPROVE, d.unit)
    _require_draft(d)
    _require_checker(actor, d)
    require_open_fund(d.fund)
    destination = None
    if d.kind in TRANSFERS:
        destination = fund_for(
            actor=actor,
            unit=d.destination_unit,
            campaign=d.campaign if d.fund.restricted else None,
        )
        require_open_fund(destination, field="destination_unit")
    funds = ledger.lock_funds([d.fund_id] + ([destination.pk] if destination else []))
    source = accounts_of(funds[d.fund_id])
    cid = d.campaign_id
    lines: list[ledger.Line] = []
    items = list(d.items.all())
    if d.kind in MONEY_DISBURSEMENTS:
        money_account = Account.objects.select_related("fund").get(pk=d.source_account_id)
        if d.kind == DisbursementKind.PAYMENT:
            lines += [
                ledger.Line(source[AccountKind.EXPENSE], d.amount, cid),
                ledger.Line(money_account, -d.amount, cid),
            ]
        else:
            target = accounts_of(funds[destination.pk])
            into = (
                bank_ledger_account(funds[destination.pk], d.destination_bank_account)
                if d.destination_bank_account_id
                else target[AccountKind.CASH]
            )
            lines += [
                ledger.Line(source[AccountKind.TRANSFER_OUT], d.amount, cid),
                ledger.Line(money_account, -d.amount, cid),
                ledger.Line(into, d.amount, cid),
                ledger.Line(target[AccountKind.TRANSFER_IN], -d.amount, cid),
            ]
    else:
        goods = source[AccountKind.GOODS]
        in_stock = ledger.stock([goods.pk], [i.item_key for i in items])
        total = 0
        for item in items:
            have_q, have_v = in_stock.get((goods.pk, item.item_key), (Decimal(0), 0))
            if item.quantity > have_q:
                raise ValidationError(
                    {
                        "items": _("Trong kho chỉ còn %(h)s %(u)s “%(n)s”, không đủ để xuất %(q)s.")
                        % {"h": _qty(have_q), "u": item.unit_label, "n": item.name, "q": _qty(item.quantity)}
                    }
                )
            # Issued at the average value of what is in stock; the last unit takes the remainder.
            value = (
                have_v if item.quantity == have_q else round_to_dong(Decimal(have_v) * item.quantity / have_q)
            )
            item.value = value
            total += value
            if d.kind == DisbursementKind.GOODS_ISSUE:
                lines += [
                    ledger.Line(
                        source[AccountKind.GOODS_ISSUED], value, cid, item.item_key, item.quantity, item.name
                    ),
                    ledger.Line(goods, -value, cid, item.item_key, -item.quantity, item.name),
                ]
            else:
                target = accounts_of(funds[destination.pk])
                lines += [
                    ledger.Line(
                        source[AccountKind.TRANSFER_OUT], value, cid, item.item_key, item.quantity, item.name
                    ),
                    ledger.Line(goods, -value, cid, item.item_key, -item.quantity, item.name),
                    ledger.Line(
                        target[AccountKind.GOODS], value, cid, item.item_key, item.quantity, item.name
                    ),
                    ledger.Line(
                        target[AccountKind.TRANSFER_IN], -value, cid, item.item_key, -item.quantity, item.name
                    ),
                ]
        d.amount = total
    # Before posting: a double-help question is answered without touching the books.
    links = _record_help(actor, d, duplicate_reasons or {})
    posting = ledger.post(
        [
            ledger.PostingSpec(
                kind=PostingKind.TRANSFER if d.kind in TRANSFERS else PostingKind.DISBURSEMENT,
                unit_id=d.unit_id,
                value_date=d.value_date,
                description=f"{d.get_kind_display()}: {d.purpose}",
                voucher=d.voucher_label,
                disbursement_id=d.pk,
                lines=lines,
            )
        ],
        actor=actor,
    )[0]
    for item in items:
        item.save(update_fields=["value"])
    d.status = DisbursementStatus.APPROVED
    d.decided_by = actor
    d.decided_at = ledger.now()
    d.decision_note = clean_spaces(note)[:300]
    d.destination_fund = destination
    d.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "destination_fund", "amount"]
    )
    audit.record(
        actor=actor,
        action="funds.disbursement.approved",
        obj=d,
        changes={"status": {"before": "draft", "after": "approved"}},
        data={
            "posting": posting.pk,
            "amount": d.amount,
            "drafted_by": d.drafted_by.get_username(),
            "approved_by": actor.get_username(),
            "drafted_at": d.drafted_at,
            **({"help_records": [link.help_record_id for link in links]} if links else {}),
        },
    )
    return d


@transaction.atomic
def disbursement_reject(*, actor, disbursement: Disbursement, reason: str) -> Disbursement:
    d = _lock(disbursement)
    require(actor, FUNDS_APPROVE, d.unit)
    _require_draft(d)
    _require_checker(actor, d)
    reason = clean_spaces(reason)
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do không duyệt.")})
    d.status, d.decided_by, d.decided_at, d.decision_note = (
        DisbursementStatus.REJECTED,
        actor,
        ledger.now(),
        reason[:300],
    )
    d.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(
        actor=actor,
        action="funds.disbursement.rejected",
        obj=d,
        changes={"status": {"before": "draft", "after": "rejected"}},
        data={"reason": reason, "drafted_by": d.drafted_by.get_username()},
    )
    return d


@transaction.atomic
def disbursement_withdraw(*, actor, disbursement: Disbursement) -> Disbursement:
    d = _lock(disbursement)
    require(actor, FUNDS_DRAFT, d.unit)
    if d.status != DisbursementStatus.DRAFT:
        raise ValidationError(_("Chỉ rút lại được khoản chi đang chờ duyệt."))
    d.status = DisbursementStatus.WITHDRAWN
    d.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="funds.disbursement.withdrawn",
        obj=d,
        changes={"status": {"before": "draft", "after": "withdrawn"}},
    )
    return d


@transaction.atomic
def disbursement_match_bank_line(
    *, actor, disbursement: Disbursement, bank_reference: str, matched_on: dt.date
) -> Disbursement:
    """Mark an approved bank payment as seen on the bank statement (for reconciliation)."""
    d = _lock(disbursement)
    require(actor, FUNDS_RECORD, d.unit)
    bank_reference = clean_spaces(bank_reference)
    if d.status != DisbursementStatus.APPROVED:
        raise ValidationError(_("Chỉ đối chiếu được khoản chi đã duyệt."))
    if d.source_account is None or d.source_account.kind != AccountKind.BANK:
        raise ValidationError(_("Khoản chi này không chi qua ngân hàng."))
    if d.bank_reference:
        raise ValidationError(_("Khoản chi đã được đối chiếu với giao dịch %(r)s.") % {"r": d.bank_reference})
    if not bank_reference:
        raise ValidationError({"bank_reference": _("Hãy nhập số tham chiếu giao dịch.")})
    d.bank_reference, d.bank_matched_on = bank_reference[:100], matched_on
    d.save(update_fields=["bank_reference", "bank_matched_on"])
    audit.record(
        actor=actor,
        action="funds.disbursement.bank_matched",
        obj=d,
        changes={"bank_reference": {"before": "", "after": d.bank_reference}},
    )
    return d
