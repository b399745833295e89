"""One identity per human, and everything the Red Cross keeps about their work.

A person can be a member, volunteer, staff, donor, blood donor and
beneficiary at once: every module points at `Person` instead of keeping its
own copy of a name and an ID number.  `unit` is the unit that keeps the record
(its scope decides who may see it).  What a person does for the society is a
list of `PersonRole` rows over time (joined, left, rejoined: a new row), plus
dues, volunteer hours, clubs and teams, training and awards.

Merging two records of the same human keeps everything: every row that
pointed at the duplicate is moved to the kept record, and the duplicate stays
as a tombstone (`merged_into`) so its audit trail still resolves.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhandao.core import collation
from nhandao.core.text import normalize, search_key

from .choices import (
    CURRENT_STATUSES,
    ETHNICITIES,
    Availability,
    AwardLevel,
    ClubKind,
    ClubRole,
    RoleKind,
    RoleStatus,
    Sex,
    StaffType,
    TrainingTopic,
    YouthBand,
)


class Skill(models.Model):
    """A volunteer skill (sơ cấp cứu, bơi lội, lái xe, …): a small seeded lookup."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên kỹ năng"), max_length=100)

    class Meta:
        verbose_name = _("kỹ năng")
        verbose_name_plural = _("kỹ năng")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet):
    def live(self):
        """Records that are not merged into another one."""
        return self.filter(merged_into__isnull=True)


