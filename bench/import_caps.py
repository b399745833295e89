"""Benchmark: a people import of 1,000,000 rows (an ~11 MB XLSX) as a user uploads it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/import_caps.py [--rows N]

Before, the upload page read and validated the whole file inside the web process
(issue 13: 38.8 s and 2 GB for this file).  Now the page only keeps the file and
queues a job; the worker (`manage.py db_worker`, run here as a child process with
--batch) refuses the file on the row cap while streaming the sheet's XML, before
loading it.  Prints, for each side, the wall time and the peak memory (RSS) it added.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import time
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
from _db import ROOT, throwaway


def make_xlsx(rows: int) -> bytes:
    """A minimal workbook (inline strings), written directly: openpyxl would take minutes."""
    parts = [
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Số điện thoại</t></is></c></row>'
    ]
    for i in range(2, rows + 2):
        parts.append(
            f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>Nguyễn Văn {i}</t></is></c>'
            f'<c r="B{i}" t="inlineStr"><is><t>09{i % 100_000_000:08d}</t></is></c></row>'
        )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(parts)
        + "</sheetData></worksheet>"
    )
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="DS" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buf.getvalue()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    os.environ["TASKS_BACKEND"] = "database"
    with throwaway("nhandao_bench_import_caps"):
        from django.core.management import call_command
        from django.test import Client

        call_command("migrate", verbosity=0)
        call_command("seed_demo", "--scale", "small", verbosity=0, stdout=io.StringIO())
        from nhandao.accounts.models import User
        from nhandao.core.models import ImportBatch
        from nhandao.org.models import Unit

        commune = Unit.objects.get(name="Hội Chữ thập đỏ phường Lê Chân", valid_to__isnull=True)
        t = time.perf_counter()
        data = make_xlsx(args.rows)
        print(f"generated {args.rows:,} rows, {len(data) / 1e6:.1f} MB in {time.perf_counter() - t:.1f} s")
        client = Client()
        client.force_login(User.objects.get(username="nhaplieu.lechan"))
        upload = io.BytesIO(data)
        upload.name = "mot-trieu-dong.xlsx"
        base = rss_mb()
        t = time.perf_counter()
        response = client.post("/nhap-du-lieu/people.person/", {"unit": commune.pk, "file": upload})
        web = time.perf_counter() - t
        assert response.status_code == 302, response.status_code
        batch = ImportBatch.objects.latest("id")
        print(
            f"web process: {web:.2f} s, peak RSS +{rss_mb() - base:.0f} MB (batch {batch.status}, job queued)"
        )

        t = time.perf_counter()
        command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"]
        worker = subprocess.Popen([*command, "-v", "0"], cwd=ROOT, env=os.environ)
        _pid, status, usage = os.wait4(worker.pid, 0)
        assert status == 0, status
        print(
            f"worker: {time.perf_counter() - t:.2f} s (process start included), "
            f"peak RSS {usage.ru_maxrss / 1024:.0f} MB"
        )
        batch.refresh_from_db()
        print(f"batch {batch.status}: {batch.message}")


if __name__ == "__main__":
    main()
