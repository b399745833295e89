"""Every refusal of a statement goes through the REAL worker as in production (issue 13, point 5):
the upload queues its job in the database, `manage.py db_worker` runs it outside any test
transaction, and the import ends refused with a clear Vietnamese message on its page and an
audit event; never stuck in "reading", never a server error; the ledger stays intact."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from nhandao.banking import statements
from nhandao.banking.models import ImportStatus, StatementImport, StatementLine
from nhandao.banking.services import imports
from nhandao.core.models import AuditEvent

from . import samples
from .conftest import bank_account, upload

pytestmark = pytest.mark.django_db(transaction=True)

DATA = Path(__file__).parent / "data"


@pytest.fixture
def worker(settings):
    """Jobs wait in the database until the worker runs them, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

    def run():
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0
        )

    return run


def _refused_through_the_worker(world, worker, account, data: bytes, name: str) -> StatementImport:
    imp = upload(world.city_admin, account, data, name)
    assert imp.status == ImportStatus.READING  # queued: nothing ran in the request
    worker()
    imp = StatementImport.objects.get(pk=imp.pk)
    assert imp.status == ImportStatus.REFUSED, imp.message
    assert imp.content is None and not StatementLine.objects.exists()
    assert AuditEvent.objects.filter(action="banking.statement.refused", object_id=str(imp.pk)).exists()
    page = world.client(world.city_admin).get(imp.get_absolute_url())
    assert page.status_code == 200 and imp.message in page.content.decode()
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)
    assert "toàn vẹn" in out.getvalue()
    return imp


def test_an_unknown_layout_is_refused_by_the_worker_with_a_message(world, worker, vcb):
    data = "Họ tên;Địa chỉ\nNguyễn Văn An;Lê Chân\n".encode()
    imp = _refused_through_the_worker(world, worker, vcb, data, "danh-sach.csv")
    assert "Không nhận ra mẫu sao kê" in imp.message


def test_an_unreadable_file_is_refused_by_the_worker_with_a_message(world, worker, vcb):
    data = (DATA / "encrypted.xlsx").read_bytes()
    imp = _refused_through_the_worker(world, worker, vcb, data, "sao-ke.xlsx")
    assert "mật khẩu" in imp.message


def test_a_statement_of_another_account_is_refused_by_the_worker_with_a_message(world, worker):
    other = bank_account(world, bin="970436", number="0011009999999", name="Vietcombank")
    data = samples.vietcombank_xlsx(samples.sample_txns())  # printed: 0011001234567
    imp = _refused_through_the_worker(world, worker, other, data, "sao-ke.xlsx")
    assert "0011001234567" in imp.message


def test_a_statement_of_another_bank_is_refused_by_the_worker_with_a_message(world, worker, bidv):
    data = samples.vietcombank_xlsx(samples.sample_txns(), account=bidv.account_number)
    imp = _refused_through_the_worker(world, worker, bidv, data, "sao-ke.xlsx")
    assert "Vietcombank" in imp.message or "ngân hàng" in imp.message


def test_a_reader_that_fails_unexpectedly_leaves_a_refused_import_not_one_reading(
    world, worker, vcb, monkeypatch
):
    def read(*args, **kwargs):
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr(imports.statements, "read", read)
    imp = _refused_through_the_worker(
        world, worker, vcb, samples.vietcombank_xlsx(samples.sample_txns()), "x.xlsx"
    )
    assert "Không đọc được tệp" in imp.message


def test_a_file_too_large_is_refused_on_the_upload_page_and_audited(world, worker, vcb, monkeypatch):
    monkeypatch.setattr(statements.sources, "MAX_BYTES", 1000)
    data = samples.vietcombank_xlsx(samples.sample_txns())
    with pytest.raises(ValidationError, match="Tệp quá lớn"):
        upload(world.city_admin, vcb, data)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = world.client(world.city_admin).post(
        reverse("banking:upload", args=[vcb.pk]), {"file": SimpleUploadedFile("sao-ke.xlsx", data)}
    )
    assert response.status_code == 200 and "Tệp quá lớn" in response.content.decode()
    assert AuditEvent.objects.filter(action="banking.statement.upload_refused").count() == 2
    assert not StatementImport.objects.exists()


def test_a_good_file_goes_through_the_worker_read_then_import_and_the_ledger_is_intact(world, worker, vcb):
    from nhandao.banking import services

    txns = samples.sample_txns()
    imp = upload(world.city_admin, vcb, samples.vietcombank_xlsx(txns))
    worker()
    imp = StatementImport.objects.get(pk=imp.pk)
    assert imp.status == ImportStatus.CHECKED
    services.statement_commit(actor=world.city_admin, statement_import=imp)
    worker()
    imp = StatementImport.objects.get(pk=imp.pk)
    assert imp.status == ImportStatus.IMPORTED and imp.lines_new == len(txns)
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)
    assert "toàn vẹn" in out.getvalue()


def test_an_unexpected_error_while_writing_the_lines_fails_the_import_and_a_retry_imports_it_once(
    world, worker, vcb, monkeypatch
):
    """A crash inside the lines' transaction (a bug, a lost connection) must not leave the import
    "importing" for ever: it says it failed and nothing was written, the job can be retried by the
    person who started it, and the retry imports every line exactly once."""
    from nhandao.banking import services
    from nhandao.core.models import Job

    txns = samples.sample_txns()
    imp = upload(world.city_admin, vcb, samples.vietcombank_xlsx(txns))
    worker()
    imp = services.statement_commit(
        actor=world.city_admin, statement_import=StatementImport.objects.get(pk=imp.pk)
    )
    real = imports.bulk.insert_returning_ids
    calls = []

    def crash_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    monkeypatch.setattr(imports.bulk, "insert_returning_ids", crash_once)
    worker()
    imp = StatementImport.objects.get(pk=imp.pk)
    assert imp.status == ImportStatus.FAILED and "không dòng nào của tệp được ghi" in imp.message
    assert not StatementLine.objects.exists()
    assert AuditEvent.objects.filter(action="banking.statement.failed", object_id=str(imp.pk)).exists()
    job = Job.objects.get(pk=imp.job_id)
    assert job.status == Job.Status.FAILED
    client = world.client(world.city_admin)
    page = client.get(imp.get_absolute_url()).content.decode()
    assert "Thử lại" in page and imp.message.split(";")[0] in page

    assert client.post(reverse("office:job_retry", args=[job.pk])).status_code == 302
    worker()
    imp = StatementImport.objects.get(pk=imp.pk)
    assert imp.status == ImportStatus.IMPORTED and imp.message == ""
    assert imp.lines_new == len(txns) == StatementLine.objects.filter(statement_import=imp).count()
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)
    assert "toàn vẹn" in out.getvalue()
