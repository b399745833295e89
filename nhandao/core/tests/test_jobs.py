"""Jobs that never break: a database error fails one job (with the reason, retry possible), a
job whose worker died is queued again and finishes (or fails with the reason after a few tries),
the worker outlives database errors, and a waiting page says when no worker is running."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.management.commands import db_worker as library_worker

from nhandao.core import jobs
from nhandao.core.access import ORG_VIEW
from nhandao.core.management.commands import db_worker
from nhandao.core.models import AuditEvent, Job, WorkerBeat

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# How the next runs of `flaky` end: an exception to raise, or None to succeed.
OUTCOMES: list[BaseException | None] = []


@task()
def flaky(job_id: int, value: int) -> None:
    def work(job, progress):
        outcome = OUTCOMES.pop(0) if OUTCOMES else None
        if outcome is not None:
            raise outcome
        return {"value": value}

    jobs.run(job_id, work)


def new_job(world, **kw) -> Job:
    return jobs.create(
        actor=world.manager_a,
        kind="test.flaky",
        label="Việc thử",
        unit=world.commune_a,
        permission=ORG_VIEW,
        **kw,
    )


def a_dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def running_under(world, worker_id: str, *, attempts: int = 1) -> Job:
    """A job a worker had claimed (the state a killed worker leaves behind)."""
    job = new_job(world)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        worker=worker_id,
        attempts=attempts,
        task_path=flaky.module_path,
        task_args=[7],
    )
    return Job.objects.get(pk=job.pk)


def test_a_database_error_fails_only_that_job_with_a_vietnamese_reason_and_it_can_be_retried(world):
    OUTCOMES[:] = [OperationalError("database is locked")]
    job = jobs.enqueue(new_job(world), flaky, 7)
    assert job.status == Job.Status.FAILED
    assert "cơ sở dữ liệu đang bận" in job.message and "Thử lại" in job.message

    job = jobs.retry(actor=world.manager_a, job=job)
    assert (job.status, job.result, job.attempts) == (Job.Status.SUCCEEDED, {"value": 7}, 1)
    assert AuditEvent.objects.filter(action="core.job.retried", object_id=str(job.pk)).exists()


def test_only_the_requester_may_retry_a_failed_job(world):
    OUTCOMES[:] = [RuntimeError("boom")]
    job = jobs.enqueue(new_job(world), flaky, 7)
    assert job.status == Job.Status.FAILED
    colleague = world.client(world.viewer_a)  # may follow the job (same unit), not retry it
    assert colleague.post(reverse("office:job_retry", args=[job.pk])).status_code == 403
    outsider = world.client(world.manager_b)
    assert outsider.post(reverse("office:job_retry", args=[job.pk])).status_code == 404
    response = world.client(world.manager_a).post(reverse("office:job_retry", args=[job.pk]))
    assert response.status_code == 302
    assert Job.objects.get(pk=job.pk).status == Job.Status.SUCCEEDED


def test_a_job_whose_worker_process_is_gone_is_queued_again_and_finishes(world):
    WorkerBeat.objects.create(worker_id="killed", host=jobs.HOST, pid=a_dead_pid())
    job = running_under(world, "killed")

    outcome = jobs.recover()

    job.refresh_from_db()
    assert outcome["resumed"] == [job.pk]
    assert (job.status, job.attempts, job.result) == (Job.Status.SUCCEEDED, 2, {"value": 7})
    assert not WorkerBeat.objects.filter(worker_id="killed").exists()
    assert AuditEvent.objects.filter(action="core.job.resumed", object_id=str(job.pk)).exists()


def test_a_worker_that_stopped_beating_elsewhere_loses_its_job_but_a_live_one_keeps_it(world):
    old = timezone.now() - dt.timedelta(seconds=jobs.STALE_SECONDS + 5)
    WorkerBeat.objects.create(worker_id="silent", host="another-host", pid=1, seen_at=old)
    WorkerBeat.objects.create(worker_id="alive", host="another-host", pid=1)
    lost = running_under(world, "silent")
    kept = running_under(world, "alive")

    jobs.recover()

    lost.refresh_from_db()
    kept.refresh_from_db()
    assert lost.status == Job.Status.SUCCEEDED
    assert kept.status == Job.Status.RUNNING


def test_a_worker_on_this_host_whose_process_lives_keeps_its_job_though_its_beat_is_late(world):
    late = timezone.now() - dt.timedelta(seconds=jobs.STALE_SECONDS + 5)
    WorkerBeat.objects.create(worker_id="busy", host=jobs.HOST, pid=os.getpid(), seen_at=late)
    job = running_under(world, "busy")

    jobs.recover()

    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING


def test_a_job_its_workers_died_under_too_often_fails_with_the_reason_and_can_be_retried(world):
    job = running_under(world, "gone-for-good", attempts=jobs.MAX_ATTEMPTS)

    jobs.recover()

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "dừng giữa chừng" in job.message and "Thử lại" in job.message
    assert jobs.can_retry(world.manager_a, job)
    assert jobs.retry(actor=world.manager_a, job=job).status == Job.Status.SUCCEEDED


def test_a_job_left_running_by_a_web_process_fails_after_an_hour(world):
    job = new_job(world)
    long_ago = timezone.now() - dt.timedelta(seconds=jobs.ORPHAN_SECONDS + 60)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, updated_at=long_ago)
    recent = new_job(world)
    Job.objects.filter(pk=recent.pk).update(status=Job.Status.RUNNING)

    jobs.recover()

    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED
    assert Job.objects.get(pk=recent.pk).status == Job.Status.RUNNING


def test_the_job_page_says_when_no_worker_was_seen_for_a_minute(world, settings):
    settings.TASKS = DATABASE_BACKEND
    job = new_job(world)
    client = world.client(world.manager_a)
    page = client.get(reverse("office:job", args=[job.pk])).content.decode()
    assert "Chưa thấy tiến trình xử lý nền" in page and "manage.py db_worker" in page

    jobs.beat("w1")
    page = client.get(reverse("office:job_progress", args=[job.pk])).content.decode()
    assert "Chưa thấy tiến trình xử lý nền" not in page


def test_a_page_that_reloads_when_its_job_ends_keeps_asking_on_every_poll(world):
    """The progress fragment of a page that reloads at the end (?reload=1) polls with the same
    question each time: a job longer than one poll used to lose it at the first answer, and the
    page never reloaded (seen in the browser test of a statement import on a busy machine)."""
    job = new_job(world)
    client = world.client(world.manager_a)
    url = reverse("office:job_progress", args=[job.pk])
    running = client.get(url + "?reload=1", HTTP_HX_REQUEST="true")
    assert f'hx-get="{url}?reload=1"' in running.content.decode()
    assert "HX-Refresh" not in running.headers
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, finished_at=timezone.now())
    done = client.get(url + "?reload=1", HTTP_HX_REQUEST="true")
    assert done.headers["HX-Refresh"] == "true"
    # A fragment polled without the question (the job's own page) neither asks nor reloads.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, finished_at=None)
    plain = client.get(url, HTTP_HX_REQUEST="true")
    assert f'hx-get="{url}"' in plain.content.decode() and "HX-Refresh" not in plain.headers


def test_without_a_worker_backend_the_page_does_not_ask_for_one(world):
    job = new_job(world)
    page = world.client(world.manager_a).get(reverse("office:job", args=[job.pk])).content.decode()
    assert "Chưa thấy tiến trình xử lý nền" not in page


@pytest.mark.django_db(transaction=True)
def test_the_worker_serves_on_after_a_database_error_and_forgets_its_beat_when_it_stops(monkeypatch):
    calls = []

    def library_run(self):
        calls.append(WorkerBeat.objects.filter(worker_id="w-test").exists())
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(library_worker.Worker, "run", library_run)
    monkeypatch.setattr(db_worker, "RETRY_SECONDS", 0)
    monkeypatch.setattr(jobs.Heartbeat, "start", lambda self: None)
    worker = db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w-test",
        excluded_queue_names=[],
    )
    worker.run()
    assert calls == [True, True]  # beating while it served, twice: the error did not end it
    assert not WorkerBeat.objects.filter(worker_id="w-test").exists()


@pytest.mark.skipif("sqlite" not in os.environ.get("DATABASE_URL", "sqlite"), reason="SQLite settings")
def test_on_sqlite_the_database_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'wal.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    script = (
        "from django.db import connection\n"
        "c = connection.cursor()\n"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA busy_timeout').fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    mode, timeout = result.stdout.strip().splitlines()[-1].split()
    assert mode == "wal" and int(timeout) >= 10000
