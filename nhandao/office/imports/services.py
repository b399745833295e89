"""Every write of the import framework: the dry run, the commit, discarding.

`import_check` (the dry run) reads and validates a file and records an
ImportBatch with its report; it writes no domain data.  `import_commit`
re-reads the kept bytes, validates again inside the commit's transaction (the
database may have changed since the dry run) and lets the importer write; any
exception rolls everything back, so an import is all-or-nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.formatting import datetime as fmt_datetime
from nhandao.core.imports.base import Importer, get_importer
from nhandao.core.imports.errors import ImportRefused
from nhandao.core.imports.readers import read_table
from nhandao.core.models import ImportBatch
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


def import_check(
    *, actor, kind: str, unit, data: bytes, filename: str, options: dict | None = None
) -> ImportBatch:
    """The dry run: read, validate and report.  Returns the batch (CHECKED or REFUSED)."""
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
        table = read_table(data, filename)
        importer = cls(actor=actor, unit=unit, options=options)
        _rows, report = importer.run(table)
    except ImportRefused as exc:
        batch.status = ImportBatch.Status.REFUSED
        batch.message = exc.message
        with transaction.atomic():
            batch.save()
            _record(actor, "core.import.refused", batch, unit, {"kind": kind, "reason": exc.message})
        return batch
    batch.status = ImportBatch.Status.CHECKED
    _apply_report(batch, report)
    previous = previous_import(batch)
    if previous is not None:
        batch.message = _(
            "Tệp này đã được nhập vào đơn vị này lúc %(when)s (lô số %(n)s); nhập lại không tạo thêm bản ghi nào."
        ) % {"when": fmt_datetime(previous.committed_at), "n": previous.pk}
    batch.content = data
    with transaction.atomic():
        batch.save()
        _record(
            actor,
            "core.import.checked",
            batch,
            unit,
            {
                "kind": kind,
                "rows": batch.rows_total,
                "valid": batch.rows_valid,
                "invalid": batch.rows_invalid,
                "new": batch.rows_new,
            },
        )
    return batch


class ImportHasErrors(ValidationError):
    pass


def import_commit(*, actor, batch: ImportBatch, skip_errors: bool = False) -> ImportBatch:
    """Write a checked batch in one transaction.  With skip_errors, rows that have
    errors are left out (and listed in the report); otherwise any error refuses."""
    cls = _importer_class(batch.kind)
    refusal: ValidationError | None = None
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        unit = Unit.objects.get(pk=batch.unit_id)
        access.require(actor, cls.permission, unit, needs_unit=True)
        if batch.status != ImportBatch.Status.CHECKED:
            raise ValidationError(_("Lô nhập này đã được xử lý (%(s)s).") % {"s": batch.get_status_display()})
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
            batch.save()
            refusal = ImportHasErrors(
                _("Tệp có %(n)s dòng lỗi; chưa nhập gì. Hãy sửa tệp hoặc chọn bỏ qua các dòng lỗi.")
                % {"n": report["rows_invalid"]}
            )
        elif not report["changes"]:
            batch.save()
            refusal = ValidationError(_("Không có dữ liệu mới để nhập: mọi dòng đều đã có trong hệ thống."))
        else:
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
    return batch


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
