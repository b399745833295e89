"""Every write to distributions: packages, plans, the household list, receipts confirmed.

A receipt is one transaction: the package is issued from the plan's warehouse
(first expiry, first out; never below zero), the help record is written into the
household's file through beneficiaries.api (whose double-help guard stops the same
package for the same incident, from any unit, unless a reason is stored), and the
household is marked received.  Any refusal leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.beneficiaries import api
from nhandao.beneficiaries.choices import ConsentPurpose, HelpKind, SourceType
from nhandao.core import audit
from nhandao.core.access import RELIEF_DISTRIBUTE, RELIEF_MANAGE
from nhandao.core.money import parse_quantity
from nhandao.org import access
from nhandao.org.models import Unit

from ..models import (
    AffectedCommune,
    DistributionPlan,
    Incident,
    IncidentStatus,
    Item,
    Package,
    PackageLine,
    PlanStatus,
    Recipient,
    Warehouse,
)
from . import stock
from ._common import need_date, required_text, text, user_or_none

PROOFS = ("signature", "photo")


@dataclass(frozen=True)
class PackageItem:
    item: Item
    quantity: object


@transaction.atomic
def package_create(*, actor, name: str, lines: list[PackageItem]) -> Package:
    access.require(actor, RELIEF_MANAGE, everywhere=True)
    name = required_text(name, 150, "name", _("Hãy nhập tên gói cứu trợ."))
    if Package.objects.filter(name=name).exists():
        raise ValidationError({"name": _("Gói “%(n)s” đã có.") % {"n": name}})
    if not lines:
        raise ValidationError({"lines": _("Gói cứu trợ cần ít nhất một mặt hàng.")})
    package = Package.objects.create(name=name)
    seen = set()
    for row, line in enumerate(lines, start=1):
        if line.item.pk in seen:
            raise ValidationError({"lines": _("Dòng %(r)s: mặt hàng bị lặp.") % {"r": row}})
        seen.add(line.item.pk)
        PackageLine.objects.create(
            package=package, item=line.item, quantity=parse_quantity(line.quantity, "lines")
        )
    audit.record(actor=actor, action="relief.package.created", obj=package, changes=audit.created(package))
    return package


@transaction.atomic
def plan_create(
    *,
    actor,
    incident: Incident,
    commune: Unit,
    warehouse: Warehouse,
    package: Package,
    planned_on: dt.date,
    place: str = "",
) -> DistributionPlan:
    """A distribution of one package per household in one commune, from that commune's warehouse."""
    access.require(actor, RELIEF_MANAGE, commune, needs_unit=True)
    need_date(planned_on, "planned_on")
    if not AffectedCommune.objects.filter(incident=incident, commune=commune).exists():
        raise ValidationError(
            {"commune": _("%(c)s không nằm trong vùng bị ảnh hưởng của sự cố.") % {"c": commune.name}}
        )
    if incident.status == IncidentStatus.CLOSED:
        raise ValidationError(_("Sự cố đã kết thúc."))
    if not warehouse.unit.path.startswith(commune.path) or not warehouse.is_active:
        raise ValidationError(
            {
                "warehouse": _(
                    "Hàng phát ở %(c)s xuất từ kho của chính xã (điều chuyển hàng về kho xã trước)."
                )
                % {"c": commune.name}
            }
        )
    if not package.is_active:
        raise ValidationError({"package": _("Gói cứu trợ này đã ngừng dùng.")})
    plan = DistributionPlan.objects.create(
        incident=incident,
        commune=commune,
        warehouse=warehouse,
        package=package,
        planned_on=planned_on,
        place=text(place, 300),
        created_by=user_or_none(actor),
    )
    audit.record(actor=actor, action="relief.distribution.planned", obj=plan, changes=audit.created(plan))
    return plan