class Person(models.Model):
    full_name = models.CharField(_("họ và tên"), max_length=150)
    given_name = models.CharField(_("tên"), max_length=50, blank=True)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices, blank=True)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True, db_index=True)
    cccd = models.CharField(_("số CCCD"), max_length=12, null=True, blank=True, unique=True)
    legacy_id_number = models.CharField(_("số CMND cũ"), max_length=9, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=15, blank=True)
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
    search_key = models.CharField(max_length=300, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Added by the people module ------------------------------------------------
    name_key = models.CharField(max_length=150, editable=False, default="")
    sort_key = models.CharField(max_length=210, editable=False, default="")
    skills = models.ManyToManyField(Skill, blank=True, related_name="people", verbose_name=_("kỹ năng"))
    deceased_on = models.DateField(_("ngày mất"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
        verbose_name=_("đã hợp nhất vào"),
    )
    import_batch = models.BigIntegerField(_("lô nhập"), null=True, blank=True, editable=False)
    # Whether the person holds a current role (active or suspended): kept by the database itself,
    # triggers on people_personrole (migration 0007), whatever writes the roles (services, COPY,
    # bulk updates, merges).  The lists of members and volunteers filter and count on it from an
    # index instead of testing each person's roles.
    has_current_role = models.BooleanField(_("có vai trò hiện tại"), default=False, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("người")
        verbose_name_plural = _("người")
        ordering = ["sort_key", "id"]
        # Plain B-tree indexes only: db_index=True on a CharField also builds a
        # varchar_pattern_ops copy on PostgreSQL, which no query here uses and every
        # insert pays for.  Substring search uses the trigram index (migration 0003).
        indexes = [
            # A unit's people in the list's order, and the list's order, each holding the columns
            # the usual filters test: a commune's list is counted, and its page found, in an index
            # alone (core.pagination.rows_by_ids; the INCLUDE columns on PostgreSQL only).
            models.Index(
                fields=["unit", "sort_key", "id"],
                include=["merged_into", "birth_year", "has_current_role"],
                name="people_person_unit_sort",
            ),
            models.Index(
                fields=["sort_key", "id"],
                include=["unit", "merged_into", "birth_year", "has_current_role"],
                name="people_person_sort",
            ),
            models.Index(fields=["name_key", "birth_year"], name="people_person_name_year"),
            models.Index(fields=["phone"], name="people_person_phone"),
            models.Index(fields=["search_key"], name="people_person_search_key"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        """As Model.save, but an existing person's save never writes `has_current_role`: the
        database keeps it (a copy loaded before a role changed must not put back the old value)."""
        if not self._state.adding and self.pk is not None and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "has_current_role"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("people:person", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit

    def refresh_keys(self) -> None:
        """Derived columns for search, sorting (by given name, as Vietnamese lists do) and duplicates."""
        words = self.full_name.split()
        self.given_name = words[-1] if words else ""
        self.name_key = normalize(self.full_name)
        # Vietnamese letter order (core/collation.py): Ái, Đ and Ô where a reader expects them.
        self.sort_key = f"{collation.sort_key(self.given_name)} {collation.sort_key(self.full_name)}"[:210]
        self.search_key = search_key(self.full_name, self.phone)[:300]
        if self.date_of_birth:
            self.birth_year = self.date_of_birth.year

    def age_on(self, on: dt.date | None = None) -> int | None:
        on = on or timezone.localdate()
        if self.date_of_birth:
            dob = self.date_of_birth
            return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
        if self.birth_year:
            return on.year - self.birth_year
        return None

    @property
    def age(self) -> int | None:
        return self.age_on()

    @property
    def birth_display(self) -> str:
        if self.date_of_birth:
            return self.date_of_birth.strftime("%d/%m/%Y")
        return str(self.birth_year or "")


def new_card_token() -> str:
    return secrets.token_urlsafe(18)


class PersonRoleQuerySet(models.QuerySet):
    def current(self):
        return self.filter(status__in=CURRENT_STATUSES)

    def active(self):
        return self.filter(status=RoleStatus.ACTIVE)


class PersonRole(models.Model):
    """What a person does for the society, over time: member of a chi hội, volunteer, …

    Rejoining after leaving is a new row; the old one keeps its dates and reason.
    """

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="roles", verbose_name=_("người")
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="person_roles", verbose_name=_("đơn vị, chi hội")
    )
    kind = models.CharField(_("vai trò"), max_length=20, choices=RoleKind.choices)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=RoleStatus.choices, default=RoleStatus.ACTIVE
    )
    started_on = models.DateField(_("từ ngày"), null=True, blank=True)
    ended_on = models.DateField(_("đến ngày"), null=True, blank=True)
    end_reason = models.CharField(_("lý do thôi, tạm ngừng"), max_length=300, blank=True)
    # Member
    card_number = models.CharField(_("số thẻ hội viên"), max_length=30, null=True, blank=True, unique=True)
    card_token = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)
    card_issued_on = models.DateField(_("ngày cấp thẻ"), null=True, blank=True)
    # Volunteer
    availability = models.CharField(
        _("thời gian có thể tham gia"), max_length=20, choices=Availability.choices, blank=True
    )
    # Youth
    youth_band = models.CharField(_("nhóm"), max_length=10, choices=YouthBand.choices, blank=True)
    # Staff
    staff_type = models.CharField(_("loại cán bộ"), max_length=20, choices=StaffType.choices, blank=True)
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PersonRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("vai trò")
        verbose_name_plural = _("vai trò")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(status__in=CURRENT_STATUSES),
                name="people_one_current_role_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="people_role_dates",
            ),
        ]
        indexes = [models.Index(fields=["unit", "kind", "status"], name="people_role_unit_kind")]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()}: {self.person.full_name}"
            if "person" in self._state.fields_cache
            else self.get_kind_display()
        )

    @property
    def audit_unit(self):
        return self.unit

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES


class DuesRate(models.Model):
    """Hội phí: the yearly amount a unit collects (inherited by its sub-units)."""

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="dues_rates", verbose_name=_("đơn vị")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    amount = models.PositiveIntegerField(_("mức thu (đồng/năm)"))
    note = models.CharField(_("căn cứ"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("mức hội phí")
        verbose_name_plural = _("mức hội phí")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="people_duesrate_unique")]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"

    @property
    def audit_unit(self):
        return self.unit


