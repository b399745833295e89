"""Every fund page: who may see it, who is refused, forms end to end, exports, receipts."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from nhandao.core.models import AuditEvent
from nhandao.funds import services
from nhandao.funds.models import (
    AccountKind,
    Channel,
    Disbursement,
    DisbursementStatus,
    Display,
    Donation,
    Donor,
    Entry,
    Fund,
    Pledge,
    Posting,
    RecordStatus,
)

from .conftest import give, pay, today


@pytest.fixture
def books(world, fund_a, fund_b):
    """A little of everything in commune A and in commune B."""
    a = give(world.finance_officer_a, fund_a, 5_000_000)
    b = give(world.city_admin, fund_b, 7_000_000, donor_name="Trần Văn Bình")
    d_a = pay(world, fund_a, 1_000_000)
    d_b = services.disbursement_draft(
        actor=world.city_admin, fund=fund_b, kind="payment", amount=1_000, purpose="Hỗ trợ", help_kind="cash"
    )
    p_b = services.pledge_record(
        actor=world.city_admin, fund=fund_b, donor_name="Công ty B", amount=9_000_000, pledged_on=today()
    )
    donor_b = services.donor_create(
        actor=world.city_admin, unit=world.commune_b, kind="organisation", name="Cty B"
    )
    return {
        "a": a,
        "b": b,
        "d_a": d_a,
        "d_b": d_b,
        "p_b": p_b,
        "donor_b": donor_b,
        "fund_a": fund_a,
        "fund_b": fund_b,
    }


def _b_urls(books):
    b = books
    account = b["fund_b"].accounts.get(kind=AccountKind.CASH)
    posting = Posting.objects.get(donation=b["b"])
    return [
        f"/quy/{b['fund_b'].pk}/",
        f"/quy/{b['fund_b'].pk}/bien-dong.xlsx",
        f"/quy/{b['fund_b'].pk}/dong/",
        f"/quy/tai-khoan/{account.pk}/",
        f"/ung-ho/{b['b'].pk}/",
        f"/ung-ho/{b['b'].pk}/bien-nhan/",
        f"/ung-ho/{b['b'].pk}/bien-nhan.pdf",
        f"/ung-ho/{b['b'].pk}/huy/",
        f"/nha-hao-tam/{b['donor_b'].pk}/",
        f"/nha-hao-tam/{b['donor_b'].pk}/sua/",
        f"/cam-ket/{b['p_b'].pk}/",
        f"/chi/{b['d_b'].pk}/",
        f"/chi/them/?fund={b['fund_b'].pk}",
        f"/so-cai/{posting.pk}/",
    ]


LIST_URLS = [
    "/quy/",
    "/ung-ho/",
    "/nha-hao-tam/",
    "/cam-ket/",
    "/chi/",
    "/so-cai/",
    "/ngan-hang/sao-ke/",  # banking's one list of bank accounts (the old /ngan-hang/ redirects there)
    "/so-cai/tom-tat/",
]


def test_anonymous_visitors_are_sent_to_login(world, books):
    client = world.client()
    for url in LIST_URLS + _b_urls(books) + ["/ung-ho/them/", "/chi/them/", "/quy/them/", "/cam-ket/them/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"], url


@pytest.mark.parametrize(
    "user", ["finance_officer_a", "finance_approver_a", "viewer_a", "manager_a", "inspector_a"]
)
def test_users_of_commune_a_see_nothing_of_commune_b(world, books, user):
    client = world.client(getattr(world, user))
    for url in _b_urls(books):
        response = client.get(url)
        # 404 for anything in commune B; a page this user may never use anywhere answers 403.
        assert response.status_code in (403, 404), url
        assert response.status_code == 404 or "/chi/them/" in url, url
        assert "Ngô Quyền" not in response.content.decode()
    for url in [
        f"/chi/{books['d_b'].pk}/duyet/",
        f"/ung-ho/{books['b'].pk}/hien-thi/",
        f"/cam-ket/{books['p_b'].pk}/huy/",
    ]:
        assert client.post(url).status_code == 404, url
    assert Disbursement.objects.get(pk=books["d_b"].pk).status == DisbursementStatus.DRAFT


# What each scoped list shows of commune B's books to the city (the ledger digests are city-wide).
COMMUNE_B_ON_LISTS = {
    "/quy/": "Ngô Quyền",
    "/ung-ho/": "Trần Văn Bình",
    "/nha-hao-tam/": "Cty B",
    "/cam-ket/": "Công ty B",
    "/chi/": "Ngô Quyền",
    "/so-cai/": "Trần Văn Bình",
    "/ngan-hang/sao-ke/": "HOI CTD NGO QUYEN",  # banking's one list of bank accounts
}


@pytest.mark.parametrize("url", COMMUNE_B_ON_LISTS)
def test_lists_show_only_the_users_scope(world, books, url):
    services.bank_account_create(
        actor=world.manager_b,
        unit=world.commune_b,
        bank_name="BIDV",
        bank_bin="970418",
        account_number="9876543210",
        holder="HOI CTD NGO QUYEN",
    )
    assert COMMUNE_B_ON_LISTS[url] in world.client(world.city_admin).get(url).content.decode()
    response = world.client(world.viewer_a).get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert COMMUNE_B_ON_LISTS[url] not in body and "Trần Văn Bình" not in body and "Ngô Quyền" not in body


def test_users_without_fund_permissions_are_refused(world, books):
    client = world.client(world.entry_a)  # data entry: no funds.view
    for url in LIST_URLS:
        assert client.get(url).status_code == 403, url
    viewer = world.client(world.viewer_a)
    for url in [
        "/ung-ho/them/",
        "/chi/them/",
        "/quy/them/",
        "/cam-ket/them/",
        "/nha-hao-tam/them/",
        "/ngan-hang/them/",
    ]:
        assert viewer.get(url).status_code == 403, url
    assert viewer.get(f"/ung-ho/{books['a'].pk}/huy/").status_code == 403
    assert world.client(world.inspector).post(f"/chi/{books['d_b'].pk}/duyet/").status_code == 403


@pytest.mark.parametrize("url", LIST_URLS)
def test_list_pages_use_a_bounded_number_of_queries(world, books, url, django_assert_max_num_queries):
    for i in range(30):
        give(world.finance_officer_a, books["fund_a"], 1_000 + i, donor_name=f"Người {i}")
    client = world.client(world.city_admin)
    client.get("/")  # warm the session
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200


def test_lists_are_paginated(world, fund_a, settings):
    settings.NHANDAO_PAGE_SIZE = 5
    for i in range(12):
        give(world.finance_officer_a, fund_a, 1_000 + i)
    body = world.client(world.viewer_a).get("/ung-ho/", {"page": "3"}).content.decode()
    assert "Trang 3 / 3" in body


def test_the_donation_list_counts_up_to_a_cap(world, fund_a, settings, monkeypatch):
    """A city's 200,000 gifts are not counted on every page: past the cap the page says so."""
    monkeypatch.setattr("nhandao.funds.views.LIST_CAP", 6)
    settings.NHANDAO_PAGE_SIZE = 5
    for i in range(9):
        give(world.finance_officer_a, fund_a, 1_000 + i)
    body = world.client(world.viewer_a).get("/ung-ho/").content.decode()
    assert "Hơn 6 kết quả" in body
    assert "Trang 1 / 2" in body