@transaction.atomic
def recipients_add(*, actor, plan: DistributionPlan, cases) -> int:
    """Put households of the register on the list (confirmed cases of the plan's commune only);
    returns how many were added (those already listed are skipped)."""
    access.require(actor, RELIEF_MANAGE, plan.commune, needs_unit=True)
    if plan.status != PlanStatus.OPEN:
        raise ValidationError(_("Đợt phát này đã kết thúc."))
    cases = list(cases)
    for case in cases:
        if case.commune_id != plan.commune_id:
            raise ValidationError(
                {"cases": _("Hồ sơ %(n)s không thuộc %(c)s.") % {"n": case.number, "c": plan.commune.name}}
            )
        refusal = api.case_help_refusal(case)
        if refusal:
            raise ValidationError({"cases": refusal})
    listed = set(Recipient.objects.filter(plan=plan).values_list("case_id", flat=True))
    new = [Recipient(plan=plan, case=c) for c in dict.fromkeys(cases) if c.pk not in listed]
    Recipient.objects.bulk_create(new, batch_size=2000)
    if new:
        audit.record(
            actor=actor,
            action="relief.distribution.listed",
            obj=plan,
            data={"cases": [r.case_id for r in new]},
        )
    return len(new)


def recipients_from_register(*, actor, plan: DistributionPlan) -> int:
    """Every household of the commune the register may help now (confirmed, not merged)."""
    if actor is None:
        cases = api.Case.objects.live().helpable().filter(commune=plan.commune)
    else:
        cases = api.eligible_cases(actor).filter(commune=plan.commune)
    return recipients_add(actor=actor, plan=plan, cases=cases.order_by("pk"))


def package_value(plan: DistributionPlan) -> int:
    return sum(
        int(line.quantity * line.item.unit_value) for line in plan.package.lines.select_related("item")
    )


@transaction.atomic
def recipient_confirm(
    *,
    actor,
    recipient: Recipient,
    proof: str = "signature",
    proof_file=None,
    duplicate_reason: str = "",
    expired_reason: str = "",
    on: dt.date | None = None,
) -> tuple[Recipient, bool]:
    """The household received its package; (recipient, newly confirmed).  Confirming again (a
    double tap on a phone) changes nothing."""
    recipient = (
        Recipient.objects.select_for_update()
        .select_related("plan__incident", "plan__commune", "plan__warehouse__unit", "plan__package", "case")
        .get(pk=recipient.pk)
    )
    plan = recipient.plan
    access.require(actor, RELIEF_DISTRIBUTE, plan.commune, needs_unit=True)
    if recipient.received_at is not None:
        return recipient, False
    if plan.status != PlanStatus.OPEN:
        raise ValidationError(_("Đợt phát này đã kết thúc."))
    if proof not in PROOFS:
        raise ValidationError({"proof": _("Chọn cách xác nhận: chữ ký hoặc ảnh chụp.")})
    if proof == "photo" and proof_file is None:
        raise ValidationError({"proof_file": _("Hãy chụp ảnh hộ nhận hàng.")})
    if proof == "photo" and not recipient.case.has_consent(ConsentPurpose.PHOTOS):
        raise ValidationError(
            {
                "proof": _(
                    "Hộ %(case)s chưa đồng ý cho chụp ảnh (hoặc đã rút lại): hãy xác nhận bằng chữ ký trên danh sách."
                )
                % {"case": recipient.case.number}
            }
        )
    on = on or timezone.localdate()
    lines = []
    for line in plan.package.lines.select_related("item").order_by("pk"):
        lines += stock.pick_lots(plan.warehouse, line.item, line.quantity, on)
    issue = stock.issue_goods(
        actor,
        plan.warehouse,
        on,
        _("Phát %(p)s cho hồ sơ %(n)s (%(i)s)")
        % {"p": plan.package.name, "n": recipient.case.number, "i": plan.incident.name},
        lines,
        expired_reason,
    )
    record = api.help_record_create(
        actor=actor,
        case=recipient.case,
        date=on,
        kind=HelpKind.EMERGENCY,
        value=issue.value,
        description=_("Gói cứu trợ: %(p)s") % {"p": plan.package.name},
        delivering_unit=plan.commune,
        source_type=SourceType.UNIT,
        campaign=f"{plan.incident.name} – {plan.package.name}",
        source_ref=f"relief.recipient:{recipient.pk}",
        duplicate_reason=duplicate_reason,
    )
    recipient.received_at = timezone.now()
    recipient.proof = proof
    recipient.help_record = record
    recipient.issue = issue
    recipient.duplicate_reason = text(duplicate_reason, 300) if record.duplicate_of_id else ""
    recipient.confirmed_by = user_or_none(actor)
    if proof_file is not None:
        recipient.proof_file.save(f"nhan-hang-{recipient.pk}.jpg", proof_file, save=False)
    recipient.save()
    audit.record(
        actor=actor,
        action="relief.distribution.received",
        obj=recipient,
        changes={"received_at": {"before": None, "after": recipient.received_at.isoformat()}},
        data={"issue": issue.pk, "help": record.pk, "value": issue.value},
    )
    return recipient, True


