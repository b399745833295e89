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

Jobs that never break (the worker side, `manage.py db_worker`, core/management):
- each worker process keeps a WorkerBeat row fresh from a thread of its own, also
  while a job runs; a page waiting on a job says so when no worker was seen for a
  minute (`waits_for_worker`);
- a job whose worker died (its process is gone on this host, or it stopped beating
  for STALE_SECONDS) is queued again by the next worker (`recover`) and resumes: the
  work must be idempotent (a statement import skips what it already wrote and
  posts only what is still queued).  After MAX_ATTEMPTS it is marked failed with
  the reason; its requester can retry it (`retry`);
- a database error inside a job fails that job with the reason (retry possible),
  not the worker.

Progress is written with plain UPDATEs, throttled to a few per second.  Work
done inside one transaction cannot show progress to other connections before
it commits, so long jobs split their work into stages whose writes are
committed in chunks (or show a stage without a known length).
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, InterfaceError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import audit
from .models import Job, WorkerBeat

logger = logging.getLogger(__name__)

# At most this many progress writes per second.
WRITE_INTERVAL = 0.5
# A worker writes its beat this often; it is taken for dead when silent for STALE_SECONDS
# (or at once when its process is gone on this host); pages warn after WORKER_SEEN_SECONDS.
BEAT_SECONDS = 5
STALE_SECONDS = getattr(settings, "NHANDAO_JOB_STALE_SECONDS", 120)
WORKER_SEEN_SECONDS = 60
RECOVER_SECONDS = 30
# A job its workers died under this many times is marked failed (its requester may retry it).
MAX_ATTEMPTS = 3
# A job that ran in a web process (the immediate backend: no worker) and went silent this long
# has lost its process: it is marked failed.
ORPHAN_SECONDS = 3600
HOST = socket.gethostname()[:255]

# The worker id of this process, when it is a worker (`worker_started`).
_worker_id = ""


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
    # Kept first: with the immediate backend the task runs inside task.enqueue().
    job.task_path, job.task_args = task.module_path[:200], list(args)
    Job.objects.filter(pk=job.pk).update(task_path=job.task_path, task_args=job.task_args)
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
        status=Job.Status.RUNNING,
        started_at=now,
        updated_at=now,
        attempts=F("attempts") + 1,
        worker=_worker_id,
        message="",
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
    except (DatabaseError, InterfaceError) as exc:
        logger.exception("job %s (%s) failed on the database", job_id, job.kind)
        status = Job.Status.FAILED
        message = database_error_message(exc)
    except Exception:
        logger.exception("job %s (%s) failed", job_id, job.kind)
        status = Job.Status.FAILED
        message = _(
            "Lỗi hệ thống khi chạy việc này; không có dữ liệu nào của bước đang chạy được ghi. "
            "Hãy báo cho quản trị hệ thống."
        )
    finished = timezone.now()
    outcome = {
        "status": status,
        "message": message,
        "result": result,
        "finished_at": finished,
        "updated_at": finished,
        "done": job.total if status == Job.Status.SUCCEEDED and job.total else job.done,
    }
    try:
        Job.objects.filter(pk=job_id).update(**outcome)
    except (DatabaseError, InterfaceError):
        # The connection may have died with the job: once more on a fresh one (outside any
        # transaction: a worker runs jobs in autocommit).  If that fails too, the job stays
        # "running" under this worker and `recover` settles it once the worker is gone.
        if connection.in_atomic_block:
            raise
        connection.close()
        Job.objects.filter(pk=job_id).update(**outcome)
    job.refresh_from_db()
    return job


def database_error_message(exc: BaseException) -> str:
    text = str(exc).lower()
    if "locked" in text or "busy" in text or "could not obtain lock" in text:
        reason = _("cơ sở dữ liệu đang bận (bị khóa bởi một việc ghi khác)")
    elif "connection" in text or "server closed" in text or "terminat" in text:
        reason = _("mất kết nối tới cơ sở dữ liệu")
    else:
        reason = _("cơ sở dữ liệu từ chối một lệnh ghi")
    return _(
        "Lỗi cơ sở dữ liệu khi chạy việc này (%(r)s); không có dữ liệu nào của bước đang chạy được ghi. "
        "Hãy bấm “Thử lại” sau ít phút; nếu lỗi lặp lại, hãy báo cho quản trị hệ thống."
    ) % {"r": reason}


