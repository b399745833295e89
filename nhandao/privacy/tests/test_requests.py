"""Data-subject requests: deadlines, scope, the register, every step audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from nhandao.core.models import AuditEvent
from nhandao.privacy import services
from nhandao.privacy.models import RequestStatus, SubjectRequest


def test_acknowledgement_is_due_two_working_days_after_receipt_skipping_tet():
    ack, due = services.deadlines("access", dt.date(2026, 2, 13))
    assert ack == dt.date(2026, 2, 24)
    assert due == dt.date(2026, 2, 23)


def test_an_officer_files_a_request_for_a_person_of_their_unit(world, person_a):
    req = services.request_file(
        actor=world.entry_a, person=person_a, kind="access", received_on=dt.date(2026, 3, 6)
    )
    assert req.status == RequestStatus.RECEIVED
    assert req.ack_due_on == dt.date(2026, 3, 10)  # Friday + 2 working days
    assert req.unit == world.commune_a
    assert AuditEvent.objects.filter(action="privacy.request.filed", object_id=str(req.pk)).exists()


def test_a_request_for_a_person_outside_the_scope_is_refused_and_nothing_is_written(world, person_b):
    with pytest.raises(PermissionDenied, match="không thuộc phạm vi"):
        services.request_file(actor=world.entry_a, person=person_b, kind="access")
    assert not SubjectRequest.objects.exists()


def test_the_page_refuses_a_person_of_another_unit_in_vietnamese(world, person_b):
    response = world.client(world.entry_a).post(
        "/du-lieu-ca-nhan/yeu-cau/tao/", {"person": person_b.pk, "kind": "access"}
    )
    assert response.status_code == 200
    assert "Không tìm thấy người có mã này trong phạm vi đơn vị của bạn." in response.content.decode()
    assert not SubjectRequest.objects.exists()


def test_the_officer_files_through_the_page(world, person_a):
    response = world.client(world.entry_a).post(
        "/du-lieu-ca-nhan/yeu-cau/tao/",
        {"person": person_a.pk, "kind": "correction", "details": "Sai ngày sinh"},
    )
    req = SubjectRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == req.get_absolute_url()


def test_another_units_officer_gets_404_on_the_request(world, person_a):
    req = services.request_file(actor=world.entry_a, person=person_a, kind="access")
    assert world.client(world.user_b).get(req.get_absolute_url()).status_code == 404
    assert (
        world.client(world.manager_b)
        .post(f"/du-lieu-ca-nhan/yeu-cau/{req.pk}/xu-ly/", {"action": "take"})
        .status_code
        == 404
    )


def test_inspectors_read_the_register_and_change_nothing(world, person_a):
    req = services.request_file(actor=world.entry_a, person=person_a, kind="access")
    inspector = world.client(world.inspector)
    page = inspector.get("/du-lieu-ca-nhan/yeu-cau/")
    assert page.status_code == 200 and req.number in page.content.decode()
    assert inspector.get(req.get_absolute_url()).status_code == 200
    assert (
        inspector.post(f"/du-lieu-ca-nhan/yeu-cau/{req.pk}/xu-ly/", {"action": "acknowledge"}).status_code
        == 403
    )
    assert inspector.get(f"/du-lieu-ca-nhan/yeu-cau/{req.pk}/du-lieu.json").status_code == 403
    req.refresh_from_db()
    assert req.status == RequestStatus.RECEIVED


def test_the_viewer_role_has_no_register(world):
    assert world.client(world.viewer_a).get("/du-lieu-ca-nhan/yeu-cau/").status_code == 403


def test_the_register_is_paginated_with_bounded_queries(world, person_a, django_assert_max_num_queries):
    for _ in range(30):
        services.request_file(actor=world.entry_a, person=person_a, kind="objection")
    client = world.client(world.manager_a)
    with django_assert_max_num_queries(12):
        response = client.get("/du-lieu-ca-nhan/yeu-cau/")
    assert response.status_code == 200


def test_acknowledging_is_a_step_and_an_audit_event(world, person_a):
    req = services.request_file(actor=world.entry_a, person=person_a, kind="restriction")
    world.client(world.manager_a).post(f"/du-lieu-ca-nhan/yeu-cau/{req.pk}/xu-ly/", {"action": "acknowledge"})
    req.refresh_from_db()
    assert req.status == RequestStatus.ACKNOWLEDGED and req.acknowledged_on is not None
    assert list(req.steps.values_list("action", flat=True)) == ["filed", "acknowledged"]
    assert AuditEvent.objects.filter(action="privacy.request.acknowledged").count() == 1


def test_a_correction_records_the_decision_and_its_effect(world, person_a):
    req = services.request_file(actor=world.entry_a, person=person_a, kind="correction")
    services.request_decide(actor=world.manager_a, request=req, decision="Đồng ý", effect="Đã sửa ngày sinh")
    req.refresh_from_db()
    assert req.status == RequestStatus.DONE and req.effect == "Đã sửa ngày sinh" and req.closed_on


def test_a_public_request_waits_for_verification_and_names_nobody(world, person_a, client):
    response = client.post(
        "/du-lieu-ca-nhan/gui-yeu-cau/",
        {"unit": world.commune_a.pk, "kind": "access", "name": "Phạm Thị Hồng", "phone": "0912345678"},
    )
    assert response.status_code == 200
    req = SubjectRequest.objects.get()
    assert req.status == RequestStatus.VERIFYING and req.person is None
    assert "Phạm Thị Hồng" not in response.content.decode()  # the answer is the same for anyone


def test_an_officer_verifies_a_public_request(world, person_a):
    req = services.request_file_public(
        unit=world.commune_a, kind="access", name="Phạm Thị Hồng", phone="0912345678"
    )
    world.client(world.entry_a).post(
        f"/du-lieu-ca-nhan/yeu-cau/{req.pk}/xu-ly/",
        {"action": "verify", "person": person_a.pk, "verification": "phone"},
    )
    req.refresh_from_db()
    assert (
        req.status == RequestStatus.RECEIVED and req.person == person_a and req.verified_by == world.entry_a
    )


def test_verifying_with_a_person_of_another_unit_is_refused(world, person_b):
    req = services.request_file_public(
        unit=world.commune_a, kind="access", name="Lê Văn Bình", phone="0987654321"
    )
    with pytest.raises(PermissionDenied):
        services.request_verify(actor=world.entry_a, request=req, person=person_b, method="phone")
    req.refresh_from_db()
    assert req.person is None and req.status == RequestStatus.VERIFYING


def test_the_handler_sees_the_actions_of_an_open_request(world, person_a):
    req = services.request_file(actor=world.entry_a, person=person_a, kind="deletion")
    page = world.client(world.manager_a).get(req.get_absolute_url()).content.decode()
    assert "Phản hồi đã tiếp nhận" in page and "Xoá (ẩn danh hoá) dữ liệu của người này" in page


def test_a_public_request_shows_the_verification_form(world):
    req = services.request_file_public(
        unit=world.commune_a, kind="access", name="Phạm Thị Hồng", phone="0912345678"
    )
    page = world.client(world.entry_a).get(req.get_absolute_url()).content.decode()
    assert "Xác nhận đã xác minh" in page and "0912345678" in page
