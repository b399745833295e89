"""The production path of an import, through real `manage.py db_worker` processes outside the
test transaction: a worker killed (SIGKILL) in the middle of posting a statement, a second
worker that takes the job back, and an import that ends exactly once.

The workers need the test's data: on PostgreSQL they open the test database itself; SQLite's
test database lives in this process's memory, so it is copied to a file for the workers and
copied back afterwards (sqlite3's online backup)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from nhandao.banking import services
from nhandao.banking.models import ImportStatus, LineStatus, StatementLine
from nhandao.banking.services import imports
from nhandao.core.models import Job, WorkerBeat
from nhandao.funds import ledger
from nhandao.funds.models import Donation

from . import samples

ROOT = Path(__file__).resolve().parents[3]
LINES = 300
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


class Workers:
    """Start workers on the test's database; read the job as they see it."""

    def __init__(self, tmp_path: Path):
        self.sqlite = connection.vendor == "sqlite"
        if self.sqlite:
            self.path = tmp_path / "worker.sqlite3"
            target = sqlite3.connect(self.path)
            connection.ensure_connection()
            connection.connection.backup(target)
            target.close()
            url = f"sqlite:///{self.path}"
        else:
            s = connection.settings_dict
            url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        self.env = {**os.environ, "DATABASE_URL": url, "TASKS_BACKEND": "database", "LOG_LEVEL": "WARNING"}
        self.env.pop("DJANGO_SETTINGS_MODULE", None)

    def start(self, *, slow: bool, batch: bool = False) -> subprocess.Popen:
        module = "nhandao.banking.tests.slow_worker" if slow else None
        command = [sys.executable, "-m", module] if module else [sys.executable, "manage.py", "db_worker"]
        command += ["--interval", "0.2", "--no-startup-delay", "--no-reload"]
        if batch:
            command.append("--batch")
        return subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )

    def job(self, pk: int) -> tuple[str, str, int, int]:
        """(status, stage, done, attempts) as the workers see it."""
        if self.sqlite:
            db = sqlite3.connect(self.path, timeout=30)
            try:
                return db.execute(
                    "SELECT status, stage, done, attempts FROM core_job WHERE id = ?", [pk]
                ).fetchone()
            finally:
                db.close()
        job = Job.objects.get(pk=pk)
        return job.status, job.stage, job.done, job.attempts

    def posted(self, import_id: int) -> int:
        if self.sqlite:
            db = sqlite3.connect(self.path, timeout=30)
            try:
                return db.execute(
                    "SELECT COUNT(*) FROM banking_statementline WHERE statement_import_id = ? AND status = ?",
                    [import_id, LineStatus.POSTED],
                ).fetchone()[0]
            finally:
                db.close()
        return StatementLine.objects.filter(statement_import_id=import_id, status=LineStatus.POSTED).count()

    def bring_back(self) -> None:
        """The workers' database becomes the test's again (SQLite)."""
        if self.sqlite:
            source = sqlite3.connect(self.path)
            connection.close()
            connection.ensure_connection()
            source.backup(connection.connection)
            source.close()


def wait_for(condition, timeout: float = 90.0, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_an_import_whose_worker_is_killed_midway_finishes_exactly_once_after_a_restart(
    world, vcb, yagi, settings, tmp_path
):
    start = dt.datetime(2024, 9, 10, 8, 0)
    txns = [
        samples.Txn(
            start + dt.timedelta(minutes=i), 100_000 + i, f"ung ho bao Yagi {yagi.code} lan {i}", f"R{i}"
        )
        for i in range(LINES)
    ]
    settings.TASKS = DATABASE_BACKEND
    imp = services.statement_upload(
        actor=world.city_admin, bank_account=vcb, data=samples.vietcombank_xlsx(txns), filename="sk.xlsx"
    )
    imp = imports.run_now(imp)  # the reading, here; the import goes to the workers
    assert imp.status == ImportStatus.CHECKED, imp.message
    imp = services.statement_commit(actor=world.city_admin, statement_import=imp)
    job_id = imp.job_id
    assert Job.objects.get(pk=job_id).status == Job.Status.QUEUED

    workers = Workers(tmp_path)
    first = workers.start(slow=True)
    try:
        # Killed once a few chunks of postings are committed and more remain.
        wait_for(lambda: workers.posted(imp.pk) >= 60, what="the first postings")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    status, stage, _done, attempts = workers.job(job_id)
    half = workers.posted(imp.pk)
    assert status == Job.Status.RUNNING and attempts == 1 and 0 < half < LINES, (status, stage, half)

    second = workers.start(slow=False, batch=True)
    output, _ = second.communicate(timeout=120)
    assert second.returncode == 0, output

    workers.bring_back()
    job = Job.objects.get(pk=job_id)
    assert (job.status, job.attempts) == (Job.Status.SUCCEEDED, 2), job.message
    imp.refresh_from_db()
    lines = StatementLine.objects.filter(statement_import=imp)
    assert lines.count() == LINES
    assert lines.filter(status=LineStatus.POSTED).count() == LINES
    donations = Donation.objects.filter(bank_account=vcb)
    assert donations.count() == LINES
    assert len(set(donations.values_list("external_ref", flat=True))) == LINES
    assert sum(donations.values_list("amount", flat=True)) == sum(t.amount for t in txns)
    assert (imp.status, imp.lines_new, imp.posted_count, imp.queued_count) == (
        ImportStatus.IMPORTED,
        LINES,
        LINES,
        0,
    )
    assert ledger.verify().ok
    assert not WorkerBeat.objects.exists()  # the dead worker was forgotten, the batch worker left
