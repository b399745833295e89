"""Campaign downloads: CSV, XLSX and HXL of gifts and disbursements; public fields only."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from nhandao.funds.models import Donation

from .conftest import PRIVATE_VALUES

CSV_NAMES = ["gifts_csv", "gifts_hxl", "disbursements_csv", "disbursements_hxl"]
XLSX_NAMES = ["gifts_xlsx", "disbursements_xlsx"]
ALL_NAMES = [*CSV_NAMES, *XLSX_NAMES, "campaign_iati", "entries_json"]


def get(name, campaign, client=None, **params):
    return (client or Client()).get(reverse(f"portal_data:{name}", args=[campaign.code]), params)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[list[str]]:
    raw = body(response)
    assert raw.startswith("\ufeff".encode())  # Excel opens UTF-8 with a BOM
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def xlsx_rows(response, raw: bytes | None = None) -> list[tuple]:
    book = load_workbook(io.BytesIO(raw if raw is not None else body(response)), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


def text_of(response) -> str:
    raw = body(response)
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        rows = xlsx_rows(response, raw)
        return "\n".join(" ".join(str(v) for v in row if v is not None) for row in rows)
    return raw.decode("utf-8-sig")


def test_gifts_csv_shows_donors_as_they_chose(portal):
    response = get("gifts_csv", portal.campaign)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"{portal.campaign.code}-ung-ho-" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:4] == ["Ngày nhận", "Người ủng hộ", "Số tiền (đồng)", "Loại tiền"]
    expected = sorted(
        (d.received_on.strftime("%d/%m/%Y"), shown(d), str(d.amount))
        for d in Donation.objects.filter(campaign=portal.campaign, status="posted")
    )
    assert sorted((r[0], r[1], r[2]) for r in rows) == expected
    names = {row[1] for row in rows}
    assert "Nhà hảo tâm" in names  # anonymous
    assert "T.V.B." in names  # initials of Trần Văn Bình
    assert "4444444" not in response_text(get("gifts_csv", portal.campaign))  # the hidden campaign's gift


def shown(donation) -> str:
    """The display-name rules, restated: anonymous, initials, or the name as given."""
    if donation.display == "anonymous":
        return "Nhà hảo tâm"
    if donation.display == "initials":
        return "".join(part[0].upper() + "." for part in donation.donor_name.split())
    return donation.donor_name


def response_text(response) -> str:
    return text_of(response)


def test_gifts_xlsx_has_the_same_rows(portal):
    response = get("gifts_xlsx", portal.campaign)
    assert response.status_code == 200
    header, *rows = xlsx_rows(response)
    assert header[1] == "Người ủng hộ"
    amounts = Donation.objects.filter(campaign=portal.campaign, status="posted").values_list(
        "amount", flat=True
    )
    assert sorted(r[2] for r in rows) == sorted(amounts)
    assert {r[1] for r in rows} >= {"Nhà hảo tâm", "T.V.B."}


def test_disbursements_csv_and_xlsx_say_where_the_help_went_without_who(portal, world):
    header, *rows = csv_rows(get("disbursements_csv", portal.campaign))
    assert "Số hộ được hỗ trợ" in header and "Địa bàn nhận" in header
    payment = next(r for r in rows if r[header.index("Nội dung chi")] == "Hỗ trợ hộ có nhà bị tốc mái")
    assert payment[header.index("Số tiền (đồng)")] == "2500000"
    assert payment[header.index("Số hộ được hỗ trợ")] == "5"
    assert payment[header.index("Số người được hỗ trợ")] == "17"
    assert payment[header.index("Đơn vị nhận")] == world.commune_a.name
    assert payment[header.index("Mã địa bàn")] == world.commune_a.ward.code
    assert payment[header.index("Mã tỉnh, thành phố")] == world.commune_a.ward.province.code
    transfer = next(r for r in rows if r[header.index("Nội dung chi")] == "Chuyển về Lê Chân")
    assert transfer[header.index("Đơn vị nhận")] == world.commune_a.name
    xheader, *xrows = xlsx_rows(get("disbursements_xlsx", portal.campaign))
    assert len(xrows) == len(rows) == 3
    assert tuple(header) == xheader


def test_hxl_files_carry_a_hashtag_row(portal):
    header, tags, *rows = csv_rows(get("disbursements_hxl", portal.campaign))
    for tag in (
        "#date",
        "#org+impl+name",
        "#adm1+code",
        "#adm2+name",
        "#value",
        "#currency",
        "#sector",
        "#reached+hh",
    ):
        assert tag in tags, tag
    assert len(tags) == len(header)
    assert all(t == "" or t.startswith("#") for t in tags)
    date = rows[0][tags.index("#date")]
    assert len(date) == 10 and date[4] == "-"  # ISO 8601 for HXL tools
    assert {r[tags.index("#currency")] for r in rows} == {"VND"}
    gheader, gtags, *grows = csv_rows(get("gifts_hxl", portal.campaign))
    assert gtags[:3] == ["#date", "#org+funder+name", "#value"]
    assert len(grows) == Donation.objects.filter(campaign=portal.campaign, status="posted").count()


@pytest.mark.parametrize("name", ALL_NAMES)
def test_no_download_carries_a_private_value(portal, name):
    response = get(name, portal.campaign)
    assert response.status_code == 200, name  # an error page would carry nothing either
    text = text_of(response)
    assert portal.campaign.code in text or "Nhà hảo tâm" in text or "Hỗ trợ" in text, name
    for value in PRIVATE_VALUES:
        assert value not in text, (name, value)
    assert "Người Của Chiến Dịch Kín" not in text


@pytest.mark.parametrize("name", ALL_NAMES)
def test_hidden_draft_and_unknown_campaigns_answer_404(portal, name):
    client = Client()
    for campaign in (portal.private_campaign, portal.draft):
        assert get(name, campaign, client).status_code == 404
    for code in ("KHONGCO", "x" * 200, "<b>", "' OR 1=1", "%00", "-1"):
        response = client.get(reverse(f"portal_data:{name}", args=[code]))
        assert response.status_code == 404, code
        assert b"<b>" not in response.content


@pytest.mark.parametrize("name", ALL_NAMES)
def test_downloads_read_a_bounded_number_of_queries(portal, name, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = get(name, portal.campaign)
        content = body(response)
    assert response.status_code == 200 and len(content) > 100, name  # a refusal would cost nothing


@pytest.mark.parametrize("name", CSV_NAMES + ["entries_json", "campaign_iati"])
def test_large_downloads_stream(portal, name):
    assert get(name, portal.campaign).streaming


def test_formula_like_texts_are_defused(portal, world):
    from nhandao.funds import services as funds

    funds.donation_record(
        actor=world.city_admin,
        unit=world.city,
        campaign=portal.campaign,
        channel="cash",
        amount=100_000,
        received_on=portal.campaign.starts_on,
        donor_name="=HYPERLINK(1)",
        display="full",
    )
    header, *rows = csv_rows(get("gifts_csv", portal.campaign))
    assert "'=HYPERLINK(1)" in {r[1] for r in rows}


def test_query_counts_do_not_grow_with_the_rows(portal, world):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from nhandao.funds.services import DonationInput, donations_record_batch

    def counts():
        result = {}
        for name in ALL_NAMES:
            with CaptureQueriesContext(connection) as queries:
                body(get(name, portal.campaign))
            result[name] = len(queries.captured_queries)
        return result

    before = counts()
    rows = [
        DonationInput(
            channel="cash",
            amount=10_000 + i,
            received_on=portal.campaign.starts_on,
            unit=world.city,
            campaign=portal.campaign,
            donor_name=f"Người ủng hộ {i}",
            display="full",
        )
        for i in range(120)
    ]
    with transaction.atomic():
        donations_record_batch(actor=world.city_admin, rows=rows, return_objects=False)
    assert counts() == before


def test_an_xlsx_past_excel_s_row_limit_is_refused_with_a_pointer_to_csv(portal, monkeypatch):
    from nhandao.portal.data import views

    monkeypatch.setattr(views, "EXCEL_MAX_ROWS", 2)
    response = get("gifts_xlsx", portal.campaign)
    assert response.status_code == 400
    assert "CSV" in response.content.decode()
