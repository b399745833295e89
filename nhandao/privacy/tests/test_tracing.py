"""Restoring family links: need-to-know access, consent of the enquirer and of the sought person."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from nhandao.core.models import AuditEvent
from nhandao.privacy import services
from nhandao.privacy.models import TracingCase, TracingStatus

FIELDS = {
    "enquirer_name": "Nguyễn Văn Tâm",
    "enquirer_phone": "0911222333",
    "sought_name": "Nguyễn Thị Thu",
    "relationship": "Em gái",
    "circumstances": "Thất lạc khi đi làm ăn xa năm 1998",
    "last_known_place": "Cảng Hải Phòng",
}


def open_case(user, unit, **kw):
    return services.tracing_open(actor=user, unit=unit, enquirer_consent=True, **{**FIELDS, **kw})


def test_a_case_without_the_enquirers_consent_is_refused_and_nothing_written(world, tracer_a):
    with pytest.raises(ValidationError, match="Chưa có sự đồng ý của người yêu cầu"):
        services.tracing_open(actor=tracer_a, unit=world.commune_a, enquirer_consent=False, **FIELDS)
    assert not TracingCase.objects.exists()


def test_the_page_refuses_a_case_without_consent_in_vietnamese(world, tracer_a):
    response = world.client(tracer_a).post("/truy-tim/tao/", {"unit": world.commune_a.pk, **FIELDS})
    assert response.status_code == 200
    assert "Chưa có sự đồng ý của người yêu cầu tìm kiếm" in response.content.decode()
    assert not TracingCase.objects.exists()


def test_the_tracing_officer_opens_a_case_through_the_page(world, tracer_a):
    response = world.client(tracer_a).post(
        "/truy-tim/tao/", {"unit": world.commune_a.pk, "enquirer_consent": "on", **FIELDS}
    )
    case = TracingCase.objects.get()
    assert response.status_code == 302 and case.status == TracingStatus.OPENED
    assert AuditEvent.objects.filter(action="privacy.tracing.opened").exists()


def test_the_unit_manager_does_not_see_tracing_cases(world, tracer_a):
    case = open_case(tracer_a, world.commune_a)
    manager = world.client(world.manager_a)
    assert manager.get("/truy-tim/").status_code == 403
    assert manager.get(case.get_absolute_url()).status_code == 404


def test_a_tracing_officer_of_another_unit_gets_404(world, tracer_a, tracer_b):
    case = open_case(tracer_a, world.commune_a)
    other = world.client(tracer_b)
    assert other.get(case.get_absolute_url()).status_code == 404
    assert other.post(f"/truy-tim/{case.pk}/xu-ly/", {"action": "advance"}).status_code == 404
    assert "Nguyễn Thị Thu" not in other.get("/truy-tim/").content.decode()


def test_the_case_moves_through_the_workflow(world, tracer_a):
    case = open_case(tracer_a, world.commune_a)
    case = services.tracing_advance(actor=tracer_a, case=case)
    case = services.tracing_advance(actor=tracer_a, case=case, note="Đang sống tại Quảng Ninh")
    assert case.status == TracingStatus.FOUND and case.found_details == "Đang sống tại Quảng Ninh"
    services.tracing_sought_consent(actor=tracer_a, case=case, consent="given")
    case = services.tracing_advance(actor=tracer_a, case=case)
    case = services.tracing_advance(actor=tracer_a, case=case, note="Gia đình đã liên lạc")
    assert case.status == TracingStatus.CLOSED and case.closed_on


def test_nothing_is_passed_on_without_the_sought_persons_consent(world, tracer_a):
    case = open_case(tracer_a, world.commune_a)
    services.tracing_advance(actor=tracer_a, case=case)
    case = services.tracing_advance(actor=tracer_a, case=case)
    with pytest.raises(ValidationError, match="chưa đồng ý chia sẻ"):
        services.tracing_advance(actor=tracer_a, case=case)
    message = services.message_record(actor=tracer_a, case=case, direction="to_enquirer", text="Em vẫn khoẻ.")
    with pytest.raises(ValidationError, match="chưa đồng ý chia sẻ"):
        services.message_deliver(actor=tracer_a, message=message)
    message.refresh_from_db()
    assert message.delivered_on is None


def test_a_red_cross_message_to_the_sought_person_is_delivered(world, tracer_a):
    case = open_case(tracer_a, world.commune_a)
    message = services.message_record(
        actor=tracer_a, case=case, direction="to_sought", text="Anh vẫn tìm em."
    )
    world.client(tracer_a).post(f"/truy-tim/{case.pk}/xu-ly/", {"action": "deliver", "message": message.pk})
    message.refresh_from_db()
    assert message.delivered_on is not None


def test_the_case_list_is_paginated_with_bounded_queries(world, tracer_a, django_assert_max_num_queries):
    for i in range(30):
        open_case(tracer_a, world.commune_a, sought_name=f"Người cần tìm {i}")
    client = world.client(tracer_a)
    with django_assert_max_num_queries(12):
        response = client.get("/truy-tim/")
    assert response.status_code == 200


def test_the_tracing_role_sees_no_register_of_data_requests(world, tracer_a):
    assert world.client(tracer_a).get("/du-lieu-ca-nhan/yeu-cau/").status_code == 403


def test_the_tracing_officer_sees_the_case_and_its_actions(world, tracer_a):
    case = open_case(tracer_a, world.commune_a)
    services.message_record(actor=tracer_a, case=case, direction="to_sought", text="Anh vẫn tìm em.")
    page = world.client(tracer_a).get(case.get_absolute_url()).content.decode()
    assert "Nguyễn Thị Thu" in page and "Anh vẫn tìm em." in page and "Chuyển sang bước tiếp theo" in page
