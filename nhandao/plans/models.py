"""The plan and its reports: what a plan asks of whom, the rounds that collect the answers,
each respondent's report with its frozen versions, and the city's consolidated document.

A plan (Kế hoạch số …/KH-UBND) has contents (section II: items 1–5, sub-items a–đ, tagged with
the law's content areas) and duties (section III), each given to an agency, to every commune
People's Committee, or to the Red Cross itself.  A round (sơ kết 6 tháng, tổng kết năm) opens one
report per respondent; submitting a report freezes a version (its entries and the figures computed
from live data, "số liệu tính đến …"), which the city accepts or returns with comments.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhandao.beneficiaries.models import private_storage


class Plan(models.Model):
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=40, default="KH-UBND")
    year = models.PositiveSmallIntegerField(_("năm"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    place = models.CharField(_("địa danh"), max_length=60, default="Hải Phòng")
    title = models.TextField(_("trích yếu"))
    legal_basis = models.JSONField(_("căn cứ"), default=list, blank=True)
    preamble = models.TextField(_("phần mở đầu"), blank=True)
    purposes = models.JSONField(_("mục đích"), default=list, blank=True)
    requirements = models.JSONField(_("yêu cầu"), default=list, blank=True)
    signer = models.JSONField(_("người ký"), default=dict, blank=True)
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)
    full_text = models.TextField(_("toàn văn"), blank=True)
    copied_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies",
        verbose_name=_("sao từ"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "symbol", "year"],
                condition=Q(number__isnull=False),
                name="plans_plan_number_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("plans:plan", args=[self.pk])

    @property
    def reference(self) -> str:
        """'Kế hoạch số 123/KH-UBND', or '…/KH-UBND' while the number is not known."""
        return f"{self.number or '…'}/{self.symbol}"

    @property
    def audit_unit(self):
        return None


class PlanContent(models.Model):
    """An item of section II (number "1"–"5") or one of its sub-items (letter "a"–"đ")."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="contents")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="items")
    number = models.CharField(_("mục"), max_length=4)
    letter = models.CharField(_("điểm"), max_length=2, blank=True)
    text = models.TextField(_("nội dung"))
    areas = models.JSONField(_("lĩnh vực theo Luật"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("nội dung kế hoạch")
        verbose_name_plural = _("nội dung kế hoạch")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    @property
    def code(self) -> str:
        return f"{self.number}{self.letter}" if self.letter else self.number


class Assignee(models.TextChoices):
    AGENCY = "agency", _("Cơ quan")
    COMMITTEES = "committees", _("Ủy ban nhân dân cấp xã (trước 01/07/2025: quận, huyện)")
    RED_CROSS = "red_cross", _("Hội Chữ thập đỏ các cấp")


class DutyRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    COORDINATE = "coordinate", _("Phối hợp")


class Recurrence(models.TextChoices):
    ONCE = "once", _("Một lần")
    HALF_YEARLY = "half_yearly", _("Sáu tháng một lần")
    YEARLY = "yearly", _("Hằng năm")
    WHEN_NEEDED = "when_needed", _("Khi phát sinh")


class Duty(models.Model):
    """One duty of section III, given to an agency, to a kind of unit or to the Red Cross."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="duties")
    section = models.CharField(_("mục"), max_length=4)
    heading = models.CharField(_("đề mục"), max_length=200)
    item = models.PositiveSmallIntegerField(default=1)  # the duty's rank within its section
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("nhiệm vụ"))
    assignee = models.CharField(_("giao cho"), max_length=12, choices=Assignee.choices)
    agency = models.ForeignKey(
        "org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="duties"
    )
    role = models.CharField(_("vai trò"), max_length=12, choices=DutyRole.choices)
    recurrence = models.CharField(_("định kỳ"), max_length=12, choices=Recurrence.choices)
    contents = models.ManyToManyField(PlanContent, blank=True, related_name="duties")
    areas = models.JSONField(_("lĩnh vực theo Luật"), default=list, blank=True)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"III.{self.section}: {self.text[:70]}"

    @property
    def code(self) -> str:
        return f"III.{self.section}.{self.item}"


class RoundKind(models.TextChoices):
    HALF_YEAR = "half_year", _("Sơ kết 6 tháng")
    YEAR = "year", _("Tổng kết năm")
    OTHER = "other", _("Báo cáo chuyên đề")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Đang nhận báo cáo")
    CLOSED = "closed", _("Đã khóa")


class Round(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(_("tên đợt báo cáo"), max_length=200)
    kind = models.CharField(_("loại"), max_length=12, choices=RoundKind.choices)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    deadline = models.DateField(_("hạn nộp"))
    status = models.CharField(_("trạng thái"), max_length=8, choices=RoundStatus.choices, default="open")
    closed_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("đợt báo cáo")
        verbose_name_plural = _("đợt báo cáo")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("period_end")), name="plans_round_deadline"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="plans_round_period"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:round", args=[self.pk])

    @property
    def audit_unit(self):
        return None


class RespondentKind(models.TextChoices):
    AGENCY = "agency", _("Cơ quan")
    COMMITTEE = "committee", _("Ủy ban nhân dân cấp xã")
    SOCIETY = "society", _("Hội Chữ thập đỏ")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp, chờ xem xét")
    RETURNED = "returned", _("Trả lại để bổ sung")
    ACCEPTED = "accepted", _("Đã tiếp nhận")


class Report(models.Model):
    """One respondent's report in a round.  `unit` is where the report lives for access: the
    commune for a commune's society and People's Committee, the city for an agency."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("loại"), max_length=10, choices=RespondentKind.choices)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="plan_reports")
    agency = models.ForeignKey(
        "org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="plan_reports"
    )
    respondent = models.CharField(_("đơn vị báo cáo"), max_length=250)
    status = models.CharField(_("trạng thái"), max_length=10, choices=ReportStatus.choices, default="draft")
    reopened = models.BooleanField(_("mở lại sau khi khóa"), default=False)
    version_count = models.PositiveSmallIntegerField(default=0)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    figures_as_of = models.DateTimeField(_("số liệu tính đến"), null=True, blank=True)
    # The figures given in rows (core.indicators.Breakdown: money per fund and campaign), computed
    # with the figures; {code: rows}.  Frozen in each submitted version's content.
    breakdowns = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["round", "kind", "respondent"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "kind", "unit", "agency"], name="plans_report_one_per_respondent"
            ),
            models.UniqueConstraint(
                fields=["round", "kind", "unit"],
                condition=Q(agency__isnull=True),
                name="plans_report_one_society_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent} — {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("plans:report", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit

    @property
    def is_late(self) -> bool:
        deadline = self.round.deadline
        if self.submitted_at is not None:
            return timezone.localtime(self.submitted_at).date() > deadline
        return timezone.localdate() > deadline

    @property
    def editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class EntryStatus(models.TextChoices):
    DONE = "done", _("Đã hoàn thành")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    NOT_APPLICABLE = "not_applicable", _("Không áp dụng")


class ReportEntry(models.Model):
    """What a respondent says about one duty."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="entries")
    duty = models.ForeignKey(Duty, on_delete=models.PROTECT, related_name="entries")
    status = models.CharField(_("tình trạng"), max_length=16, choices=EntryStatus.choices, blank=True)
    done = models.TextField(_("kết quả thực hiện"), blank=True)
    figures = models.TextField(_("số liệu"), blank=True)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)

    class Meta:
        verbose_name = _("nội dung báo cáo")
        verbose_name_plural = _("nội dung báo cáo")
        ordering = ["report", "duty__order"]
        constraints = [models.UniqueConstraint(fields=["report", "duty"], name="plans_entry_unique")]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.duty_id}"

    @property
    def audit_unit(self):
        return self.report.unit


class ReportFigure(models.Model):
    """An indicator of the report: the value computed from live data and, if an officer
    corrected it, the corrected value and the reason (both kept)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="figures")
    code = models.CharField(_("chỉ tiêu"), max_length=60)
    computed = models.BigIntegerField(_("giá trị tính từ dữ liệu"), default=0)
    corrected = models.BigIntegerField(_("giá trị điều chỉnh"), null=True, blank=True)
    reason = models.CharField(_("lý do điều chỉnh"), max_length=500, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("số liệu báo cáo")
        verbose_name_plural = _("số liệu báo cáo")
        ordering = ["report", "pk"]
        constraints = [models.UniqueConstraint(fields=["report", "code"], name="plans_figure_unique")]

    def __str__(self) -> str:
        return f"{self.code}: {self.value}"

    @property
    def value(self) -> int:
        return self.corrected if self.corrected is not None else self.computed

    @property
    def audit_unit(self):
        return self.report.unit


def attachment_path(instance, filename: str) -> str:
    suffix = Path(filename).suffix.lower()[:6]
    return f"plans/{timezone.localdate():%Y/%m}/{secrets.token_urlsafe(24)}{suffix}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=200)
    name = models.CharField(_("tên tệp"), max_length=200)
    kind = models.CharField(_("loại tệp"), max_length=8)
    size = models.PositiveIntegerField(_("dung lượng"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_unit(self):
        return self.report.unit


class Decision(models.TextChoices):
    PENDING = "pending", _("Chờ xem xét")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    RETURNED = "returned", _("Trả lại")


class ReportVersion(models.Model):
    """A submitted version, frozen: entries and figures as they were sent. Never changed,
    except the city's decision on it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("lần nộp"))
    content = models.JSONField(default=dict)
    figures_as_of = models.DateTimeField(_("số liệu tính đến"))
    submitted_at = models.DateTimeField(_("nộp lúc"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("ý kiến"), max_length=10, choices=Decision.choices, default="pending")
    comment = models.TextField(_("nhận xét"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phiên bản báo cáo")
        verbose_name_plural = _("phiên bản báo cáo")
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="plans_version_unique")]

    def __str__(self) -> str:
        return f"{self.report} #{self.number}"

    @property
    def audit_unit(self):
        return self.report.unit


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")


def document_path(instance, filename: str) -> str:
    return f"plans/documents/{timezone.localdate():%Y}/{secrets.token_urlsafe(18)}.docx"


class CityDocument(models.Model):
    """The city's consolidated report of a round, as a DOCX in the Decree 30 layout.  A draft is
    regenerated at will; issuing assigns the number, stores the file and freezes the row."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="documents")
    status = models.CharField(_("trạng thái"), max_length=8, choices=DocumentStatus.choices, default="draft")
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=40, default="BC-CTĐ")
    year = models.PositiveSmallIntegerField(_("năm"))
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    file = models.FileField(storage=private_storage, upload_to=document_path, max_length=200, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("văn bản báo cáo của thành phố")
        verbose_name_plural = _("văn bản báo cáo của thành phố")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["symbol", "year", "number"],
                condition=Q(number__isnull=False),
                name="plans_document_number_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number or '…'}/{self.symbol}"

    @property
    def audit_unit(self):
        return None


# Difficulties and proposals register (issue 14, point 7) ------------------------------------


class IssueKind(models.TextChoices):
    DIFFICULTY = "difficulty", _("Khó khăn, vướng mắc")
    PROPOSAL = "proposal", _("Đề xuất, kiến nghị")


class IssueStatus(models.TextChoices):
    OPEN = "open", _("Chờ trả lời")
    ANSWERED = "answered", _("Đã trả lời")
    RESOLVED = "resolved", _("Đã giải quyết")


class Issue(models.Model):
    """A difficulty or a proposal of a submitted report, addressed in writing to the agency that
    should answer it (Sở Nội vụ consolidates by default; the city may address it elsewhere).
    `unit` is the report's unit (where the item lives for access)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="issues")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="issues")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="plan_issues")
    duty = models.ForeignKey(Duty, null=True, blank=True, on_delete=models.PROTECT, related_name="issues")
    version = models.PositiveSmallIntegerField(_("lần nộp"), default=1)
    kind = models.CharField(_("loại"), max_length=10, choices=IssueKind.choices)
    text = models.TextField(_("nội dung"))
    agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_issues",
        verbose_name=_("cơ quan trả lời"),
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=IssueStatus.choices, default="open")
    raised_at = models.DateTimeField(_("nêu lúc"))
    resolved_at = models.DateTimeField(_("giải quyết lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("khó khăn, đề xuất")
        verbose_name_plural = _("khó khăn, đề xuất")
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["agency", "status"]), models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("plans:issue", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit


class IssueResponse(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="responses")
    text = models.TextField(_("trả lời"))
    agency = models.ForeignKey(
        "org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolves = models.BooleanField(_("đã giải quyết xong"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("trả lời khó khăn, đề xuất")
        verbose_name_plural = _("trả lời khó khăn, đề xuất")
        ordering = ["issue", "at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def audit_unit(self):
        return self.issue.unit


# Inspection and supervision (issue 14, point 8) ----------------------------------------------


class InspectionArea(models.TextChoices):
    ORGANISATION = "organisation", _("Tổ chức bộ máy")
    MEMBERS = "members", _("Hội viên, tình nguyện viên")
    FINANCE = "finance", _("Tài chính, sử dụng quỹ")
    HELP = "help", _("Trợ giúp nhân đạo")
    REPORTING = "reporting", _("Chế độ báo cáo")


class InspectionPlan(models.Model):
    """The year's inspection plan, with the checklist its inspections answer (configurable:
    each item names its area)."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    title = models.CharField(_("tên kế hoạch kiểm tra"), max_length=250)
    checklist = models.JSONField(_("danh mục kiểm tra"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kế hoạch kiểm tra")
        verbose_name_plural = _("kế hoạch kiểm tra")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:inspection_plan", args=[self.pk])

    @property
    def audit_unit(self):
        return None


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Theo kế hoạch")
    RECORDED = "recorded", _("Đã lập biên bản")


class Inspection(models.Model):
    """One inspection of a unit: planned (when, by whom, which areas), then its record: the
    checklist answered, the findings, and recommendations to follow up."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="inspections")
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("đơn vị được kiểm tra"),
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    inspectors = models.CharField(_("đoàn kiểm tra"), max_length=300)
    areas = models.JSONField(_("nội dung kiểm tra"), default=list)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=InspectionStatus.choices, default="planned"
    )
    answers = models.JSONField(_("kết quả theo danh mục"), default=list, blank=True)
    findings = models.TextField(_("kết quả kiểm tra, tồn tại"), blank=True)
    recorded_on = models.DateField(_("ngày lập biên bản"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("cuộc kiểm tra")
        verbose_name_plural = _("cuộc kiểm tra")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="plans_inspection_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.starts_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("plans:inspection", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit

    def area_labels(self) -> list[str]:
        labels = dict(InspectionArea.choices)
        return [str(labels.get(a, a)) for a in self.areas]


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Chưa thực hiện")
    ANSWERED = "answered", _("Đơn vị đã trả lời")
    CLOSED = "closed", _("Đã kết thúc")


class Recommendation(models.Model):
    """A recommendation of an inspection: what the responsible unit must do by the deadline.
    The unit answers; the inspectors follow up until they close it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="recommendations")
    text = models.TextField(_("kiến nghị"))
    area = models.CharField(_("nội dung"), max_length=14, choices=InspectionArea.choices, blank=True)
    deadline = models.DateField(_("thời hạn"))
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("đơn vị thực hiện"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=RecommendationStatus.choices, default="open"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kiến nghị sau kiểm tra")
        verbose_name_plural = _("kiến nghị sau kiểm tra")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return reverse("plans:recommendation", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit

    @property
    def is_overdue(self) -> bool:
        return self.status != RecommendationStatus.CLOSED and self.deadline < timezone.localdate()


class FollowUpKind(models.TextChoices):
    ANSWER = "answer", _("Trả lời của đơn vị")
    FOLLOW_UP = "follow_up", _("Ý kiến theo dõi của đoàn kiểm tra")
    CLOSE = "close", _("Kết thúc theo dõi")


class RecommendationNote(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("loại"), max_length=10, choices=FollowUpKind.choices)
    text = models.TextField(_("nội dung"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("theo dõi kiến nghị")
        verbose_name_plural = _("theo dõi kiến nghị")
        ordering = ["recommendation", "at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def audit_unit(self):
        return self.recommendation.unit
