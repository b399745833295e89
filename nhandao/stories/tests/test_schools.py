"""School Red Cross branches report per school year; the education department's reporter reads the
schools' figures, the health department's does not; bad input refused by field."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nhandao.core.models import AuditEvent
from nhandao.org import services as org_services
from nhandao.org.models import BranchType, UnitKind
from nhandao.stories import services
from nhandao.stories.models import SchoolReport

FIGURES = {
    "pupils": 900,
    "youth_members": 420,
    "new_members": 60,
    "activities": 12,
    "first_aid_trained": 80,
    "pupils_helped": 9,
    "value_raised": 15_000_000,
    "note": "Áo ấm cho bạn",
}


@pytest.fixture
def school_a(world):
    return org_services.unit_create(
        actor=None,
        parent=world.commune_a,
        name="Chi hội Trường THCS Lê Chân",
        kind=UnitKind.BRANCH,
        branch_type=BranchType.SCHOOL,
        code="HP-LC-TH",
        valid_from=world.commune_a.valid_from,
    )


def test_a_school_branch_reports_and_a_second_save_replaces_it(world, school_a):
    services.school_report_save(actor=world.entry_a, unit=school_a, school_year="2025-2026", **FIGURES)
    services.school_report_save(
        actor=world.entry_a, unit=school_a, school_year="2025-2026", **{**FIGURES, "activities": 14}
    )
    report = SchoolReport.objects.get()
    assert report.activities == 14
    assert AuditEvent.objects.filter(action__startswith="stories.school_report").count() == 2


def test_a_residential_branch_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.school_report_save(actor=None, unit=world.branch_a, school_year="2025-2026", **FIGURES)
    assert "không phải là chi hội trường học" in str(exc.value.message_dict["unit"])


def test_more_members_than_pupils_is_refused(world, school_a):
    with pytest.raises(ValidationError) as exc:
        services.school_report_save(
            actor=None, unit=school_a, school_year="2025-2026", **{**FIGURES, "youth_members": 901}
        )
    assert "youth_members" in exc.value.message_dict
    assert not SchoolReport.objects.exists()


def test_a_negative_figure_and_a_bad_school_year_are_refused(world, school_a):
    with pytest.raises(ValidationError) as exc:
        services.school_report_save(
            actor=None, unit=school_a, school_year="2025", **{**FIGURES, "activities": -1}
        )
    assert "activities" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.school_report_save(actor=None, unit=school_a, school_year="2025", **FIGURES)
    assert "school_year" in exc.value.message_dict


def test_another_communes_officer_cannot_report_for_this_school(world, school_a):
    with pytest.raises(PermissionDenied):
        services.school_report_save(actor=world.user_b, unit=school_a, school_year="2025-2026", **FIGURES)


def test_the_education_department_sees_the_schools_figures(world, cast, school_a):
    services.school_report_save(actor=None, unit=school_a, school_year="2025-2026", **FIGURES)
    services.school_report_save(actor=None, unit=world.branch_b, school_year="2025-2026", **FIGURES)
    body = world.client(cast.education).get("/truong-hoc/").content.decode()
    assert "Chi hội Trường THCS Lê Chân" in body and world.branch_b.name in body
    assert "840" in body  # youth members of both schools


def test_the_health_departments_reporter_is_refused(world, school_a):
    assert world.client(world.agency_reporter).get("/truong-hoc/").status_code == 403


def test_a_commune_sees_its_own_schools_only(world, school_a):
    services.school_report_save(actor=None, unit=school_a, school_year="2025-2026", **FIGURES)
    services.school_report_save(actor=None, unit=world.branch_b, school_year="2025-2026", **FIGURES)
    body = world.client(world.viewer_a).get("/truong-hoc/").content.decode()
    assert "Chi hội Trường THCS Lê Chân" in body and world.branch_b.name not in body


def test_the_report_form_offers_only_the_users_schools(world, school_a):
    client = world.client(world.manager_b)
    body = client.get("/truong-hoc/bao-cao/").content.decode()
    assert world.branch_b.name in body and "Chi hội Trường THCS Lê Chân" not in body
    response = client.post(
        "/truong-hoc/bao-cao/",
        {"unit": school_a.pk, "school_year": "2025-2026", **FIGURES, "value_raised": "0"},
    )
    assert response.status_code == 200 and not SchoolReport.objects.exists()


def test_the_report_form_saves(world):
    client = world.client(world.manager_b)
    data = {**FIGURES, "value_raised": "15.000.000", "unit": world.branch_b.pk, "school_year": "2025-2026"}
    assert client.post("/truong-hoc/bao-cao/", data).status_code == 302
    assert SchoolReport.objects.get().value_raised == 15_000_000
