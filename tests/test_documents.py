"""Every document nhandao generates, built through its own view on the demo city, reads as an official
document a clerk would print (issue 15, point 8): the Decree 30 letterhead with the issuing unit's name
kept whole, the place and date line, Vietnamese number separators, "Nơi nhận" and the signature where
an official document needs them.  The documents are the ones `scripts/render_documents.py` renders to
PNG to be looked at."""

from __future__ import annotations

import importlib.util
import io
import re
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from nhandao.core import docx30
from nhandao.core.text import balanced_cut

pytestmark = pytest.mark.django_db

_spec = importlib.util.spec_from_file_location(
    "render_documents", Path(__file__).resolve().parent.parent / "scripts" / "render_documents.py"
)
render_documents = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(render_documents)

NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
# Decree 30: a leading zero for days below 10 and for months 1 and 2 only.
DATE_LINE = re.compile(r"^Hải Phòng, ngày (0[1-9]|[12]\d|3[01]) tháng (0[12]|[3-9]|1[0-2]) năm 20\d\d$", re.M)
BLANK_DATE = re.compile(r"^Hải Phòng, ngày\s+tháng\s+năm$", re.M)
MONEY = re.compile(r"(\d[\d.,]*) ₫")
GROUPED = re.compile(r"^\d{1,3}(\.\d{3})*$")


def lines_of(body: bytes, kind: str) -> list[str]:
    if kind == "application/pdf":
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    else:
        doc = Document(io.BytesIO(body))
        parts = [p.text for p in doc.paragraphs]
        parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
        text = "\n".join(parts)
    return [line.strip() for line in text.splitlines()]


def assert_name_whole(lines: list[str], name: str) -> None:
    """The unit's name on one line, or on two lines cut where `balanced_cut` cuts it (never a lone
    last word, never inside "THÀNH PHỐ")."""
    if name in lines:
        return
    first, second = balanced_cut(name, len)
    assert len(first.split()) > 1 and len(second.split()) > 1 or name.count(" ") < 3
    assert any(a == first and b == second for a, b in zip(lines, lines[1:], strict=False)), (name, lines[:8])


def assert_grouped(lines: list[str]) -> None:
    """Every amount in đồng carries the Vietnamese thousands separator."""
    for line in lines:
        for figure in MONEY.findall(line):
            assert GROUPED.match(figure), line


@pytest.fixture
def fetched(seeded_city):
    urls = dict(render_documents.documents())
    clients: dict = {}

    def fetch(name: str) -> tuple[list[str], bytes, str]:
        body, kind = render_documents.fetch(urls[name], clients)
        return lines_of(body, kind) if kind != "text/html" else body.decode().splitlines(), body, kind

    fetch.names = set(urls)
    return fetch


def test_every_kind_of_document_is_found_in_the_demo(fetched):
    assert {
        "bien-nhan",
        "bien-nhan-hien-vat",
        "bien-nhan-html",
        "bao-cao-nd93",
        "chung-nhan-hien-mau",
        "ton-vinh-hien-mau",
        "de-nghi-khen-thuong",
        "du-lieu-ca-nhan",
        "bao-cao-nhanh-docx",
        "bao-cao-nhanh-pdf",
        "danh-sach-ky-nhan",
        "ho-so-doi-tuong",
    } <= fetched.names


@pytest.mark.parametrize(
    "name, keys",
    [
        ("bien-nhan", ["BIÊN NHẬN ỦNG HỘ", "NGƯỜI ỦNG HỘ NGƯỜI NHẬN THỦ TRƯỞNG ĐƠN VỊ"]),
        ("bien-nhan-hien-vat", ["BIÊN NHẬN ỦNG HỘ", "STT Tên hàng ĐVT Số lượng Giá trị (đồng)"]),
        ("bao-cao-nd93", ["BÁO CÁO CÔNG KHAI", "KẾT QUẢ VẬN ĐỘNG, TIẾP NHẬN, PHÂN BỔ", "4. Số dư"]),
        ("du-lieu-ca-nhan", ["DỮ LIỆU CÁ NHÂN ĐANG ĐƯỢC LƯU GIỮ", "Nơi nhận:"]),
        ("bao-cao-nhanh-pdf", ["BÁO CÁO NHANH", "Nơi nhận:", "TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"]),
        ("bao-cao-nhanh-docx", ["BÁO CÁO NHANH", "Nơi nhận:", "TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"]),
        ("de-nghi-khen-thuong", ["DANH SÁCH", "Nơi nhận:", "TM. BAN THƯỜNG VỤ", "- Lưu: VT."]),
        ("ton-vinh-hien-mau", ["DANH SÁCH", "Nơi nhận:", "TRƯỞNG BAN"]),
    ],
)
def test_an_official_document_has_the_decree_30_letterhead_and_its_key_lines(fetched, name, keys):
    lines, _body, _kind = fetched(name)
    assert NATIONAL in lines and MOTTO in lines
    # Dated, or (a list not issued yet) with the day, month and year left blank to write by hand.
    assert DATE_LINE.search("\n".join(lines)) or BLANK_DATE.search("\n".join(lines)), name
    text = "\n".join(lines)
    for key in keys:
        assert key in text, (name, key)
    assert_grouped(lines)


