"""Every write of the import framework: the dry run, the commit, discarding.

`import_check` (the dry run) keeps the file in an ImportBatch and queues a
background job (core.jobs) that reads and validates it and records the report;
it writes no domain data.  `import_commit` queues the job that re-reads the kept
bytes, validates again inside the commit's transaction (the database may have
changed since the dry run) and lets the importer write; any exception rolls
everything back, so an import is all-or-nothing.  Both run in the worker
(`manage.py db_worker`), never in a web process (an 11.5 MB workbook of a
million rows held one for 38.8 s and 2 GB); both are idempotent, so a job whose
worker died is simply run again.  With the immediate backend (no worker: tests,
development) they run at once, inside the call.

The caps on size, rows, columns and cell length are core.imports.readers'.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from nhandao.core import audit, jobs
from nhandao.core.formatting import datetime as fmt_datetime
from nhandao.core.imports.base import Importer, get_importer
from nhandao.core.imports.errors import ImportRefused
from nhandao.core.imports.readers import check_upload, read_table
from nhandao.core.models import ImportBatch, Job
from nhandao.org import access
from nhandao.org.models import Unit

OBJECT_TYPE = "core.importbatch"


def _importer_class(kind: str) -> type[Importer]:
    cls = get_importer(kind)
    if cls is None:
        raise ValueError(f"unknown importer {kind!r}")
    return cls


def _record(actor, action: str, batch: ImportBatch, unit, data: dict) -> None:
    audit.record(
        actor=actor,
        action=action,
        unit=unit,
        object_type_label=OBJECT_TYPE,
        object_id=str(batch.pk),
        object_repr=f"{batch.file_name} ({batch.kind})",
        data=data,
    )


def _apply_report(batch: ImportBatch, report: dict) -> None:
    batch.rows_total = report["rows_total"]
    batch.rows_valid = report["rows_valid"]
    batch.rows_invalid = report["rows_invalid"]
    batch.rows_new = report["rows_new"]
    batch.rows_existing = report["rows_existing"]
    batch.report = report


def previous_import(batch: ImportBatch) -> ImportBatch | None:
    """The committed batch of the same file into the same unit, if any."""
    return (
        ImportBatch.objects.filter(
            kind=batch.kind,
            unit_id=batch.unit_id,
            file_sha256=batch.file_sha256,
            status=ImportBatch.Status.COMMITTED,
        )
        .exclude(pk=batch.pk)
        .order_by("-committed_at")
        .first()
    )


def _batch_url(batch: ImportBatch) -> str:
    return reverse("office:import_batch", args=[batch.pk])


def _refuse(actor, batch: ImportBatch, unit, message: str) -> None:
    batch.status, batch.message, batch.content = ImportBatch.Status.REFUSED, message, None
    with transaction.atomic():
        batch.save()
        _record(actor, "core.import.refused", batch, unit, {"kind": batch.kind, "reason": message})


def import_check(
    *, actor, kind: str, unit, data: bytes, filename: str, options: dict | None = None
) -> ImportBatch:
    """The dry run: keep the file and queue its reading and validation.  Returns the batch
    (READING while a worker has it; CHECKED or REFUSED once read)."""
    cls = _importer_class(kind)
    access.require(actor, cls.permission, unit, needs_unit=True)
    batch = ImportBatch(
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        unit_id=unit.pk,
        unit_path=unit.path,
        unit_label=str(unit)[:300],
        file_name=(filename or "")[-255:],
        file_size=len(data),
        file_sha256=hashlib.sha256(data).hexdigest(),
        options=options or {},
    )
    try:
        check_upload(data)  # what needs no reading (empty, too large) is refused here at once
    except ImportRefused as exc:
        _refuse(actor, batch, unit, exc.message)
        return batch
    batch.status, batch.content = ImportBatch.Status.READING, data
    with transaction.atomic():
        batch.save()
        batch.job = jobs.create(
            actor=actor,
            kind="core.import_check",
            label=_("Đọc và kiểm tra tệp %(f)s") % {"f": batch.file_name},
            unit=unit,
            permission=cls.permission,
            url=_batch_url(batch),
        )
        batch.save(update_fields=["job"])
        _record(actor, "core.import.uploaded", batch, unit, {"kind": kind, "size": batch.file_size})
        jobs.enqueue(batch.job, import_check_task, batch.pk)
    return ImportBatch.objects.defer("content").get(pk=batch.pk)


def _check_work(job: Job, progress, batch_id: int) -> dict:
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != ImportBatch.Status.READING:  # read already (a job run twice)
        return {"status": batch.status}
    actor, unit, cls = job.actor, Unit.objects.get(pk=batch.unit_id), _importer_class(batch.kind)
    progress.stage(_("Đọc và kiểm tra tệp"))
    data = bytes(batch.content or b"")
    try:
        table = read_table(data, batch.file_name)
        importer = cls(actor=actor, unit=unit, options=batch.options)
        _rows, report = importer.run(table)
    except ImportRefused as exc:
        _refuse(actor, batch, unit, exc.message)
        return {"status": batch.status, "message": batch.message}
    del table, _rows
    batch.status = ImportBatch.Status.CHECKED
    _apply_report(batch, report)
    previous = previous_import(batch)
    if previous is not None:
        batch.message = _(
            "Tệp này đã được nhập vào đơn vị này lúc %(when)s (lô số %(n)s); nhập lại không tạo thêm bản ghi nào."
        ) % {"when": fmt_datetime(previous.committed_at), "n": previous.pk}
    with transaction.atomic():
        batch.save()
        _record(
            actor,
            "core.import.checked",
            batch,
            unit,
            {
                "kind": batch.kind,
                "rows": batch.rows_total,
                "valid": batch.rows_valid,
                "invalid": batch.rows_invalid,
                "new": batch.rows_new,
            },
        )
    return {"status": batch.status, "rows": batch.rows_total, "invalid": batch.rows_invalid}


@task()
def import_check_task(job_id: int, batch_id: int) -> None:
    jobs.run(job_id, lambda job, progress: _check_work(job, progress, batch_id))


def import_commit(*, actor, batch: ImportBatch, skip_errors: bool = False) -> ImportBatch:
    """Queue the writing of a checked batch (one transaction, in the worker).  With skip_errors,
    rows that have errors are left out (and listed in the report); otherwise any error refuses.
    Without a worker the commit runs at once, and a refusal is raised here as a ValidationError."""
    cls = _importer_class(batch.kind)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().defer("content").get(pk=batch.pk)
        unit = Unit.objects.get(pk=batch.unit_id)
        access.require(actor, cls.permission, unit, needs_unit=True)
        if batch.status != ImportBatch.Status.CHECKED:
            raise ValidationError(_("Lô nhập này đã được xử lý (%(s)s).") % {"s": batch.get_status_display()})
        batch.status = ImportBatch.Status.COMMITTING
        batch.job = jobs.create(
            actor=actor,
            kind="core.import_commit",
            label=_("Nhập tệp %(f)s vào %(u)s") % {"f": batch.file_name, "u": batch.unit_label},
            unit=unit,
            permission=cls.permission,
            url=_batch_url(batch),
        )
        batch.save(update_fields=["status", "job"])
        job = jobs.enqueue(batch.job, import_commit_task, batch.pk, skip_errors)
    if job.status == Job.Status.FAILED:
        raise ValidationError(job.message)
    return ImportBatch.objects.defer("content").get(pk=batch.pk)


def _commit_work(job: Job, progress, batch_id: int, skip_errors: bool) -> dict:
    try:
        return _commit(job, progress, batch_id, skip_errors)
    except BaseException:
        # Nothing was written (one transaction): the batch can be committed again.
        ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.COMMITTING).update(
            status=ImportBatch.Status.CHECKED
        )
        raise


def _commit(job: Job, progress, batch_id: int, skip_errors: bool) -> dict:
    actor = job.actor
    refusal: ValidationError | None = None
    progress.stage(_("Đọc lại tệp, kiểm tra và ghi (một lần, tất cả hoặc không dòng nào)"))
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status == ImportBatch.Status.COMMITTED:  # written already (a job run twice)
            return batch.result
        if batch.status != ImportBatch.Status.COMMITTING:
            raise ValidationError(_("Lô nhập này đã được xử lý (%(s)s).") % {"s": batch.get_status_display()})
        cls = _importer_class(batch.kind)
        unit = Unit.objects.get(pk=batch.unit_id)
        access.require(actor, cls.permission, unit, needs_unit=True)
        data = bytes(batch.content or b"")
        if hashlib.sha256(data).hexdigest() != batch.file_sha256:
            raise ValidationError(_("Không còn tệp gốc của lô này; hãy tải lên lại."))
        importer = cls(actor=actor, unit=unit, options=batch.options)
        try:
            rows, report = importer.run(read_table(data, batch.file_name))
        except ImportRefused as exc:
            raise ValidationError(exc.message) from None
        _apply_report(batch, report)
        valid = [r for r in rows if r.ok]
        if report["rows_invalid"] and not skip_errors:
            batch.status = ImportBatch.Status.CHECKED
            batch.save()
            refusal = ValidationError(
                _("Tệp có %(n)s dòng lỗi; chưa nhập gì. Hãy sửa tệp hoặc chọn bỏ qua các dòng lỗi.")
                % {"n": report["rows_invalid"]}
            )
        elif not report["changes"]:
            batch.status = ImportBatch.Status.CHECKED
            batch.save()
            refusal = ValidationError(_("Không có dữ liệu mới để nhập: mọi dòng đều đã có trong hệ thống."))
        else:
            progress.stage(_("Ghi %(n)s dòng (một lần, tất cả hoặc không dòng nào)") % {"n": len(valid)})
            result = importer.commit(valid, batch) or {}
            batch.status = ImportBatch.Status.COMMITTED
            batch.committed_at = timezone.now()
            batch.committed_by = actor if getattr(actor, "is_authenticated", False) else None
            batch.result = result
            batch.content = None  # the personal data now lives in the records; drop the copy
            batch.save()
            _record(
                actor,
                "core.import.committed",
                batch,
                unit,
                {
                    "kind": batch.kind,
                    "rows": batch.rows_total,
                    "skipped_rows": report["rows_invalid"],
                    **result,
                },
            )
    if refusal is not None:
        raise refusal
    return batch.result


@task()
def import_commit_task(job_id: int, batch_id: int, skip_errors: bool = False) -> None:
    jobs.run(job_id, lambda job, progress: _commit_work(job, progress, batch_id, skip_errors))


def import_discard(*, actor, batch: ImportBatch) -> ImportBatch:
    cls = _importer_class(batch.kind)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        unit = Unit.objects.get(pk=batch.unit_id)
        access.require(actor, cls.permission, unit, needs_unit=True)
        if batch.status != ImportBatch.Status.CHECKED:
            raise ValidationError(_("Lô nhập này đã được xử lý (%(s)s).") % {"s": batch.get_status_display()})
        batch.status = ImportBatch.Status.DISCARDED
        batch.content = None
        batch.save(update_fields=["status", "content"])
        _record(actor, "core.import.discarded", batch, unit, {"kind": batch.kind})
    return batch


def discard_stale(*, older_than: dt.timedelta = dt.timedelta(days=7)) -> int:
    """Drop the kept bytes of dry runs nobody confirmed (personal data must not linger)."""
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        stale = ImportBatch.objects.filter(status=ImportBatch.Status.CHECKED, created_at__lt=cutoff)
        return stale.update(status=ImportBatch.Status.DISCARDED, content=None)
