"""Movements with targets per unit, emulation (thi đua) with rankings and commendations, and the
library of good practice models.

Results are never stored: they are computed live from the registers through the indicator registry
(`nhandao.core.indicators`); a frozen ranking keeps its scores so that its history stays true.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nhandao.core.choices import ContentArea


class MovementKind(models.TextChoices):
    TET = "tet", _("Tết Nhân ái")
    MONTH = "month", _("Tháng Nhân đạo")
    ADDRESS = "address", _("Mỗi tổ chức, cá nhân gắn với một địa chỉ nhân đạo")
    GOOD_DEEDS = "good_deeds", _("Người tốt, việc thiện")
    BLOOD = "blood", _("Hiến máu tình nguyện")
    OTHER = "other", _("Phong trào khác")


class TargetMethod(models.TextChoices):
    HAND = "hand", _("Nhập tay")
    FORMULA = "formula", _("Theo công thức")
    IMPORT = "import", _("Nhập từ Excel")


class PeerGroup(models.TextChoices):
    WARD = "ward", _("Hội CTĐ phường")
    COMMUNE = "commune", _("Hội CTĐ xã, đặc khu")
    SCHOOL = "school", _("Chi hội trường học")
    ENTERPRISE = "enterprise", _("Chi hội doanh nghiệp")
    OTHER = "other", _("Đơn vị khác")


class ProposalLevel(models.TextChoices):
    CENTRAL = "central", _("Trung ương Hội Chữ thập đỏ Việt Nam")
    CITY_COMMITTEE = "city_committee", _("Ủy ban nhân dân thành phố")
    CITY_SOCIETY = "city_society", _("Hội Chữ thập đỏ thành phố")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Đang lập")
    SUBMITTED = "submitted", _("Đã trình, chờ xét")
    REVIEWED = "reviewed", _("Đã xét, chờ quyết định")
    DECIDED = "decided", _("Đã quyết định")


class Movement(models.Model):
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="movements", verbose_name=_("đơn vị phát động")
    )
    kind = models.CharField(_("phong trào"), max_length=20, choices=MovementKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    name = models.CharField(_("tên"), max_length=200)
    code = models.CharField(_("mã"), max_length=30, unique=True)
    theme = models.CharField(_("chủ đề"), max_length=300, blank=True)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phong trào")
        verbose_name_plural = _("phong trào")
        ordering = ["-year", "-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="movements_period"),
            models.UniqueConstraint(fields=["unit", "kind", "year"], name="movements_once_a_year"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("movements:movement", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit


class MovementIndicator(models.Model):
    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("chỉ tiêu"), max_length=80)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("chỉ tiêu phong trào")
        verbose_name_plural = _("chỉ tiêu phong trào")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["movement", "code"], name="movements_indicator_once")]

    def __str__(self) -> str:
        return self.code


class Target(models.Model):
    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    indicator = models.CharField(_("chỉ tiêu"), max_length=80)
    value = models.BigIntegerField(_("chỉ tiêu giao"))
    method = models.CharField(max_length=10, choices=TargetMethod.choices, default=TargetMethod.HAND)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chỉ tiêu giao")
        verbose_name_plural = _("chỉ tiêu giao")
        constraints = [
            models.UniqueConstraint(fields=["movement", "unit", "indicator"], name="movements_target_once"),
            models.CheckConstraint(condition=Q(value__gte=0), name="movements_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.indicator} {self.value}"

    @property
    def audit_unit(self):
        return self.unit


class UnitProfile(models.Model):
    """What emulation needs to know about a unit: its peer group (when the default derived from the
    tree is wrong) and its population (for targets set by formula)."""

    unit = models.OneToOneField("org.Unit", on_delete=models.CASCADE, related_name="movement_profile")
    peer_group = models.CharField(_("khối thi đua"), max_length=20, choices=PeerGroup.choices, blank=True)
    population = models.PositiveIntegerField(_("dân số"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ thi đua của đơn vị")
        verbose_name_plural = _("hồ sơ thi đua của đơn vị")

    def __str__(self) -> str:
        return str(self.unit)

    @property
    def audit_unit(self):
        return self.unit


class Scheme(models.Model):
    """A year's emulation criteria of a unit (the city's for its communes)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    year = models.PositiveSmallIntegerField(_("năm"))
    name = models.CharField(_("tên"), max_length=200)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tiêu chí thi đua")
        verbose_name_plural = _("tiêu chí thi đua")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="movements_scheme_once_a_year"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="movements_scheme_period"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("movements:scheme", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit


class Criterion(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="criteria")
    indicator = models.CharField(_("chỉ tiêu"), max_length=80)
    weight = models.PositiveSmallIntegerField(_("trọng số"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("tiêu chí thi đua")
        verbose_name_plural = _("tiêu chí thi đua")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "indicator"], name="movements_criterion_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} ({self.weight})"


class ManualScore(models.Model):
    """Points given by hand (positive or negative) with the reason, counted in the total."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="manual_scores")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    points = models.SmallIntegerField(_("điểm"))
    reason = models.CharField(_("lý do"), max_length=500)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("điểm chấm tay")
        verbose_name_plural = _("điểm chấm tay")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.points:+d} {self.reason}"

    @property
    def audit_unit(self):
        return self.unit


class Ranking(models.Model):
    """A frozen ranking board (its history): the scores as they were when it was taken."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="rankings")
    taken_on = models.DateField(_("tính đến ngày"))
    taken_at = models.DateTimeField(auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("bảng xếp hạng")
        verbose_name_plural = _("bảng xếp hạng")
        ordering = ["-taken_at", "-id"]

    def __str__(self) -> str:
        return f"{self.scheme} {self.taken_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("movements:ranking", args=[self.pk])

    @property
    def audit_unit(self):
        return self.scheme.unit


class RankingEntry(models.Model):
    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    peer_group = models.CharField(max_length=20, choices=PeerGroup.choices)
    rank = models.PositiveSmallIntegerField()
    score = models.DecimalField(max_digits=7, decimal_places=2)
    details = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("dòng xếp hạng")
        verbose_name_plural = _("dòng xếp hạng")
        ordering = ["peer_group", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["ranking", "unit"], name="movements_rank_once")]

    def __str__(self) -> str:
        return f"{self.rank}. {self.unit_id}"


class UnitAward(models.Model):
    """Commendations of units (the people app's Award register is for persons)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    title = models.CharField(_("hình thức khen thưởng"), max_length=200)
    level = models.CharField(_("cấp khen"), max_length=20, choices=ProposalLevel.choices)
    awarded_on = models.DateField(_("ngày khen"))
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("khen thưởng tập thể")
        verbose_name_plural = _("khen thưởng tập thể")
        ordering = ["-awarded_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_unit(self):
        return self.unit


class Proposal(models.Model):
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị đề nghị")
    )
    scheme = models.ForeignKey(
        Scheme, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    level = models.CharField(_("cấp khen"), max_length=20, choices=ProposalLevel.choices)
    title = models.CharField(_("hình thức khen thưởng"), max_length=200)
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT)
    review_note = models.CharField(_("ý kiến xét"), max_length=500, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = _("đề nghị khen thưởng")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_level_display()}) {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("movements:proposal", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit


class ProposalItem(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="items")
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("thành tích"), max_length=500)
    accepted = models.BooleanField(null=True)
    award = models.ForeignKey(
        "people.Award", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_award = models.ForeignKey(
        UnitAward, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("dòng đề nghị khen thưởng")
        verbose_name_plural = _("dòng đề nghị khen thưởng")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=True, person__isnull=False)
                | Q(unit__isnull=False, person__isnull=True),
                name="movements_item_unit_or_person",
            ),
            models.UniqueConstraint(fields=["proposal", "unit"], name="movements_item_unit_once"),
            models.UniqueConstraint(fields=["proposal", "person"], name="movements_item_person_once"),
        ]

    def __str__(self) -> str:
        return str(self.unit or self.person)

    @property
    def audit_unit(self):
        return self.proposal.unit


class PracticeModel(models.Model):
    """A good practice model (mô hình hay, cách làm tốt)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    title = models.CharField(_("tên mô hình"), max_length=200)
    description = models.TextField(_("nội dung, cách làm"))
    place = models.CharField(_("nơi thực hiện"), max_length=200)
    since = models.DateField(_("thực hiện từ"))
    area = models.CharField(_("lĩnh vực"), max_length=2, choices=ContentArea.choices)
    results = models.TextField(_("kết quả"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mô hình hay")
        verbose_name_plural = _("mô hình hay")
        ordering = ["-since", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("movements:practice", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit


class PracticeFigure(models.Model):
    practice = models.ForeignKey(PracticeModel, on_delete=models.CASCADE, related_name="figures")
    label = models.CharField(_("chỉ số"), max_length=200)
    value = models.BigIntegerField(_("số liệu"))
    measure = models.CharField(_("đơn vị tính"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("số liệu của mô hình")
        verbose_name_plural = _("số liệu của mô hình")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="movements_figure_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"


class PracticeFile(models.Model):
    practice = models.ForeignKey(PracticeModel, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("tệp"), upload_to="movements/models/%Y/")
    caption = models.CharField(_("chú thích"), max_length=200, blank=True)
    is_photo = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp của mô hình")
        verbose_name_plural = _("tệp của mô hình")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.file.name


class Adoption(models.Model):
    """A unit that took up a model: replication is the count of these."""

    practice = models.ForeignKey(PracticeModel, on_delete=models.PROTECT, related_name="adoptions")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    adopted_on = models.DateField(_("áp dụng từ"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lượt nhân rộng mô hình")
        verbose_name_plural = _("lượt nhân rộng mô hình")
        ordering = ["-adopted_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["practice", "unit"], name="movements_adopt_once")]

    def __str__(self) -> str:
        return f"{self.practice_id} → {self.unit_id}"

    @property
    def audit_unit(self):
        return self.unit