def test_the_receipt_keeps_the_unit_name_whole_and_groups_its_figures(fetched, seeded_city):
    from nhandao.core.formatting import number
    from nhandao.funds.models import Donation

    lines, _body, _kind = fetched("bien-nhan")
    donation = (
        Donation.objects.filter(receipt_number__isnull=False, items__isnull=True).order_by("id").first()
    )
    assert_name_whole(lines, donation.unit.name.upper())
    assert f"Số tiền: {number(donation.amount)} đồng" in lines
    assert f"Số: {donation.receipt_label}" in lines


def test_the_in_kind_receipt_wraps_its_goods_and_formats_their_figures(fetched):
    lines, _body, _kind = fetched("bien-nhan-hien-vat")
    start = lines.index("STT Tên hàng ĐVT Số lượng Giá trị (đồng)")
    row = lines[start + 1].split()
    assert row[0] == "1" and GROUPED.match(row[-1])


def test_the_decree_93_report_keeps_unit_names_and_groups_every_figure(fetched):
    lines, _body, _kind = fetched("bao-cao-nd93")
    households = next(line for line in lines if line.startswith("Số hộ / số người được hỗ trợ"))
    a, b = households.removeprefix("Số hộ / số người được hỗ trợ").split(" / ")
    assert GROUPED.match(a.strip()) and GROUPED.match(b.strip())
    assert not any(line.endswith("…") for line in lines)  # nothing cut
    assert_name_whole(lines, "HỘI CHỮ THẬP ĐỎ THÀNH PHỐ HẢI PHÒNG")


def test_the_proposal_list_is_on_the_shared_letterhead(fetched):
    _lines, body, _kind = fetched("de-nghi-khen-thuong")
    doc = Document(io.BytesIO(body))
    head = doc.tables[0]
    assert [round(c.width.cm, 1) for c in head.columns] == list(docx30.LETTERHEAD_CM)
    left = [p.text for p in head.rows[0].cells[0].paragraphs]
    assert (
        left[1:3] == ["HỘI CHỮ THẬP ĐỎ", "THÀNH PHỐ HẢI PHÒNG"]
        or left[1] == "HỘI CHỮ THẬP ĐỎ THÀNH PHỐ HẢI PHÒNG"
    )
    grid = doc.tables[1]
    assert [c.text for c in grid.rows[0].cells] == ["STT", "Tập thể, cá nhân", "Loại", "Thành tích"]
    assert grid.rows[0]._tr.trPr is not None  # the heading row repeats on every page
    # Scores the Vietnamese way ("51,98 điểm"), dates dd/mm/yyyy.
    reasons = [row.cells[3].text for row in grid.rows[1:]]
    assert not any(re.search(r"\d\.\d\d điểm", r) for r in reasons)


def test_the_blood_certificate_is_dated_the_decree_30_way(fetched):
    lines, _body, _kind = fetched("chung-nhan-hien-mau")
    assert lines[:2] == [NATIONAL, MOTTO]
    assert DATE_LINE.search("\n".join(lines)) and "GIẤY CHỨNG NHẬN HIẾN MÁU TÌNH NGUYỆN" in lines


def test_the_sitrep_pdf_numbers_its_pages_from_the_second(fetched):
    _lines, body, _kind = fetched("bao-cao-nhanh-pdf")
    pages = PdfReader(io.BytesIO(body)).pages
    assert len(pages) >= 2
    assert not pages[0].extract_text().startswith("1\n")
    assert pages[1].extract_text().startswith("2")
