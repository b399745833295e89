"""Every organisation view: who may see it, who is refused (404/403, never data)."""

import datetime as dt

import pytest

from nhandao.core import audit_text
from nhandao.core.models import AuditEvent
from nhandao.org import services
from nhandao.org.models import RoleAssignment, Unit, UnitKind


def test_anonymous_visitors_are_sent_to_login(world):
    client = world.client()
    for url in [
        "/don-vi/",
        f"/don-vi/{world.commune_a.pk}/",
        "/co-quan/",
        "/nhat-ky/",
        "/tai-khoan/nguoi-dung/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"], url


def test_tree_shows_only_the_users_scope(world):
    body = world.client(world.entry_a).get("/don-vi/").content.decode()
    assert "Hội Chữ thập đỏ phường Lê Chân" in body
    assert "Ngô Quyền" not in body


def test_tree_search_ignores_diacritics_and_scope(world):
    client = world.client(world.city_admin)
    body = client.get("/don-vi/", {"q": "ngo quyen"}).content.decode()
    assert "Hội Chữ thập đỏ phường Ngô Quyền" in body
    body = world.client(world.entry_a).get("/don-vi/", {"q": "ngo quyen"}).content.decode()
    assert "Hội Chữ thập đỏ phường Ngô Quyền" not in body


