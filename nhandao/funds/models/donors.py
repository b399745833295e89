"""Donors and how each chooses to be shown in public."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nhandao.core.text import search_key

ANONYMOUS_NAME = "Nhà hảo tâm"


# Donors ----------------------------------------------------------------------
class DonorKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")


class Display(models.TextChoices):
    """How a donor appears in public (the portal, receipts' verification page)."""

    FULL = "full", _("Họ tên đầy đủ")
    INITIALS = "initials", _("Chữ cái đầu (ví dụ N.T.M.)")
    ANONYMOUS = "anonymous", _("Ẩn danh (“Nhà hảo tâm”)")


class Donor(models.Model):
    """A registered giver: a person of the registry or an organisation.

    Gifts from people who are not registered (most bank transfers) keep the name as
    given on the donation itself.
    """

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="donors", verbose_name=_("đơn vị quản lý")
    )
    kind = models.CharField(_("loại"), max_length=12, choices=DonorKind.choices)
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donor_profiles",
        verbose_name=_("người"),
    )
    name = models.CharField(_("tên"), max_length=200)
    tax_code = models.CharField(_("mã số thuế"), max_length=20, blank=True)
    contact_name = models.CharField(_("người liên hệ"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    display = models.CharField(
        _("cách hiển thị công khai"), max_length=10, choices=Display.choices, default=Display.FULL
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    search_key = models.CharField(max_length=300, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nhà hảo tâm")
        verbose_name_plural = _("nhà hảo tâm")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="person") & Q(person__isnull=False))
                | (Q(kind="organisation") & Q(person__isnull=True)),
                name="funds_donor_person_kind",
            ),
            models.UniqueConstraint(
                fields=["unit", "person"],
                condition=Q(person__isnull=False),
                name="funds_donor_one_per_person",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.name, self.tax_code, self.phone)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("funds:donor", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit
