"""Campaigns, movements and appeals: what money and goods are raised for.

A campaign belongs to the unit that launched it and can be collected for by that
unit and every unit below it.  An appeal (for a typhoon, an epidemic, an
incident) is usually *restricted*: money given to it sits in restricted funds
and may only be spent on it.  Movements such as Tết Nhân ái tag gifts received
into the units' general humanitarian funds.

The short `code` is what donors type into a transfer memo; it is also the key
of the campaign's VietQR code and of its public page.  The Decree 93/2021
fields (mobilisation document, eligibility, support level, method) are
published by the transparency portal.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nhandao.core.choices import ContentArea
from nhandao.core.text import search_key


class CampaignKind(models.TextChoices):
    APPEAL = "appeal", _("Kêu gọi ủng hộ (thiên tai, dịch bệnh, sự cố)")
    MOVEMENT = "movement", _("Phong trào, cuộc vận động")
    PROGRAMME = "programme", _("Chương trình")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Đang chuẩn bị")
    OPEN = "open", _("Đang tiếp nhận")
    CLOSED = "closed", _("Đã kết thúc tiếp nhận")


class CampaignQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=CampaignStatus.OPEN)

    def public(self):
        return self.filter(is_public=True).exclude(status=CampaignStatus.DRAFT)


def mobilisation_upload_to(instance: Campaign, filename: str) -> str:
    return f"campaigns/{instance.code}/van-ban-van-dong-{dt.date.today():%Y%m%d}.pdf"


class Campaign(models.Model):
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("đơn vị phát động")
    )
    name = models.CharField(_("tên cuộc vận động"), max_length=200)
    kind = models.CharField(_("loại"), max_length=20, choices=CampaignKind.choices)
    content_area = models.CharField(
        _("lĩnh vực hoạt động"), max_length=2, choices=ContentArea.choices, default=ContentArea.RELIEF
    )
    code = models.CharField(
        _("mã tham chiếu"),
        max_length=12,
        unique=True,
        help_text=_("Người ủng hộ ghi mã này trong nội dung chuyển khoản."),
    )
    restricted = models.BooleanField(
        _("quỹ hạn chế"),
        default=False,
        help_text=_("Tiền ủng hộ cho cuộc vận động chỉ được chi cho chính cuộc vận động này."),
    )
    starts_on = models.DateField(_("ngày bắt đầu tiếp nhận"))
    ends_on = models.DateField(_("ngày kết thúc tiếp nhận"), null=True, blank=True)
    distribution_ends_on = models.DateField(_("hạn hoàn thành phân bổ"), null=True, blank=True)
    goal = models.BigIntegerField(_("mục tiêu (đồng)"), null=True, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    # Decree 93/2021/NĐ-CP: what must be disclosed to the public.
    mobilisation_reference = models.CharField(_("số, ký hiệu văn bản vận động"), max_length=120, blank=True)
    mobilisation_document = models.FileField(
        _("văn bản vận động (PDF)"), upload_to=mobilisation_upload_to, blank=True, max_length=200
    )
    eligibility = models.TextField(_("đối tượng được hỗ trợ"), blank=True)
    support_level = models.TextField(_("mức hỗ trợ"), blank=True)
    distribution_method = models.TextField(_("thời gian, địa điểm, phương thức phân phối"), blank=True)
    is_public = models.BooleanField(_("công khai trên cổng minh bạch"), default=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    opened_at = models.DateTimeField(_("mở tiếp nhận lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc tiếp nhận lúc"), null=True, blank=True)
    search_key = models.CharField(max_length=300, db_index=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("cuộc vận động")
        verbose_name_plural = _("cuộc vận động")
        ordering = ["-starts_on", "name"]
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["status", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="campaigns_campaign_dates",
            ),
            models.CheckConstraint(condition=Q(goal__isnull=True) | Q(goal__gte=0), name="campaigns_goal"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.name, self.code)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN

    def accepts_from(self, unit) -> bool:
        """Units that may collect for this campaign: its own unit and every unit below it."""
        return unit.path.startswith(self.unit.path)
