"""The peer groups and population page: the city places its communes and branches, a commune its
school and enterprise branches; edits are audited, bad values refused by field, and the page's Excel
file imports back through the shared import framework."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from nhandao.core.models import AuditEvent
from nhandao.movements import results, selectors, services
from nhandao.movements.models import PeerGroup, UnitProfile
from nhandao.office.imports import services as imports
from nhandao.org import services as org_services
from nhandao.org.models import BranchType, Unit, UnitKind

pytestmark = pytest.mark.django_db


def _closed_commune(world) -> Unit:
    old = org_services.unit_create(
        actor=None,
        parent=world.city,
        name="Hội CTĐ xã Cũ",
        kind=UnitKind.COMMUNE,
        code="HP-OLD",
        valid_from=dt.date(2020, 1, 1),
    )
    Unit.objects.filter(pk=old.pk).update(valid_to=dt.date(2025, 6, 30))
    return Unit.objects.get(pk=old.pk)


def _school_a(world) -> Unit:
    return org_services.unit_create(
        actor=None,
        parent=world.commune_a,
        name="Chi hội Trường THPT Lê Chân",
        kind=UnitKind.BRANCH,
        branch_type=BranchType.SCHOOL,
        code="HP-LC-02",
        valid_from=dt.date(2025, 7, 1),
    )


# The page ---------------------------------------------------------------------------------------
def test_the_city_sees_its_communes_and_their_school_branches(world):
    page = world.client(world.city_admin).get(reverse("movements:profiles")).content.decode()
    assert world.commune_a.name in page and world.commune_b.name in page
    assert world.branch_b.name in page  # a school branch competes
    assert world.branch_a.name not in page  # a residential branch does not


def test_a_commune_sees_only_its_own_school_branches(world):
    school = _school_a(world)
    page = world.client(world.manager_a).get(reverse("movements:profiles")).content.decode()
    assert school.name in page
    assert world.commune_a.name not in page  # a unit does not place itself
    assert world.branch_b.name not in page and world.commune_b.name not in page


def test_another_commune_s_branch_is_refused(world):
    client = world.client(world.manager_a)
    for unit in (world.branch_b, world.commune_b, world.commune_a):
        assert client.get(reverse("movements:profile_edit", args=[unit.pk])).status_code == 404
        response = client.post(
            reverse("movements:profile_edit", args=[unit.pk]), {"peer_group": "school", "population": 5}
        )
        assert response.status_code == 404
    assert not UnitProfile.objects.exists()


def test_a_user_without_the_right_is_refused(world):
    for user in (world.viewer_a, world.nobody):
        client = world.client(user)
        assert client.get(reverse("movements:profiles")).status_code == 403
        assert client.get(reverse("movements:profile_export")).status_code == 403


def test_the_search_ignores_diacritics_and_the_group_filters(world):
    services.unit_profile_set(actor=None, unit=world.commune_b, peer_group=PeerGroup.COMMUNE)
    client = world.client(world.city_admin)
    page = client.get(reverse("movements:profiles"), {"q": "ngo quyen"}).content.decode()
    assert world.commune_b.name in page and world.commune_a.name not in page
    wards = client.get(reverse("movements:profiles"), {"khoi": "ward"}).content.decode()
    assert world.commune_a.name in wards and world.commune_b.name not in wards
    communes = client.get(reverse("movements:profiles"), {"khoi": "commune"}).content.decode()
    assert world.commune_b.name in communes and world.commune_a.name not in communes


def test_the_group_filter_follows_the_ranking_s_rule(world):
    services.unit_profile_set(actor=None, unit=world.commune_b, peer_group=PeerGroup.COMMUNE)
    groups = {u.pk: g for u, g in results.competitors(world.city, dt.date.today()).values()}
    for group in PeerGroup.values:
        listed = set(selectors.profile_units(world.city_admin, group=group).values_list("pk", flat=True))
        assert listed == {pk for pk, g in groups.items() if g == group}


def test_the_list_is_bounded_in_queries(world, django_assert_max_num_queries):
    for n in range(30):
        unit = org_services.unit_create(
            actor=None,
            parent=world.city,
            name=f"Hội CTĐ xã Thử {n}",
            kind=UnitKind.COMMUNE,
            code=f"HP-T{n}",
            valid_from=dt.date(2020, 1, 1),
        )
        services.unit_profile_set(actor=None, unit=unit, population=1000 + n)
    client = world.client(world.city_admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("movements:profiles")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("movements:profiles"), {"page": 2}).status_code == 200


# Edits ------------------------------------------------------------------------------------------
def test_the_city_sets_a_commune_s_group_and_population_audited(world):
    response = world.client(world.city_admin).post(
        reverse("movements:profile_edit", args=[world.commune_a.pk]),
        {"peer_group": "commune", "population": "42000"},
    )
    assert response.status_code == 302
    profile = UnitProfile.objects.get(unit=world.commune_a)
    assert (profile.peer_group, profile.population) == ("commune", 42_000)
    event = AuditEvent.objects.filter(action="movements.profile.set").latest("pk")
    assert event.actor_id == world.city_admin.pk
    assert event.changes["population"] == {"before": None, "after": 42_000}


def test_a_commune_places_its_school_branch(world):
    school = _school_a(world)
    response = world.client(world.manager_a).post(
        reverse("movements:profile_edit", args=[school.pk]), {"peer_group": "enterprise", "population": ""}
    )
    assert response.status_code == 302
    assert UnitProfile.objects.get(unit=school).peer_group == PeerGroup.ENTERPRISE


def test_the_tree_s_own_group_is_stored_blank(world):
    profile = services.unit_profile_set(actor=None, unit=world.commune_a, peer_group=PeerGroup.WARD)
    assert profile.peer_group == ""  # follows the tree if the ward changes


def test_a_negative_population_is_refused_on_the_form(world):
    response = world.client(world.city_admin).post(
        reverse("movements:profile_edit", args=[world.commune_a.pk]),
        {"peer_group": "ward", "population": "-5"},
    )
    assert response.status_code == 200 and "Dân số không được âm." in response.content.decode()
    assert not UnitProfile.objects.exists()


def test_a_closed_unit_is_refused_on_the_form(world):
    old = _closed_commune(world)
    response = world.client(world.city_admin).post(
        reverse("movements:profile_edit", args=[old.pk]), {"peer_group": "ward", "population": "100"}
    )
    assert response.status_code == 200 and "đã giải thể" in response.content.decode()
    assert not UnitProfile.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"peer_group": "village"}, "peer_group"), ({"population": -1}, "population")],
)
def test_bad_values_are_refused_by_field(world, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        services.unit_profile_set(actor=world.city_admin, unit=world.commune_a, **kwargs)
    assert field in caught.value.message_dict
    assert not UnitProfile.objects.exists()


def test_a_unit_that_does_not_compete_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        services.unit_profile_set(actor=world.city_admin, unit=world.branch_a, population=10)
    assert "không thuộc khối thi đua" in caught.value.message_dict["unit"][0]


# Excel round trip -------------------------------------------------------------------------------
HEADER = ["Mã đơn vị", "Tên đơn vị", "Khối thi đua", "Dân số"]


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _check(world, data, unit=None, user=None):
    return imports.import_check(
        actor=user or world.city_admin,
        kind="movements.profiles",
        unit=unit or world.city,
        data=data,
        filename="khoi.xlsx",
    )


def test_the_exported_file_imports_back(world):
    services.unit_profile_set(actor=None, unit=world.commune_a, population=30_000)
    response = world.client(world.city_admin).get(reverse("movements:profile_export"))
    wb = load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    )
    rows = [list(r) for r in wb.active.iter_rows(values_only=True)]
    header = rows.index(HEADER)
    body = [r[:4] for r in rows[header + 1 :] if r and r[0]]
    assert {r[0] for r in body} == {"HP-LC", "HP-NQ", "HP-NQ-01"}
    unchanged = _check(world, _xlsx(body))
    assert unchanged.rows_invalid == 0, unchanged.report["problems"]
    assert unchanged.report["rows_new"] == 0  # the file as exported changes nothing
    edited = [
        [code, name, "Hội CTĐ xã, đặc khu" if code == "HP-NQ" else group, 12_000 if code == "HP-NQ" else pop]
        for code, name, group, pop in body
    ]
    batch = _check(world, _xlsx(edited))
    assert batch.rows_invalid == 0, batch.report["problems"]
    imports.import_commit(actor=world.city_admin, batch=batch)
    profile = UnitProfile.objects.get(unit=world.commune_b)
    assert (profile.peer_group, profile.population) == (PeerGroup.COMMUNE, 12_000)
    assert UnitProfile.objects.get(unit=world.commune_a).population == 30_000
    assert AuditEvent.objects.filter(action="movements.profile.imported").count() == 1


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["HP-ZZ", "", "", 5], "Mã đơn vị", "Không có đơn vị mã HP-ZZ"),
        (["HP-LC", "", "", -5], "Dân số", "không được âm"),
        (["HP-LC", "", "Hội CTĐ thôn", 5], "Khối thi đua", "Hội CTĐ thôn"),
        (["HP-OLD", "", "", 5], "Mã đơn vị", "đã giải thể"),
        (["HP-LC-01", "", "", 5], "Mã đơn vị", "không thuộc khối thi đua"),
        (["HP", "", "", 5], "Mã đơn vị", "Không có đơn vị mã HP"),
    ],
)
def test_a_bad_row_is_refused_naming_row_and_column(world, row, column, message):
    _closed_commune(world)
    batch = _check(world, _xlsx([row]))
    [problem] = [p for p in batch.report["problems"] if p["level"] == "error"]
    assert (problem["row"], problem["column"]) == (2, column) and message in problem["message"]
    with pytest.raises(ValidationError):
        imports.import_commit(actor=world.city_admin, batch=batch)
    assert not UnitProfile.objects.exists()


def test_a_duplicated_row_is_refused(world):
    batch = _check(world, _xlsx([["HP-LC", "", "", 5], ["hp-lc", "", "", 6]]))
    [problem] = [p for p in batch.report["problems"] if p["level"] == "error"]
    assert problem["row"] == 3 and "dòng 2" in problem["message"]


def test_a_commune_cannot_import_another_commune_s_branch(world):
    batch = _check(world, _xlsx([["HP-NQ-01", "", "", 5]]), unit=world.commune_a, user=world.manager_a)
    [problem] = [p for p in batch.report["problems"] if p["level"] == "error"]
    assert problem["column"] == "Mã đơn vị"
