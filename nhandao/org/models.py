"""The organisation tree, partner agencies and who holds which role where.

Units are never deleted: closing or merging sets valid_to and records
successors, so a record made under a former district society still shows where
its work went.  The tree is a materialised path ("000001.000007.") so that a
unit's whole subtree is one indexed prefix test on both PostgreSQL and SQLite.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhandao.core.access import Role
from nhandao.core.text import search_key

PATH_SEGMENT = 7  # "0000123." : six digits and a dot; a million units is plenty


def path_segment(pk: int) -> str:
    return f"{pk:06d}."


class UnitKind(models.TextChoices):
    NATIONAL = "national", _("Trung ương")
    PROVINCE = "province", _("Tỉnh, thành phố")
    DISTRICT = "district", _("Quận, huyện (trước 2025)")
    COMMUNE = "commune", _("Xã, phường, đặc khu")
    BRANCH = "branch", _("Chi hội")
    GROUP = "group", _("Tổ hội")


class BranchType(models.TextChoices):
    RESIDENTIAL = "residential", _("Khu dân cư")
    SCHOOL = "school", _("Trường học")
    HOSPITAL = "hospital", _("Bệnh viện, cơ sở y tế")
    AGENCY = "agency", _("Cơ quan")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    OTHER = "other", _("Khác")


class UnitQuerySet(models.QuerySet):
    def active(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))

    def closed(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(valid_to__lt=on)

    def subtree(self, unit: Unit):
        return self.filter(path__startswith=unit.path)


class Unit(models.Model):
    code = models.CharField(_("mã đơn vị"), max_length=40, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=200)
    kind = models.CharField(_("cấp"), max_length=20, choices=UnitKind.choices)
    branch_type = models.CharField(_("loại chi hội"), max_length=20, choices=BranchType.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    province = models.ForeignKey(
        "geo.Province",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tỉnh, thành phố"),
    )
    ward = models.ForeignKey(
        "geo.Ward",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("xã, phường, đặc khu"),
    )
    legacy_district = models.ForeignKey(
        "geo.LegacyDistrict",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("quận, huyện (trước 2025)"),
    )
    legacy_ward = models.ForeignKey(
        "geo.LegacyWard",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("xã, phường (trước 2025)"),
    )
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    valid_from = models.DateField(_("hoạt động từ"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("hoạt động đến"), null=True, blank=True)
    closed_reason = models.CharField(_("lý do giải thể, sáp nhập"), max_length=300, blank=True)
    search_key = models.CharField(max_length=300, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="org_unit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.name, self.code)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("org:unit", args=[self.pk])

    @property
    def audit_unit(self) -> Unit:
        return self

    def is_active(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)

    @property
    def active(self) -> bool:
        return self.is_active()

    def ancestor_ids(self) -> list[int]:
        return [int(seg) for seg in self.path.split(".") if seg][:-1]

    def ancestors(self):
        return Unit.objects.filter(pk__in=self.ancestor_ids()).order_by("depth")

    def descendants(self, include_self: bool = False):
        qs = Unit.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def is_descendant_of(self, other: Unit) -> bool:
        return self.path.startswith(other.path)


class SuccessionKind(models.TextChoices):
    MERGED = "merged", _("Sáp nhập")
    SPLIT = "split", _("Chia tách")
    RENAMED = "renamed", _("Đổi tên")
    REORGANISED = "reorganised", _("Sắp xếp lại theo đơn vị hành chính mới")


class UnitSuccession(models.Model):
    """Work of `predecessor` continues in `successor` from `date` (possibly in part)."""

    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successions")
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="predecessions")
    date = models.DateField(_("ngày hiệu lực"))
    kind = models.CharField(_("hình thức"), max_length=20, choices=SuccessionKind.choices)
    partly = models.BooleanField(_("một phần"), default=False)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="org_unitsuccession_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class AgencyKind(models.TextChoices):
    PARTY = "party", _("Cơ quan Đảng")
    FRONT = "front", _("Mặt trận, đoàn thể")
    DEPARTMENT = "department", _("Sở, ngành")
    PEOPLES_COMMITTEE = "committee", _("Ủy ban nhân dân")
    OTHER = "other", _("Khác")


class AgencyQuerySet(models.QuerySet):
    def active(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class Agency(models.Model):
    """A partner agency named in the plan (Sở Y tế, Ban Dân vận, UBND quận …), with history."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=AgencyKind.choices)
    legacy_district = models.ForeignKey(
        "geo.LegacyDistrict", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("hoạt động từ"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("hoạt động đến"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    search_key = models.CharField(max_length=300, db_index=True, editable=False)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan phối hợp")
        verbose_name_plural = _("cơ quan phối hợp")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.name, self.short_name, self.code)
        super().save(*args, **kwargs)

    def is_active(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)

    def current_holders(self, on: dt.date | None = None) -> list[Agency]:
        """Who holds this agency's duties today: itself, or its main successors, followed transitively."""
        on = on or timezone.localdate()
        if self.is_active(on):
            return [self]
        seen, result, frontier = {self.pk}, [], [self]
        while frontier:
            nxt = []
            for agency in frontier:
                successions = agency.successions.filter(date__lte=on).select_related("successor")
                primary = [s for s in successions if s.primary] or list(successions)
                for s in primary:
                    if s.successor_id in seen:
                        continue
                    seen.add(s.successor_id)
                    (result if s.successor.is_active(on) else nxt).append(s.successor)
            frontier = nxt
        return result


class AgencySuccession(models.Model):
    predecessor = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="successions")
    successor = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="predecessions")
    date = models.DateField(_("ngày hiệu lực"))
    primary = models.BooleanField(_("tiếp nhận chính"), default=True)
    functions = models.CharField(_("chức năng tiếp nhận"), max_length=300, blank=True)
    reference = models.CharField(_("văn bản"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("kế thừa cơ quan")
        verbose_name_plural = _("kế thừa cơ quan")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="org_agencysuccession_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class RoleAssignment(models.Model):
    """A role held by a user on a unit; it applies to the unit and all its descendants."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("người dùng"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("đơn vị")
    )
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reporters",
        verbose_name=_("cơ quan"),
    )
    title = models.CharField(_("chức vụ"), max_length=120, blank=True)
    valid_from = models.DateField(_("từ ngày"), default=timezone.localdate)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        ordering = ["unit__path", "role"]
        indexes = [models.Index(fields=["user", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"

    @property
    def audit_unit(self) -> Unit:
        return self.unit

    def is_active(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)
