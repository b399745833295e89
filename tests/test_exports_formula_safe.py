"""Every CSV and XLSX download, run with names and texts a spreadsheet would execute.

Rule (see nhandao.core.exports): in XLSX no cell is a formula (text is written as a string cell);
in CSV a text starting with =, +, -, @, tab or CR is prefixed with an apostrophe (OWASP), and the
csv module's RFC 4180 quoting keeps every cell whole.  A new export is added to EXPORTS below.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from nhandao.beneficiaries.tests.helpers import give as help_give
from nhandao.beneficiaries.tests.helpers import make_case
from nhandao.core.exports import FORMULA_START
from nhandao.core.models import ImportBatch
from nhandao.funds import services as funds
from nhandao.funds.models import AccountKind, Channel, Display, Fund
from nhandao.funds.tests.conftest import give, pay
from nhandao.people.tests.helpers import person
from nhandao.portal.tests.conftest import portal  # noqa: F401 (fixture)

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)"]
NUMBER = re.compile(r"^-?\d+$")


@pytest.fixture
def hostile(world, portal):  # noqa: F811
    fund = Fund.objects.filter(unit=world.commune_a).first() or funds.fund_create(
        actor=world.manager_a, unit=world.commune_a, opened_on=dt.date(2025, 7, 1)
    )
    for text in HOSTILE:
        give(world.finance_officer_a, fund, donor_name=text, display=Display.FULL)
        pay(world, fund, 100_000, purpose=text)
        member = person(
            world.commune_a, "Nguyễn Văn An", occupation=text, workplace=text, address_detail=text
        )
        member.full_name = text  # the form normalises names; an import or the admin may not
        member.save(update_fields=["full_name"])
        case = make_case(world.commune_a, address=text)
        case.head.full_name = text
        case.head.save(update_fields=["full_name"])
        help_give(case, description=text, source=text)
        funds.donation_record(
            actor=world.finance_officer_a,
            unit=world.commune_a,
            campaign=portal.campaign,
            channel=Channel.CASH,
            amount=100_000,
            received_on=timezone.localdate(),
            donor_name=text,
            display=Display.FULL,
        )
    rows = io.StringIO()
    csv.writer(rows).writerows([["Họ và tên", "Ngày sinh"], *(["An", text] for text in HOSTILE)])
    upload = io.BytesIO(rows.getvalue().encode())
    upload.name = "ds.csv"
    world.client(world.entry_a).post(
        "/nhap-du-lieu/people.person/", {"unit": world.commune_a.pk, "file": upload}
    )
    return {
        "fund": fund,
        "account": fund.accounts.get(kind=AccountKind.CASH, bank_account=None),
        "batch": ImportBatch.objects.get(),
        "portal": portal,
    }


def _portal(name):
    return lambda h: reverse(f"portal_data:{name}", args=[h["portal"].campaign.code])


# (name, user, url of the download, it carries the hostile texts)
EXPORTS = [
    ("funds donations", "viewer_a", lambda h: "/ung-ho/?format=xlsx", True),
    ("funds disbursements", "viewer_a", lambda h: "/chi/?format=xlsx", True),
    ("funds cash book", "viewer_a", lambda h: f"/quy/tai-khoan/{h['account'].pk}/?format=xlsx", False),
    ("funds movements", "viewer_a", lambda h: f"/quy/{h['fund'].pk}/bien-dong.xlsx", False),
    ("people xlsx", "entry_a", lambda h: "/nguoi/xuat/", True),
    ("people csv", "entry_a", lambda h: "/nguoi/xuat/?dinh-dang=csv", True),
    ("beneficiary cases xlsx", "manager_a", lambda h: "/doi-tuong/xuat/", True),
    ("beneficiary cases csv", "manager_a", lambda h: "/doi-tuong/xuat/?dinh-dang=csv", True),
    ("help records xlsx", "manager_a", lambda h: "/tro-giup/xuat/", True),
    ("help records csv", "manager_a", lambda h: "/tro-giup/xuat/?dinh-dang=csv", True),
    ("import problems", "entry_a", lambda h: f"/nhap-du-lieu/lo/{h['batch'].pk}/loi.xlsx", True),
    ("import template", "entry_a", lambda h: "/nhap-du-lieu/nguoi/mau.xlsx", False),
    ("portal gifts csv", None, _portal("gifts_csv"), True),
    ("portal gifts hxl", None, _portal("gifts_hxl"), True),
    ("portal gifts xlsx", None, _portal("gifts_xlsx"), True),
    ("portal disbursements csv", None, _portal("disbursements_csv"), False),
    ("portal disbursements hxl", None, _portal("disbursements_hxl"), False),
    ("portal disbursements xlsx", None, _portal("disbursements_xlsx"), False),
]


def _body(response) -> bytes:
    return response.getvalue() if response.streaming else response.content


def _xlsx_texts(raw: bytes) -> list[str]:
    texts = []
    for sheet in load_workbook(io.BytesIO(raw)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def _csv_texts(raw: bytes) -> list[str]:
    cells = [c for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))) for c in row]
    for cell in cells:
        assert NUMBER.match(cell) or not cell.startswith(FORMULA_START), f"live formula in CSV: {cell!r}"
    return cells


@pytest.mark.parametrize(("name", "user", "url", "carries"), EXPORTS, ids=[e[0] for e in EXPORTS])
def test_no_export_writes_a_hostile_text_as_a_formula(world, hostile, name, user, url, carries):
    response = world.client(getattr(world, user) if user else None).get(url(hostile))
    assert response.status_code == 200, name
    raw = _body(response)
    if response["Content-Type"].startswith("text/csv"):
        expected = {"'" + text for text in HOSTILE}
        texts = _csv_texts(raw)
    else:
        expected = set(HOSTILE)
        texts = _xlsx_texts(raw)
    if carries:  # positive control: the hostile texts did reach the file
        assert expected <= set(texts), f"{name}: {expected - set(texts)} missing"


def test_a_negative_amount_stays_a_number_in_both_formats():
    from nhandao.core.exports import ExportColumn, write_csv, write_xlsx

    columns = [ExportColumn("amount", "Số tiền", kind="money"), ExportColumn("memo", "Nội dung")]
    rows = [{"amount": -500_000, "memo": "-500000"}]
    assert write_csv(columns, rows)[0].decode("utf-8-sig").splitlines()[1] == "-500000,'-500000"
    sheet = load_workbook(write_xlsx(columns, rows)[0]).active
    assert sheet["A2"].value == -500_000 and sheet["A2"].data_type == "n"
    assert sheet["B2"].value == "-500000" and sheet["B2"].data_type == "s"
