"""Voluntary blood donation: drives, registrations, the day's visits, donations and deferrals.

Every donor is a `people.Person` (one identity per human); `Donor` keeps what the
blood module knows about them (blood group, emergency-call consent) and a few
columns derived from their donations (count, last donation, next eligible day)
so that check-in, honours and the on-call list read one row.

Health data (Law 91/2025): a `Visit`'s screening values and a `Deferral`'s reason
are shown only to holders of `blood.medical` (the medical-staff role) on the
drive's unit; organisers see "accepted" or "deferred until dd/mm/yyyy".
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import (
    BloodGroup,
    DonationKind,
    DriveStatus,
    NoticeReason,
    PledgePurpose,
    RegistrationStatus,
    ScreeningResult,
)


class CollectionCentre(models.Model):
    """A hospital or blood centre that collects at drives (Bệnh viện Hữu nghị Việt Tiệp, …)."""

    name = models.CharField(_("tên"), max_length=200, unique=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ sở tiếp nhận máu")
        verbose_name_plural = _("cơ sở tiếp nhận máu")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Drive(models.Model):
    """A blood drive (đợt hiến máu): one day, one venue, one collection centre."""

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="blood_drives", verbose_name=_("đơn vị tổ chức")
    )
    name = models.CharField(_("tên đợt hiến máu"), max_length=200)
    venue = models.CharField(_("địa điểm"), max_length=200)
    address = models.CharField(_("địa chỉ"), max_length=300)
    ward = models.ForeignKey(
        "geo.Ward", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường, đặc khu")
    )
    date = models.DateField(_("ngày"))
    starts_at = models.TimeField(_("giờ bắt đầu"))
    ends_at = models.TimeField(_("giờ kết thúc"))
    centre = models.ForeignKey(
        CollectionCentre,
        on_delete=models.PROTECT,
        related_name="drives",
        verbose_name=_("cơ sở tiếp nhận máu"),
    )
    capacity_per_hour = models.PositiveIntegerField(_("số người mỗi giờ"))
    target_units = models.PositiveIntegerField(_("chỉ tiêu (đơn vị máu)"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=DriveStatus.choices, default=DriveStatus.PLANNED
    )
    is_public = models.BooleanField(_("nhận đăng ký trực tuyến"), default=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đợt hiến máu")
        verbose_name_plural = _("đợt hiến máu")
        ordering = ["-date", "-starts_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "date"], name="blood_drive_unit_date"),
            models.Index(fields=["date", "status"], name="blood_drive_date_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="blood_drive_hours"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("blood:drive", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit

    def slots(self) -> list[dt.time]:
        """The hourly slots people register for: each full hour from the start (the last may be short)."""
        out, hour = [], self.starts_at.hour
        while dt.time(hour, self.starts_at.minute) < self.ends_at and hour < 24:
            out.append(dt.time(hour, self.starts_at.minute))
            hour += 1
        return out

    @property
    def capacity(self) -> int:
        return self.capacity_per_hour * len(self.slots())

    @property
    def is_open(self) -> bool:
        return self.status == DriveStatus.PLANNED


class Donor(models.Model):
    """What the blood module keeps about a person who gives (or registered to give)."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="blood_donor", verbose_name=_("người")
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="blood_donors", verbose_name=_("đơn vị quản lý")
    )
    blood_group = models.CharField(_("nhóm máu"), max_length=3, choices=BloodGroup.choices, blank=True)
    emergency_consent = models.BooleanField(_("đồng ý được gọi khi cần máu khẩn cấp"), default=False)
    emergency_consent_at = models.DateTimeField(_("thời điểm đồng ý"), null=True, blank=True)
    # Derived from donations and deferrals by services.donor_refresh.
    donation_count = models.PositiveIntegerField(_("số lần hiến"), default=0)
    last_donation_on = models.DateField(_("lần hiến gần nhất"), null=True, blank=True)
    last_kind = models.CharField(max_length=20, choices=DonationKind.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("người hiến máu")
        verbose_name_plural = _("người hiến máu")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["unit", "donation_count"], name="blood_donor_unit_count"),
            models.Index(fields=["blood_group", "emergency_consent"], name="blood_donor_group"),
        ]

    def __str__(self) -> str:
        return str(self.person)

    def get_absolute_url(self) -> str:
        return reverse("blood:donor", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit


class Registration(models.Model):
    """A person's registration for a drive, made on the public page (or by an organiser)."""

    drive = models.ForeignKey(Drive, on_delete=models.PROTECT, related_name="registrations")
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="registrations")
    code = models.CharField(_("mã đăng ký"), max_length=8, unique=True)
    slot = models.TimeField(_("khung giờ"))
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    # Health data: the pre-screening answers (events and their dates, the weight declared).
    declared_weight = models.DecimalField(_("cân nặng khai báo (kg)"), max_digits=4, decimal_places=1)
    prescreen = models.JSONField(_("trả lời câu hỏi sàng lọc"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đăng ký hiến máu")
        verbose_name_plural = _("đăng ký hiến máu")
        ordering = ["slot", "id"]
        constraints = [
            # Registering twice for a drive is refused by the database too (double submission).
            models.UniqueConstraint(
                fields=["drive", "donor"],
                condition=~Q(status="cancelled"),
                name="blood_registration_once_per_drive",
            )
        ]
        indexes = [models.Index(fields=["drive", "slot", "status"], name="blood_reg_drive_slot")]

    def __str__(self) -> str:
        return self.code

    @property
    def audit_unit(self):
        return self.drive.unit


class Visit(models.Model):
    """A person at the drive: checked in, screened, and (if accepted) a donation."""

    drive = models.ForeignKey(Drive, on_delete=models.PROTECT, related_name="visits")
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="visits")
    registration = models.OneToOneField(
        Registration, null=True, blank=True, on_delete=models.PROTECT, related_name="visit"
    )
    checked_in_at = models.DateTimeField(_("giờ đến"))
    # Screening (health data)
    weight = models.DecimalField(_("cân nặng (kg)"), max_digits=4, decimal_places=1, null=True, blank=True)
    haemoglobin = models.PositiveSmallIntegerField(_("huyết sắc tố (g/l)"), null=True, blank=True)
    bp_systolic = models.PositiveSmallIntegerField(_("huyết áp tâm thu"), null=True, blank=True)
    bp_diastolic = models.PositiveSmallIntegerField(_("huyết áp tâm trương"), null=True, blank=True)
    result = models.CharField(_("kết quả khám"), max_length=20, choices=ScreeningResult.choices, blank=True)
    screened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt đến hiến máu")
        verbose_name_plural = _("lượt đến hiến máu")
        ordering = ["-checked_in_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["drive", "donor"], name="blood_visit_once_per_drive")]

    def __str__(self) -> str:
        return f"{self.donor} @ {self.drive_id}"

    @property
    def audit_unit(self):
        return self.drive.unit


class Deferral(models.Model):
    """A temporary (until a date) or permanent (until None) deferral found at screening."""

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="deferrals")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    visit = models.OneToOneField(
        Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="deferral"
    )
    on = models.DateField(_("ngày"))
    until = models.DateField(_("hoãn đến ngày"), null=True, blank=True)
    reason = models.CharField(_("lý do"), max_length=300)  # health data

    class Meta:
        verbose_name = _("tạm hoãn hiến máu")
        verbose_name_plural = _("tạm hoãn hiến máu")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.donor} {self.on:%d/%m/%Y}"

    @property
    def audit_unit(self):
        return self.unit


