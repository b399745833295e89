"""Preparedness (teams from the people registry, hazard-prone communes, drills, the season's
readiness) and deployments whose hours reach the volunteers' records."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from nhandao.people import services as people
from nhandao.people.choices import ClubKind, RoleKind
from nhandao.people.models import Skill, VolunteerHours
from nhandao.people.tests.helpers import person
from nhandao.relief.models import Deployment, DeploymentHours, ReadinessCheck
from nhandao.relief.selectors_preparedness import readiness_status, response_figures
from nhandao.relief.services import preparedness as prep

SEASON = 2026


@pytest.fixture
def team(world):
    club = people.club_create(
        actor=world.manager_a,
        unit=world.commune_a,
        name="Đội xung kích phường Lê Chân",
        kind=ClubKind.RAPID_RESPONSE,
    )
    swim = Skill.objects.get_or_create(code="boi-loi", defaults={"name": "Bơi lội"})[0]
    for name, phone in (("Nguyễn Văn An", "0912345678"), ("Trần Thị Bình", "0987654321")):
        p = person(world.commune_a, name, role=RoleKind.VOLUNTEER, phone=phone)
        p.skills.add(swim)
        people.club_member_add(actor=world.manager_a, club=club, person=p)
    return prep.team_create(actor=world.manager_a, club=club, capabilities=["search_rescue", "boats"])


# Teams -----------------------------------------------------------------------------------------------
def test_a_team_is_drawn_from_the_registry_and_lists_its_contacts(world, team, client):
    client.force_login(world.viewer_a)
    page = client.get(reverse("relief:team", args=[team.pk])).content.decode()
    assert "Nguyễn Văn An" in page and "0912345678" in page and "Bơi lội" in page
    assert "Tìm kiếm cứu nạn" in page


def test_a_club_that_is_not_a_team_is_refused(world):
    club = people.club_create(
        actor=world.manager_a, unit=world.commune_a, name="CLB Hiến máu", kind=ClubKind.CLUB
    )
    with pytest.raises(ValidationError) as exc:
        prep.team_create(actor=world.manager_a, club=club, capabilities=["first_aid"])
    assert "không phải đội ứng phó" in str(exc.value)


def test_a_team_needs_a_known_capability(world):
    club = people.club_create(
        actor=world.manager_a, unit=world.commune_a, name="Đội SCC", kind=ClubKind.FIRST_AID
    )
    with pytest.raises(ValidationError) as exc:
        prep.team_create(actor=world.manager_a, club=club, capabilities=["flying"])
    assert "Năng lực không hợp lệ: flying" in str(exc.value)


def test_another_communes_team_is_invisible(world, team, client):
    client.force_login(world.user_b)
    assert client.get(reverse("relief:team", args=[team.pk])).status_code == 404
    assert "Đội xung kích phường Lê Chân" not in client.get(reverse("relief:preparedness")).content.decode()


# Hazards and drills -----------------------------------------------------------------------------------
def test_a_hazard_prone_commune_is_recorded_and_bad_input_refused(world):
    with pytest.raises(ValidationError) as exc:
        prep.hazard_area_set(
            actor=world.manager_a, commune=world.commune_a, hazards=["flood"], households_at_risk=-3
        )
    assert "không được âm" in str(exc.value)
    area = prep.hazard_area_set(
        actor=world.manager_a, commune=world.commune_a, hazards=["flood", "typhoon"], households_at_risk=120
    )
    assert area.hazards == ["flood", "typhoon"]


def test_a_hazard_area_of_another_commune_is_refused(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        prep.hazard_area_set(actor=world.manager_b, commune=world.commune_a, hazards=["flood"])


def test_a_drill_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        prep.drill_record(
            actor=world.manager_a,
            unit=world.commune_a,
            held_on=timezone.localdate() + dt.timedelta(days=2),
            scenario="Sơ tán dân vùng ngập",
        )
    assert "tương lai" in str(exc.value)


# Readiness ---------------------------------------------------------------------------------------------
def test_the_city_sees_the_readiness_of_every_commune(world):
    today = timezone.localdate()
    prep.readiness_set(
        actor=world.entry_a,
        commune=world.commune_a,
        season=SEASON,
        items=["team", "contacts"],
        checked_on=today,
    )
    status = readiness_status(world.city_admin, SEASON)
    assert (status.total, status.ready, status.partial, status.missing) == (2, 0, 1, 1)
    assert readiness_status(world.user_b, SEASON).total == 1


def test_a_complete_checklist_counts_as_ready(world):
    from nhandao.relief.models import READINESS_CODES

    prep.readiness_set(
        actor=world.entry_a,
        commune=world.commune_a,
        season=SEASON,
        items=READINESS_CODES,
        checked_on=timezone.localdate(),
    )
    assert readiness_status(world.city_admin, SEASON).ready == 1


def test_an_unknown_checklist_item_is_refused_and_nothing_saved(world):
    with pytest.raises(ValidationError) as exc:
        prep.readiness_set(
            actor=world.entry_a,
            commune=world.commune_a,
            season=SEASON,
            items=["team", "magic"],
            checked_on=timezone.localdate(),
        )
    assert "magic" in str(exc.value)
    assert not ReadinessCheck.objects.exists()


def test_readiness_of_another_commune_is_refused(world, client):
    client.force_login(world.user_b)
    url = reverse("relief:readiness_set", args=[world.commune_a.pk])
    assert client.get(url).status_code == 404


# Deployments -------------------------------------------------------------------------------------------
def _deploy(world, yagi, team, **kw):
    return prep.deployment_create(
        actor=world.manager_a,
        incident=yagi,
        unit=world.commune_a,
        commune=kw.pop("commune", world.commune_a),
        team=team,
        task="Sơ tán dân, cứu hộ",
        starts_on=dt.date(2024, 9, 7),
        ends_on=dt.date(2024, 9, 10),
        **kw,
    )


def test_a_team_deployed_takes_its_members(world, yagi, team):
    deployment = _deploy(world, yagi, team)
    assert deployment.members.count() == 2
    figures = response_figures(yagi)
    assert (figures.teams, figures.volunteers, figures.communes) == (1, 2, 1)


def test_a_deployment_to_a_commune_outside_the_incident_is_refused(world, yagi, team):
    from nhandao.org import services as org

    other = org.unit_create(
        actor=None,
        parent=world.city,
        name="Hội CTĐ xã Khác",
        kind="commune",
        code="HP-KH",
        valid_from=dt.date(2025, 7, 1),
    )
    with pytest.raises(ValidationError) as exc:
        _deploy(world, yagi, team, commune=other)
    assert "không thuộc vùng bị ảnh hưởng" in str(exc.value)
    assert not Deployment.objects.exists()


def test_deployment_hours_reach_the_volunteers_record(world, yagi, team):
    deployment = _deploy(world, yagi, team)
    lines = [prep.HoursLine(m, dt.date(2024, 9, 8), 8) for m in deployment.members.select_related("person")]
    prep.deployment_hours_log(actor=world.manager_a, deployment=deployment, lines=lines)
    entries = VolunteerHours.objects.filter(person__in=[line.member.person for line in lines])
    assert entries.count() == 2
    assert all("Yagi" in e.activity for e in entries)
    assert response_figures(yagi).hours == 16


def test_one_bad_hours_line_writes_no_hours(world, yagi, team):
    deployment = _deploy(world, yagi, team)
    first, second = deployment.members.select_related("person").order_by("pk")
    with pytest.raises(ValidationError) as exc:
        prep.deployment_hours_log(
            actor=world.manager_a,
            deployment=deployment,
            lines=[
                prep.HoursLine(first, dt.date(2024, 9, 8), 8),
                prep.HoursLine(second, dt.date(2024, 9, 8), 30),
            ],
        )
    assert second.person.full_name in str(exc.value)
    assert not VolunteerHours.objects.exists() and not DeploymentHours.objects.exists()


def test_hours_outside_the_deployment_dates_are_refused(world, yagi, team):
    deployment = _deploy(world, yagi, team)
    member = deployment.members.select_related("person").first()
    with pytest.raises(ValidationError) as exc:
        prep.deployment_hours_log(
            actor=world.manager_a,
            deployment=deployment,
            lines=[prep.HoursLine(member, dt.date(2024, 9, 20), 4)],
        )
    assert "ngoài thời gian điều động" in str(exc.value)


def test_the_hours_page_writes_the_hours(world, yagi, team, client):
    deployment = _deploy(world, yagi, team)
    member = deployment.members.first()
    client.force_login(world.manager_a)
    response = client.post(
        reverse("relief:deployment_hours", args=[deployment.pk]),
        {"date": "08/09/2024", f"gio-{member.pk}": "6,5"},
    )
    assert response.status_code == 302
    assert VolunteerHours.objects.get().hours == 6.5


def test_another_communes_deployment_is_invisible(world, yagi, team, client):
    deployment = _deploy(world, yagi, team)
    client.force_login(world.user_b)
    assert client.get(reverse("relief:deployment", args=[deployment.pk])).status_code == 404
    assert client.post(reverse("relief:deployment_hours", args=[deployment.pk])).status_code == 404


# Pages ---------------------------------------------------------------------------------------------------
def test_every_preparedness_page_answers_its_owner(world, yagi, team, client, django_assert_max_num_queries):
    deployment = _deploy(world, yagi, team)
    client.force_login(world.manager_a)
    urls = [
        reverse("relief:preparedness"),
        reverse("relief:team_create"),
        reverse("relief:team", args=[team.pk]),
        reverse("relief:hazards"),
        reverse("relief:hazard_set"),
        reverse("relief:drills"),
        reverse("relief:drill_create"),
        reverse("relief:readiness"),
        reverse("relief:readiness_set", args=[world.commune_a.pk]),
        reverse("relief:deployments", args=[yagi.pk]),
        reverse("relief:deployment_create", args=[yagi.pk]),
        reverse("relief:deployment", args=[deployment.pk]),
    ]
    for url in urls:
        with django_assert_max_num_queries(30):
            assert client.get(url).status_code == 200, url


def test_the_readiness_page_reads_a_bounded_number_of_queries(world, client, django_assert_max_num_queries):
    client.force_login(world.city_admin)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("relief:readiness"), {"nam": SEASON}).content.decode()
    assert "Chưa rà soát" in page


# The sitrep files ----------------------------------------------------------------------------------------
def test_the_sitrep_is_a_docx_in_the_decree_30_layout(world, yagi, client):
    client.force_login(world.viewer_a)
    response = client.get(reverse("relief:sitrep_docx", args=[yagi.pk]))
    assert response.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO NHANH", "Bão số 3 – Yagi", "Nơi nhận:"):
        assert text in xml


def test_the_sitrep_is_a_pdf(world, yagi, team, client):
    _deploy(world, yagi, team)
    client.force_login(world.viewer_a)
    response = client.get(reverse("relief:sitrep_pdf", args=[yagi.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"


def test_the_sitrep_of_an_incident_out_of_scope_is_refused(world, client):
    from nhandao.relief.models import IncidentKind
    from nhandao.relief.services import incidents

    fire = incidents.incident_create(
        actor=world.manager_a,
        unit=world.commune_a,
        kind=IncidentKind.FIRE,
        name="Cháy chợ",
        starts_on=dt.date(2025, 8, 1),
        communes=[world.commune_a],
    )
    client.force_login(world.user_b)
    assert client.get(reverse("relief:sitrep_docx", args=[fire.pk])).status_code == 404
    assert client.get(reverse("relief:sitrep_pdf", args=[fire.pk])).status_code == 404
