"""Personal-data rights (Law 91/2025/QH15, Decree 356/2025/NĐ-CP), retention, and restoring
family links (Law 11/2008 on Red Cross activities, content area 5; the ICRC's RFL code of conduct).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Cung cấp dữ liệu")
    CORRECTION = "correction", _("Chỉnh sửa dữ liệu")
    DELETION = "deletion", _("Xoá dữ liệu")
    RESTRICTION = "restriction", _("Hạn chế xử lý")
    OBJECTION = "objection", _("Phản đối xử lý")
    WITHDRAWAL = "withdrawal", _("Rút lại sự đồng ý")


class RequestStatus(models.TextChoices):
    VERIFYING = "verifying", _("Chờ xác minh người yêu cầu")
    RECEIVED = "received", _("Đã tiếp nhận")
    ACKNOWLEDGED = "acknowledged", _("Đã phản hồi tiếp nhận")
    DONE = "done", _("Đã thực hiện")
    REFUSED = "refused", _("Từ chối")


OPEN_REQUEST_STATUSES = (RequestStatus.VERIFYING, RequestStatus.RECEIVED, RequestStatus.ACKNOWLEDGED)


class RequestChannel(models.TextChoices):
    OFFICER = "officer", _("Cán bộ tiếp nhận")
    PUBLIC = "public", _("Người dân gửi trực tuyến")


class VerificationMethod(models.TextChoices):
    PHONE = "phone", _("Gọi lại số điện thoại đã đăng ký")
    ID_CARD = "id_card", _("Đối chiếu căn cước (CCCD)")
    IN_PERSON = "in_person", _("Gặp trực tiếp")


class SubjectRequest(models.Model):
    """A data subject's request, from receipt to decision; every step in `steps` and the audit."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subject_requests",
        verbose_name=_("chủ thể dữ liệu"),
    )
    kind = models.CharField(_("loại yêu cầu"), max_length=12, choices=RequestKind.choices)
    status = models.CharField(_("trạng thái"), max_length=12, choices=RequestStatus.choices)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=8, choices=RequestChannel.choices)
    details = models.TextField(_("nội dung yêu cầu"), max_length=2000, blank=True)
    # What a member of the public wrote about themselves, to be verified by an officer.
    claimed_name = models.CharField(_("họ và tên người yêu cầu"), max_length=150, blank=True)
    claimed_phone = models.CharField(_("điện thoại người yêu cầu"), max_length=15, blank=True)
    claimed_id_number = models.CharField(_("số CCCD người yêu cầu"), max_length=12, blank=True)
    received_on = models.DateField(_("ngày nhận"))
    ack_due_on = models.DateField(_("hạn phản hồi tiếp nhận"))
    due_on = models.DateField(_("hạn thực hiện"))
    acknowledged_on = models.DateField(_("ngày phản hồi tiếp nhận"), null=True, blank=True)
    verification = models.CharField(
        _("cách xác minh"), max_length=10, choices=VerificationMethod.choices, blank=True
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người phụ trách"),
    )
    decision = models.TextField(_("quyết định"), max_length=2000, blank=True)
    effect = models.TextField(_("kết quả thực hiện"), max_length=2000, blank=True)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("yêu cầu của chủ thể dữ liệu")
        verbose_name_plural = _("yêu cầu của chủ thể dữ liệu")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["unit", "status", "due_on"], name="privacy_request_unit_status")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("privacy:request", args=[self.pk])

    @property
    def number(self) -> str:
        return f"YC-{self.pk:06d}" if self.pk else "YC-?"

    @property
    def audit_unit(self):
        return self.unit

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES


class RequestStep(models.Model):
    """The request's own history, shown on its page (the audit trail holds the same events)."""

    request = models.ForeignKey(SubjectRequest, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=40)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("bước xử lý yêu cầu")
        verbose_name_plural = _("bước xử lý yêu cầu")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.action


class RetentionAction(models.TextChoices):
    SHRED = "shred", _("Ẩn danh hoá người liên quan")
    DELETE = "delete", _("Xoá bản ghi")


