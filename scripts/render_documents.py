"""Render every document nhandao generates to PNG pages, to look at them (issue 15, point 8).

    DATABASE_URL=... .venv/bin/python manage.py seed_demo --scale small   # once
    DATABASE_URL=... .venv/bin/python scripts/render_documents.py [NAME ...]

Each document is fetched through its own view (the Django test client, signed in as a demo user
who may open it), so what is rendered is what an office downloads: PDF as is, DOCX converted by
LibreOffice (`soffice --headless --convert-to pdf`), the printable HTML pages printed to PDF by
headless Chromium (their print stylesheet applies).  Every PDF is cut into
`var/documents/<name>-<page>.png` by `pdftoppm -png -r 60`.  Needs a seeded demo database.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhandao.settings")

import django  # noqa: E402

django.setup()
logging.getLogger("axes").setLevel(logging.WARNING)  # a line per sign-in otherwise

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from nhandao.beneficiaries.models import Case, Commitment  # noqa: E402
from nhandao.blood.models import Donation as BloodDonation  # noqa: E402
from nhandao.campaigns.models import Campaign  # noqa: E402
from nhandao.funds.models import Donation  # noqa: E402
from nhandao.movements.models import Proposal  # noqa: E402
from nhandao.plans.models import CityDocument  # noqa: E402
from nhandao.privacy.models import SubjectRequest  # noqa: E402
from nhandao.relief.models import DistributionPlan, Incident  # noqa: E402

OUT = ROOT / "var" / "documents"
# Who fetches: the first of these demo users that may open the document (the city's roles first).
USERS = (
    "admin.thanhpho",
    "ketoan.thanhpho",
    "kiemtra.thanhpho",
    "quanly.lechan",
    "ketoan.lechan",
    "nhaplieu.lechan",
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def documents() -> list[tuple[str, str]]:
    """(name, URL) of one document of each kind in the demo, the richest one where it matters."""
    found: list[tuple[str, str]] = []

    def add(name: str, obj, url) -> None:
        if obj is not None:
            found.append((name, url(obj)))

    gifts = Donation.objects.filter(receipt_number__isnull=False)
    add(
        "bien-nhan",
        gifts.filter(items__isnull=True).order_by("id").first(),
        lambda d: reverse("funds:receipt_pdf", args=[d.pk]),
    )
    in_kind = gifts.filter(items__isnull=False).order_by("id").first()
    add("bien-nhan-hien-vat", in_kind, lambda d: reverse("funds:receipt_pdf", args=[d.pk]))
    add("bien-nhan-html", in_kind, lambda d: reverse("funds:receipt", args=[d.pk]))
    campaign = Campaign.objects.public().annotate(n=Count("donations")).order_by("-n", "id").first()
    add("bao-cao-nd93", campaign, lambda c: reverse("portal:report_pdf", args=[c.code]))
    add(
        "chung-nhan-hien-mau",
        BloodDonation.objects.order_by("id").first(),
        lambda d: reverse("blood:certificate", args=[d.pk]),
    )
    found.append(("ton-vinh-hien-mau", reverse("blood:honours") + "?dinh-dang=docx"))
    add(
        "de-nghi-khen-thuong",
        Proposal.objects.annotate(n=Count("items")).order_by("-n", "id").first(),
        lambda p: reverse("movements:proposal_docx", args=[p.pk]),
    )
    add(
        "du-lieu-ca-nhan",
        SubjectRequest.objects.filter(person__isnull=False).order_by("id").first(),
        lambda r: reverse("privacy:request_pdf", args=[r.pk]),
    )
    incident = Incident.objects.order_by("-starts_on", "id").first()
    add("bao-cao-nhanh-docx", incident, lambda i: reverse("relief:sitrep_docx", args=[i.pk]))
    add("bao-cao-nhanh-pdf", incident, lambda i: reverse("relief:sitrep_pdf", args=[i.pk]))
    add("bao-cao-nhanh-html", incident, lambda i: reverse("relief:sitrep", args=[i.pk]))
    add(
        "danh-sach-ky-nhan",
        DistributionPlan.objects.annotate(n=Count("recipients")).order_by("-n").first(),
        lambda p: reverse("relief:distribution_print", args=[p.pk]),
    )
    add(
        "ho-so-doi-tuong",
        Case.objects.order_by("id").first(),
        lambda c: reverse("beneficiaries:case_print", args=[c.pk]),
    )
    add(
        "so-theo-doi-tro-giup",
        Commitment.objects.order_by("id").first(),
        lambda c: reverse("beneficiaries:follow_up_book", args=[c.pk]),
    )
    add(
        "bao-cao-thanh-pho",
        CityDocument.objects.order_by("-id").first(),
        lambda d: reverse("plans:document", args=[d.pk]),
    )
    return found


def client_for(username: str) -> Client:
    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:  # the demo's admin and finance roles sign in with a second factor
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def fetch(url: str, clients: dict) -> tuple[bytes, str]:
    for username in USERS:
        if username not in clients:
            clients[username] = client_for(username)
        response = clients[username].get(url, secure=True)
        if response.status_code == 200:
            return response.content, response["Content-Type"].split(";")[0]
    raise RuntimeError(f"{url}: no demo user may open it (last answer {response.status_code})")


def static_to_files(html: str) -> str:
    """The page's /static/ links as file URLs, so that Chromium prints it with its stylesheet."""

    def local(match: re.Match) -> str:
        path = finders.find(match.group(2))
        return f'{match.group(1)}="{Path(path).as_uri()}"' if path else match.group(0)

    return re.sub(r'(href|src)="/static/([^"?#]+)[^"]*"', local, html)


def to_pdf(name: str, body: bytes, kind: str, work: Path) -> Path:
    pdf = work / f"{name}.pdf"
    if kind == "application/pdf":
        pdf.write_bytes(body)
    elif kind == DOCX:
        source = work / f"{name}.docx"
        source.write_bytes(body)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(source)],
            check=True,
            capture_output=True,
            env={**os.environ, "HOME": str(work)},
        )
    elif kind == "text/html":
        page = work / f"{name}.html"
        page.write_text(static_to_files(body.decode()), encoding="utf-8")
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
        )
    else:
        raise RuntimeError(f"{name}: unexpected content type {kind}")
    return pdf


def main(names: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    clients: dict[str, Client] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, url in documents():
            if names and name not in names:
                continue
            body, kind = fetch(url, clients)
            pdf = to_pdf(name, body, kind, work)
            for old in OUT.glob(f"{name}-*.png"):
                old.unlink()
            subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(OUT / name)], check=True)
            pages = sorted(OUT.glob(f"{name}-*.png"))
            print(f"{name}: {url} ({kind.split('/')[-1][:4]}) → {len(pages)} trang")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
