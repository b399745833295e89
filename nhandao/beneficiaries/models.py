"""Who needs help, who sponsors them, and every act of help given.

A `Case` (hồ sơ đối tượng) is a household or an individual in hardship, kept by
a commune-level society (or one of its chi hội).  Its people are `Person`
records of the people registry (one identity per human: a volunteer can also
be a household member); `Member` links them with their relationship to the
head.  Each case has categories with evidence and validity (`CaseCategory`
against the configurable `Category` table), consents (`Consent`), a review
history (`CaseStep`), sponsors' commitments (`Commitment`, the "địa chỉ nhân
đạo") and the help given (`HelpRecord`, never deleted: cancelled with a reason).

Denormalised columns (`last_help_on`, `share_consent`, `member_count`,
`search_key`, `sort_key`, `head_key`, `address_key`, a commitment's
`next_due_on`) are kept by the services so lists stay fast at city scale.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from nhandao.core import links
from nhandao.core.choices import ContentArea

from .choices import (
    HEAD_RELATIONSHIPS,
    HELPABLE_STATUSES,
    CaseKind,
    CaseStatus,
    CategoryScope,
    CloseReason,
    CommitmentKind,
    CommitmentStatus,
    ConsentPurpose,
    EvidenceKind,
    HelpKind,
    HelpStatus,
    Period,
    Relationship,
    SourceType,
    SponsorKind,
)


class Category(models.Model):
    """A category of beneficiary (hộ nghèo, người khuyết tật, …): configurable data, seeded."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên diện"), max_length=150)
    scope = models.CharField(
        _("áp dụng cho"), max_length=10, choices=CategoryScope.choices, default=CategoryScope.BOTH
    )
    sensitive = models.BooleanField(
        _("thông tin sức khỏe, nhạy cảm"),
        default=False,
        help_text=_("Khuyết tật, bệnh tật, chất độc da cam: chỉ người có quyền xem thông tin nhạy cảm thấy."),
    )
    requires_evidence = models.BooleanField(_("bắt buộc có giấy tờ chứng minh"), default=False)
    evidence_label = models.CharField(
        _("tên giấy tờ"),
        max_length=150,
        blank=True,
        help_text=_("Ví dụ: Số giấy chứng nhận hộ nghèo, Số quyết định trợ cấp."),
    )
    requires_year = models.BooleanField(_("giấy tờ ghi theo năm"), default=False)
    yearly = models.BooleanField(
        _("hiệu lực theo năm"),
        default=False,
        help_text=_(
            "Danh sách hộ nghèo, cận nghèo được rà soát hằng năm: hiệu lực đến hết năm ghi trên giấy."
        ),
    )
    description = models.CharField(_("căn cứ, ghi chú"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("diện đối tượng")
        verbose_name_plural = _("diện đối tượng")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class HelpRules(models.Model):
    """The installation's rules for help (one row): the double-help window and follow-up."""

    double_help_days = models.PositiveSmallIntegerField(
        _("cảnh báo trợ giúp trùng: cùng hình thức trong số ngày"), default=30
    )
    same_campaign_check = models.BooleanField(
        _("cảnh báo khi cùng một cuộc vận động trợ giúp hai lần"), default=True
    )
    late_grace_days = models.PositiveSmallIntegerField(_("cam kết trễ hạn sau số ngày quá kỳ"), default=15)
    consent_form_version = models.CharField(
        _("mẫu phiếu đồng ý hiện hành"), max_length=40, default="PĐY-01/2025"
    )
    not_helped_days = models.PositiveSmallIntegerField(_("“chưa được trợ giúp” nếu quá số ngày"), default=365)

    class Meta:
        verbose_name = _("quy định về trợ giúp")
        verbose_name_plural = _("quy định về trợ giúp")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> HelpRules:
        return cls.objects.order_by("pk").first() or cls()


class CaseQuerySet(models.QuerySet):
    def live(self):
        """Files that were not merged into another one."""
        return self.filter(merged_into__isnull=True)

    def helpable(self):
        return self.filter(status__in=HELPABLE_STATUSES, merged_into__isnull=True)


class Case(models.Model):
    kind = models.CharField(_("loại hồ sơ"), max_length=12, choices=CaseKind.choices)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.PROPOSED
    )
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="beneficiary_cases",
        verbose_name=_("đơn vị quản lý"),
    )
    commune = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("Hội cấp xã")
    )
    head = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="headed_cases",
        verbose_name=_("chủ hộ, người được trợ giúp"),
    )
    ward = models.ForeignKey(
        "geo.Ward", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường, đặc khu")
    )
    address_detail = models.CharField(_("số nhà, đường, thôn, tổ"), max_length=200, blank=True)
    phone = models.CharField(_("điện thoại liên hệ"), max_length=15, blank=True)
    circumstances = models.TextField(_("hoàn cảnh"), max_length=2000, blank=True)
    household_size = models.PositiveSmallIntegerField(
        _("số nhân khẩu"),
        null=True,
        blank=True,
        help_text=_("Theo danh sách của xã, kể cả người chưa có hồ sơ."),
    )
    # Workflow (who and when; the full history is in CaseStep)
    reviewed_on = models.DateField(_("ngày bình xét"), null=True, blank=True)
    review_minutes = models.CharField(_("biên bản bình xét"), max_length=120, blank=True)
    confirmed_on = models.DateField(_("ngày xã xác nhận"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người xác nhận"),
    )
    confirmation_ref = models.CharField(_("số văn bản xác nhận"), max_length=120, blank=True)
    activated_on = models.DateField(_("bắt đầu trợ giúp"), null=True, blank=True)
    closed_on = models.DateField(_("ngày đóng hồ sơ"), null=True, blank=True)
    close_reason = models.CharField(
        _("lý do đóng hồ sơ"), max_length=20, choices=CloseReason.choices, blank=True
    )
    close_note = models.CharField(_("ghi chú khi đóng"), max_length=300, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
        verbose_name=_("đã hợp nhất vào"),
    )
    # Kept by the services
    share_consent = models.BooleanField(_("đồng ý chia sẻ thông tin"), default=False)
    last_help_on = models.DateField(_("lần trợ giúp gần nhất"), null=True, blank=True)
    member_count = models.PositiveSmallIntegerField(_("số nhân khẩu"), default=1)
    search_key = models.CharField(max_length=600, editable=False, default="")
    sort_key = models.CharField(max_length=210, editable=False, default="")
    head_key = models.CharField(max_length=150, editable=False, default="")
    address_key = models.CharField(max_length=200, editable=False, default="")
    import_batch = models.BigIntegerField(_("lô nhập"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ đối tượng")
        verbose_name_plural = _("hồ sơ đối tượng")
        ordering = ["sort_key", "id"]
        indexes = [
            models.Index(fields=["unit", "status", "sort_key"], name="benef_case_unit_status"),
            models.Index(fields=["commune", "status"], name="benef_case_commune_status"),
            models.Index(fields=["sort_key", "id"], name="benef_case_sort"),
            models.Index(fields=["status", "last_help_on"], name="benef_case_last_help"),
            models.Index(fields=["search_key"], name="benef_case_search_key"),
            models.Index(fields=["head_key", "ward"], name="benef_case_head_ward"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("beneficiaries:case", args=[self.pk])

    @staticmethod
    def url_maker() -> Callable[[int], str]:
        """pk -> the case's URL, reversing once (a list of 5,000 cases spent a second in reverse())."""
        return links.url_maker("beneficiaries:case")

    def has_consent(self, purpose: str) -> bool:
        """Whether someone of the case agreed to `purpose` (ConsentPurpose) and has not withdrawn it:
        the services that need an agreement (photos, sharing) refuse without it."""
        return self.consents.filter(purpose=purpose, withdrawn_on__isnull=True).exists()

    @property
    def audit_unit(self):
        return self.unit

    @property
    def number(self) -> str:
        """The file number printed on the hồ sơ: 'HS-000123'."""
        return self.number_of(self.pk)

    @staticmethod
    def number_of(pk: int | None) -> str:
        return f"HS-{pk:06d}" if pk else "HS-?"

    @property
    def can_receive_help(self) -> bool:
        return self.status in HELPABLE_STATUSES and self.merged_into_id is None

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class Member(models.Model):
    """A person in a household (the head too), with the relationship to the head."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="members", verbose_name=_("hồ sơ"))
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="household_memberships",
        verbose_name=_("người"),
    )
    relationship = models.CharField(_("quan hệ với chủ hộ"), max_length=15, choices=Relationship.choices)
    joined_on = models.DateField(_("từ ngày"), null=True, blank=True)
    left_on = models.DateField(_("rời hộ ngày"), null=True, blank=True)
    left_reason = models.CharField(_("lý do rời hộ"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thành viên hộ")
        verbose_name_plural = _("thành viên hộ")
        ordering = ["id"]
        # No unique (case, person) constraint on purpose: merging two Person records of the
        # same human re-points rows generically (people.services.person_merge); the duplicate
        # membership that can result is folded right after (see receivers.py).
        indexes = [
            models.Index(fields=["person", "left_on"], name="benef_member_person"),
            models.Index(fields=["case", "left_on"], name="benef_member_case"),
        ]

    def __str__(self) -> str:
        return self.get_relationship_display()

    @property
    def audit_unit(self):
        return self.case.unit

    @property
    def is_head(self) -> bool:
        return self.relationship in HEAD_RELATIONSHIPS

    @property
    def current(self) -> bool:
        return self.left_on is None


class CaseCategory(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="categories", verbose_name=_("hồ sơ")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="case_categories", verbose_name=_("diện")
    )
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="beneficiary_categories",
        verbose_name=_("thành viên thuộc diện"),
    )
    evidence_number = models.CharField(_("số giấy tờ"), max_length=80, blank=True)
    evidence_year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    evidence_issuer = models.CharField(_("cơ quan cấp"), max_length=150, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("diện của hồ sơ")
        verbose_name_plural = _("diện của hồ sơ")
        ordering = ["category__order", "-evidence_year", "id"]
        indexes = [models.Index(fields=["category", "case"], name="benef_casecat_category")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="benef_casecat_dates",
            )
        ]

    def __str__(self) -> str:
        return str(self.category) if "category" in self._state.fields_cache else str(self.pk)

    @property
    def audit_unit(self):
        return self.case.unit

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )


class Consent(models.Model):
    """What a person agreed to, when, on which form, collected by whom; and its withdrawal."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consents", verbose_name=_("hồ sơ"))
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="beneficiary_consents",
        verbose_name=_("người đồng ý"),
    )
    purpose = models.CharField(_("mục đích"), max_length=10, choices=ConsentPurpose.choices)
    given_on = models.DateField(_("ngày đồng ý"))
    form_version = models.CharField(_("mẫu phiếu"), max_length=40)
    collected_by = models.CharField(_("người lấy ý kiến"), max_length=150)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_on = models.DateField(_("ngày rút lại"), null=True, blank=True)
    withdrawal_note = models.CharField(_("ghi chú khi rút lại"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sự đồng ý")
        verbose_name_plural = _("sự đồng ý")
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return self.get_purpose_display()

    @property
    def audit_unit(self):
        return self.case.unit

    @property
    def in_force(self) -> bool:
        return self.withdrawn_on is None


class CaseStep(models.Model):
    """One step of the review workflow, as it happened (shown and printed in the case file)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="steps", verbose_name=_("hồ sơ"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=CaseStatus.choices)
    on = models.DateField(_("ngày"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("người thực hiện"), max_length=200, blank=True)
    reference = models.CharField(_("văn bản, biên bản"), max_length=120, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bước xét duyệt")
        verbose_name_plural = _("bước xét duyệt")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.get_status_display()

    @property
    def audit_unit(self):
        return self.case.unit


class Sponsor(models.Model):
    """An organisation, a person or a Red Cross unit that sponsors humanitarian addresses."""

    kind = models.CharField(_("loại"), max_length=15, choices=SponsorKind.choices)
    name = models.CharField(_("tên nhà tài trợ"), max_length=200)
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsorships",
        verbose_name=_("người (trong danh sách hội viên, TNV)"),
    )
    sponsor_unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị Hội"),
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="sponsors", verbose_name=_("đơn vị theo dõi")
    )
    phone = models.CharField(_("điện thoại"), max_length=15, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    contact_person = models.CharField(_("người liên hệ"), max_length=150, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    search_key = models.CharField(max_length=300, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhà tài trợ")
        verbose_name_plural = _("nhà tài trợ")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["unit", "name"], name="benef_sponsor_unit"),
            models.Index(fields=["search_key"], name="benef_sponsor_search"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("beneficiaries:sponsor", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit


class Commitment(models.Model):
    """A humanitarian address (địa chỉ nhân đạo): a sponsor's commitment to help a case over time."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("hồ sơ")
    )
    sponsor = models.ForeignKey(
        Sponsor, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("nhà tài trợ")
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị theo dõi")
    )
    kind = models.CharField(_("hình thức"), max_length=10, choices=CommitmentKind.choices)
    description = models.CharField(_("nội dung cam kết"), max_length=300)
    amount = models.PositiveBigIntegerField(_("giá trị mỗi kỳ (đồng)"), default=0)
    period = models.CharField(_("định kỳ"), max_length=10, choices=Period.choices, default=Period.MONTHLY)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.ACTIVE
    )
    ended_on = models.DateField(_("kết thúc ngày"), null=True, blank=True)
    end_reason = models.CharField(_("lý do kết thúc"), max_length=300, blank=True)
    # Kept by the services
    last_delivery_on = models.DateField(_("lần trao gần nhất"), null=True, blank=True)
    next_due_on = models.DateField(_("kỳ trao tiếp theo"), null=True, blank=True)
    delivered_count = models.PositiveIntegerField(_("số lần đã trao"), default=0)
    delivered_value = models.PositiveBigIntegerField(_("giá trị đã trao (đồng)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("địa chỉ nhân đạo")
        verbose_name_plural = _("địa chỉ nhân đạo")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="benef_commit_unit_status"),
            models.Index(fields=["status", "next_due_on"], name="benef_commit_due"),
            models.Index(fields=["status", "ends_on"], name="benef_commit_ends"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="benef_commitment_dates",
            )
        ]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return reverse("beneficiaries:commitment", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit

    def ended(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.status == CommitmentStatus.ENDED or (self.ends_on is not None and self.ends_on < on)

    def is_late(self, on: dt.date | None = None, grace_days: int | None = None) -> bool:
        on = on or timezone.localdate()
        if grace_days is None:
            grace_days = HelpRules.current().late_grace_days
        return (
            not self.ended(on)
            and self.next_due_on is not None
            and self.next_due_on + dt.timedelta(days=grace_days) < on
        )


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT/private that have no URL: served only through a view that checks access."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(Path(settings.MEDIA_ROOT) / "private")

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    def url(self, name):
        raise ValueError("Private files are served through a view that checks access, never by URL.")


private_storage = PrivateStorage()


def evidence_path(instance, filename: str) -> str:
    """An unguessable name; the original one is kept in the row, never in the path."""
    suffix = Path(filename).suffix.lower()[:6]
    today = timezone.localdate()
    return f"beneficiaries/{today:%Y/%m}/{secrets.token_urlsafe(24)}{suffix}"


class HelpRecordQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(status=HelpStatus.VALID)


class HelpRecord(models.Model):
    """One act of help given.  Never deleted: a wrong record is cancelled with a reason."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="help_records", verbose_name=_("người, hộ nhận")
    )
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="help_received",
        verbose_name=_("thành viên nhận"),
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị quản lý hồ sơ")
    )
    delivering_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị trao")
    )
    date = models.DateField(_("ngày trao"))
    kind = models.CharField(_("hình thức"), max_length=12, choices=HelpKind.choices)
    area = models.CharField(
        _("lĩnh vực"), max_length=1, choices=ContentArea.choices, default=ContentArea.RELIEF
    )
    value = models.PositiveBigIntegerField(_("giá trị (đồng)"), default=0)
    description = models.CharField(_("nội dung"), max_length=300)
    source_type = models.CharField(_("nguồn"), max_length=10, choices=SourceType.choices)
    source = models.CharField(_("tên nguồn"), max_length=200, blank=True)
    sponsor = models.ForeignKey(
        Sponsor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="help_records",
        verbose_name=_("nhà tài trợ"),
    )
    commitment = models.ForeignKey(
        Commitment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("theo cam kết"),
    )
    campaign = models.CharField(_("cuộc vận động"), max_length=200, blank=True)
    campaign_key = models.CharField(max_length=200, editable=False, default="")
    # The later link to the fund module's record ("funds.<model>:<pk>"); see api.py.
    source_ref = models.CharField(_("mã chứng từ nguồn"), max_length=64, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=HelpStatus.choices, default=HelpStatus.VALID
    )
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người hủy"),
    )
    cancel_reason = models.CharField(_("lý do hủy"), max_length=300, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("trùng với lần trợ giúp"),
    )
    duplicate_reason = models.CharField(_("lý do vẫn trợ giúp"), max_length=300, blank=True)
    volunteers = models.ManyToManyField(
        "people.Person",
        through="HelpVolunteer",
        blank=True,
        related_name="help_delivered",
        verbose_name=_("tình nguyện viên trao"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HelpRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần trợ giúp")
        verbose_name_plural = _("lần trợ giúp")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["case", "kind", "date"], name="benef_help_case_kind"),
            models.Index(fields=["unit", "date"], name="benef_help_unit_date"),
            models.Index(fields=["date", "id"], name="benef_help_date"),
            models.Index(fields=["kind", "date", "id"], name="benef_help_kind_date"),
            models.Index(fields=["campaign_key"], name="benef_help_campaign"),
            models.Index(fields=["source_ref"], name="benef_help_source_ref", condition=~Q(source_ref="")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("beneficiaries:help", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit

    @property
    def cancelled(self) -> bool:
        return self.status == HelpStatus.CANCELLED


class HelpVolunteer(models.Model):
    help = models.ForeignKey(HelpRecord, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("tình nguyện viên")
    )

    class Meta:
        verbose_name = _("tình nguyện viên trao")
        verbose_name_plural = _("tình nguyện viên trao")
        # No unique constraint: see Member (duplicates after a person merge are folded).
        indexes = [models.Index(fields=["help", "person"], name="benef_helpvol")]

    def __str__(self) -> str:
        return str(self.person_id)


class HelpEvidence(models.Model):
    """A photo of the handover or a signed receipt: a private file, served through a view."""

    help = models.ForeignKey(
        HelpRecord, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("lần trợ giúp")
    )
    kind = models.CharField(_("loại"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(_("tệp"), storage=private_storage, upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(_("dung lượng"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def audit_unit(self):
        return self.help.unit

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class UnitBeneficiaryStats(models.Model):
    """Counts for one unit's own cases and help (not its subtree), kept by the services.

    The unit page and the dashboard add these over a subtree instead of counting
    30,000 cases and 200,000 help records each time.  Rows computed before today are
    recomputed on first read (late commitments and "this year" depend on the date).
    """

    unit = models.OneToOneField(
        "org.Unit", on_delete=models.CASCADE, related_name="beneficiary_stats", primary_key=True
    )
    cases_proposed = models.PositiveIntegerField(default=0)
    cases_reviewed = models.PositiveIntegerField(default=0)
    cases_confirmed = models.PositiveIntegerField(default=0)
    cases_active = models.PositiveIntegerField(default=0)
    cases_not_helped = models.PositiveIntegerField(default=0)
    commitments_active = models.PositiveIntegerField(default=0)
    commitments_late = models.PositiveIntegerField(default=0)
    help_year_count = models.PositiveIntegerField(default=0)
    help_year_value = models.PositiveBigIntegerField(default=0)
    computed_on = models.DateField(default=dt.date.min)

    class Meta:
        verbose_name = _("số liệu trợ giúp theo đơn vị")
        verbose_name_plural = _("số liệu trợ giúp theo đơn vị")

    def __str__(self) -> str:
        return f"{self.unit_id}"


STATS_FIELDS = (
    "cases_proposed",
    "cases_reviewed",
    "cases_confirmed",
    "cases_active",
    "cases_not_helped",
    "commitments_active",
    "commitments_late",
    "help_year_count",
    "help_year_value",
)