@transaction.atomic
def plan_close(*, actor, plan: DistributionPlan) -> DistributionPlan:
    plan = DistributionPlan.objects.select_for_update().select_related("commune").get(pk=plan.pk)
    access.require(actor, RELIEF_MANAGE, plan.commune, needs_unit=True)
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError(_("Đợt phát này đã kết thúc."))
    plan.status = PlanStatus.CLOSED
    plan.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="relief.distribution.closed",
        obj=plan,
        changes={"status": {"before": PlanStatus.OPEN, "after": PlanStatus.CLOSED}},
    )
    return plan


@transaction.atomic
def recipient_register(
    *,
    actor,
    plan: DistributionPlan,
    full_name: str,
    address_detail: str = "",
    phone: str = "",
    household_size: int | None = None,
    cccd: str = "",
    date_of_birth: dt.date | None = None,
    allow_duplicate: bool = False,
) -> Recipient:
    """Register on the spot a household that is not in the register and put it on the list.

    The file is made by the register itself (`beneficiaries.api.case_create`, with its duplicate
    check: a head who already heads an open file is refused, naming the file when the user may see
    it; a similar name at the same address needs `allow_duplicate` after the officer checked).  The
    new file is proposed; the package is handed over (help record, stock issue) once the commune
    has confirmed it, like every household on the list.  All or nothing.
    """
    access.require(actor, RELIEF_DISTRIBUTE, plan.commune, needs_unit=True)
    plan = DistributionPlan.objects.select_related("commune__ward", "incident").get(pk=plan.pk)
    if plan.status != PlanStatus.OPEN:
        raise ValidationError(_("Đợt phát này đã kết thúc."))
    full_name = required_text(full_name, 150, "full_name", _("Hãy nhập họ tên chủ hộ."))
    if household_size is not None and not 1 <= household_size <= 50:
        raise ValidationError({"household_size": _("Số nhân khẩu phải từ 1 đến 50.")})
    head = {"full_name": full_name}
    if cccd:
        head["cccd"] = cccd
    if date_of_birth:
        head["date_of_birth"] = date_of_birth
    if phone:
        head["phone"] = phone
    case = api.case_create(
        actor=actor,
        kind="household",
        ward=plan.commune.ward,
        unit=plan.commune,
        address_detail=address_detail,
        phone=phone,
        household_size=household_size,
        circumstances=_("Đăng ký tại điểm phát hàng cứu trợ: %(i)s, %(d)s")
        % {"i": plan.incident.name, "d": plan.planned_on.strftime("%d/%m/%Y")},
        head_fields=head,
        allow_duplicate=allow_duplicate,
    )
    recipient = Recipient.objects.create(plan=plan, case=case, on_the_spot=True)
    audit.record(
        actor=actor,
        action="relief.distribution.registered_on_spot",
        obj=recipient,
        changes=audit.created(recipient),
        data={"case": case.pk},
    )
    return recipient
