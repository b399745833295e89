"""Numbered series of vouchers: receipts "BN", payment vouchers "PC", goods issues "PX"."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


# Counters for receipt books and vouchers ---------------------------------------
class NumberSeries(models.Model):
    """The last number used in a unit's book of a series for a year (receipts "BN", vouchers "PC", "PX")."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("quyển chứng từ")
        verbose_name_plural = _("quyển chứng từ")
        constraints = [
            models.UniqueConstraint(fields=["unit", "series", "year"], name="funds_numberseries_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year} · {self.unit_id}: {self.last_number}"
