"""Every beneficiary page: who may see it, who is refused (404/403, never data), bounded queries,
privacy (masking, consent, audited views outside the commune), exports and evidence files."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, get_resolver
from django.utils import timezone
from openpyxl import load_workbook

from nhandao.beneficiaries import selectors, services
from nhandao.beneficiaries.models import Case, Category, HelpEvidence, HelpRecord
from nhandao.core.models import AuditEvent

from .helpers import category, give, jpeg_bytes, make_case

TODAY = timezone.localdate


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def things(world, media):
    case = make_case(
        world.commune_a, "Phan Thị Bí Mật", cccd="031180000456", sex="F", date_of_birth=dt.date(1980, 2, 2)
    )
    services.case_category_add(
        actor=None, case=case, category=category("khuyet-tat"), evidence_number="77/XN-KT", person=case.head
    )
    record = give(case)
    services.consent_record(
        actor=None, case=case, purpose="photos", given_on=TODAY(), collected_by="Cán bộ Hội"
    )
    evidence = services.evidence_add(
        actor=None,
        record=record,
        upload=SimpleUploadedFile("trao-qua.jpg", jpeg_bytes(), content_type="image/jpeg"),
        kind="photo",
    )
    sponsor = services.sponsor_create(
        actor=None, unit=world.commune_a, kind="organisation", name="Công ty Lê Chân"
    )
    commitment = services.commitment_create(
        actor=None,
        case=case,
        sponsor=sponsor,
        kind="cash",
        description="500.000 đồng mỗi tháng",
        amount=500_000,
        starts_on=TODAY() - dt.timedelta(days=10),
    )
    member = case.members.get()
    consent = case.consents.get(purpose="share")
    item = case.categories.filter(category__code="khuyet-tat").get()
    return {
        "case": case,
        "record": record,
        "evidence": evidence,
        "sponsor": sponsor,
        "commitment": commitment,
        "member": member,
        "consent": consent,
        "item": item,
    }


def object_urls(t):
    c = t["case"].pk
    return [
        f"/doi-tuong/{c}/",
        f"/doi-tuong/{c}/sua/",
        f"/doi-tuong/{c}/in/",
        f"/doi-tuong/{c}/thanh-vien/",
        f"/doi-tuong/{c}/dien/",
        f"/doi-tuong/{c}/dong-y/",
        f"/doi-tuong/{c}/trang-thai/dong/",
        f"/doi-tuong/{c}/tro-giup/",
        f"/doi-tuong/{c}/dia-chi-nhan-dao/",
        f"/doi-tuong/{c}/hop-nhat/",
        f"/doi-tuong/thanh-vien/{t['member'].pk}/roi-ho/",
        f"/doi-tuong/dien/{t['item'].pk}/ket-thuc/",
        f"/doi-tuong/dong-y/{t['consent'].pk}/rut-lai/",
        f"/tro-giup/{t['record'].pk}/",
        f"/tro-giup/{t['record'].pk}/huy/",
        f"/tro-giup/{t['record'].pk}/minh-chung/",
        f"/tro-giup/minh-chung/{t['evidence'].pk}/",
        f"/dia-chi-nhan-dao/{t['commitment'].pk}/",
        f"/dia-chi-nhan-dao/{t['commitment'].pk}/trao/",
        f"/dia-chi-nhan-dao/{t['commitment'].pk}/ket-thuc/",
        f"/dia-chi-nhan-dao/{t['commitment'].pk}/so-theo-doi/",
        f"/nha-tai-tro/{t['sponsor'].pk}/",
        f"/nha-tai-tro/{t['sponsor'].pk}/sua/",
    ]


LIST_URLS = [
    "/doi-tuong/",
    "/doi-tuong/xuat/",
    "/doi-tuong/them/",
    "/doi-tuong/trung-lap/",
    "/tro-giup/",
    "/tro-giup/xuat/",
    "/dia-chi-nhan-dao/",
    "/nha-tai-tro/",
    "/nha-tai-tro/them/",
    "/so-lieu-tro-giup/",
    "/cai-dat/tro-giup/",
    "/cai-dat/tro-giup/dien/them/",
    "/nhap-du-lieu/ho-gia-dinh/",
]


def test_anonymous_visitors_are_sent_to_login(world, things):
    client = world.client()
    for url in [*object_urls(things), *LIST_URLS]:
        response = client.get(url)
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"], url
    for url in [f"/doi-tuong/thanh-vien/{things['member'].pk}/chu-ho/", "/doi-tuong/xet-duyet/"]:
        response = client.post(url)
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"], url


def test_users_of_commune_b_get_404_for_everything_in_commune_a(world, things):
    client = world.client(world.user_b)
    for url in object_urls(things):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Bí Mật" not in response.content.decode()
    for url in [
        "/doi-tuong/",
        "/tro-giup/",
        "/dia-chi-nhan-dao/",
        "/nha-tai-tro/",
        "/so-lieu-tro-giup/",
    ]:
        assert client.get(url, {"don-vi": world.commune_a.pk}).status_code == 404, url
    assert client.post(f"/doi-tuong/thanh-vien/{things['member'].pk}/chu-ho/").status_code == 404
    manager_b = world.client(world.manager_b)
    assert manager_b.get("/doi-tuong/trung-lap/", {"don-vi": world.commune_a.pk}).status_code == 404
    assert manager_b.get(f"/doi-tuong/{things['case'].pk}/hop-nhat/").status_code == 404
    assert client.get("/cai-dat/tro-giup/").status_code == 403
    body = client.get("/doi-tuong/", {"q": "bi mat"}).content.decode()
    assert "Bí Mật" not in body
    assert client.post(f"/doi-tuong/{things['case'].pk}/tro-giup/", {}).status_code == 404
    assert (
        client.post(
            "/doi-tuong/xet-duyet/", {"action": "review", "on": "01/03/2026", "ids": things["case"].pk}
        ).status_code
        == 404
    )


def test_users_without_the_permission_get_403(world, things):
    viewer = world.client(world.viewer_a)
    for url in [
        "/doi-tuong/them/",
        f"/doi-tuong/{things['case'].pk}/tro-giup/",
        "/doi-tuong/xuat/",
        "/cai-dat/tro-giup/",
    ]:
        assert viewer.get(url).status_code == 403, url
    # Data entry records help but neither exports nor merges; agency reporters see only the numbers.
    entry = world.client(world.entry_a)
    assert entry.get("/doi-tuong/xuat/").status_code == 403
    assert entry.get(f"/doi-tuong/{things['case'].pk}/hop-nhat/").status_code == 403
    reporter = world.client(world.agency_reporter)
    assert reporter.get("/doi-tuong/").status_code == 403
    assert reporter.get("/so-lieu-tro-giup/").status_code == 200
    assert world.client(world.nobody).get("/so-lieu-tro-giup/").status_code == 403


def test_no_public_page_names_a_beneficiary(world, things, client):
    """Every URL of the site that takes no argument, fetched anonymously."""
    seen = 0
    for pattern in _flat_patterns(get_resolver().url_patterns):
        route = str(pattern.pattern)
        if "<" in route or route.startswith(("admin", "^admin")) or "static" in route:
            continue
        response = client.get("/" + route)
        seen += 1
        body = response.content.decode(errors="ignore") if response.status_code == 200 else ""
        assert "Bí Mật" not in body and "031180000456" not in body, route
    assert seen > 10


def _flat_patterns(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLPattern):
            yield type("P", (), {"pattern": prefix + str(p.pattern)})()
        else:
            yield from _flat_patterns(p.url_patterns, prefix + str(p.pattern))


# Privacy --------------------------------------------------------------------------------------------
def test_viewers_see_masked_ids_and_no_health_category(world, things):
    body = world.client(world.viewer_a).get(f"/doi-tuong/{things['case'].pk}/").content.decode()
    assert "0311••••••56" in body and "031180000456" not in body
    assert "khuyết tật" not in body.lower() and "77/XN-KT" not in body
    body = world.client(world.entry_a).get(f"/doi-tuong/{things['case'].pk}/").content.decode()
    assert "031180000456" in body and "Người khuyết tật" in body
    body = world.client(world.viewer_a).get("/doi-tuong/").content.decode()
    assert "Người khuyết tật" not in body and 'value="khuyet-tat"' not in body
    # Filtering by a health category is not a way round it.
    assert not selectors.cases(world.viewer_a, selectors.CaseFilter(category="khuyet-tat")).exists()
    assert selectors.cases(world.entry_a, selectors.CaseFilter(category="khuyet-tat")).get() == things["case"]


def test_a_view_from_outside_the_commune_is_audited_and_a_local_one_is_not(world, things):
    case = things["case"]
    world.client(world.manager_a).get(f"/doi-tuong/{case.pk}/")
    world.client(world.entry_a).get(f"/doi-tuong/{case.pk}/in/")
    assert not AuditEvent.objects.filter(action="beneficiaries.case.viewed").exists()
    world.client(world.city_admin).get(f"/doi-tuong/{case.pk}/")
    world.client(world.inspector).get(f"/doi-tuong/{case.pk}/in/")
    world.client(world.inspector).get(f"/dia-chi-nhan-dao/{things['commitment'].pk}/so-theo-doi/")
    events = AuditEvent.objects.filter(action="beneficiaries.case.viewed", object_id=str(case.pk))
    assert sorted((e.actor.username, e.data["what"]) for e in events) == [
        ("admin", "file"),
        ("inspector", "follow_up_book"),
        ("inspector", "print"),
    ]
    assert all(e.unit_path == case.unit.path for e in events)


def test_without_consent_the_city_sees_no_details_cannot_find_by_name_nor_print(world, things):
    hidden = make_case(world.commune_a, "Đinh Thị Kín Đáo", consent=False)
    admin = world.client(world.city_admin)
    body = admin.get(f"/doi-tuong/{hidden.pk}/").content.decode()
    assert "Kín Đáo" not in body and hidden.address_detail not in body and hidden.number in body
    assert "chưa đồng ý chia sẻ" in body
    assert (
        AuditEvent.objects.filter(action="beneficiaries.case.viewed", object_id=str(hidden.pk))
        .get()
        .data["restricted"]
    )
    listing = admin.get("/doi-tuong/").content.decode()
    assert "Kín Đáo" not in listing and hidden.number in listing
    assert hidden.number not in admin.get("/doi-tuong/", {"q": "kin dao"}).content.decode()
    assert admin.get(f"/doi-tuong/{hidden.pk}/in/").status_code == 403
    twin = make_case(world.commune_a, "Đinh Thị Kín Đáo", consent=False, address=hidden.address_detail)
    body = admin.get("/doi-tuong/trung-lap/").content.decode()
    assert twin.number in body and "Kín Đáo" not in body
    body = admin.get(f"/doi-tuong/{hidden.pk}/hop-nhat/", {"other": twin.number}).content.decode()
    assert twin.number in body and "Kín Đáo" not in body
    # Inside the commune everything shows.
    body = world.client(world.viewer_a).get(f"/doi-tuong/{hidden.pk}/").content.decode()
    assert "Kín Đáo" in body
    assert hidden.number in world.client(world.viewer_a).get("/doi-tuong/", {"q": "kin dao"}).content.decode()


def test_exports_leave_out_cases_without_consent_and_are_audited(world, things):
    make_case(world.commune_a, "Đinh Thị Kín Đáo", consent=False)
    give(Case.objects.get(head__full_name="Đinh Thị Kín Đáo"), kind="cash")
    response = world.client(world.manager_a).get("/doi-tuong/xuat/")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    names = [r[3] for r in rows[1:]]
    assert names == ["Phan Thị Bí Mật"]
    assert "031180000456" in [str(v) for v in rows[1]]
    event = AuditEvent.objects.get(action="core.export", object_type="beneficiaries.case")
    assert event.actor == world.manager_a and event.data["rows"] == 1
    response = world.client(world.manager_a).get("/tro-giup/xuat/")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert [r[2] for r in rows[1:]] == ["Phan Thị Bí Mật"]
    assert AuditEvent.objects.filter(action="core.export", object_type="beneficiaries.helprecord").exists()


def test_the_inspector_exports_with_ids_and_the_export_is_audited(world, things):
    response = world.client(world.inspector).get("/doi-tuong/xuat/", {"dinh-dang": "csv"})
    text = response.getvalue().decode("utf-8-sig")
    assert "031180000456" in text and "Người khuyết tật" in text
    assert AuditEvent.objects.get(action="core.export").actor == world.inspector


# Evidence files ------------------------------------------------------------------------------------
def test_evidence_is_served_only_through_the_view_to_those_entitled(world, things):
    evidence = things["evidence"]
    with pytest.raises(ValueError):
        evidence.file.url  # noqa: B018 (no public URL exists)
    response = world.client(world.viewer_a).get(f"/tro-giup/minh-chung/{evidence.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")
    assert world.client(world.user_b).get(f"/tro-giup/minh-chung/{evidence.pk}/").status_code == 404
    assert evidence.file.path.startswith(str(things and evidence.file.storage.location))
    assert "/private/" in evidence.file.path and "trao-qua" not in evidence.file.name


def test_a_non_image_or_oversized_evidence_file_is_refused(world, things):
    client = world.client(world.entry_a)
    url = f"/tro-giup/{things['record'].pk}/minh-chung/"
    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    body = client.post(url, {"kind": "photo", "file": fake}).content.decode()
    assert "Chỉ nhận ảnh (JPG, PNG, WebP) hoặc bản chụp PDF" in body
    big = SimpleUploadedFile(
        "bien-nhan.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1), content_type="application/pdf"
    )
    body = client.post(url, {"kind": "receipt", "file": big}).content.decode()
    assert "vượt giới hạn 10 MB" in body
    ok = SimpleUploadedFile("bien-nhan.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf")
    assert client.post(url, {"kind": "receipt", "file": ok}).status_code == 302
    assert HelpEvidence.objects.filter(content_type="application/pdf").count() == 1


# Forms end to end ---------------------------------------------------------------------------------
def test_an_entry_officer_registers_a_household_through_the_form(world):
    response = world.client(world.entry_a).post(
        "/doi-tuong/them/",
        {
            "kind": "household",
            "ward_text": "Phường Lê Chân",
            "address_detail": "Số 7 Hai Bà Trưng",
            "full_name": "BÙI VĂN MỚI",
            "birth": "1962",
            "sex": "M",
            "category": category("ho-can-ngheo").pk,
            "evidence_number": "88/GCN",
            "evidence_year": "2026",
        },
    )
    case = Case.objects.get(head__full_name="Bùi Văn Mới")
    assert response.status_code == 302 and response["Location"] == f"/doi-tuong/{case.pk}/"
    assert case.categories.get().evidence_number == "88/GCN"


def test_the_form_refuses_an_address_of_another_commune_on_the_address_field(world):
    body = (
        world.client(world.entry_a)
        .post(
            "/doi-tuong/them/",
            {"kind": "household", "ward_text": "Phường Ngô Quyền", "full_name": "Bùi Văn Xa"},
        )
        .content.decode()
    )
    assert "ngoài phạm vi của bạn" in body and not Case.objects.exists()


def test_recording_double_help_through_the_form_shows_the_earlier_record_then_stores_the_reason(
    world, things
):
    case = things["case"]
    client = world.client(world.entry_a)
    data = {
        "date": TODAY().strftime("%d/%m/%Y"),
        "kind": "gift",
        "area": "1",
        "value": "500.000",
        "description": "Quà",
        "source_type": "unit",
        "delivering_unit": world.commune_a.pk,
    }
    body = client.post(f"/doi-tuong/{case.pk}/tro-giup/", data).content.decode()
    assert "Người nhận đã được trợ giúp gần đây" in body and "Lý do vẫn trợ giúp" in body
    assert HelpRecord.objects.filter(case=case).count() == 1
    response = client.post(f"/doi-tuong/{case.pk}/tro-giup/", {**data, "duplicate_reason": "Nhà bị cháy"})
    assert response.status_code == 302
    assert HelpRecord.objects.filter(case=case, duplicate_reason="Nhà bị cháy").exists()


def test_the_help_form_of_an_unconfirmed_case_says_why_and_records_nothing(world):
    case = make_case(world.commune_a, status="proposed")
    client = world.client(world.entry_a)
    body = client.get(f"/doi-tuong/{case.pk}/tro-giup/").content.decode()
    assert "chưa được xã xác nhận" in body


def test_the_manager_reviews_then_confirms_a_selection_of_imported_cases(world):
    cases = [make_case(world.commune_a, status="proposed") for _ in range(3)]
    client = world.client(world.manager_a)
    ids = [c.pk for c in cases[:2]]
    response = client.post(
        "/doi-tuong/xet-duyet/",
        {"action": "review", "on": "01/03/2026", "reference": "BB 4/2026", "ids": ids},
    )
    assert response.status_code == 302
    assert sorted(Case.objects.filter(status="reviewed").values_list("pk", flat=True)) == ids
    client.post("/doi-tuong/xet-duyet/", {"action": "confirm", "on": "02/03/2026", "ids": ids})
    assert Case.objects.filter(status="confirmed").count() == 2
    assert Case.objects.get(pk=cases[2].pk).status == "proposed"
    # Data entry cannot confirm.
    response = world.client(world.entry_a).post(
        "/doi-tuong/xet-duyet/", {"action": "confirm", "on": "02/03/2026", "ids": [cases[2].pk]}
    )
    assert Case.objects.get(pk=cases[2].pk).status == "proposed"


def test_printouts_are_a4_documents(world, things):
    client = world.client(world.manager_a)
    body = client.get(f"/doi-tuong/{things['case'].pk}/in/").content.decode()
    assert "nhandao/print-decree30.css" in body  # the A4 page of Decree 30, a static stylesheet
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body and "Độc lập - Tự do - Hạnh phúc" in body
    assert "HỒ SƠ ĐỐI TƯỢNG TRỢ GIÚP NHÂN ĐẠO" in body and "Phan Thị Bí Mật" in body
    stylesheet = (settings.BASE_DIR / "nhandao/static/nhandao/print-decree30.css").read_text()
    assert "size: A4" in stylesheet and "margin: 20mm 15mm 20mm 30mm" in stylesheet
    body = client.get(f"/dia-chi-nhan-dao/{things['commitment'].pk}/so-theo-doi/").content.decode()
    assert "SỔ THEO DÕI SỰ TRỢ GIÚP" in body and "Người nhận ký" in body and "Công ty Lê Chân" in body


# Bounded queries --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "limit"),
    [
        ("/doi-tuong/", 16),
        ("/doi-tuong/?trang-thai=helpable&chua-tro-giup=12&dien=ho-ngheo&loai=household", 16),
        ("/doi-tuong/?q=tran+van", 16),
        ("/doi-tuong/?hinh-thuc=gift&chua-tro-giup-tu=01/01/2026", 16),
        ("/tro-giup/", 16),
        ("/tro-giup/?ho-so=1&da-huy=1", 16),
        ("/dia-chi-nhan-dao/", 16),
        ("/dia-chi-nhan-dao/?tinh-trang=late", 16),
        ("/nha-tai-tro/", 16),
        ("/doi-tuong/trung-lap/", 16),
        # A report: one aggregate per table, whatever the number of cases.
        ("/so-lieu-tro-giup/", 26),
    ],
)
def test_list_pages_run_a_bounded_number_of_queries(world, url, limit, django_assert_max_num_queries):
    sponsor = services.sponsor_create(actor=None, unit=world.commune_a, kind="person", name="Bà Năm")
    for i in range(25):
        case = make_case(world.commune_a if i % 2 else world.branch_a)
        give(case, days_ago=i)
        services.commitment_create(
            actor=None,
            case=case,
            sponsor=sponsor,
            kind="cash",
            description="x",
            amount=1,
            starts_on=TODAY() - dt.timedelta(days=90),
        )
    client = world.client(world.manager_a)
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert response.status_code == 200


def test_the_sponsor_filter_lists_the_cases_a_sponsor_adopted(world, things):
    other = make_case(world.commune_a, "Hồ Văn Khác")
    body = (
        world.client(world.manager_a)
        .get("/doi-tuong/", {"nha-tai-tro": things["sponsor"].pk})
        .content.decode()
    )
    assert "Bí Mật" in body and other.head.full_name not in body


def test_private_files_are_not_served_by_the_development_media_route(world, things, rf, settings):
    from django.http import Http404

    from nhandao.urls import serve_public_media

    name = things["evidence"].file.name
    for path in (f"private/{name}", f"x/../private/{name}", f"/private/{name}", "private"):
        with pytest.raises(Http404):
            serve_public_media(rf.get("/media/"), path, document_root=settings.MEDIA_ROOT)


def test_only_the_city_configures_categories_and_rules(world):
    response = world.client(world.city_admin).post(
        "/cai-dat/tro-giup/dien/them/",
        {
            "name": "Hộ có người mắc bệnh hiểm nghèo",
            "scope": "household",
            "requires_evidence": "on",
            "evidence_label": "Giấy ra viện",
            "order": 200,
            "active": "on",
        },
    )
    assert response.status_code == 302
    created = Category.objects.get(name="Hộ có người mắc bệnh hiểm nghèo")
    assert created.code == "ho-co-nguoi-mac-benh-hiem-ngheo" and created.requires_evidence
    assert AuditEvent.objects.filter(action="beneficiaries.category_type.created").exists()
    assert world.client(world.manager_a).get("/cai-dat/tro-giup/").status_code == 403
    assert (
        world.client(world.manager_a).post(f"/cai-dat/tro-giup/dien/{created.pk}/", {"name": "x"}).status_code
        == 403
    )
    world.client(world.city_admin).post(
        "/cai-dat/tro-giup/",
        {
            "double_help_days": 45,
            "late_grace_days": 10,
            "not_helped_days": 365,
            "consent_form_version": "PĐY-02/2026",
            "same_campaign_check": "on",
        },
    )
    from nhandao.beneficiaries.models import HelpRules

    assert HelpRules.current().double_help_days == 45
