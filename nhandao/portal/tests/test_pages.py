"""The public pages: what a visitor sees, without logging in."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdf
from django.utils import timezone

from nhandao.funds.models import Disbursement, DisbursementKind, Entry
from nhandao.portal import report


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, params, response.status_code)
    return response.content.decode()


def test_the_home_page_links_to_the_portal(client, db):
    assert 'href="/minh-bach/"' in get(client, "/")


def test_the_list_shows_public_campaigns_with_their_totals(client, portal):
    body = get(client, "/minh-bach/")
    assert "Bão số 3" in body and portal.campaign.code in body
    assert "16.200.000 ₫" in body  # raised in money
    assert "1.500.000 ₫" in body  # goods valued
    assert "Chiến dịch nội bộ" not in body and "Dự thảo chưa công bố" not in body


def test_the_list_filters_by_unit_and_status(client, world, portal):
    assert "Bão số 3" in get(client, "/minh-bach/", don_vi=world.city.pk, trang_thai="open")
    assert "Bão số 3" not in get(client, "/minh-bach/", don_vi=world.commune_b.pk)
    assert "Bão số 3" not in get(client, "/minh-bach/", trang_thai="closed")


def test_the_list_runs_a_bounded_number_of_queries(client, portal, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        get(client, "/minh-bach/")


def test_the_campaign_page_discloses_what_decree_93_requires(client, portal):
    body = get(client, f"/minh-bach/chien-dich/{portal.campaign.code}/")
    for text in [
        "Hộ có nhà bị sập, tốc mái",
        "5.000.000 đồng mỗi hộ",
        "Chuyển khoản qua Hội cấp xã",
        "12/LKG-HCTĐ",
    ]:
        assert text in body
    assert "<svg" in body and f"UNG HO {portal.campaign.code}" in body  # the VietQR code
    assert "0031000123456" in body  # the Hội's own account is public


def test_the_vietqr_image_downloads(client, portal):
    response = client.get(f"/minh-bach/chien-dich/{portal.campaign.code}/vietqr.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_private_and_draft_campaigns_are_not_found(client, portal):
    for c in (portal.private_campaign, portal.draft):
        for suffix in ("", "ung-ho/", "chi/", "bao-cao/", "bao-cao.pdf", "vietqr.png", "van-ban-van-dong/"):
            assert client.get(f"/minh-bach/chien-dich/{c.code}/{suffix}").status_code == 404


def test_the_mobilisation_document_is_served_for_public_campaigns_only(client, portal, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    for c in (portal.campaign, portal.private_campaign):
        c.mobilisation_document.save("x.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    response = client.get(f"/minh-bach/chien-dich/{portal.campaign.code}/van-ban-van-dong/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert (
        client.get(f"/minh-bach/chien-dich/{portal.private_campaign.code}/van-ban-van-dong/").status_code
        == 404
    )


def test_a_name_fragment_finds_gifts_without_diacritics(client, portal):
    url = f"/minh-bach/chien-dich/{portal.campaign.code}/ung-ho/"
    body = get(client, url, q="nguyen thi mai")
    assert "Nguyễn Thị Mai" in body and "NGUYEN THI MAI" in body
    assert "2 khoản ủng hộ, tổng cộng 1.200.000 ₫" in body
    body = get(client, url, q="Nguyễn Thị Mai")
    assert "2 khoản ủng hộ" in body


def test_anonymous_and_initials_donors_appear_as_they_chose(client, portal):
    body = get(client, f"/minh-bach/chien-dich/{portal.campaign.code}/ung-ho/")
    assert "Nhà hảo tâm" in body and "T.V.B." in body
    assert "Trần Văn Bình" not in body and "Phạm Bí Mật" not in body
    assert "0 khoản" in get(client, f"/minh-bach/chien-dich/{portal.campaign.code}/ung-ho/", q="binh")


def test_gifts_are_found_by_amount_dates_account_digits_and_reference(client, portal):
    url = f"/minh-bach/chien-dich/{portal.campaign.code}/ung-ho/"
    assert "1 khoản ủng hộ, tổng cộng 10.000.000 ₫" in get(client, url, so_tien="10.000.000")
    day = timezone.localdate() - dt.timedelta(days=2)
    body = get(client, url, tu_ngay=day.strftime("%d/%m/%Y"), den_ngay=day.strftime("%d/%m/%Y"))
    assert "2 khoản ủng hộ, tổng cộng 1.200.000 ₫" in body
    body = get(client, url, tai_khoan="433")
    assert "1 khoản ủng hộ, tổng cộng 2.000.000 ₫" in body and "•••433" in body
    assert "1 khoản ủng hộ" in get(client, url, ma="FT24999000111")
    assert "1 khoản ủng hộ" in get(client, url, ma=portal.anonymous_gift.verify_code)
    assert "0 khoản" in get(client, url, ma="FT000")


def test_the_search_page_runs_a_bounded_number_of_queries(client, portal, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        get(client, f"/minh-bach/chien-dich/{portal.campaign.code}/ung-ho/", q="mai", page="1")


def test_a_filtered_search_pages_through_what_one_scan_found(client, portal, monkeypatch):
    from nhandao.portal import views

    monkeypatch.setattr(views, "GIFTS_PAGE_SIZE", 2)
    url = f"/minh-bach/chien-dich/{portal.campaign.code}/ung-ho/"
    since = (timezone.localdate() - dt.timedelta(days=30)).strftime("%d/%m/%Y")
    body = get(client, url, tu_ngay=since, page="2")
    # Newest first: today's two gifts on page 1; yesterday's 10,000,000 and the later 700,000 on page 2.
    assert "6 khoản ủng hộ, tổng cộng 17.700.000 ₫" in body  # totals of everything found, not of the page
    rows = body.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == 2 and "T.V.B." in rows and ">10.000.000 ₫<" in rows and ">700.000 ₫<" in rows
    last = get(client, url, tu_ngay=since, page="99")  # beyond the last page: the last page
    rows = last.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == 2 and ">500.000 ₫<" in rows and ">2.000.000 ₫<" in rows


def test_a_filtered_search_costs_the_same_few_queries_for_any_page(
    client, portal, django_assert_max_num_queries
):
    url = f"/minh-bach/chien-dich/{portal.campaign.code}/ung-ho/"
    for params in (
        {"q": "nguyen"},
        {"q": "nguyen", "page": "2"},
        {"so_tien": "500000"},
        {"tai_khoan": "433"},
    ):
        # ledger version (2), campaign, the names containing a fragment (only for "q"), the scan
        # of (id, amount), the page's rows
        with django_assert_max_num_queries(6 if "q" in params else 5):
            get(client, url, **params)


def test_where_the_money_went_without_any_person(client, portal):
    body = get(client, f"/minh-bach/chien-dich/{portal.campaign.code}/chi/")
    assert "Hỗ trợ hộ có nhà bị tốc mái" in body and "2.500.000 ₫" in body and "Phát gạo" in body
    assert "Chuyển về Lê Chân" in body
    rice = body.split("<td>Gạo (kg)</td>")[1].split("</tr>")[0]
    assert re.findall(r'<td class="num">([^<]*)</td>', rice)[:3] == ["100", "40", "60"]  # in, out, stock
    assert "Lê Thị Hoa" not in body and "0123456789" not in body


def test_the_report_page_and_pdf(client, portal):
    body = get(client, f"/minh-bach/chien-dich/{portal.campaign.code}/bao-cao/")
    assert "Hộ có nhà bị sập, tốc mái" in body and "16.200.000 ₫" in body and "Cứu trợ khẩn cấp" in body
    response = client.get(f"/minh-bach/chien-dich/{portal.campaign.code}/bao-cao.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_receipt_check_shows_the_gift_and_its_place_in_the_chain(client, portal):
    gift = portal.anonymous_gift
    entry = Entry.objects.filter(posting__donation=gift).order_by("number").first()
    for url in (f"/minh-bach/bien-nhan/{gift.verify_code}/", f"/xac-minh/bien-nhan/{gift.verify_code}/"):
        body = get(client, url)
        assert "Nhà hảo tâm" in body and "3.000.000 ₫" in body and entry.hash in body
        assert "Đỗ Thị Kín Đáo" not in body and "Bão số 3" in body


def test_the_receipt_check_is_cached_until_the_gift_is_reversed(client, world, portal):
    from nhandao.funds.services import reversals

    url = f"/minh-bach/bien-nhan/{portal.anonymous_gift.verify_code}/"
    assert client.get(url)["X-Portal-Cache"] == "miss"
    assert client.get(url)["X-Portal-Cache"] == "hit"
    reversals.donation_reverse(actor=world.city_admin, donation=portal.anonymous_gift, reason="Nhập trùng")
    response = client.get(url)
    assert (
        response["X-Portal-Cache"] == "miss" and "đã được hủy bằng bút toán đảo" in response.content.decode()
    )


def test_a_receipt_of_a_campaign_off_the_portal_names_only_the_fund(client, world, portal):
    from nhandao.campaigns import services as campaign_services

    campaign_services.campaign_update(actor=world.city_admin, campaign=portal.campaign, is_public=False)
    body = get(client, f"/minh-bach/bien-nhan/{portal.anonymous_gift.verify_code}/")
    assert "3.000.000 ₫" in body and f"/minh-bach/chien-dich/{portal.campaign.code}/" not in body


def test_an_unknown_receipt_says_so(client, db):
    response = client.get("/minh-bach/bien-nhan/ZZZZ/")
    assert response.status_code == 404 and "Không tìm thấy biên nhận" in response.content.decode()


def test_the_language_switcher_keeps_the_visitor_on_the_portal(client, db):
    response = client.get("/minh-bach/ngon-ngu/en/", {"next": "/minh-bach/"})
    assert response.status_code == 302 and response["Location"] == "/minh-bach/"
    assert response.cookies["nhandao_language"].value == "en"
    response = client.get("/minh-bach/ngon-ngu/en/", {"next": "https://evil.example/"})
    assert response["Location"] == "/minh-bach/"


def test_a_search_matching_too_many_gifts_is_counted_up_to_a_cap(client, portal, monkeypatch):
    from nhandao.portal import views

    monkeypatch.setattr(views, "COUNT_CAP", 2)
    body = get(
        client, f"/minh-bach/chien-dich/{portal.campaign.code}/ung-ho/", q="thi"
    )  # three gifts: Nguyễn Thị Mai twice, Siêu thị
    assert "Hơn 2 khoản ủng hộ phù hợp; hãy lọc thêm" in body
    body = get(client, f"/minh-bach/chien-dich/{portal.campaign.code}/ung-ho/")
    assert "6 khoản ủng hộ, tổng cộng 17.700.000 ₫" in body  # no filter: the exact kept totals


def test_the_funds_of_each_unit_show_what_they_hold(client, world, portal, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        body = get(client, "/minh-bach/quy/")
    assert "Hội Chữ thập đỏ thành phố Hải Phòng" in body and "4.444.444 ₫" in body  # the general fund's cash
    assert "4.444.444 ₫" not in get(client, "/minh-bach/quy/", don_vi=world.commune_a.pk)


def test_the_decree_93_pdf_is_laid_out_for_print(client, portal, world):
    """Issue 15, point 8: the title on two whole lines, the Decree 30 letterhead with the place and
    date, unit names never cut, every figure with its thousands separators, and one row per commune,
    kind of help and means (a commune helped by two units is not listed twice)."""

    def text_of(content: bytes) -> str:
        return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)

    response = client.get(f"/minh-bach/chien-dich/{portal.campaign.code}/bao-cao.pdf")
    text = text_of(response.content)
    lines = [line.strip() for line in text.splitlines()]
    assert "BÁO CÁO CÔNG KHAI" in lines and "KẾT QUẢ VẬN ĐỘNG, TIẾP NHẬN, PHÂN BỔ" in lines
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert re.search(r"Hải Phòng, ngày \d\d tháng \d\d năm \d{4}", text)

    r = report.build(portal.campaign)
    keys = [(d["commune"], d["help_kind"], d["kind"]) for d in r.distribution]
    assert len(keys) == len(set(keys))
    paid = Disbursement.objects.filter(
        campaign=portal.campaign, kind=DisbursementKind.PAYMENT, status="approved"
    )
    assert sum(d["total"] for d in r.distribution if d["kind"] == DisbursementKind.PAYMENT) == sum(
        d.amount for d in paid
    )
    # A city's figures and a long name: separators everywhere, the whole name over two lines.
    long_name = "Hội Chữ thập đỏ đặc khu Bạch Long Vĩ và các xã đảo của thành phố Hải Phòng"
    r.distribution[0].update(commune=long_name, households=15949, people=40014)
    text = text_of(report.pdf(r))
    flat = text.replace(" ", "").replace("\n", "")
    assert long_name.replace(" ", "") in flat
    assert "15.949" in text and "40.014" in text
    figures = re.sub(
        r"\d{1,2}/\d{1,2}/\d{4}|năm \d{4}|\d+/\d{4}|" + portal.campaign.code, "", text.split("Chuỗi băm")[0]
    )
    assert not re.search(r"(?<![\d.])\d{4,}", figures), figures
