"""Distributions: a package per household for an incident in a commune, and who signed for it.

The list of households comes from the beneficiaries register (beneficiaries.api).
Confirming a receipt writes the help record into the household's file and issues
the package from the plan's warehouse, in one transaction; the register's
double-help guard stops a second package of the same kind for the same incident
unless a reason is stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .stock import QTY


class Package(models.Model):
    """A standard relief package (family kit, rice 10 kg, …) made of catalogue items."""

    name = models.CharField(_("tên gói cứu trợ"), max_length=150, unique=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("gói cứu trợ")
        verbose_name_plural = _("gói cứu trợ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PackageLine(models.Model):
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey("relief.Item", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("số lượng mỗi hộ"), **QTY)

    class Meta:
        verbose_name = _("dòng gói hàng")
        verbose_name_plural = _("dòng gói hàng")
        constraints = [models.UniqueConstraint(fields=["package", "item"], name="relief_package_item")]

    def __str__(self) -> str:
        return f"{self.package} · {self.item_id}"


class PlanStatus(models.TextChoices):
    OPEN = "open", _("Đang phát")
    CLOSED = "closed", _("Đã kết thúc")


class DistributionPlan(models.Model):
    incident = models.ForeignKey("relief.Incident", on_delete=models.PROTECT, related_name="distributions")
    commune = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường, đặc khu")
    )
    warehouse = models.ForeignKey(
        "relief.Warehouse", on_delete=models.PROTECT, related_name="distributions", verbose_name=_("kho xuất")
    )
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="+", verbose_name=_("gói"))
    planned_on = models.DateField(_("ngày phát"))
    place = models.CharField(_("địa điểm phát"), max_length=300, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đợt phát hàng cứu trợ")
        verbose_name_plural = _("đợt phát hàng cứu trợ")

    def __str__(self) -> str:
        return f"{self.package} · {self.commune.name} · {self.planned_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("relief:distribution", args=[self.pk])

    @property
    def audit_unit(self):
        return self.commune


class Recipient(models.Model):
    """A household on a distribution list; `received_at` once it signed (or a photo was taken)."""

    plan = models.ForeignKey(DistributionPlan, on_delete=models.PROTECT, related_name="recipients")
    case = models.ForeignKey("beneficiaries.Case", on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("nhận lúc"), null=True, blank=True)
    proof = models.CharField(_("xác nhận bằng"), max_length=10, blank=True)  # "signature" or "photo"
    proof_file = models.FileField(upload_to="private/relief/%Y/%m/", blank=True, max_length=200)
    duplicate_reason = models.CharField(_("lý do vẫn phát"), max_length=300, blank=True)
    # Registered at the distribution point (a new file of the register, proposed until the
    # commune confirms it; the package is handed over once it is confirmed).
    on_the_spot = models.BooleanField(_("đăng ký tại điểm phát"), default=False)
    help_record = models.ForeignKey(
        "beneficiaries.HelpRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issue = models.ForeignKey(
        "relief.StockIssue", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("hộ nhận hàng")
        verbose_name_plural = _("danh sách hộ nhận hàng")
        constraints = [models.UniqueConstraint(fields=["plan", "case"], name="relief_recipient_unique")]
        indexes = [models.Index(fields=["plan", "received_at"])]

    def __str__(self) -> str:
        return f"{self.plan} · HS {self.case_id}"

    @property
    def audit_unit(self):
        return self.plan.commune
