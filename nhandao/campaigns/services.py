"""Every write to campaigns: create, edit the public disclosure, open, close."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit, refcodes
from nhandao.core.access import CAMPAIGNS_MANAGE
from nhandao.core.choices import ContentArea
from nhandao.core.money import whole_dong
from nhandao.core.text import clean_spaces
from nhandao.org.access import require

from .models import Campaign, CampaignKind, CampaignStatus

MAX_DOCUMENT = 10 * 1024 * 1024


# Decree 93/2021/NĐ-CP: an appeal collects for at most 90 days (configurable: verify).
def appeal_max_days() -> int:
    return int(getattr(settings, "NHANDAO_APPEAL_MAX_DAYS", 90))


DISCLOSURE_FIELDS = (
    "name",
    "description",
    "content_area",
    "goal",
    "ends_on",
    "distribution_ends_on",
    "mobilisation_reference",
    "eligibility",
    "support_level",
    "distribution_method",
    "is_public",
)


def _validate_dates(
    kind: str, starts_on: dt.date, ends_on: dt.date | None, distribution_ends_on: dt.date | None
):
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc tiếp nhận phải sau ngày bắt đầu.")})
    if distribution_ends_on is not None and distribution_ends_on < (ends_on or starts_on):
        raise ValidationError({"distribution_ends_on": _("Hạn phân bổ phải sau ngày kết thúc tiếp nhận.")})
    if kind == CampaignKind.APPEAL:
        if ends_on is None:
            raise ValidationError({"ends_on": _("Lời kêu gọi ủng hộ phải có ngày kết thúc tiếp nhận.")})
        days = (ends_on - starts_on).days + 1
        if days > appeal_max_days():
            raise ValidationError(
                {
                    "ends_on": _(
                        "Thời gian tiếp nhận của lời kêu gọi là %(d)s ngày, quá %(m)s ngày (Nghị định 93/2021/NĐ-CP)."
                    )
                    % {"d": days, "m": appeal_max_days()}
                }
            )


def _check_document(upload) -> None:
    if upload is None:
        return
    if upload.size > MAX_DOCUMENT:
        raise ValidationError({"mobilisation_document": _("Tệp lớn hơn 10 MB.")})
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError({"mobilisation_document": _("Văn bản vận động phải là tệp PDF.")})


@transaction.atomic
def campaign_create(
    *,
    actor,
    unit,
    name: str,
    kind: str,
    starts_on: dt.date,
    content_area: str = ContentArea.RELIEF,
    restricted: bool | None = None,
    ends_on: dt.date | None = None,
    distribution_ends_on: dt.date | None = None,
    goal=None,
    description: str = "",
    mobilisation_reference: str = "",
    mobilisation_document=None,
    eligibility: str = "",
    support_level: str = "",
    distribution_method: str = "",
    is_public: bool = True,
    code: str = "",
    rng=None,
) -> Campaign:
    require(actor, CAMPAIGNS_MANAGE, unit)
    if not unit.is_active():
        raise ValidationError({"unit": _("Đơn vị “%(unit)s” đã ngừng hoạt động.") % {"unit": unit.name}})
    name = clean_spaces(name)
    if not name:
        raise ValidationError({"name": _("Hãy nhập tên cuộc vận động.")})
    if kind not in CampaignKind.values:
        raise ValidationError({"kind": _("Loại cuộc vận động không hợp lệ.")})
    if content_area not in ContentArea.values:
        raise ValidationError({"content_area": _("Lĩnh vực hoạt động không hợp lệ.")})
    if starts_on is None:
        raise ValidationError({"starts_on": _("Hãy nhập ngày bắt đầu.")})
    _validate_dates(kind, starts_on, ends_on, distribution_ends_on)
    if goal not in (None, ""):
        goal = whole_dong(goal, "goal")
    else:
        goal = None
    if code:
        code = code.strip().upper()
        if not refcodes.is_valid(code):
            raise ValidationError({"code": _("Mã tham chiếu “%(c)s” không hợp lệ.") % {"c": code}})
        if refcodes.taken(code):
            raise ValidationError({"code": _("Mã tham chiếu “%(c)s” đã được dùng.") % {"c": code}})
    else:
        code = refcodes.new_code(refcodes.taken, rng=rng)
    _check_document(mobilisation_document)
    campaign = Campaign(
        unit=unit,
        name=name,
        kind=kind,
        content_area=content_area,
        code=code,
        restricted=(kind == CampaignKind.APPEAL) if restricted is None else bool(restricted),
        starts_on=starts_on,
        ends_on=ends_on,
        distribution_ends_on=distribution_ends_on,
        goal=goal,
        description=(description or "").strip(),
        mobilisation_reference=clean_spaces(mobilisation_reference),
        eligibility=(eligibility or "").strip(),
        support_level=(support_level or "").strip(),
        distribution_method=(distribution_method or "").strip(),
        is_public=is_public,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if mobilisation_document is not None:
        campaign.mobilisation_document.save("van-ban.pdf", mobilisation_document, save=False)
    campaign.full_clean()
    campaign.save()
    audit.record(
        actor=actor, action="campaigns.campaign.created", obj=campaign, changes=audit.created(campaign)
    )
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, mobilisation_document=None, **fields) -> Campaign:
    """Edit the description and the Decree 93 disclosure.  The code, unit, kind and restriction never change."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require(actor, CAMPAIGNS_MANAGE, campaign.unit)
    unknown = set(fields) - set(DISCLOSURE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    before = audit.snapshot(campaign, [*fields, "mobilisation_document"])
    if "name" in fields:
        fields["name"] = clean_spaces(fields["name"])
        if not fields["name"]:
            raise ValidationError({"name": _("Hãy nhập tên cuộc vận động.")})
    if "goal" in fields:
        fields["goal"] = whole_dong(fields["goal"], "goal") if fields["goal"] not in (None, "") else None
    for key, value in fields.items():
        setattr(campaign, key, value.strip() if isinstance(value, str) else value)
    _validate_dates(campaign.kind, campaign.starts_on, campaign.ends_on, campaign.distribution_ends_on)
    if mobilisation_document is not None:
        _check_document(mobilisation_document)
        campaign.mobilisation_document.save("van-ban.pdf", mobilisation_document, save=False)
    campaign.full_clean()
    changes = audit.diff(before, audit.snapshot(campaign, [*fields, "mobilisation_document"]))
    if changes:
        campaign.save()
        audit.record(actor=actor, action="campaigns.campaign.updated", obj=campaign, changes=changes)
    return campaign


@transaction.atomic
def campaign_open(*, actor, campaign: Campaign) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require(actor, CAMPAIGNS_MANAGE, campaign.unit)
    if campaign.status == CampaignStatus.OPEN:
        raise ValidationError(_("Cuộc vận động đang tiếp nhận."))
    if campaign.ends_on is not None and campaign.ends_on < timezone.localdate():
        raise ValidationError(
            {"ends_on": _("Ngày kết thúc tiếp nhận đã qua; hãy sửa ngày kết thúc trước khi mở lại.")}
        )
    before = campaign.status
    campaign.status = CampaignStatus.OPEN
    campaign.opened_at = campaign.opened_at or timezone.now()
    campaign.closed_at = None
    campaign.save(update_fields=["status", "opened_at", "closed_at", "updated_at"])
    audit.record(
        actor=actor,
        action="campaigns.campaign.opened",
        obj=campaign,
        changes={"status": {"before": before, "after": campaign.status}},
    )
    return campaign


@transaction.atomic
def campaign_close(*, actor, campaign: Campaign, on: dt.date | None = None) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require(actor, CAMPAIGNS_MANAGE, campaign.unit)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(_("Cuộc vận động không trong thời gian tiếp nhận."))
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = timezone.now()
    update = ["status", "closed_at", "updated_at"]
    on = on or timezone.localdate()
    if campaign.ends_on is None or campaign.ends_on > on:
        campaign.ends_on = max(on, campaign.starts_on)
        update.append("ends_on")
    campaign.save(update_fields=update)
    audit.record(
        actor=actor,
        action="campaigns.campaign.closed",
        obj=campaign,
        changes={"status": {"before": "open", "after": "closed"}},
    )
    return campaign