class DuesPayment(models.Model):
    """One row per member per year: paid (amount, date) or exempt (with a reason)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="dues", verbose_name=_("hội viên")
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị thu")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    amount = models.PositiveIntegerField(_("số tiền (đồng)"), default=0)
    paid_on = models.DateField(_("ngày nộp"), null=True, blank=True)
    exempt = models.BooleanField(_("miễn"), default=False)
    exempt_reason = models.CharField(_("lý do miễn"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hội phí")
        verbose_name_plural = _("hội phí")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="people_dues_one_per_year")]
        indexes = [models.Index(fields=["year", "person"], name="people_dues_year_person")]

    def __str__(self) -> str:
        return f"{self.year}"

    @property
    def audit_unit(self):
        return self.unit


class VolunteerHours(models.Model):
    """Hours given to an activity (a campaign, a drive, a relief operation: free text for now)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="hours", verbose_name=_("tình nguyện viên")
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị ghi nhận")
    )
    date = models.DateField(_("ngày"))
    hours = models.DecimalField(
        _("số giờ"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0.5)]
    )
    activity = models.CharField(_("hoạt động"), max_length=200)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("giờ tình nguyện")
        verbose_name_plural = _("giờ tình nguyện")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["person", "date"], name="people_hours_person_date")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.hours} giờ"

    @property
    def audit_unit(self):
        return self.unit


class Club(models.Model):
    """A club or team under a unit: câu lạc bộ, đội xung kích, đội sơ cấp cứu, …"""

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="clubs", verbose_name=_("đơn vị")
    )
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=20, choices=ClubKind.choices)
    founded_on = models.DateField(_("thành lập ngày"), null=True, blank=True)
    dissolved_on = models.DateField(_("giải thể ngày"), null=True, blank=True)
    description = models.CharField(_("mô tả"), max_length=300, blank=True)
    search_key = models.CharField(max_length=300, db_index=True, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("câu lạc bộ, đội")
        verbose_name_plural = _("câu lạc bộ, đội")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.name)
        super().save(*args, **kwargs)

    @property
    def audit_unit(self):
        return self.unit

    @property
    def active(self) -> bool:
        return self.dissolved_on is None or self.dissolved_on >= timezone.localdate()


