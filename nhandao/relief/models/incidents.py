"""Incidents and the field reports that measure them.

An incident (a typhoon, a flood, a fire, an epidemic) is opened by the city or a
commune; its affected communes are listed with their residents and households
when known, so that a figure that cannot be true is refused.  Field reports are
never edited: a correction is a newer report, so every figure keeps its history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class IncidentKind(models.TextChoices):
    TYPHOON = "typhoon", _("Bão, áp thấp nhiệt đới")
    FLOOD = "flood", _("Lũ, ngập lụt")
    LANDSLIDE = "landslide", _("Sạt lở đất")
    FIRE = "fire", _("Cháy, nổ")
    EPIDEMIC = "epidemic", _("Dịch bệnh")
    OTHER = "other", _("Khác")


class IncidentStatus(models.TextChoices):
    RESPONSE = "response", _("Đang ứng phó")
    RECOVERY = "recovery", _("Khắc phục hậu quả")
    CLOSED = "closed", _("Đã kết thúc")


class Incident(models.Model):
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="incidents", verbose_name=_("đơn vị mở")
    )
    kind = models.CharField(_("loại sự cố"), max_length=12, choices=IncidentKind.choices)
    name = models.CharField(_("tên sự cố"), max_length=200)
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.RESPONSE
    )
    description = models.TextField(_("mô tả"), blank=True)
    campaigns = models.ManyToManyField(
        "campaigns.Campaign", blank=True, related_name="incidents", verbose_name=_("cuộc vận động")
    )
    funds = models.ManyToManyField("funds.Fund", blank=True, related_name="incidents", verbose_name=_("quỹ"))
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sự cố, thiên tai")
        verbose_name_plural = _("sự cố, thiên tai")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="relief_incident_dates",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("relief:incident", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit


class AffectedCommune(models.Model):
    """A commune hit by the incident; residents and households when known (they bound the figures)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="areas")
    commune = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường, đặc khu")
    )
    residents = models.PositiveIntegerField(_("số dân"), null=True, blank=True)
    households = models.PositiveIntegerField(_("số hộ"), null=True, blank=True)

    class Meta:
        verbose_name = _("xã bị ảnh hưởng")
        verbose_name_plural = _("xã bị ảnh hưởng")
        constraints = [models.UniqueConstraint(fields=["incident", "commune"], name="relief_area_unique")]

    def __str__(self) -> str:
        return f"{self.incident} · {self.commune}"

    @property
    def audit_unit(self):
        return self.commune


class ReportSource(models.TextChoices):
    RED_CROSS = "red_cross", _("Đánh giá của Hội Chữ thập đỏ")
    AUTHORITY = "authority", _("Chính quyền địa phương")
    OTHER = "other", _("Nguồn khác")


class Sector(models.TextChoices):
    SHELTER = "shelter", _("Nơi ở tạm")
    FOOD = "food", _("Lương thực, thực phẩm")
    WASH = "wash", _("Nước sạch, vệ sinh")
    HEALTH = "health", _("Y tế")
    NON_FOOD = "non_food", _("Đồ dùng thiết yếu")
    LIVELIHOOD = "livelihood", _("Sinh kế")
    EDUCATION = "education", _("Giáo dục")
    PROTECTION = "protection", _("Bảo vệ")


# The figures of a field report, in the order pages and reports show them.
FIGURES = (
    ("dead", _("Người chết")),
    ("missing", _("Mất tích")),
    ("injured", _("Bị thương")),
    ("houses_destroyed", _("Nhà sập, cuốn trôi")),
    ("houses_damaged", _("Nhà hư hỏng")),
    ("houses_flooded", _("Nhà ngập")),
    ("evacuated", _("Người sơ tán")),
    ("households_affected", _("Hộ bị ảnh hưởng")),
)
FIGURE_NAMES = tuple(name for name, _label in FIGURES)
# Figures counting people (bounded by the commune's residents) and households.
PEOPLE_FIGURES = ("dead", "missing", "injured", "evacuated")
HOUSEHOLD_FIGURES = ("houses_destroyed", "houses_damaged", "houses_flooded", "households_affected")


def _figure(label):
    return models.PositiveIntegerField(label, null=True, blank=True)


class FieldReport(models.Model):
    """What one source said about one commune at one time.  Never edited (a newer report corrects).

    A blank figure is "not reported", different from 0.  `client_token` is made by the phone
    for each report typed: the same report sent twice by a flaky connection is stored once.
    """

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="reports")
    commune = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường, đặc khu")
    )
    reported_at = models.DateTimeField(_("thời điểm số liệu"))
    source = models.CharField(_("nguồn"), max_length=10, choices=ReportSource.choices)
    dead = _figure(_("người chết"))
    missing = _figure(_("mất tích"))
    injured = _figure(_("bị thương"))
    houses_destroyed = _figure(_("nhà sập, cuốn trôi"))
    houses_damaged = _figure(_("nhà hư hỏng"))
    houses_flooded = _figure(_("nhà ngập"))
    evacuated = _figure(_("người sơ tán"))
    households_affected = _figure(_("hộ bị ảnh hưởng"))
    needs = models.JSONField(_("nhu cầu theo lĩnh vực"), default=dict, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    client_token = models.CharField(max_length=64, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo hiện trường")
        verbose_name_plural = _("báo cáo hiện trường")
        indexes = [models.Index(fields=["incident", "commune", "source", "reported_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["client_token"], condition=~Q(client_token=""), name="relief_report_client_token"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune} · {self.get_source_display()} · {self.reported_at:%d/%m/%Y %H:%M}"

    @property
    def audit_unit(self):
        return self.commune

    def figures(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in FIGURE_NAMES}

    def figure_values(self) -> list[int | None]:
        """The figures in FIGURES order (what the tables show)."""
        return [getattr(self, name) for name in FIGURE_NAMES]
