"""Background tasks of the banking app (django-tasks): thin, each runs one job of services.imports."""

from __future__ import annotations

from django_tasks import task

from nhandao.core import jobs


@task()
def statement_read(job_id: int, import_id: int) -> None:
    from .services import imports

    jobs.run(job_id, lambda job, progress: imports.read_work(job, progress, import_id))


@task()
def statement_import(job_id: int, import_id: int) -> None:
    from .services import imports

    jobs.run(job_id, lambda job, progress: imports.import_work(job, progress, import_id))
