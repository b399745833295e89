from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One write, recorded in the same transaction as the write itself.

    The unit is stored as id + materialised path (not a foreign key) so that the
    trail survives any later change to the tree and can be scoped with the same
    prefix test as every other record.
    """

    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    # Indexes: see Meta (each serves a filter of org.selectors.audit_events; no two serve the same).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # (actor, at) serves it
    )
    actor_label = models.CharField(_("tên người thực hiện"), max_length=200, blank=True)
    action = models.CharField(_("hành động"), max_length=100)
    object_type = models.CharField(_("loại bản ghi"), max_length=100)
    object_id = models.CharField(_("mã bản ghi"), max_length=64, blank=True)
    object_repr = models.CharField(_("bản ghi"), max_length=300, blank=True)
    unit_id = models.BigIntegerField(_("đơn vị"), null=True, blank=True)
    unit_path = models.CharField(max_length=255, blank=True)
    unit_label = models.CharField(_("tên đơn vị"), max_length=300, blank=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    data = models.JSONField(_("chi tiết"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    via = models.CharField(_("qua"), max_length=20, blank=True)  # web, admin, command, import, api

    class Meta:
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        ordering = ["-at", "-id"]
        # Every write adds a row to each index (a statement import adds 100,000 events at once), so
        # each filter has one index: db_index=True on a CharField would build two on PostgreSQL (a
        # plain one and a varchar_pattern_ops one for LIKE), and the plain indexes on actor and
        # object_type repeat the leading column of a composite one.  The pattern_ops indexes serve
        # both "=" and "startswith" (unit scope, action prefix); other databases ignore opclasses.
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["object_id"], name="core_audit_object_id"),
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["action"], name="core_audit_action", opclasses=["varchar_pattern_ops"]),
            models.Index(
                fields=["unit_path"], name="core_audit_unit_path", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class ImportBatch(models.Model):
    """One uploaded file and what became of it (see nhandao.core.imports).

    A batch is created by the dry run (status CHECKED, with its report and the
    file kept for the commit) or refused outright (REFUSED, nothing kept).
    Committing re-reads the same bytes (their SHA-256 is checked), validates
    again against the database as it is then, and writes everything in one
    transaction; the file's bytes are dropped afterwards.  Like AuditEvent, the
    unit is stored as id + path so batches are scoped with the same prefix test.
    """

    class Status(models.TextChoices):
        READING = "reading", _("Đang đọc và kiểm tra")
        CHECKED = "checked", _("Đã kiểm tra, chờ xác nhận")
        COMMITTING = "committing", _("Đang nhập")
        COMMITTED = "committed", _("Đã nhập")
        REFUSED = "refused", _("Bị từ chối")
        FAILED = "failed", _("Nhập không thành công")
        DISCARDED = "discarded", _("Đã hủy")

    kind = models.CharField(_("loại dữ liệu"), max_length=60, db_index=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now, db_index=True)
    committed_at = models.DateTimeField(_("nhập lúc"), null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_id = models.BigIntegerField(_("đơn vị"), null=True, blank=True)
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    unit_label = models.CharField(_("tên đơn vị"), max_length=300, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("dung lượng"), default=0)
    file_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    options = models.JSONField(default=dict, blank=True)
    rows_total = models.PositiveIntegerField(_("số dòng"), default=0)
    rows_valid = models.PositiveIntegerField(_("dòng hợp lệ"), default=0)
    rows_invalid = models.PositiveIntegerField(_("dòng lỗi"), default=0)
    rows_new = models.PositiveIntegerField(_("dòng mới"), default=0)
    rows_existing = models.PositiveIntegerField(_("dòng đã có"), default=0)
    message = models.TextField(_("thông báo"), blank=True)
    report = models.JSONField(_("báo cáo kiểm tra"), default=dict, blank=True)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    # The background job reading or writing the batch now (or last).
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("lô nhập dữ liệu")
        verbose_name_plural = _("lô nhập dữ liệu")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "unit_id", "file_sha256", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    @property
    def can_commit(self) -> bool:
        return self.status == self.Status.CHECKED and bool(self.report.get("changes"))

    @property
    def busy(self) -> bool:
        return self.status in (self.Status.READING, self.Status.COMMITTING)


class Job(models.Model):
    """A long piece of work run in the background (a statement import, a large people import).

    The work itself runs in a django-tasks task (nhandao.core.jobs); this row is
    what a person sees: what is being done, how far it got (`stage`, `done` of
    `total`), and how it ended.  It outlives the task's own result row, and like
    AuditEvent it stores the unit as id + path so jobs are scoped with the same
    prefix test as everything else.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ xử lý")
        RUNNING = "running", _("Đang chạy")
        SUCCEEDED = "succeeded", _("Đã xong")
        FAILED = "failed", _("Không thành công")

    kind = models.CharField(_("loại việc"), max_length=60, db_index=True)
    label = models.CharField(_("việc"), max_length=300)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    permission = models.CharField(max_length=60, blank=True)  # who else may follow it, on the unit
    unit_id = models.BigIntegerField(_("đơn vị"), null=True, blank=True)
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    stage = models.CharField(_("bước"), max_length=200, blank=True)
    done = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)  # 0: the stage's length is not known
    message = models.TextField(_("thông báo"), blank=True)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)  # the page that shows what the job made
    task_id = models.CharField(max_length=64, blank=True)
    # What to queue again when the job is resumed or retried: task(job.pk, *task_args).
    task_path = models.CharField(max_length=200, blank=True)
    task_args = models.JSONField(default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)  # how many times a worker claimed it
    worker = models.CharField(max_length=64, blank=True)  # the WorkerBeat.worker_id running it
    created_at = models.DateTimeField(_("yêu cầu lúc"), default=timezone.now)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("việc chạy nền")
        verbose_name_plural = _("việc chạy nền")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.label}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        """How far the current stage got, 0-100, or None when its length is unknown."""
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return None
        return max(0, min(100, self.done * 100 // self.total))


class WorkerBeat(models.Model):
    """A background worker process (`manage.py db_worker`) that said recently it is alive.

    The worker's own thread updates `seen_at` every few seconds, even while a job runs; a job
    whose worker stopped beating (or whose process is gone, on the same host) is resumed by
    another worker (nhandao.core.jobs.recover).  Pages waiting on a job say so when no worker
    has been seen for a minute.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("tiến trình xử lý nền")
        verbose_name_plural = _("tiến trình xử lý nền")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"
