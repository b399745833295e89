"""One identity per human.

A person can be a member, volunteer, staff, donor, blood donor and
beneficiary at once: every module points at this model instead of keeping
its own copy of a name and an ID number.  `unit` is the unit that keeps the
record (its scope decides who may see it).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ETHNICITIES, Sex


class Person(models.Model):
    full_name = models.CharField(_("họ và tên"), max_length=150)
    given_name = models.CharField(_("tên"), max_length=50, blank=True, db_index=True)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices, blank=True)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True, db_index=True)
    cccd = models.CharField(_("số CCCD"), max_length=12, null=True, blank=True, unique=True)
    legacy_id_number = models.CharField(_("số CMND cũ"), max_length=9, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=15, blank=True, db_index=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=2, choices=ETHNICITIES, blank=True)
    ward = models.ForeignKey(
        "geo.Ward",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("xã, phường, đặc khu"),
    )
    address_detail = models.CharField(_("số nhà, đường, thôn, tổ"), max_length=200, blank=True)
    occupation = models.CharField(_("nghề nghiệp"), max_length=100, blank=True)
    workplace = models.CharField(_("nơi làm việc, học tập"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="people", verbose_name=_("đơn vị quản lý")
    )
    search_key = models.CharField(max_length=300, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("người")
        verbose_name_plural = _("người")
        ordering = ["given_name", "full_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def audit_unit(self):
        return self.unit