class Donation(models.Model):
    """A unit of blood given: at a drive (with its visit) or imported from a centre's list."""

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="donations")
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="blood_donations", verbose_name=_("đơn vị")
    )
    drive = models.ForeignKey(
        Drive, null=True, blank=True, on_delete=models.PROTECT, related_name="donations"
    )
    visit = models.OneToOneField(
        Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="donation"
    )
    donated_on = models.DateField(_("ngày hiến"))
    kind = models.CharField(
        _("loại"), max_length=20, choices=DonationKind.choices, default=DonationKind.WHOLE
    )
    volume_ml = models.PositiveSmallIntegerField(_("thể tích (ml)"), null=True, blank=True)
    bag_number = models.CharField(_("số túi máu"), max_length=30, unique=True)
    adverse_event = models.CharField(_("phản ứng bất lợi"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lần hiến máu")
        verbose_name_plural = _("lần hiến máu")
        ordering = ["-donated_on", "-id"]
        indexes = [
            models.Index(fields=["donor", "donated_on"], name="blood_donation_donor_day"),
            models.Index(fields=["unit", "donated_on"], name="blood_donation_unit_day"),
        ]

    def __str__(self) -> str:
        return self.bag_number

    @property
    def audit_unit(self):
        return self.unit


class DriveNotice(models.Model):
    """Who must be told that a drive was cancelled or moved.

    A notice records the message and its recipients (the registrations active when it was made);
    `messages.notice_send` queues one message per recipient through nhandao.messaging and sets
    `sent_at` (when they were handed to the outbox, which keeps each message's own status).
    """

    drive = models.ForeignKey(Drive, on_delete=models.PROTECT, related_name="notices")
    reason = models.CharField(_("lý do"), max_length=20, choices=NoticeReason.choices)
    message = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    recipients = models.ManyToManyField(Registration, related_name="notices", blank=True)

    class Meta:
        verbose_name = _("thông báo đợt hiến máu")
        verbose_name_plural = _("thông báo đợt hiến máu")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.drive_id}"

    @property
    def audit_unit(self):
        return self.drive.unit


class OrganPledge(models.Model):
    """A person's registration to donate tissue, organs or their body after death.

    Consent is explicit and recorded per purpose (`PledgeConsent`); it can be withdrawn at
    any time, a purpose alone or the whole pledge, and the rows stay as the record of it.
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="organ_pledges")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    code = models.CharField(_("số thẻ"), max_length=8, unique=True)
    pledged_on = models.DateField(_("ngày đăng ký"))
    withdrawn_on = models.DateField(_("ngày rút đăng ký"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đăng ký hiến mô, bộ phận cơ thể")
        verbose_name_plural = _("đăng ký hiến mô, bộ phận cơ thể")
        ordering = ["-pledged_on", "-id"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("blood:pledge", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit


class PledgeConsent(models.Model):
    pledge = models.ForeignKey(OrganPledge, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("mục đích"), max_length=20, choices=PledgePurpose.choices)
    given_on = models.DateField(_("ngày đồng ý"))
    withdrawn_on = models.DateField(_("ngày rút"), null=True, blank=True)

    class Meta:
        verbose_name = _("đồng ý hiến theo mục đích")
        verbose_name_plural = _("đồng ý hiến theo mục đích")
        constraints = [
            models.UniqueConstraint(fields=["pledge", "purpose"], name="blood_pledge_purpose_once")
        ]

    def __str__(self) -> str:
        return self.get_purpose_display()


class Target(models.Model):
    """A yearly target in units of blood for a unit (a commune-level society, a school's chi hội…),
    set by the city's steering committee; results roll up the unit's subtree."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    year = models.PositiveSmallIntegerField(_("năm"))
    units = models.PositiveIntegerField(_("chỉ tiêu (đơn vị máu)"))

    class Meta:
        verbose_name = _("chỉ tiêu hiến máu")
        verbose_name_plural = _("chỉ tiêu hiến máu")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="blood_target_once_a_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"

    @property
    def audit_unit(self):
        return self.unit
