"""People imports run in the worker, as in production: the upload page only keeps the file and
queues the job; the page shows the progress; `manage.py db_worker` reads, checks and commits."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from nhandao.core.models import ImportBatch, Job
from nhandao.office.imports import services as imports
from nhandao.people.importers import PersonImporter
from nhandao.people.models import Person

from .helpers import xlsx

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_people_import_is_read_and_committed_by_the_worker_not_the_web_request(world, settings):
    settings.TASKS = DATABASE_BACKEND
    data = xlsx(
        [["Nguyễn Thị Lan", "0912345678"], ["Trần Văn Bình", "0987654321"]], header=["Họ và tên", "SĐT"]
    )
    client = world.client(world.entry_a)
    response = client.post(
        reverse("office:import_upload", args=[PersonImporter.key]),
        {"unit": world.commune_a.pk, "file": _upload(data)},
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == ImportBatch.Status.READING
    page = client.get(reverse("office:import_batch", args=[batch.pk])).content.decode()
    assert "job-progress" in page and "manage.py db_worker" in page  # no worker seen yet

    run_worker()
    batch.refresh_from_db()
    assert (batch.status, batch.rows_new) == (ImportBatch.Status.CHECKED, 2), batch.message

    batch = imports.import_commit(actor=world.entry_a, batch=batch)
    assert batch.status == ImportBatch.Status.COMMITTING and not Person.objects.exists()
    run_worker()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert Person.objects.count() == 2
    assert Job.objects.filter(status=Job.Status.SUCCEEDED).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_commit_run_twice_writes_once(world):
    data = xlsx([["Nguyễn Thị Lan", "0912345678"]], header=["Họ và tên", "SĐT"])
    batch = imports.import_check(
        actor=world.entry_a, kind=PersonImporter.key, unit=world.commune_a, data=data, filename="a.xlsx"
    )
    batch = imports.import_commit(actor=world.entry_a, batch=batch)
    job = Job.objects.get(pk=batch.job_id)
    # The task delivered again (a worker died before recording the end): nothing more is written.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED)
    imports.import_commit_task.call(job.pk, batch.pk, False)
    assert Person.objects.count() == 1
    assert Job.objects.get(pk=job.pk).status == Job.Status.SUCCEEDED


def _upload(data: bytes):
    return SimpleUploadedFile("danh-sach.xlsx", data)
