"""The outbox: every message the site sends (or decided not to send), and what each recipient
agreed to receive.

A `Message` is one email or SMS to one recipient (a person of the registry, a user, or a bare
address), queued by a domain app for a purpose ("plans.deadline_reminder").  It stays in the
table whatever becomes of it: sent, failed after its retries (with the reason), or suppressed at
once (no consent, no address) so that nothing is dropped unseen.  Like the rest of the site it
belongs to a unit, whose scope decides who sees it.

A `Consent` is what one recipient said about one purpose on one channel: granted (opt-in for
purposes that need it) or withdrawn (the one-click unsubscribe, or an officer recording a
refusal).  Purpose "*" speaks for every purpose of the channel; a purpose's own record wins.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ALL_PURPOSES = "*"


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class Status(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không được")
    SUPPRESSED = "suppressed", _("Không gửi")


class Message(models.Model):
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị gửi")
    )
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    purpose = models.CharField(_("loại tin"), max_length=80)
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người nhận"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tài khoản nhận"),
    )
    address = models.CharField(_("địa chỉ nhận"), max_length=254, blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    body = models.TextField(_("nội dung"))
    dedup_key = models.CharField(_("khóa chống gửi trùng"), max_length=200, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    reason = models.TextField(_("lý do"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    send_after = models.DateTimeField(_("gửi từ lúc"), default=timezone.now)
    created_at = models.DateTimeField(_("xếp hàng lúc"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("lần gửi gần nhất"), null=True, blank=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    sender = models.CharField(_("cách gửi"), max_length=40, blank=True)
    provider_ref = models.CharField(_("mã của nhà cung cấp"), max_length=100, blank=True)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người yêu cầu gửi"),
    )

    class Meta:
        verbose_name = _("tin nhắn gửi đi")
        verbose_name_plural = _("tin nhắn gửi đi")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The worker's sweep: what is due.
            models.Index(fields=["status", "send_after"], name="messaging_due"),
            # The outbox page, newest first: of a unit, and of the whole city.
            models.Index(fields=["unit", "-created_at", "-id"], name="messaging_unit_recent"),
            models.Index(fields=["-created_at", "-id"], name="messaging_recent"),
            # At most once per window: the same key to the same recipient lately.
            models.Index(fields=["dedup_key", "channel", "created_at"], name="messaging_dedup"),
        ]

    def __str__(self) -> str:
        # No address here: the audit trail and logs name the message by number and purpose.
        return f"#{self.pk} {self.channel} {self.purpose}"

    def get_absolute_url(self) -> str:
        return reverse("messaging:message", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit


class ConsentSource(models.TextChoices):
    FORM = "form", _("Người nhận đăng ký trên mẫu")
    STAFF = "staff", _("Cán bộ ghi nhận")
    LINK = "link", _("Người nhận bấm liên kết từ chối")
    IMPORT = "import", _("Nhập từ danh sách")


class Consent(models.Model):
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    purpose = models.CharField(_("loại tin"), max_length=80)  # "*": every purpose of the channel
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("địa chỉ"), max_length=254, blank=True)  # when neither of the above
    granted = models.BooleanField(_("đồng ý nhận"))
    source = models.CharField(_("nguồn"), max_length=10, choices=ConsentSource.choices)
    recorded_at = models.DateTimeField(_("ghi nhận lúc"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("đồng ý nhận tin")
        verbose_name_plural = _("đồng ý nhận tin")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "channel", "purpose"],
                condition=Q(person__isnull=False),
                name="messaging_consent_person",
            ),
            models.UniqueConstraint(
                fields=["user", "channel", "purpose"],
                condition=Q(user__isnull=False),
                name="messaging_consent_user",
            ),
            models.UniqueConstraint(
                fields=["address", "channel", "purpose"],
                condition=Q(person__isnull=True, user__isnull=True),
                name="messaging_consent_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.purpose} {'+' if self.granted else '-'}"

    @property
    def audit_unit(self):
        return self.unit
