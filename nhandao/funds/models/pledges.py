"""Pledges (promises to give) and the gifts that fulfil them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .donations import Donation
from .donors import Display, Donor
from .funds import Fund


# Pledges -----------------------------------------------------------------------
class PledgeStatus(models.TextChoices):
    OPEN = "open", _("Đang thực hiện")
    FULFILLED = "fulfilled", _("Đã thực hiện đủ")
    CANCELLED = "cancelled", _("Đã hủy phần còn lại")


class Pledge(models.Model):
    """A promise to give (an organisation promises 50 million over the year)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="pledges")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("quỹ"))
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
        verbose_name=_("cuộc vận động"),
    )
    donor = models.ForeignKey(
        Donor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
        verbose_name=_("nhà hảo tâm"),
    )
    donor_name = models.CharField(_("tên người cam kết"), max_length=200)
    display = models.CharField(_("cách hiển thị công khai"), max_length=10, choices=Display.choices)
    public_name = models.CharField(_("tên hiển thị công khai"), max_length=200)
    amount = models.BigIntegerField(_("số tiền cam kết (đồng)"))
    pledged_on = models.DateField(_("ngày cam kết"))
    due_on = models.DateField(_("hạn thực hiện"), null=True, blank=True)
    code = models.CharField(_("mã tham chiếu"), max_length=12, unique=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PledgeStatus.choices, default=PledgeStatus.OPEN
    )
    cancelled_amount = models.BigIntegerField(_("số tiền đã hủy"), default=0)
    cancel_reason = models.CharField(_("lý do hủy"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("ghi nhận lúc"))
    search_key = models.CharField(max_length=300, db_index=True, editable=False)

    class Meta:
        verbose_name = _("cam kết ủng hộ")
        verbose_name_plural = _("cam kết ủng hộ")
        ordering = ["-pledged_on", "-id"]
        indexes = [models.Index(fields=["unit", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_pledge_amount_positive"),
            models.CheckConstraint(
                condition=Q(cancelled_amount__gte=0) & Q(cancelled_amount__lte=models.F("amount")),
                name="funds_pledge_cancelled_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donor_name} · {self.code}"

    def get_absolute_url(self) -> str:
        return reverse("funds:pledge", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit


class PledgeFulfilment(models.Model):
    """Part of a gift applied to a pledge (in the gift's posting or in a later one)."""

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="fulfilments")
    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="fulfilments")
    amount = models.BigIntegerField()
    posting = models.ForeignKey("Posting", on_delete=models.PROTECT, related_name="+")
    reversed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thực hiện cam kết")
        verbose_name_plural = _("thực hiện cam kết")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_fulfilment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.pledge_id} ← {self.donation_id}: {self.amount}"
