"""`manage.py db_worker`: django-tasks-db's worker, made to stay up and to resume jobs.

On top of the library's worker (same options), this one
- writes a beat (core.WorkerBeat) from a thread of its own, also while a job runs, so pages
  can tell whether any worker is alive, and other workers whether this one died;
- at start and every half minute, queues again the jobs of workers that died mid-run
  (core.jobs.recover);
- survives a database error outside a job (the database restarting, a lock held too long):
  it logs it, waits and goes on serving, where the library's loop would exit.
"""

from __future__ import annotations

import logging
import os
import time

from django.db import DatabaseError, InterfaceError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker as base

from nhandao.core import jobs

logger = logging.getLogger("django_tasks_db")

RETRY_SECONDS = 5


class Worker(base.Worker):
    def run(self) -> None:
        jobs.worker_started(self.worker_id)
        try:
            while True:
                try:
                    super().run()
                    return
                except (DatabaseError, InterfaceError):
                    logger.exception(
                        "worker %s: database error; serving again in %ss", self.worker_id, RETRY_SECONDS
                    )
                    for conn in connections.all(initialized_only=True):
                        conn.close()
                    if not self.running:
                        return
                    time.sleep(RETRY_SECONDS)
        finally:
            jobs.worker_stopped()


class Command(base.Command):
    help = base.Command.help + " (nhandao: stays up, beats, resumes the jobs of stopped workers)"

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning(
                "Warning: --reload and --batch cannot be specified together. Disabling autoreload."
            )
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise base.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