class ClubMember(models.Model):
    club = models.ForeignKey(
        Club, on_delete=models.PROTECT, related_name="members", verbose_name=_("câu lạc bộ, đội")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="club_memberships", verbose_name=_("người")
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=ClubRole.choices, default=ClubRole.MEMBER)
    joined_on = models.DateField(_("tham gia từ"), null=True, blank=True)
    left_on = models.DateField(_("rời ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("thành viên câu lạc bộ, đội")
        verbose_name_plural = _("thành viên câu lạc bộ, đội")
        ordering = ["role", "person__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["club", "person"], condition=Q(left_on__isnull=True), name="people_clubmember_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}"

    @property
    def audit_unit(self):
        return self.club.unit


class TrainingCourse(models.Model):
    """A kind of course (a catalogue shared by every unit) and how long its certificate is valid."""

    name = models.CharField(_("tên khóa"), max_length=200, unique=True)
    topic = models.CharField(_("lĩnh vực"), max_length=20, choices=TrainingTopic.choices)
    validity_months = models.PositiveSmallIntegerField(
        _("chứng nhận có giá trị (tháng)"), null=True, blank=True, help_text=_("Để trống nếu không hết hạn.")
    )
    description = models.CharField(_("mô tả"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("khóa tập huấn")
        verbose_name_plural = _("khóa tập huấn")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrainingSession(models.Model):
    course = models.ForeignKey(
        TrainingCourse, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("khóa")
    )
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="training_sessions",
        verbose_name=_("đơn vị tổ chức"),
    )
    title = models.CharField(_("tên lớp"), max_length=200)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)
    location = models.CharField(_("địa điểm"), max_length=200, blank=True)
    trainer = models.CharField(_("giảng viên"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lớp tập huấn")
        verbose_name_plural = _("lớp tập huấn")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_unit(self):
        return self.unit


class TrainingParticipant(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="participants", verbose_name=_("lớp")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("học viên")
    )
    passed = models.BooleanField(_("đạt"), default=False)
    certificate_number = models.CharField(_("số chứng nhận"), max_length=40, blank=True)
    certificate_issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    certificate_expires_on = models.DateField(_("hết hạn"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("học viên tập huấn")
        verbose_name_plural = _("học viên tập huấn")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="people_participant_unique")
        ]

    def __str__(self) -> str:
        return self.certificate_number or str(self.pk)

    @property
    def audit_unit(self):
        return self.session.unit


class Award(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="awards", verbose_name=_("người được khen")
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị ghi nhận")
    )
    title = models.CharField(_("hình thức khen thưởng"), max_length=200)
    level = models.CharField(_("cấp khen"), max_length=10, choices=AwardLevel.choices)
    awarded_on = models.DateField(_("ngày khen"))
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    issuer = models.CharField(_("cơ quan khen"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["-awarded_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_unit(self):
        return self.unit


class PeopleRules(models.Model):
    """The installation's configurable rules (one row).  Defaults from the VNRC charter
    approved by QĐ 282/QĐ-TTg (2018): volunteers from 18, thanh niên CTĐ 16–30.
    The thiếu niên band and the member minimum age are set by the society (verify)."""

    active_volunteer_hours = models.DecimalField(
        _("số giờ tối thiểu để là tình nguyện viên tích cực"), max_digits=5, decimal_places=1, default=8
    )
    active_volunteer_months = models.PositiveSmallIntegerField(_("trong số tháng gần nhất"), default=12)
    member_min_age = models.PositiveSmallIntegerField(_("tuổi tối thiểu của hội viên"), default=15)
    volunteer_min_age = models.PositiveSmallIntegerField(_("tuổi tối thiểu của tình nguyện viên"), default=18)
    youth_min_age = models.PositiveSmallIntegerField(_("thanh niên CTĐ: từ tuổi"), default=16)
    youth_max_age = models.PositiveSmallIntegerField(_("thanh niên CTĐ: đến tuổi"), default=30)
    teen_min_age = models.PositiveSmallIntegerField(_("thiếu niên CTĐ: từ tuổi"), default=9)
    teen_max_age = models.PositiveSmallIntegerField(_("thiếu niên CTĐ: đến tuổi"), default=15)
    certificate_warning_days = models.PositiveSmallIntegerField(
        _("báo trước chứng nhận hết hạn (ngày)"), default=90
    )

    class Meta:
        verbose_name = _("quy định về hội viên, tình nguyện viên")
        verbose_name_plural = _("quy định về hội viên, tình nguyện viên")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> PeopleRules:
        return cls.objects.order_by("pk").first() or cls()


class UnitPeopleStats(models.Model):
    """Counts for one unit's own records (not its subtree), kept up to date by the services.

    The unit page and the dashboard add these over a subtree (one indexed query over a
    few thousand rows) instead of counting 272,000 people and their hours each time.
    `computed_on` matters for the time-dependent counts (active volunteers, youth by
    age): rows computed before today are recomputed on first read.
    """

    unit = models.OneToOneField(
        "org.Unit", on_delete=models.CASCADE, related_name="people_stats", primary_key=True
    )
    members = models.PositiveIntegerField(default=0)
    volunteers = models.PositiveIntegerField(default=0)
    active_volunteers = models.PositiveIntegerField(default=0)
    collaborators = models.PositiveIntegerField(default=0)
    youth = models.PositiveIntegerField(default=0)
    staff = models.PositiveIntegerField(default=0)
    clubs = models.PositiveIntegerField(default=0)
    computed_on = models.DateField(default=dt.date.min)

    class Meta:
        verbose_name = _("số liệu hội viên theo đơn vị")
        verbose_name_plural = _("số liệu hội viên theo đơn vị")

    def __str__(self) -> str:
        return f"{self.unit_id}"
