"""Long jobs in the background, with a progress bar a person can leave and come back to.

    job = jobs.create(actor=user, kind="banking.statement_commit", label="Nhập sao kê …",
                      unit=unit, permission=BANKING_IMPORT, url=page_url)
    jobs.enqueue(job, my_task)          # my_task is a django-tasks @task taking the job id

    @task()
    def my_task(job_id: int) -> None:
        jobs.run(job_id, work)         # work(job, progress) -> dict (the job's result)

    def work(job, progress):
        progress.stage("Ghi sổ", total=len(lines))
        for chunk in chunks:
            ...
            progress.advance(len(chunk))
        return {"posted": n}

The queue is django-tasks' (settings.TASKS): with the database backend
(django-tasks-db) the task row is written in the caller's transaction, so the
worker (`manage.py db_worker`) sees the job only once the data it needs is
committed; with the immediate backend (development, tests) the work runs at
once, in the caller's thread.  `run` records how the job ended on the Job row:
a ValidationError's Vietnamese messages for the user, anything else logged and
reported as a system error.  A job runs once: a task delivered twice finds it
no longer queued and does nothing.

Progress is written with plain UPDATEs, throttled to a few per second.  Work
done inside one transaction cannot show progress to other connections before
it commits, so long jobs split their work into stages whose writes are
committed in chunks (or show a stage without a known length).
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job

logger = logging.getLogger(__name__)

# At most this many progress writes per second.
WRITE_INTERVAL = 0.5


def create(
    *, actor, kind: str, label: str, unit=None, permission: str = "", url: str = "", stage: str = ""
) -> Job:
    return Job.objects.create(
        kind=kind,
        label=label[:300],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        unit_id=unit.pk if unit is not None else None,
        unit_path=unit.path if unit is not None else "",
        permission=permission,
        url=url[:300],
        stage=stage or _("Đang chờ đến lượt xử lý"),
    )


def enqueue(job: Job, task, *args) -> Job:
    """Queue `task(job.pk, *args)`; remember its id.  Call it in the transaction that made the job."""
    result = task.enqueue(job.pk, *args)
    task_id = str(getattr(result, "id", "") or "")[:64]
    if task_id:
        Job.objects.filter(pk=job.pk).update(task_id=task_id)
        job.task_id = task_id
    job.refresh_from_db(fields=["status", "stage", "done", "total", "message", "result", "finished_at"])
    return job


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a bulk step (statement imports).

    Such a step holds hundreds of thousands of small objects (lines, rows, tuples) at once:
    every full collection walks all of them again, which cost about a tenth of a
    200,000-line import's Python time.  Reference counting still frees everything that is
    not in a cycle; the collector resumes afterwards (the job's cycles are collected then).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Progress:
    def __init__(self, job: Job):
        self.job = job
        self._last = 0.0

    def _write(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < WRITE_INTERVAL:
            return
        self._last = now
        Job.objects.filter(pk=self.job.pk).update(
            stage=self.job.stage[:200], done=self.job.done, total=self.job.total, updated_at=timezone.now()
        )

    def stage(self, label: str, total: int = 0) -> None:
        self.job.stage, self.job.done, self.job.total = label, 0, total
        self._write(force=True)

    def advance(self, n: int = 1) -> None:
        self.job.done += n
        self._write(force=self.job.total > 0 and self.job.done >= self.job.total)


def run(job_id: int, work: Callable[[Job, Progress], dict | None]) -> Job | None:
    """Claim a queued job, run `work`, record the outcome.  Returns the job (None if not claimed)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, updated_at=now
    )
    if not claimed:
        return None
    job = Job.objects.select_related("actor").get(pk=job_id)
    progress = Progress(job)
    status, message, result = Job.Status.SUCCEEDED, "", {}
    try:
        result = work(job, progress) or {}
    except (ValidationError, PermissionDenied) as exc:
        status = Job.Status.FAILED
        if isinstance(exc, ValidationError):
            message = " ".join(exc.messages)
        else:
            message = str(exc) or _("Bạn không có quyền thực hiện việc này.")
    except Exception:
        logger.exception("job %s (%s) failed", job_id, job.kind)
        status = Job.Status.FAILED
        message = _(
            "Lỗi hệ thống khi chạy việc này; không có dữ liệu nào của bước đang chạy được ghi. "
            "Hãy báo cho quản trị hệ thống."
        )
    finished = timezone.now()
    Job.objects.filter(pk=job_id).update(
        status=status,
        message=message,
        result=result,
        finished_at=finished,
        updated_at=finished,
        done=job.total if status == Job.Status.SUCCEEDED and job.total else job.done,
    )
    job.refresh_from_db()
    return job


def in_transaction() -> bool:
    return transaction.get_connection().in_atomic_block