# Recording gifts through the form ------------------------------------------------------------------
def test_an_officer_records_a_cash_gift_through_the_form(world, fund_a):
    client = world.client(world.finance_officer_a)
    response = client.post(
        "/ung-ho/them/",
        {
            "fund": fund_a.pk,
            "channel": "cash",
            "amount": "50.000.000",
            "currency": "VND",
            "received_on": today().strftime("%d/%m/%Y"),
            "donor_name": "Công ty TNHH Thủy sản Cát Bà",
            "display": "full",
            "goods-TOTAL_FORMS": "4",
            "goods-INITIAL_FORMS": "0",
        },
    )
    donation = Donation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ung-ho/{donation.pk}/"
    assert donation.amount == 50_000_000 and donation.recorded_by == world.finance_officer_a
    receipt = client.get(f"/ung-ho/{donation.pk}/bien-nhan/").content.decode()
    assert "Năm mươi triệu đồng" in receipt
    assert f"/xac-minh/bien-nhan/{donation.verify_code}/" in receipt
    assert "<svg" in receipt  # the QR code


def test_an_officer_records_goods_through_the_form(world, fund_a):
    client = world.client(world.finance_officer_a)
    response = client.post(
        "/ung-ho/them/",
        {
            "fund": fund_a.pk,
            "channel": "in_kind",
            "currency": "VND",
            "received_on": today().strftime("%d/%m/%Y"),
            "donor_name": "Siêu thị Hải An",
            "display": "initials",
            "goods-TOTAL_FORMS": "4",
            "goods-INITIAL_FORMS": "0",
            "goods-0-name": "Gạo",
            "goods-0-unit_label": "kg",
            "goods-0-quantity": "100",
            "goods-0-value": "1.500.000",
            "goods-1-name": "Mì tôm",
            "goods-1-unit_label": "thùng",
            "goods-1-quantity": "10,5",
            "goods-1-value": "1.200.000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    donation = Donation.objects.get()
    assert donation.amount == 2_700_000 and donation.items.count() == 2
    assert donation.public_name == "S.T.H.A."


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-100000", "không hợp lệ"),
        ("0", "Số tiền phải lớn hơn 0"),
        ("1.000,50", "không có phần lẻ"),
        ("abc", "không hợp lệ"),
    ],
)
def test_the_form_shows_a_vietnamese_error_for_a_bad_amount(world, fund_a, amount, message):
    response = world.client(world.finance_officer_a).post(
        "/ung-ho/them/",
        {
            "fund": fund_a.pk,
            "channel": "cash",
            "amount": amount,
            "currency": "VND",
            "received_on": today().strftime("%d/%m/%Y"),
            "display": "full",
            "goods-TOTAL_FORMS": "4",
            "goods-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Donation.objects.exists() and not Entry.objects.exists()


def test_a_gift_with_an_attachment_keeps_the_scan_for_staff_only(world, fund_a, fund_b, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    client = world.client(world.finance_officer_a)
    scan = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    client.post(
        "/ung-ho/them/",
        {
            "fund": fund_a.pk,
            "channel": "cash",
            "amount": "100000",
            "currency": "VND",
            "received_on": today().strftime("%d/%m/%Y"),
            "display": "full",
            "attachment": scan,
            "goods-TOTAL_FORMS": "0",
            "goods-INITIAL_FORMS": "0",
        },
    )
    attachment = Donation.objects.get().attachments.get()
    assert client.get(f"/tep/{attachment.pk}/").status_code == 200
    assert world.client(world.manager_b).get(f"/tep/{attachment.pk}/").status_code == 404
    assert world.client().get(f"/tep/{attachment.pk}/").status_code == 302


def test_a_file_that_is_not_a_scan_is_refused(world, fund_a, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    donation = give(world.finance_officer_a, fund_a)
    response = world.client(world.finance_officer_a).post(
        f"/ung-ho/{donation.pk}/dinh-kem/",
        {"file": SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/octet-stream")},
        follow=True,
    )
    assert "Chỉ nhận tệp PDF, PNG hoặc JPEG" in response.content.decode()
    assert not donation.attachments.exists()


def test_the_receipt_pdf_is_a_pdf_titled_with_its_number(world, fund_a):
    donation = give(world.finance_officer_a, fund_a, 1_250_000)
    response = world.client(world.viewer_a).get(f"/ung-ho/{donation.pk}/bien-nhan.pdf")
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    assert b"/Type /Page" in content
    title = "Biên nhận " + donation.receipt_label
    assert title.encode("utf-16-be").hex().upper().encode() in content.upper() or title.encode() in content


def test_the_public_verification_page_shows_only_the_public_name(world, fund_a):
    donation = give(
        world.finance_officer_a, fund_a, 300_000, donor_name="Nguyễn Thị Mai", display=Display.ANONYMOUS
    )
    body = world.client().get(f"/xac-minh/bien-nhan/{donation.verify_code}/").content.decode()
    assert "Nhà hảo tâm" in body and "300.000 ₫" in body
    assert "Mai" not in body
    assert Entry.objects.filter(posting__donation=donation).first().hash in body


def test_a_wrong_verification_code_reveals_nothing(db, client):
    for code in ["ZZZZZZZZZZZZ", "1", "x" * 500, "<script>"]:
        assert client.get(f"/xac-minh/bien-nhan/{code}/").status_code == 404


def test_an_approver_reverses_a_gift_through_the_form(world, fund_a):
    donation = give(world.finance_officer_a, fund_a, 100_000)
    response = world.client(world.finance_approver_a).post(
        f"/ung-ho/{donation.pk}/huy/", {"reason": "Ghi nhầm số tiền"}
    )
    assert response.status_code == 302
    donation.refresh_from_db()
    assert donation.status == RecordStatus.REVERSED


def test_the_donor_display_can_be_changed_on_the_page(world, fund_a):
    donation = give(world.finance_officer_a, fund_a, 100_000)
    world.client(world.finance_officer_a).post(f"/ung-ho/{donation.pk}/hien-thi/", {"display": "initials"})
    donation.refresh_from_db()
    assert donation.public_name == "N.T.M."


# Disbursements through the pages -----------------------------------------------------------------------
def test_draft_then_approve_through_the_pages(world, fund_a):
    give(world.finance_officer_a, fund_a, 5_000_000)
    officer = world.client(world.finance_officer_a)
    assert officer.get("/chi/them/").status_code == 200  # choose a fund
    response = officer.post(
        f"/chi/them/?fund={fund_a.pk}",
        {
            "kind": "payment",
            "purpose": "Hỗ trợ hộ bà Vũ Thị Lan",
            "value_date": today().strftime("%d/%m/%Y"),
            "amount": "2.000.000",
            "help_kind": "cash",
            "households": "1",
            "goods-TOTAL_FORMS": "3",
            "goods-INITIAL_FORMS": "0",
        },
    )
    d = Disbursement.objects.get()
    assert response.status_code == 302 and d.status == DisbursementStatus.DRAFT
    page = officer.get(f"/chi/{d.pk}/").content.decode()
    assert "Duyệt và ghi sổ" not in page  # the drafter is not offered the approval
    response = officer.post(f"/chi/{d.pk}/duyet/", follow=True)
    assert response.status_code == 403
    approver = world.client(world.finance_approver_a)
    response = approver.post(f"/chi/{d.pk}/duyet/", {"note": "Đồng ý"}, follow=True)
    d.refresh_from_db()
    assert d.status == DisbursementStatus.APPROVED and d.decided_by == world.finance_approver_a
    assert "Đã duyệt" in response.content.decode()
    response = approver.post(f"/chi/{d.pk}/duyet/", follow=True)
    assert "đã được duyệt" in response.content.decode()
    assert Posting.objects.filter(disbursement=d).count() == 1


def test_the_approver_cannot_approve_above_the_balance(world, fund_a):
    give(world.finance_officer_a, fund_a, 1_000_000)
    first = pay(world, fund_a, 800_000, approve=False)
    second = pay(world, fund_a, 800_000, approve=False)
    approver = world.client(world.finance_approver_a)
    approver.post(f"/chi/{first.pk}/duyet/")
    response = approver.post(f"/chi/{second.pk}/duyet/", follow=True)
    assert "không đủ để ghi giảm" in response.content.decode()
    second.refresh_from_db()
    assert second.status == DisbursementStatus.DRAFT


def test_reject_needs_a_reason_on_the_page(world, fund_a):
    give(world.finance_officer_a, fund_a, 1_000_000)
    d = pay(world, fund_a, 100_000, approve=False)
    approver = world.client(world.finance_approver_a)
    response = approver.post(f"/chi/{d.pk}/khong-duyet/", {"reason": ""}, follow=True)
    assert "Hãy ghi lý do không duyệt" in response.content.decode()
    approver.post(f"/chi/{d.pk}/khong-duyet/", {"reason": "Thiếu danh sách hộ"})
    d.refresh_from_db()
    assert d.status == DisbursementStatus.REJECTED


# Books and exports --------------------------------------------------------------------------------------
def test_the_cash_book_runs_a_balance_in_the_usual_layout(world, fund_a):
    give(world.finance_officer_a, fund_a, 5_000_000)
    pay(world, fund_a, 2_000_000)
    give(world.finance_officer_a, fund_a, 1_000_000)
    account = fund_a.accounts.get(kind=AccountKind.CASH)
    body = world.client(world.viewer_a).get(f"/quy/tai-khoan/{account.pk}/").content.decode()
    for text in [
        "SỔ QUỸ TIỀN MẶT",
        "Số dư đầu kỳ",
        "Cộng phát sinh trong kỳ",
        "Số dư cuối kỳ",
        "Thu",
        "Chi",
        "Tồn",
    ]:
        assert text in body, text
    balances = re.findall(r'<td class="num">([\d.]+) ₫</td></tr>', body)
    assert balances[:3] == ["5.000.000", "3.000.000", "4.000.000"]


def test_the_bank_book_exports_to_xlsx_and_the_export_is_audited(world, fund_a):
    bank = services.bank_account_create(
        actor=world.manager_a,
        unit=world.commune_a,
        bank_name="BIDV",
        bank_bin="970418",
        account_number="1234567890",
        holder="HOI CTD LE CHAN",
    )
    give(
        world.finance_officer_a,
        fund_a,
        3_000_000,
        channel=Channel.BANK,
        bank_account=bank,
        external_ref="FT1",
    )
    account = services.bank_ledger_account(fund_a, bank)
    response = world.client(world.viewer_a).get(f"/quy/tai-khoan/{account.pk}/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "SỔ TIỀN GỬI NGÂN HÀNG" in values and "Gửi vào" in values and 3_000_000 in values
    assert AuditEvent.objects.filter(action="core.export", actor=world.viewer_a).exists()


def test_donations_export_lists_the_scope_only(world, books):
    response = world.client(world.viewer_a).get("/ung-ho/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    names = {row[2] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert "Nguyễn Thị Mai" in names and "Trần Văn Bình" not in names


def test_the_fund_page_shows_balances_stock_and_movements(world, fund_a):
    give(world.finance_officer_a, fund_a, 2_000_000)
    services.donation_record(
        actor=world.finance_officer_a,
        fund=fund_a,
        channel="in_kind",
        received_on=today(),
        items=[{"name": "Chăn ấm", "unit_label": "chiếc", "quantity": 20, "value": 5_000_000}],
    )
    body = world.client(world.viewer_a).get(f"/quy/{fund_a.pk}/").content.decode()
    assert "2.000.000 ₫" in body and "Chăn ấm (chiếc)" in body and "Phát sinh Nợ" in body
    response = world.client(world.viewer_a).get(f"/quy/{fund_a.pk}/bien-dong.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


# Setting up --------------------------------------------------------------------------------------------
def test_a_manager_opens_a_fund_and_declares_a_bank_account(world):
    client = world.client(world.manager_a)
    response = client.post(
        "/quy/them/", {"unit": world.commune_a.pk, "kind": "general", "opened_on": "01/07/2025"}
    )
    fund = Fund.objects.get(unit=world.commune_a)
    assert response.status_code == 302 and fund.accounts.count() == 10
    response = client.post(
        "/ngan-hang/them/",
        {
            "unit": world.commune_a.pk,
            "bank_name": "Vietcombank",
            "bank_bin": "97043",
            "account_number": "0031000123456",
            "holder": "Hoi CTD Le Chan",
        },
    )
    assert "gồm đúng 6 chữ số" in response.content.decode()


def test_a_pledge_and_a_donor_are_registered_through_the_forms(world, fund_a):
    client = world.client(world.finance_officer_a)
    client.post(
        "/nha-hao-tam/them/",
        {"unit": world.commune_a.pk, "kind": "person", "name": "nguyễn văn an", "display": "initials"},
    )
    donor = Donor.objects.get()
    assert donor.name == "Nguyễn Văn An" and donor.person.full_name == "Nguyễn Văn An"
    response = client.post(
        "/cam-ket/them/",
        {
            "fund": fund_a.pk,
            "donor": donor.pk,
            "donor_name": "",
            "display": "initials",
            "amount": "12.000.000",
            "pledged_on": today().strftime("%d/%m/%Y"),
        },
    )
    pledge = Pledge.objects.get()
    assert response.status_code == 302 and pledge.donor == donor and pledge.public_name == "N.V.A."
    page = client.get(f"/cam-ket/{pledge.pk}/").content.decode()
    assert pledge.code in page and "12.000.000 ₫" in page


def test_the_gift_form_prefills_the_name_of_a_donor_in_the_officers_scope(world, fund_a):
    donor = services.donor_create(
        actor=world.finance_officer_a, unit=world.commune_a, kind="organisation", name="Công ty Lạch Tray"
    )
    response = world.client(world.finance_officer_a).get(f"/ung-ho/them/?donor={donor.pk}")
    html = response.content.decode()
    assert response.status_code == 200 and "Công ty Lạch Tray" in html
    assert f'name="donor" value="{donor.pk}"' in html


def test_the_gift_form_does_not_prefill_a_donor_of_another_commune(world, books):
    donor_b = services.donor_create(
        actor=world.city_admin, unit=world.commune_b, kind="organisation", name="Công ty Máy Tơ"
    )
    response = world.client(world.finance_officer_a).get(f"/ung-ho/them/?donor={donor_b.pk}")
    html = response.content.decode()
    assert response.status_code in (200, 404)
    assert "Công ty Máy Tơ" not in html and 'name="donor" value=' not in html


def test_the_gift_form_does_not_carry_a_pledge_of_another_commune(world, books):
    pledge_b = books["p_b"]
    response = world.client(world.finance_officer_a).get(f"/ung-ho/them/?pledge={pledge_b.pk}")
    html = response.content.decode()
    assert response.status_code in (200, 404)
    assert "Công ty B" not in html and 'name="pledge" value=' not in html
