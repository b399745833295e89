"""News and good-deed stories of the units, their images, and the school branches' yearly reports.

A story goes draft → in review → published → withdrawn (and back to draft from review or after a
withdrawal).  Its body is stored already sanitised (`sanitize.clean_html`); its images are stored
re-encoded (resized, EXIF and every other metadata dropped) through Django's default storage, so
production can keep them in an S3-compatible store.  A story about a beneficiary points at the case:
it is published only while the case's head consents to publication (beneficiaries' Consent).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import StoryKind, StoryStatus


class Story(models.Model):
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="stories", verbose_name=_("đơn vị")
    )
    kind = models.CharField(_("loại bài"), max_length=12, choices=StoryKind.choices, default=StoryKind.NEWS)
    title = models.CharField(_("tiêu đề"), max_length=200)
    summary = models.CharField(_("tóm tắt"), max_length=300)
    body = models.TextField(_("nội dung"), max_length=50_000)
    tags = models.CharField(_("thẻ"), max_length=200, blank=True, help_text=_("Cách nhau bằng dấu phẩy."))
    case = models.ForeignKey(
        "beneficiaries.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hồ sơ đối tượng được nêu trong bài"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=StoryStatus.choices, default=StoryStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.CharField(_("ý kiến của người duyệt"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("ngày đăng"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("ngày gỡ"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tin bài")
        verbose_name_plural = _("tin bài")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"], name="stories_public_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stories:detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("portal:story", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


def image_path(instance, filename: str) -> str:
    """An unguessable name (the original one, which may carry a person's name, is not kept)."""
    today = timezone.localdate()
    return f"stories/{today:%Y/%m}/{secrets.token_urlsafe(18)}.jpg"


class StoryImage(models.Model):
    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="images", verbose_name=_("tin bài")
    )
    file = models.FileField(_("tệp ảnh"), upload_to=image_path, max_length=200)
    caption = models.CharField(_("chú thích"), max_length=200, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.caption or self.file.name

    @property
    def audit_unit(self):
        return self.story.unit

    def get_public_url(self) -> str:
        return reverse("portal:story_image", args=[self.pk])


school_year_validator = RegexValidator(r"^20\d\d-20\d\d$", _("Năm học ghi dạng 2025-2026."))


class SchoolReport(models.Model):
    """A school Red Cross branch's figures for one school year (Thông tư 07/2014/TT-BGDĐT)."""

    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="school_reports",
        verbose_name=_("chi hội trường học"),
    )
    school_year = models.CharField(_("năm học"), max_length=9, validators=[school_year_validator])
    pupils = models.PositiveIntegerField(_("số học sinh của trường"), default=0)
    youth_members = models.PositiveIntegerField(_("hội viên thanh, thiếu niên Chữ thập đỏ"), default=0)
    new_members = models.PositiveIntegerField(_("kết nạp mới trong năm học"), default=0)
    activities = models.PositiveIntegerField(_("số hoạt động"), default=0)
    first_aid_trained = models.PositiveIntegerField(_("học sinh được tập huấn sơ cấp cứu"), default=0)
    pupils_helped = models.PositiveIntegerField(_("học sinh khó khăn được giúp đỡ"), default=0)
    value_raised = models.BigIntegerField(
        _("giá trị vận động (đồng)"), default=0, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("hoạt động tiêu biểu"), max_length=1000, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("báo cáo chi hội trường học")
        verbose_name_plural = _("báo cáo chi hội trường học")
        ordering = ["-school_year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "school_year"], name="stories_schoolreport_unique"),
            models.CheckConstraint(
                condition=models.Q(value_raised__gte=0), name="stories_schoolreport_value"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.school_year}"

    @property
    def audit_unit(self):
        return self.unit
