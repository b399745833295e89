"""Every people page: who may see it, who is refused (404/403, never data), bounded queries."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from nhandao.core.models import AuditEvent, ImportBatch
from nhandao.people import services
from nhandao.people.choices import RoleKind
from nhandao.people.models import Person, PersonRole, TrainingCourse

from .helpers import person, xlsx


@pytest.fixture
def people_a(world):
    anh = person(
        world.branch_a,
        "Nguyễn Thị Minh Anh",
        cccd="031185000123",
        sex="F",
        date_of_birth=dt.date(1985, 4, 2),
        phone="0912345678",
    )
    return anh


def private_urls(world, p, role, club, session):
    return [
        "/nguoi/",
        f"/nguoi/{p.pk}/",
        f"/nguoi/{p.pk}/sua/",
        f"/nguoi/{p.pk}/vai-tro/",
        f"/nguoi/{p.pk}/hoi-phi/",
        f"/nguoi/{p.pk}/gio-tinh-nguyen/",
        f"/nguoi/{p.pk}/khen-thuong/",
        f"/nguoi/{p.pk}/hop-nhat/",
        f"/nguoi/{p.pk}/cau-lac-bo/",
        f"/vai-tro/{role.pk}/trang-thai/",
        f"/vai-tro/{role.pk}/the/",
        f"/cau-lac-bo/{club.pk}/",
        f"/tap-huan/{session.pk}/",
    ]


@pytest.fixture
def things(world, people_a):
    role = people_a.roles.get(kind=RoleKind.MEMBER)
    club = services.club_create(
        actor=None, unit=world.commune_a, name="Đội xung kích Lê Chân", kind="rapid_response"
    )
    course = TrainingCourse.objects.create(name="SCC kiểm thử", topic="first_aid", validity_months=24)
    session = services.session_create(
        actor=None, unit=world.commune_a, course=course, title="Lớp SCC", starts_on=dt.date(2025, 8, 1)
    )
    return people_a, role, club, session


def test_anonymous_visitors_are_sent_to_login(world, things):
    client = world.client()
    for url in [
        *private_urls(world, *things),
        "/nguoi/them/",
        "/nguoi/xuat/",
        "/hoi-phi/",
        "/cau-lac-bo/",
        "/tap-huan/",
        "/nhap-du-lieu/nguoi/",
        "/nhap-du-lieu/nguoi/mau.xlsx",
        "/cai-dat/hoi-vien/",
        "/nguoi/trung-lap/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"], url


def test_users_of_commune_b_get_404_for_everything_in_commune_a(world, things):
    client = world.client(world.user_b)
    for url in private_urls(world, *things)[1:]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Minh Anh" not in response.content.decode()
    assert client.get(f"/nguoi/?don-vi={world.commune_a.pk}").status_code == 404
    body = client.get("/nguoi/", {"q": "minh anh"}).content.decode()
    assert "Minh Anh" not in body


def test_the_list_searches_without_diacritics_and_masks_ids_for_viewers(world, people_a):
    body = world.client(world.viewer_a).get("/nguoi/", {"q": "nguyen thi minh anh"}).content.decode()
    assert "Nguyễn Thị Minh Anh" in body
    assert "031185000123" not in body and "0311••••••23" in body
    body = world.client(world.entry_a).get("/nguoi/", {"q": "minh anh"}).content.decode()
    assert "031185000123" in body


def test_search_by_phone_and_by_cccd_for_those_allowed(world, people_a):
    client = world.client(world.entry_a)
    assert "Minh Anh" in client.get("/nguoi/", {"q": "0912 345"}).content.decode()
    assert "Minh Anh" in client.get("/nguoi/", {"q": "031185000123"}).content.decode()
    # A viewer cannot find someone by their ID number.
    assert (
        "Minh Anh" not in world.client(world.viewer_a).get("/nguoi/", {"q": "031185000123"}).content.decode()
    )


def test_the_person_page_hides_sensitive_fields_from_viewers(world, people_a):
    body = world.client(world.viewer_a).get(f"/nguoi/{people_a.pk}/").content.decode()
    assert "0311••••••23" in body and "031185000123" not in body and "Dân tộc" not in body
    body = world.client(world.inspector_a).get(f"/nguoi/{people_a.pk}/").content.decode()
    assert "031185000123" in body


def test_list_filters_by_role_and_unit(world, people_a):
    v = person(world.commune_a, "Trần Văn Tình", role=RoleKind.VOLUNTEER)
    client = world.client(world.manager_a)
    body = client.get("/nguoi/", {"vai-tro": "volunteer"}).content.decode()
    assert "Trần Văn Tình" in body and "Minh Anh" not in body
    body = client.get("/nguoi/", {"don-vi": world.branch_a.pk}).content.decode()
    assert "Minh Anh" in body and v.full_name not in body


def test_the_people_list_runs_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    for _ in range(30):
        person(world.branch_a, role=RoleKind.VOLUNTEER)
    client = world.client(world.manager_a)
    with django_assert_max_num_queries(14):
        response = client.get("/nguoi/", {"vai-tro": "volunteer", "tuoi": "31-45", "hoi-phi": ""})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/hoi-phi/", "/cau-lac-bo/", "/tap-huan/", "/tap-huan/chung-nhan-sap-het-han/", "/nguoi/trung-lap/"],
)
def test_other_list_pages_run_a_bounded_number_of_queries(world, things, url, django_assert_max_num_queries):
    for _ in range(10):
        person(world.branch_a)
    client = world.client(world.manager_a)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200


def test_an_entry_officer_registers_a_person_with_an_initial_role(world):
    response = world.client(world.entry_a).post(
        "/nguoi/them/",
        {
            "unit": world.branch_a.pk,
            "kind": "member",
            "started_on": "01/09/2025",
            "full_name": "phạm thị quỳnh",
            "birth": "1995",
            "sex": "F",
            "phone": "0912 999 000",
            "ward_text": "Phường Cát Dài, Quận Lê Chân",
        },
    )
    # The old address is ambiguous: asked, nothing written.
    assert response.status_code == 200 and not Person.objects.filter(name_key="pham thi quynh").exists()
    assert "Cát Dài" in response.content.decode()
    response = world.client(world.entry_a).post(
        "/nguoi/them/",
        {
            "unit": world.branch_a.pk,
            "kind": "member",
            "started_on": "01/09/2025",
            "full_name": "phạm thị quỳnh",
            "birth": "1995",
            "sex": "F",
            "phone": "0912 999 000",
            "ward_text": "Phường Hàng Kênh, Quận Lê Chân",
        },
    )
    p = Person.objects.get(name_key="pham thi quynh")
    assert response.status_code == 302 and response["Location"] == f"/nguoi/{p.pk}/"
    assert p.full_name == "Phạm Thị Quỳnh" and p.birth_year == 1995 and p.ward.name == "Phường Lê Chân"
    assert p.roles.get().started_on == dt.date(2025, 9, 1)


def test_the_create_form_shows_likely_duplicates_before_saving(world, people_a):
    data = {"unit": world.branch_a.pk, "full_name": "Nguyễn Thị Minh Anh", "birth": "02/04/1985"}
    response = world.client(world.entry_a).post("/nguoi/them/", data)
    assert response.status_code == 200 and f"/nguoi/{people_a.pk}/" in response.content.decode()
    response = world.client(world.entry_a).post("/nguoi/them/", {**data, "confirm_new": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(name_key="nguyen thi minh anh").count() == 2


def test_viewers_and_inspectors_are_refused_every_form(world, things):
    p, role, club, _session = things
    for user in (world.viewer_a, world.inspector_a, world.inspector):
        client = world.client(user)
        for url in [
            "/nguoi/them/",
            f"/nguoi/{p.pk}/sua/",
            f"/nguoi/{p.pk}/vai-tro/",
            f"/nguoi/{p.pk}/gio-tinh-nguyen/",
            f"/nguoi/{p.pk}/hop-nhat/",
            "/nhap-du-lieu/nguoi/",
            "/cau-lac-bo/them/",
        ]:
            assert client.get(url).status_code == 403, (user, url)
        assert client.post(f"/vai-tro/{role.pk}/cap-lai-the/").status_code == 403


def test_an_officer_edits_a_person(world, people_a):
    response = world.client(world.entry_a).post(
        f"/nguoi/{people_a.pk}/sua/",
        {
            "full_name": "Nguyễn Thị Minh Anh",
            "birth": "02/04/1985",
            "sex": "F",
            "cccd": "031185000123",
            "phone": "0987 000 111",
        },
    )
    assert response.status_code == 302
    people_a.refresh_from_db()
    assert people_a.phone == "0987000111"


def test_editing_the_sex_against_the_cccd_is_refused_with_the_reason(world, people_a):
    response = world.client(world.entry_a).post(
        f"/nguoi/{people_a.pk}/sua/",
        {"full_name": "Nguyễn Thị Minh Anh", "birth": "02/04/1985", "sex": "M", "cccd": "031185000123"},
    )
    assert response.status_code == 200
    assert "giới tính ghi là nam" in response.content.decode()


def test_export_contains_the_filtered_list_and_is_audited_when_sensitive(world, people_a):
    person(world.commune_a, "Trần Văn Tình", role=RoleKind.VOLUNTEER)
    response = world.client(world.entry_a).get("/nguoi/xuat/", {"vai-tro": "member"})
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [row[1].value for row in ws.iter_rows(min_row=2)]
    assert names == ["Nguyễn Thị Minh Anh"]
    assert "Số CCCD" in [c.value for c in ws[1]]
    event = AuditEvent.objects.get(action="core.export")
    assert (
        event.actor == world.entry_a
        and event.data["rows"] == 1
        and event.data["filters"] == {"vai-tro": "member"}
    )


def test_viewers_cannot_export(world, people_a):
    assert world.client(world.viewer_a).get("/nguoi/xuat/").status_code == 403


def test_the_member_card_carries_an_opaque_qr_and_the_public_page_shows_initials_only(world, people_a):
    role = people_a.roles.get(kind=RoleKind.MEMBER)
    body = world.client(world.entry_a).get(f"/vai-tro/{role.pk}/the/").content.decode()
    assert "<svg" in body and role.card_number in body
    assert "031185000123" not in body
    public = world.client().get(f"/the/{role.card_token}/")
    text = public.content.decode()
    assert public.status_code == 200
    assert "N.T.M.A." in text and "Thẻ hợp lệ" in text and world.branch_a.name in text
    assert "Nguyễn Thị Minh Anh" not in text and "0912345678" not in text and "1985" not in text


def test_a_reissued_card_invalidates_the_old_qr(world, people_a):
    role = people_a.roles.get(kind=RoleKind.MEMBER)
    old = role.card_token
    world.client(world.entry_a).post(f"/vai-tro/{role.pk}/cap-lai-the/")
    assert world.client().get(f"/the/{old}/").status_code == 404
    role.refresh_from_db()
    assert world.client().get(f"/the/{role.card_token}/").status_code == 200


def test_a_card_of_a_member_who_left_is_shown_invalid(world, people_a):
    role = people_a.roles.get(kind=RoleKind.MEMBER)
    services.role_set_status(actor=None, role=role, status="left", reason="Chuyển đi")
    text = world.client().get(f"/the/{role.card_token}/").content.decode()
    assert "Thẻ không còn hiệu lực" in text


def test_unit_page_and_dashboard_show_people_counts(world, people_a):
    person(world.branch_a, role=RoleKind.VOLUNTEER)
    body = world.client(world.manager_a).get(f"/don-vi/{world.commune_a.pk}/").content.decode()
    assert "Hội viên" in body and "Tình nguyện viên" in body
    body = world.client(world.city_admin).get("/").content.decode()
    assert "TNV tích cực" in body


def test_the_import_pages_walk_through_dry_run_and_confirm(world):
    client = world.client(world.entry_a)
    template = client.get("/nhap-du-lieu/nguoi/mau.xlsx")
    headers = [c.value for c in load_workbook(io.BytesIO(template.content)).active[1]]
    assert headers[:3] == ["Họ và tên", "Ngày sinh", "Giới tính"]
    page = client.get("/nhap-du-lieu/nguoi/")
    assert world.commune_b.name not in page.content.decode()
    data = xlsx([["LÊ VĂN TÁM", "8/8/88", "0912 888 888"]], header=["họ tên", "ngay sinh", "dien thoai"])
    upload = io.BytesIO(data)
    upload.name = "ds.xlsx"
    response = client.post("/nhap-du-lieu/nguoi/", {"unit": world.commune_a.pk, "file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/nhap-du-lieu/lo/{batch.pk}/"
    assert "Xác nhận nhập" in client.get(response["Location"]).content.decode()
    assert not Person.objects.exists()
    response = client.post(f"/nhap-du-lieu/lo/{batch.pk}/xac-nhan/")
    assert Person.objects.get().date_of_birth == dt.date(1988, 8, 8)
    # Another commune's officer cannot see or confirm the batch.
    assert world.client(world.user_b).get(f"/nhap-du-lieu/lo/{batch.pk}/").status_code == 404


def test_importing_into_another_commune_through_the_form_is_refused(world):
    upload = io.BytesIO(xlsx([["Lê Văn Tám"]], header=["Họ và tên"]))
    upload.name = "ds.xlsx"
    response = world.client(world.user_b).post(
        "/nhap-du-lieu/nguoi/", {"unit": world.commune_a.pk, "file": upload}
    )
    assert response.status_code == 200 and not ImportBatch.objects.exists()


def test_managers_merge_through_the_page(world, people_a):
    dup = person(
        world.commune_a, "Nguyễn Thị Minh Anh", role=RoleKind.VOLUNTEER, date_of_birth=dt.date(1985, 4, 2)
    )
    client = world.client(world.manager_a)
    preview = client.get(f"/nguoi/{people_a.pk}/hop-nhat/", {"other": dup.pk})
    assert preview.status_code == 200 and "Hợp nhất" in preview.content.decode()
    response = client.post(f"/nguoi/{people_a.pk}/hop-nhat/", {"other": dup.pk, "confirm": "1"})
    assert response.status_code == 302
    assert PersonRole.objects.filter(person=people_a).count() == 2
    assert client.get(f"/nguoi/{dup.pk}/").status_code == 302  # points to the kept record


def test_a_merge_takes_the_fields_the_manager_ticked_from_the_other_record(world, people_a):
    dup = person(
        world.commune_a, "Nguyễn Thị Minh Ánh", phone="0912000111", date_of_birth=people_a.date_of_birth
    )
    client = world.client(world.manager_a)
    preview = client.get(f"/nguoi/{people_a.pk}/hop-nhat/", {"other": dup.pk}).content.decode()
    assert "Nguyễn Thị Minh Ánh" in preview and 'name="take_full_name"' in preview
    client.post(
        f"/nguoi/{people_a.pk}/hop-nhat/", {"other": dup.pk, "confirm": "1", "take_full_name": "other"}
    )
    people_a.refresh_from_db()
    assert people_a.full_name == "Nguyễn Thị Minh Ánh"
    assert Person.objects.get(pk=dup.pk).merged_into_id == people_a.pk


def test_a_merge_refuses_a_record_of_another_unit_itself_or_one_already_merged(world, people_a):
    theirs = person(world.commune_b, "Nguyễn Thị Minh Anh", date_of_birth=people_a.date_of_birth)
    client = world.client(world.manager_a)
    for other in (theirs.pk, people_a.pk, 999999):
        response = client.post(f"/nguoi/{people_a.pk}/hop-nhat/", {"other": other, "confirm": "1"})
        assert response.status_code == 200
        assert "Không có hồ sơ số này trong phạm vi của bạn." in response.content.decode()
    assert Person.objects.filter(merged_into__isnull=False).count() == 0


def test_dues_page_lists_members_who_have_not_paid(world, people_a):
    services.dues_rate_set(actor=None, unit=world.commune_a, year=dt.date.today().year, amount=30000)
    client = world.client(world.finance_officer_a)
    body = client.get("/hoi-phi/").content.decode()
    assert "Nguyễn Thị Minh Anh" in body and "30.000 ₫" in body
    client.post(
        f"/nguoi/{people_a.pk}/hoi-phi/",
        {"year": dt.date.today().year, "paid_on": dt.date.today().strftime("%d/%m/%Y")},
    )
    assert "Nguyễn Thị Minh Anh" not in client.get("/hoi-phi/").content.decode()


def test_clubs_and_training_pages_add_members_by_phone(world, things):
    p, _role, club, session = things
    client = world.client(world.entry_a)
    client.post(f"/cau-lac-bo/{club.pk}/", {"person": "0912345678", "role": "member"})
    assert club.members.filter(person=p).exists()
    client.post(
        f"/tap-huan/{session.pk}/", {"person": str(p.pk), "passed": "on", "certificate_number": "SCC-9"}
    )
    assert session.participants.get(person=p).certificate_expires_on == dt.date(2027, 8, 1)


def test_only_city_admins_change_the_rules(world):
    assert world.client(world.manager_a).get("/cai-dat/hoi-vien/").status_code == 403
    response = world.client(world.city_admin).post(
        "/cai-dat/hoi-vien/",
        {
            "active_volunteer_hours": "10",
            "active_volunteer_months": 12,
            "member_min_age": 15,
            "volunteer_min_age": 18,
            "youth_min_age": 16,
            "youth_max_age": 30,
            "teen_min_age": 9,
            "teen_max_age": 15,
            "certificate_warning_days": 90,
        },
    )
    assert response.status_code == 302