class RetentionRule(models.Model):
    """A city's choice for one kind of record; kinds without a row keep the default of
    `retention.DEFAULTS`."""

    kind = models.CharField(_("loại bản ghi"), max_length=40, unique=True)
    keep_days = models.PositiveIntegerField(_("giữ trong (ngày)"))
    active = models.BooleanField(_("đang áp dụng"), default=True)
    note = models.CharField(_("căn cứ"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("quy tắc lưu giữ")
        verbose_name_plural = _("quy tắc lưu giữ")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.kind


# Restoring family links -------------------------------------------------------------------------
class TracingStatus(models.TextChoices):
    OPENED = "opened", _("Mới mở")
    SEARCHING = "searching", _("Đang tìm kiếm")
    FOUND = "found", _("Đã tìm thấy")
    DELIVERED = "delivered", _("Đã chuyển tin")
    CLOSED = "closed", _("Đã đóng")


class SoughtConsent(models.TextChoices):
    UNKNOWN = "unknown", _("Chưa hỏi ý kiến")
    GIVEN = "given", _("Đồng ý chia sẻ thông tin")
    REFUSED = "refused", _("Không đồng ý chia sẻ")


class TracingCase(models.Model):
    """An enquirer looks for a family member they lost contact with."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=TracingStatus.choices)
    enquirer_name = models.CharField(_("họ và tên người yêu cầu"), max_length=150)
    enquirer_phone = models.CharField(_("điện thoại người yêu cầu"), max_length=15, blank=True)
    enquirer_address = models.CharField(_("địa chỉ người yêu cầu"), max_length=300, blank=True)
    enquirer_consent_on = models.DateField(_("ngày người yêu cầu đồng ý"))
    sought_name = models.CharField(_("họ và tên người cần tìm"), max_length=150)
    sought_birth_year = models.PositiveSmallIntegerField(_("năm sinh người cần tìm"), null=True, blank=True)
    relationship = models.CharField(_("quan hệ với người yêu cầu"), max_length=100)
    circumstances = models.TextField(_("hoàn cảnh thất lạc"), max_length=3000)
    last_known_place = models.CharField(_("nơi ở cuối cùng được biết"), max_length=300)
    last_known_on = models.DateField(_("thời điểm cuối cùng được biết"), null=True, blank=True)
    sought_consent = models.CharField(
        _("ý kiến người được tìm"), max_length=8, choices=SoughtConsent.choices, default=SoughtConsent.UNKNOWN
    )
    sought_consent_on = models.DateField(_("ngày ghi nhận ý kiến"), null=True, blank=True)
    found_details = models.TextField(_("thông tin người được tìm thấy"), max_length=2000, blank=True)
    opened_on = models.DateField(_("ngày mở"))
    closed_on = models.DateField(_("ngày đóng"), null=True, blank=True)
    close_note = models.CharField(_("ghi chú khi đóng"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ tìm kiếm thân nhân")
        verbose_name_plural = _("hồ sơ tìm kiếm thân nhân")
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("privacy:tracing_case", args=[self.pk])

    @property
    def number(self) -> str:
        return f"TT-{self.pk:06d}" if self.pk else "TT-?"

    @property
    def audit_unit(self):
        return self.unit


class MessageDirection(models.TextChoices):
    TO_SOUGHT = "to_sought", _("Từ người yêu cầu gửi người được tìm")
    TO_ENQUIRER = "to_enquirer", _("Từ người được tìm gửi người yêu cầu")


class RedCrossMessage(models.Model):
    """A Red Cross message (thư Chữ thập đỏ): family news only, carried by the tracing officer."""

    case = models.ForeignKey(TracingCase, on_delete=models.PROTECT, related_name="messages")
    direction = models.CharField(_("chiều"), max_length=12, choices=MessageDirection.choices)
    written_on = models.DateField(_("ngày viết"))
    text = models.TextField(_("nội dung"), max_length=3000)
    delivered_on = models.DateField(_("ngày chuyển"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("thư Chữ thập đỏ")
        verbose_name_plural = _("thư Chữ thập đỏ")
        ordering = ["written_on", "id"]

    def __str__(self) -> str:
        return f"{self.case.number} · {self.written_on:%d/%m/%Y}"

    @property
    def audit_unit(self):
        return self.case.unit
