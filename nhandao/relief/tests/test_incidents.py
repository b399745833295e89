"""Incidents and field reports: figures by source side by side, totals that never add two sources,
history kept, impossible figures refused, a report sent twice stored once, access by commune."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from nhandao.core.models import AuditEvent
from nhandao.relief import selectors
from nhandao.relief.models import FIGURES, FieldReport, IncidentKind, ReportSource
from nhandao.relief.services import incidents as services


def file(world, yagi, *, source=ReportSource.RED_CROSS, hours_ago=1, commune=None, token="", **figures):
    report, _created = services.field_report_file(
        actor=world.user_b if commune == world.commune_b else world.entry_a,
        incident=yagi,
        commune=commune or world.commune_a,
        source=source,
        reported_at=timezone.now() - dt.timedelta(hours=hours_ago),
        figures=figures,
        client_token=token,
    )
    return report


def test_opening_an_incident_lists_its_communes_and_is_audited(world, yagi):
    assert set(yagi.areas.values_list("commune", flat=True)) == {world.commune_a.pk, world.commune_b.pk}
    assert AuditEvent.objects.filter(action="relief.incident.opened", object_id=str(yagi.pk)).exists()


def test_a_commune_cannot_open_an_incident_for_another_commune(world):
    with pytest.raises(ValidationError, match="không thuộc phạm vi"):
        services.incident_create(
            actor=world.manager_a,
            unit=world.commune_a,
            kind=IncidentKind.FLOOD,
            name="Ngập",
            starts_on=dt.date(2024, 9, 6),
            communes=[world.commune_b],
        )
    with pytest.raises(PermissionDenied):
        services.incident_create(
            actor=world.viewer_a,
            unit=world.commune_a,
            kind=IncidentKind.FLOOD,
            name="Ngập",
            starts_on=dt.date(2024, 9, 6),
        )


def test_the_situation_shows_each_sources_latest_figure_and_never_adds_two_sources(world, yagi):
    file(world, yagi, source=ReportSource.RED_CROSS, hours_ago=5, dead=1, houses_damaged=40)
    file(world, yagi, source=ReportSource.RED_CROSS, hours_ago=2, dead=2, houses_damaged=55)
    file(world, yagi, source=ReportSource.AUTHORITY, hours_ago=3, dead=2, houses_damaged=70, evacuated=120)
    file(
        world,
        yagi,
        source=ReportSource.AUTHORITY,
        commune=world.commune_b,
        hours_ago=1,
        dead=0,
        houses_damaged=10,
    )

    s = selectors.situation(yagi)
    row = next(r for r in s.rows if r.commune == world.commune_a)
    assert row.by_source[ReportSource.RED_CROSS].houses_damaged == 55  # the latest, not the first
    assert row.by_source[ReportSource.AUTHORITY].houses_damaged == 70
    assert row.total["houses_damaged"] == 70  # the higher of the two, not 125
    assert row.total["dead"] == 2  # not 4
    assert row.total["evacuated"] == 120  # only one source gave it
    assert row.total["missing"] is None  # nobody reported it: unknown, not 0
    assert s.totals["houses_damaged"] == 80  # communes add up: 70 + 10
    assert s.reports == 4


def test_every_figure_keeps_its_history(world, yagi):
    file(world, yagi, hours_ago=5, houses_flooded=10)
    file(world, yagi, hours_ago=1, houses_flooded=25)
    history = list(selectors.commune_history(yagi, world.commune_a.pk))
    assert [r.houses_flooded for r in history] == [25, 10]


def test_a_negative_figure_is_refused_with_the_figure_named(world, yagi):
    with pytest.raises(ValidationError) as exc:
        file(world, yagi, injured=-3)
    assert "Bị thương không thể âm" in str(exc.value)
    assert not FieldReport.objects.exists()


def test_more_dead_than_residents_cannot_be_true(world, yagi):
    with pytest.raises(ValidationError) as exc:
        file(world, yagi, dead=1500)
    assert "nhiều hơn số dân" in str(exc.value) and "1000" in str(exc.value)
    with pytest.raises(ValidationError, match="nhiều hơn số hộ"):
        file(world, yagi, households_affected=301)
    assert not FieldReport.objects.exists()


def test_a_report_sent_twice_by_a_flaky_connection_is_stored_once(world, yagi):
    first = file(world, yagi, token="abc123", dead=1)
    again, created = services.field_report_file(
        actor=world.entry_a,
        incident=yagi,
        commune=world.commune_a,
        source=ReportSource.RED_CROSS,
        figures={"dead": 1},
        client_token="abc123",
    )
    assert again == first and not created
    assert FieldReport.objects.count() == 1
    assert AuditEvent.objects.filter(action="relief.report.filed").count() == 1


def test_the_form_posted_twice_stores_one_report(world, yagi):
    client = world.client(world.entry_a)
    url = reverse("relief:report_create", args=[yagi.pk])
    page = client.get(url)
    token = page.context["form"].initial["client_token"]
    data = {
        "client_token": token,
        "commune": world.commune_a.pk,
        "source": "red_cross",
        "dead": "1",
        "injured": "",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert FieldReport.objects.count() == 1
    report = FieldReport.objects.get()
    assert report.dead == 1 and report.injured is None


def test_the_form_shows_a_clear_message_for_a_negative_figure(world, yagi):
    client = world.client(world.entry_a)
    url = reverse("relief:report_create", args=[yagi.pk])
    response = client.post(url, {"commune": world.commune_a.pk, "source": "authority", "evacuated": "-5"})
    assert response.status_code == 200
    assert "Người sơ tán không thể âm" in response.content.decode()
    assert not FieldReport.objects.exists()


def test_a_commune_officer_cannot_report_for_another_commune(world, yagi):
    with pytest.raises(PermissionDenied):
        services.field_report_file(
            actor=world.entry_a,
            incident=yagi,
            commune=world.commune_b,
            source="red_cross",
            figures={"dead": 1},
        )


def test_a_commune_sees_the_citys_incident_that_affects_it_and_not_another_communes(world, yagi):
    own = services.incident_create(
        actor=world.manager_b,
        unit=world.commune_b,
        kind=IncidentKind.FIRE,
        name="Cháy chợ",
        starts_on=dt.date(2025, 1, 3),
    )
    assert list(own.areas.values_list("commune", flat=True)) == [world.commune_b.pk]
    assert set(selectors.incidents_visible(world.viewer_a)) == {yagi}
    assert world.client(world.viewer_a).get(reverse("relief:incident", args=[own.pk])).status_code == 404
    assert world.client(world.viewer_a).get(reverse("relief:incident", args=[yagi.pk])).status_code == 200
    history = reverse("relief:commune_history", args=[own.pk, world.commune_b.pk])
    assert world.client(world.viewer_a).get(history).status_code == 404
    assert world.client(world.nobody).get(reverse("relief:incidents")).status_code == 403


def test_the_incident_list_and_page_cost_a_bounded_number_of_queries(
    world, yagi, django_assert_max_num_queries
):
    for i in range(5):
        file(world, yagi, hours_ago=i + 1, dead=i)
    client = world.client(world.city_admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("relief:incidents")).status_code == 200
    with django_assert_max_num_queries(20):
        response = client.get(reverse("relief:incident", args=[yagi.pk]))
    assert response.status_code == 200
    assert "Tổng hợp" in response.content.decode()


def test_opening_an_incident_through_the_page(world):
    client = world.client(world.manager_a)
    response = client.post(
        reverse("relief:incident_create"),
        {"unit": world.commune_a.pk, "kind": "flood", "name": "Ngập khu dân cư", "starts_on": "12/09/2024"},
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_the_sitrep_gives_figures_by_source_the_combined_total_and_the_needs(world, yagi):
    from nhandao.relief.sitrep import sitrep

    file(world, yagi, source=ReportSource.RED_CROSS, houses_damaged=40)
    file(world, yagi, source=ReportSource.AUTHORITY, houses_damaged=70)
    services.field_report_file(
        actor=world.user_b,
        incident=yagi,
        commune=world.commune_b,
        source=ReportSource.AUTHORITY,
        figures={"houses_damaged": 5},
        needs={"shelter": "Bạt che"},
    )
    report = sitrep(yagi)
    by_source = dict(report.by_source)
    damaged = [name for name, _label in FIGURES].index("houses_damaged")
    assert by_source["Đánh giá của Hội Chữ thập đỏ"][damaged] == 40
    assert by_source["Chính quyền địa phương"][damaged] == 75
    assert dict(report.combined)["Nhà hư hỏng"] == 75  # 70 (Lê Chân's higher source) + 5
    assert report.needs == [("Nơi ở tạm", 1)]
    page = world.client(world.viewer_a).get(reverse("relief:sitrep", args=[yagi.pk]))
    assert page.status_code == 200 and "BÁO CÁO NHANH" in page.content.decode()


def test_the_situation_page_shows_a_new_report_at_once_despite_its_cache(world, yagi, client):
    from django.core.cache import cache

    cache.clear()
    client.force_login(world.viewer_a)
    url = reverse("relief:incident", args=[yagi.pk])
    assert "4.321" not in client.get(url).content.decode()
    services.field_report_file(
        actor=world.user_b,
        incident=yagi,
        commune=world.commune_b,
        source="authority",
        reported_at=timezone.now(),
        figures={"houses_flooded": 4321},
    )
    assert "4.321" in client.get(url).content.decode()