# Workers: beats, resuming the jobs of dead workers, retrying ---------------------------------


class _JobUnit:
    """What audit needs of a job's unit (jobs keep id + path, not the Unit: core knows no org)."""

    def __init__(self, job: Job):
        self.pk, self.path = job.unit_id, job.unit_path

    def __str__(self) -> str:
        return self.path


def _record(job: Job, action: str, actor=None, **data) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=job,
        unit=_JobUnit(job) if job.unit_id else None,
        data={"kind": job.kind, "attempts": job.attempts, **data},
    )


def beat(worker_id: str) -> None:
    now = timezone.now()
    updated = WorkerBeat.objects.filter(worker_id=worker_id).update(seen_at=now, host=HOST, pid=os.getpid())
    if not updated:
        WorkerBeat.objects.create(
            worker_id=worker_id, host=HOST, pid=os.getpid(), started_at=now, seen_at=now
        )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def worker_alive(beat_row: WorkerBeat, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if beat_row.worker_id == _worker_id and _worker_id:
        return True
    silent = now - beat_row.seen_at
    if beat_row.host == HOST:
        # On this host the process itself answers: a worker whose beat is held up (SQLite lets one
        # writer at a time: its own long write can delay its beat) is not taken for dead while its
        # process lives.  Only a beat silent for very long is doubted (the pid may be reused).
        if not _pid_alive(beat_row.pid):
            return False
        return silent <= dt.timedelta(seconds=STALE_SECONDS * 30)
    return silent <= dt.timedelta(seconds=STALE_SECONDS)


def recover(*, now: dt.datetime | None = None) -> dict:
    """Resume (or fail) the running jobs whose worker is gone; forget dead workers.

    Safe to run from several workers at once: a job is taken back only by the one whose
    conditional UPDATE still finds it running under the dead worker.
    """
    now = now or timezone.now()
    beats = {b.worker_id: b for b in WorkerBeat.objects.all()}
    dead = {wid for wid, b in beats.items() if not worker_alive(b, now)}
    resumed, failed = [], []
    running = Job.objects.filter(status=Job.Status.RUNNING).values_list("pk", "worker", "updated_at")
    for pk, worker, updated_at in running:
        if worker:
            if worker in beats and worker not in dead:
                continue
        elif updated_at >= now - dt.timedelta(seconds=ORPHAN_SECONDS):
            continue
        outcome = _take_back(pk, worker)
        if outcome == "resumed":
            resumed.append(pk)
        elif outcome == "failed":
            failed.append(pk)
    if dead:
        WorkerBeat.objects.filter(worker_id__in=dead).delete()
    return {"resumed": resumed, "failed": failed, "dead_workers": len(dead)}


def _take_back(pk: int, worker: str) -> str:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=pk, status=Job.Status.RUNNING, worker=worker).first()
        if job is None:
            return ""
        can_resume = bool(job.task_path) and bool(worker) and job.attempts < MAX_ATTEMPTS
        if can_resume:
            job.status, job.worker = Job.Status.QUEUED, ""
            job.stage = _("Chờ chạy tiếp: tiến trình xử lý nền trước đã dừng giữa chừng")
            job.updated_at = timezone.now()
            job.save(update_fields=["status", "worker", "stage", "updated_at"])
            _record(job, "core.job.resumed", worker=worker)
            enqueue(job, import_string(job.task_path), *job.task_args)
            return "resumed"
        job.status, job.worker = Job.Status.FAILED, ""
        job.finished_at = job.updated_at = timezone.now()
        job.message = _(
            "Tiến trình xử lý nền đã dừng giữa chừng (%(n)d lần) trong bước “%(s)s”. Phần đã ghi "
            "được giữ nguyên và không bị ghi hai lần; hãy bấm “Thử lại” để làm tiếp."
        ) % {"n": job.attempts, "s": job.stage}
        job.save(update_fields=["status", "worker", "finished_at", "updated_at", "message"])
        _record(job, "core.job.stopped", worker=worker)
        return "failed"


