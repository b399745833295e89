"""Preparedness: response teams, hazard-prone communes, drills and the season's readiness check;
and deployments of teams and volunteers to communes during an incident.

A response team IS a team of the people registry (`people.Club` of a team kind): its members,
their phones and skills come from there, never copied.  The relief module adds what the team
can do (capabilities) and where it is sent.  Hours worked on a deployment are written to the
volunteer's record by the people app's `hours_log` (one home), and linked here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .incidents import Incident


class Capability(models.TextChoices):
    FIRST_AID = "first_aid", _("Sơ cấp cứu")
    SEARCH_RESCUE = "search_rescue", _("Tìm kiếm cứu nạn")
    BOATS = "boats", _("Xuồng, ghe")
    DRIVERS = "drivers", _("Lái xe")
    RELIEF = "relief", _("Phân phát hàng cứu trợ")
    PSYCHOSOCIAL = "psychosocial", _("Hỗ trợ tâm lý")


# The people registry's team kinds a response team may be drawn from.
TEAM_KINDS = ("rapid_response", "first_aid", "disaster")

# The typhoon season's readiness checklist (June–November), in the order the page shows it.
READINESS_ITEMS = (
    ("team", _("Đội xung kích, ứng phó đã kiện toàn, có danh sách liên lạc")),
    ("contacts", _("Danh bạ liên lạc khẩn cấp đã cập nhật")),
    ("hazards", _("Đã rà soát khu vực, hộ dân có nguy cơ")),
    ("stock", _("Đã kiểm kê hàng dự phòng (áo phao, bạt, gạo, nước)")),
    ("equipment", _("Phương tiện (xuồng, xe, loa) sẵn sàng")),
    ("drill", _("Đã diễn tập trong 12 tháng qua")),
    ("plan", _("Có phương án sơ tán, phối hợp với chính quyền")),
)
READINESS_CODES = tuple(code for code, _label in READINESS_ITEMS)
SEASON_MONTHS = (6, 11)  # June to November


class ResponseTeam(models.Model):
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="response_teams", verbose_name=_("đơn vị")
    )
    club = models.OneToOneField(
        "people.Club",
        on_delete=models.PROTECT,
        related_name="response_team",
        verbose_name=_("đội trong sổ hội viên, tình nguyện viên"),
    )
    capabilities = models.JSONField(_("năng lực"), default=list, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đội ứng phó")
        verbose_name_plural = _("đội ứng phó")
        ordering = ["unit__path", "pk"]

    def __str__(self) -> str:
        return self.club.name

    def get_absolute_url(self) -> str:
        return reverse("relief:team", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit

    def capability_labels(self) -> list[str]:
        labels = dict(Capability.choices)
        return [str(labels[c]) for c in self.capabilities if c in labels]


class HazardArea(models.Model):
    """A commune prone to hazards: which kinds, how many households at risk."""

    commune = models.OneToOneField(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="hazard_area",
        verbose_name=_("xã, phường, đặc khu"),
    )
    hazards = models.JSONField(_("loại thiên tai"), default=list)
    households_at_risk = models.PositiveIntegerField(_("số hộ có nguy cơ"), null=True, blank=True)
    places = models.CharField(_("khu vực xung yếu"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("xã có nguy cơ thiên tai")
        verbose_name_plural = _("xã có nguy cơ thiên tai")

    def __str__(self) -> str:
        return str(self.commune)

    @property
    def audit_unit(self):
        return self.commune


class Drill(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    team = models.ForeignKey(
        ResponseTeam,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drills",
        verbose_name=_("đội"),
    )
    held_on = models.DateField(_("ngày diễn tập"))
    scenario = models.CharField(_("tình huống"), max_length=200)
    participants = models.PositiveIntegerField(_("số người tham gia"), default=0)
    note = models.CharField(_("ghi chú, bài học"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("buổi diễn tập")
        verbose_name_plural = _("buổi diễn tập")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.scenario

    @property
    def audit_unit(self):
        return self.unit


class ReadinessCheck(models.Model):
    """A commune's readiness before one typhoon season (June–November of `season`)."""

    commune = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường, đặc khu")
    )
    season = models.PositiveSmallIntegerField(_("mùa mưa bão năm"))
    items = models.JSONField(_("nội dung đã sẵn sàng"), default=dict)
    checked_on = models.DateField(_("ngày rà soát"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rà soát sẵn sàng mùa mưa bão")
        verbose_name_plural = _("rà soát sẵn sàng mùa mưa bão")
        constraints = [models.UniqueConstraint(fields=["commune", "season"], name="relief_readiness_unique")]

    def __str__(self) -> str:
        return f"{self.commune} · {self.season}"

    @property
    def audit_unit(self):
        return self.commune

    @property
    def done(self) -> int:
        return sum(1 for code in READINESS_CODES if self.items.get(code))

    @property
    def complete(self) -> bool:
        return self.done == len(READINESS_CODES)


class Deployment(models.Model):
    """A team or volunteers sent to a commune for an incident, with dates."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="deployments")
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị điều động")
    )
    commune = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đến xã, phường, đặc khu")
    )
    team = models.ForeignKey(
        ResponseTeam,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deployments",
        verbose_name=_("đội"),
    )
    task = models.CharField(_("nhiệm vụ"), max_length=300)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("điều động")
        verbose_name_plural = _("điều động")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="relief_deployment_dates",
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident} · {self.commune}"

    def get_absolute_url(self) -> str:
        return reverse("relief:deployment", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit


class Deployed(models.Model):
    """One volunteer on a deployment."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("người được điều động")
        verbose_name_plural = _("người được điều động")
        constraints = [
            models.UniqueConstraint(fields=["deployment", "person"], name="relief_deployed_unique")
        ]

    def __str__(self) -> str:
        return f"{self.deployment} · {self.person_id}"

    @property
    def audit_unit(self):
        return self.deployment.unit


class DeploymentHours(models.Model):
    """The link from a deployment to the hours written in the volunteer's record (people app)."""

    member = models.ForeignKey(Deployed, on_delete=models.PROTECT, related_name="hours")
    entry = models.OneToOneField("people.VolunteerHours", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("giờ tình nguyện khi điều động")
        verbose_name_plural = _("giờ tình nguyện khi điều động")

    def __str__(self) -> str:
        return f"{self.member} · {self.entry_id}"