def test_unit_page_shows_sub_units_officers_and_counts(world):
    response = world.client(world.manager_a).get(f"/don-vi/{world.commune_a.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Chi hội tổ dân phố số 1" in body
    assert "manager_a" in body or "Quản lý đơn vị" in body
    assert "Cán bộ có tài khoản" in body


@pytest.mark.parametrize("user_attr", ["entry_a", "manager_a", "viewer_a", "inspector_a"])
def test_users_of_commune_a_cannot_open_commune_b(world, user_attr):
    client = world.client(getattr(world, user_attr))
    for url in [
        f"/don-vi/{world.commune_b.pk}/",
        f"/don-vi/{world.branch_b.pk}/",
        f"/don-vi/{world.commune_b.pk}/con/",
        f"/don-vi/{world.commune_b.pk}/sua/",
        f"/don-vi/{world.commune_b.pk}/phan-quyen/",
        f"/don-vi/{world.commune_b.pk}/giai-the/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Ngô Quyền" not in response.content.decode()


def test_guessing_ids_reveals_nothing(world):
    client = world.client(world.user_b)
    assert client.get("/don-vi/999999999/").status_code == 404
    assert client.get(f"/don-vi/{world.city.pk}/").status_code == 404


def test_unit_manager_cannot_manage_units(world):
    client = world.client(world.manager_a)
    assert client.get(f"/don-vi/{world.branch_a.pk}/sua/").status_code == 403
    response = client.post(f"/don-vi/{world.branch_a.pk}/sua/", {"name": "Hack", "code": "HACK"})
    assert response.status_code == 403
    assert Unit.objects.get(pk=world.branch_a.pk).name == "Chi hội tổ dân phố số 1"


def test_inspector_reads_everything_and_changes_nothing(world):
    client = world.client(world.inspector)
    assert client.get(f"/don-vi/{world.branch_b.pk}/").status_code == 200
    assert client.get("/nhat-ky/").status_code == 200
    assert client.get(f"/don-vi/{world.branch_b.pk}/sua/").status_code == 403
    assert (
        client.post(f"/don-vi/{world.commune_b.pk}/them/", {"name": "X", "kind": "branch"}).status_code == 403
    )


def test_city_admin_creates_a_sub_unit_through_the_form(world):
    client = world.client(world.city_admin)
    response = client.post(
        f"/don-vi/{world.commune_a.pk}/them/",
        {
            "name": "Chi hội Trạm Y tế phường Lê Chân",
            "kind": "branch",
            "branch_type": "hospital",
            "valid_from": "01/09/2025",
        },
    )
    unit = Unit.objects.get(name="Chi hội Trạm Y tế phường Lê Chân")
    assert response.status_code == 302 and response["Location"] == f"/don-vi/{unit.pk}/"
    assert unit.valid_from == dt.date(2025, 9, 1)


def test_form_shows_a_vietnamese_error_for_a_duplicate_code(world):
    response = world.client(world.city_admin).post(
        f"/don-vi/{world.commune_a.pk}/them/",
        {"name": "Chi hội mới", "kind": "branch", "code": "HP-NQ-01", "valid_from": "01/09/2025"},
    )
    assert response.status_code == 200
    assert "Mã đơn vị “HP-NQ-01” đã được dùng" in response.content.decode()


def test_city_admin_renames_through_the_form(world):
    response = world.client(world.city_admin).post(
        f"/don-vi/{world.branch_a.pk}/sua/",
        {"name": "Chi hội tổ dân phố 1 - 2", "code": "HP-LC-01", "branch_type": "residential"},
    )
    assert response.status_code == 302
    assert Unit.objects.get(pk=world.branch_a.pk).name == "Chi hội tổ dân phố 1 - 2"


def test_moving_under_own_descendant_is_not_even_offered(world):
    response = world.client(world.city_admin).post(
        f"/don-vi/{world.commune_a.pk}/chuyen/", {"new_parent": world.branch_a.pk}
    )
    assert response.status_code == 200
    assert Unit.objects.get(pk=world.commune_a.pk).parent_id == world.city.pk


def test_city_admin_closes_through_the_form(world):
    response = world.client(world.city_admin).post(
        f"/don-vi/{world.branch_a.pk}/giai-the/",
        {"on": "31/12/2025", "reason": "Giải thể theo quyết định số 12/QĐ-CTĐ"},
    )
    assert response.status_code == 302
    assert Unit.objects.get(pk=world.branch_a.pk).valid_to == dt.date(2025, 12, 31)


def test_city_admin_merges_through_the_form(world):
    other = services.unit_create(
        actor=None,
        parent=world.commune_a,
        name="Chi hội tổ dân phố số 2",
        kind=UnitKind.BRANCH,
        valid_from=dt.date(2025, 7, 1),
    )
    response = world.client(world.city_admin).post(
        f"/don-vi/{other.pk}/sap-nhap/", {"into": world.branch_a.pk, "on": "31/12/2025", "reason": ""}
    )
    assert response.status_code == 302
    assert Unit.objects.get(pk=other.pk).successions.get().successor == world.branch_a


def test_city_admin_assigns_and_revokes_a_role(world):
    client = world.client(world.city_admin)
    response = client.post(
        f"/don-vi/{world.commune_b.pk}/phan-quyen/",
        {"user": "nobody", "role": "viewer", "valid_from": "01/08/2025"},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=world.nobody)
    response = client.post(f"/phan-quyen/{assignment.pk}/thu-hoi/")
    assert response.status_code == 302
    assert RoleAssignment.objects.get(pk=assignment.pk).valid_to is not None


def test_role_form_names_an_unknown_user(world):
    response = world.client(world.city_admin).post(
        f"/don-vi/{world.commune_b.pk}/phan-quyen/",
        {"user": "khongco", "role": "viewer", "valid_from": "01/08/2025"},
    )
    assert "Không có tài khoản “khongco”" in response.content.decode()


def test_revoking_in_another_unit_is_refused(world):
    assignment = RoleAssignment.objects.get(user=world.user_b)
    assert world.client(world.manager_a).post(f"/phan-quyen/{assignment.pk}/thu-hoi/").status_code == 404
    assert world.client(world.manager_b).post(f"/phan-quyen/{assignment.pk}/thu-hoi/").status_code == 403
    assert RoleAssignment.objects.get(pk=assignment.pk).valid_to is None


def test_agencies_are_listed_for_staff_and_managed_by_city_admins(world):
    assert world.client(world.entry_a).get("/co-quan/").status_code == 200
    assert world.client(world.entry_a).get(f"/co-quan/{world.agency.pk}/").status_code == 200
    assert world.client(world.entry_a).get("/co-quan/them/").status_code == 403
    assert world.client(world.manager_a).get(f"/co-quan/{world.agency.pk}/giai-the/").status_code == 403
    response = world.client(world.city_admin).post(
        "/co-quan/them/",
        {"code": "SNV", "name": "Sở Nội vụ", "kind": "department", "valid_from": "01/01/2000"},
    )
    assert response.status_code == 302


def test_users_without_roles_see_no_units(world):
    client = world.client(world.nobody)
    assert client.get("/don-vi/").status_code == 403
    assert client.get(f"/don-vi/{world.commune_a.pk}/").status_code == 404


def test_dashboard_shows_the_users_unit_and_counts(world):
    body = world.client(world.manager_a).get("/").content.decode()
    assert "Hội Chữ thập đỏ phường Lê Chân" in body
    assert "Chi hội" in body
    assert "Ngô Quyền" not in body


def test_tree_and_unit_pages_use_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_branches(start, count):
        for i in range(start, start + count):
            services.unit_create(
                actor=None,
                parent=world.commune_a,
                name=f"Chi hội khu dân cư số {i + 2}",
                kind=UnitKind.BRANCH,
                valid_from=dt.date(2025, 7, 1),
            )

    client = world.client(world.city_admin)
    client.get("/")  # warm the session
    add_branches(0, 30)
    with CaptureQueriesContext(connection) as with_30:
        assert client.get(f"/don-vi/{world.commune_a.pk}/").status_code == 200
    add_branches(30, 30)
    with CaptureQueriesContext(connection) as with_60:
        assert client.get(f"/don-vi/{world.commune_a.pk}/").status_code == 200
    # The unit page does not grow with its sub-units (each module adds a fixed number of
    # queries for its counters).
    assert len(with_60) == len(with_30) <= 25
    with django_assert_max_num_queries(12):
        assert client.get("/don-vi/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/don-vi/", {"q": "khu dan cu"}).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/co-quan/").status_code == 200


# Audit trail -------------------------------------------------------------------
def _make_events(world):
    services.unit_update(actor=world.city_admin, unit=world.branch_a, name="Chi hội A đổi tên")
    services.unit_update(actor=world.city_admin, unit=world.branch_b, name="Chi hội B đổi tên")


def test_manager_sees_only_the_audit_trail_of_their_unit(world):
    _make_events(world)
    body = world.client(world.manager_a).get("/nhat-ky/").content.decode()
    assert "Chi hội A đổi tên" in body
    assert "Chi hội B đổi tên" not in body


def test_data_entry_users_cannot_read_the_audit_trail(world):
    _make_events(world)
    assert world.client(world.entry_a).get("/nhat-ky/").status_code == 403
    event = AuditEvent.objects.filter(unit_path=world.branch_a.path).first()
    assert world.client(world.entry_a).get(f"/nhat-ky/{event.pk}/").status_code == 403


def test_audit_event_outside_scope_is_not_found(world):
    _make_events(world)
    event = AuditEvent.objects.filter(action="org.unit.renamed", unit_path=world.branch_b.path).get()
    assert world.client(world.manager_a).get(f"/nhat-ky/{event.pk}/").status_code == 404
    response = world.client(world.inspector).get(f"/nhat-ky/{event.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chi hội Trường THCS Ngô Quyền" in body and "Chi hội B đổi tên" in body


def test_audit_trail_filters(world):
    _make_events(world)
    services.role_assign(actor=world.city_admin, user=world.nobody, unit=world.commune_a, role="viewer")
    client = world.client(world.inspector)
    by_type = client.get("/nhat-ky/", {"object_type": "org.roleassignment"}).content.decode()
    assert "org.role.assigned" in by_type and "org.unit.renamed" not in by_type
    by_unit = client.get("/nhat-ky/", {"unit": world.commune_b.pk}).content.decode()
    assert "Chi hội B đổi tên" in by_unit and "Chi hội A đổi tên" not in by_unit
    by_user = client.get("/nhat-ky/", {"actor": "admin"}).content.decode()
    assert "Chi hội A đổi tên" in by_user
    by_other_user = client.get("/nhat-ky/", {"actor": "manager_a"}).content.decode()
    assert "Chi hội A đổi tên" not in by_other_user
    future = client.get("/nhat-ky/", {"date_from": "01/01/2099"}).content.decode()
    assert "Không có sự kiện nào" in future


def test_audit_filter_by_a_unit_outside_scope_is_refused(world):
    assert world.client(world.manager_a).get("/nhat-ky/", {"unit": world.commune_b.pk}).status_code == 404


def test_audit_list_queries_are_bounded(world, django_assert_max_num_queries):
    for i in range(60):
        services.unit_update(actor=world.city_admin, unit=world.branch_a, name=f"Tên {i}")
    client = world.client(world.inspector)
    with django_assert_max_num_queries(10):
        assert client.get("/nhat-ky/").status_code == 200


def test_garbage_query_parameters_never_fail(world):
    client = world.client(world.inspector)
    for params in [
        {"page": "-5"},
        {"page": "9" * 30},
        {"date_from": "32/13/2025"},
        {"unit": "abc"},
        {"q": "<script>alert(1)</script>" * 50},
    ]:
        assert client.get("/nhat-ky/", params).status_code in (200, 404)
        assert client.get("/don-vi/", params).status_code == 200


def test_the_audit_pages_and_the_dashboard_show_sentences_and_keep_the_code_for_filtering(world):
    services.unit_update(actor=world.city_admin, unit=world.branch_a, name="Chi hội A đổi tên")
    event = AuditEvent.objects.filter(action="org.unit.renamed").latest("id")
    client = world.client(world.inspector)
    listing = client.get("/nhat-ky/").content.decode()
    sentence = audit_text.sentence(event)
    assert "đổi tên" in sentence and event.actor_label in sentence
    assert sentence in listing and "<code>org.unit.renamed</code>" in listing
    detail = client.get(f"/nhat-ky/{event.pk}/").content.decode()
    assert sentence in detail and "Tên" in detail
    filtered = client.get("/nhat-ky/", {"action": "org.unit.renamed"}).content.decode()
    assert sentence in filtered
    dashboard = world.client(world.manager_a).get("/").content.decode()
    assert sentence in dashboard and ">org.unit.renamed<" not in dashboard