def can_retry(user, job: Job) -> bool:
    return (
        job.status == Job.Status.FAILED
        and bool(job.task_path)
        and getattr(user, "is_authenticated", False)
        and (job.actor_id == user.pk or user.is_superuser)
    )


def retry(*, actor, job: Job) -> Job:
    """Queue a failed job again (its work is idempotent: what was written stays, once)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if not can_retry(actor, job):
            if job.status != Job.Status.FAILED:
                raise ValidationError(_("Chỉ thử lại được việc không thành công."))
            raise PermissionDenied(_("Chỉ người yêu cầu việc này mới thử lại được."))
        job.status, job.worker, job.attempts, job.message = Job.Status.QUEUED, "", 0, ""
        job.stage, job.finished_at, job.updated_at = _("Đang chờ đến lượt xử lý"), None, timezone.now()
        job.save(
            update_fields=["status", "worker", "attempts", "message", "stage", "finished_at", "updated_at"]
        )
        _record(job, "core.job.retried", actor=actor)
        enqueue(job, import_string(job.task_path), *job.task_args)
    job.refresh_from_db()
    return job


def needs_worker() -> bool:
    """Whether queued jobs wait for `manage.py db_worker` (not so with the immediate backend)."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return not backend.endswith("ImmediateBackend")


def worker_seen(within: int = WORKER_SEEN_SECONDS) -> bool:
    return WorkerBeat.objects.filter(seen_at__gte=timezone.now() - dt.timedelta(seconds=within)).exists()


def waits_for_worker(job: Job) -> bool:
    """The job waits for a worker and none was seen lately: the page says how to start one."""
    return not job.finished and needs_worker() and not worker_seen()


class Heartbeat(threading.Thread):
    """Keeps this worker's beat fresh and resumes dead workers' jobs, beside the running job."""

    def __init__(self, worker_id: str):
        super().__init__(name="nhandao-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()

    def run(self) -> None:
        last_recover = time.monotonic()
        while not self.stopping.wait(BEAT_SECONDS):
            try:
                beat(self.worker_id)
                if time.monotonic() - last_recover >= RECOVER_SECONDS:
                    last_recover = time.monotonic()
                    recover()
            except (DatabaseError, InterfaceError):
                # A busy or unreachable database: try again at the next beat.
                logger.warning("worker heartbeat could not reach the database", exc_info=True)
                connection.close()
        connection.close()


_heartbeat: Heartbeat | None = None


def worker_started(worker_id: str) -> None:
    """Called by `manage.py db_worker` before it serves: beat, take back dead workers' jobs."""
    global _worker_id, _heartbeat
    _worker_id = worker_id[:64]
    beat(_worker_id)
    outcome = recover()
    if outcome["resumed"] or outcome["failed"]:
        logger.warning(
            "jobs of stopped workers: resumed %s, failed %s", outcome["resumed"], outcome["failed"]
        )
    _heartbeat = Heartbeat(_worker_id)
    _heartbeat.start()


def worker_stopped() -> None:
    global _worker_id, _heartbeat
    if _heartbeat is not None:
        _heartbeat.stopping.set()
        if _heartbeat.ident is not None:
            _heartbeat.join(timeout=BEAT_SECONDS * 2)
        _heartbeat = None
    try:
        WorkerBeat.objects.filter(worker_id=_worker_id).delete()
    except (DatabaseError, InterfaceError):
        logger.warning("could not remove the beat of worker %s", _worker_id, exc_info=True)
    _worker_id = ""


def in_transaction() -> bool:
    return transaction.get_connection().in_atomic_block
