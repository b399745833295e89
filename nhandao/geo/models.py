"""Vietnam's administrative units, current and pre-2025, with the official mapping.

Codes are the General Statistics Office's, zero-padded as officially written
(province "31", district "303", commune "11311").  Since 01/07/2025 there are
two tiers: provinces and commune-level units (phường, xã, đặc khu).  Records
made before then carry the old three-tier addresses; the Legacy* models and
WardConversion translate them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    code = models.CharField(_("mã"), max_length=2, primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại"), max_length=30)
    codename = models.CharField(max_length=100)
    phone_code = models.PositiveIntegerField(null=True, blank=True)
    search_key = models.CharField(max_length=120, db_index=True)

    class Meta:
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    """A commune-level unit since 01/07/2025: phường, xã or đặc khu."""

    code = models.CharField(_("mã"), max_length=5, primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại"), max_length=30)
    codename = models.CharField(max_length=100)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="wards", verbose_name=_("tỉnh, thành phố")
    )
    search_key = models.CharField(max_length=120, db_index=True)

    class Meta:
        verbose_name = _("xã, phường, đặc khu")
        verbose_name_plural = _("xã, phường, đặc khu")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """'Phường Lê Chân' -> 'Lê Chân'."""
        prefix = self.division_type.capitalize() + " "
        return self.name[len(prefix) :] if self.name.startswith(prefix) else self.name


class LegacyProvince(models.Model):
    code = models.CharField(_("mã"), max_length=2, primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại"), max_length=30)
    codename = models.CharField(max_length=100)
    successor = models.ForeignKey(
        Province, null=True, blank=True, on_delete=models.PROTECT, related_name="legacy_sources"
    )
    search_key = models.CharField(max_length=120, db_index=True)

    class Meta:
        verbose_name = _("tỉnh (trước 2025)")
        verbose_name_plural = _("tỉnh (trước 2025)")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class LegacyDistrict(models.Model):
    code = models.CharField(_("mã"), max_length=3, primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại"), max_length=30)
    codename = models.CharField(max_length=100)
    province = models.ForeignKey(LegacyProvince, on_delete=models.PROTECT, related_name="districts")
    search_key = models.CharField(max_length=120, db_index=True)

    class Meta:
        verbose_name = _("quận, huyện (trước 2025)")
        verbose_name_plural = _("quận, huyện (trước 2025)")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class LegacyWard(models.Model):
    code = models.CharField(_("mã"), max_length=5, primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại"), max_length=30)
    codename = models.CharField(max_length=100)
    district = models.ForeignKey(LegacyDistrict, on_delete=models.PROTECT, related_name="wards")
    successors = models.ManyToManyField(Ward, through="WardConversion", related_name="legacy_sources")
    search_key = models.CharField(max_length=120, db_index=True)

    class Meta:
        verbose_name = _("xã, phường (trước 2025)")
        verbose_name_plural = _("xã, phường (trước 2025)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}, {self.district.name}" if "district" in self._state.fields_cache else self.name


class WardConversion(models.Model):
    """The official old -> new commune mapping of 01/07/2025."""

    old = models.ForeignKey(LegacyWard, on_delete=models.CASCADE, related_name="conversions")
    new = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="conversions")
    partly = models.BooleanField(_("chỉ một phần"), default=False)

    class Meta:
        verbose_name = _("chuyển đổi đơn vị hành chính")
        verbose_name_plural = _("chuyển đổi đơn vị hành chính")
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="geo_wardconversion_unique")]

    def __str__(self) -> str:
        return f"{self.old_id} → {self.new_id}"
