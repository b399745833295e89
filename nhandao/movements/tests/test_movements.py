"""Movements: periods from the lunar calendar, targets by hand, by formula and from Excel, live
results with % achieved rolled up to the city."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from nhandao.beneficiaries.tests.helpers import give, make_case
from nhandao.core import indicators
from nhandao.core.models import AuditEvent
from nhandao.movements import results, selectors, services
from nhandao.movements.models import Target
from nhandao.office.imports import services as imports
from nhandao.org import services as org_services
from nhandao.org.models import Unit, UnitKind

from .conftest import make_movement

pytestmark = pytest.mark.django_db


# Dates ----------------------------------------------------------------------------------------------
def test_tet_nhan_ai_runs_from_45_days_before_tet_to_mung_10():
    # Tết 2027 is 06/02/2027 (Vietnam, UTC+7).
    assert results.tet_period(2027) == (dt.date(2026, 12, 23), dt.date(2027, 2, 15))


def test_tet_nhan_ai_2030_follows_vietnams_calendar_not_chinas():
    # Vietnam's Tết 2030 is 02/02 (China's 03/02): mùng 10 is 11/02.
    assert results.tet_period(2030)[1] == dt.date(2030, 2, 11)


def test_a_tet_movement_without_dates_takes_its_period_from_the_lunar_calendar(world):
    movement = services.movement_create(
        actor=world.city_admin,
        unit=world.city,
        kind="tet",
        year=2027,
        name="Tết Nhân ái 2027",
        indicator_codes=["beneficiaries.gifts"],
    )
    assert (movement.starts_on, movement.ends_on) == results.tet_period(2027)
    assert movement.code == "TNA-2027"


def test_thang_nhan_dao_runs_through_may(world):
    movement = services.movement_create(
        actor=None,
        unit=world.city,
        kind="month",
        year=2026,
        name="Tháng Nhân đạo 2026",
        theme="Hành trình nhân đạo",
        indicator_codes=["funds.raised"],
    )
    assert (movement.starts_on, movement.ends_on) == (dt.date(2026, 5, 1), dt.date(2026, 5, 31))


def test_last_years_tet_campaign_is_last_lunar_years():
    start, end = results.tet_period(2027)
    assert results.previous_period("tet", start, end) == results.tet_period(2026)


# Indicators of the registry the movements need -----------------------------------------------------
def test_the_movements_indicators_are_registered_with_definitions():
    for code in (
        "funds.raised",
        "beneficiaries.gifts",
        "beneficiaries.households",
        "beneficiaries.houses",
        "beneficiaries.addresses_new",
        "blood.units",
        "people.volunteers_mobilised",
    ):
        assert str(indicators.get(code).definition)


def test_an_unknown_indicator_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        make_movement(world, codes=["khong.co"])
    assert "indicator_codes" in exc.value.error_dict


# Targets by hand ------------------------------------------------------------------------------------
def test_a_target_is_set_and_audited(world, movement):
    target = services.target_set(
        actor=world.city_admin,
        movement=movement,
        unit=world.commune_a,
        indicator="beneficiaries.gifts",
        value=40,
    )
    assert target.value == 40
    assert AuditEvent.objects.filter(action="movements.target.set", object_id=str(target.pk)).exists()


def test_a_negative_target_is_refused_on_its_field(world, movement):
    with pytest.raises(ValidationError) as exc:
        services.target_set(
            actor=world.city_admin,
            movement=movement,
            unit=world.commune_a,
            indicator="beneficiaries.gifts",
            value=-5,
        )
    assert "không được âm" in exc.value.message_dict["value"][0]
    assert not Target.objects.exists()


def test_a_target_for_a_closed_unit_is_refused(world, movement):
    closed = org_services.unit_create(
        actor=None,
        parent=world.city,
        name="Hội CTĐ xã Cũ",
        kind=UnitKind.COMMUNE,
        code="HP-CU",
        valid_from=dt.date(2020, 1, 1),
    )
    Unit.objects.filter(pk=closed.pk).update(valid_to=dt.date(2025, 6, 30))
    closed.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.target_set(
            actor=world.city_admin, movement=movement, unit=closed, indicator="beneficiaries.gifts", value=5
        )
    assert "đã giải thể hoặc sáp nhập" in exc.value.message_dict["unit"][0]


def test_a_target_for_an_indicator_outside_the_movement_is_refused(world, movement):
    with pytest.raises(ValidationError) as exc:
        services.target_set(
            actor=None, movement=movement, unit=world.commune_a, indicator="blood.units", value=5
        )
    assert "indicator" in exc.value.message_dict


def test_a_commune_cannot_set_its_own_target(world, movement):
    with pytest.raises(PermissionDenied):
        services.target_set(
            actor=world.manager_a,
            movement=movement,
            unit=world.commune_a,
            indicator="beneficiaries.gifts",
            value=1,
        )


# Live results ---------------------------------------------------------------------------------------
def test_the_board_shows_live_results_with_percent_achieved(world, movement):
    give(make_case(world.commune_a), kind="gift")
    give(make_case(world.commune_a), kind="gift", days_ago=1)
    give(make_case(world.commune_a), kind="gift", days_ago=60)  # before the movement
    services.target_set(
        actor=None, movement=movement, unit=world.commune_a, indicator="beneficiaries.gifts", value=8
    )
    [row] = selectors.board_rows(movement, [world.commune_a], ["beneficiaries.gifts"])
    assert (row.cells[0].result, row.cells[0].target, row.cells[0].percent) == (2, 8, 25)


def test_the_city_row_rolls_up_the_communes(world, movement):
    give(make_case(world.commune_a), kind="gift")
    give(make_case(world.commune_b), kind="gift")
    services.target_set(
        actor=None, movement=movement, unit=world.commune_a, indicator="beneficiaries.gifts", value=3
    )
    services.target_set(
        actor=None, movement=movement, unit=world.commune_b, indicator="beneficiaries.gifts", value=1
    )
    total = selectors.board_total(world.city_admin, movement, ["beneficiaries.gifts"])
    assert (total.cells[0].result, total.cells[0].target, total.cells[0].percent) == (2, 4, 50)


def test_a_commune_sees_only_its_own_row_and_no_city_total(world, movement):
    assert list(selectors.board_units(world.manager_a, movement)) == [world.commune_a]
    assert selectors.board_total(world.manager_a, movement, ["beneficiaries.gifts"]) is None


# Targets by formula ---------------------------------------------------------------------------------
def test_targets_by_population_share_the_city_total(world, movement):
    services.unit_profile_set(actor=None, unit=world.commune_a, population=30_000)
    services.unit_profile_set(actor=None, unit=world.commune_b, population=10_000)
    n = services.targets_by_formula(
        actor=world.city_admin,
        movement=movement,
        indicator="beneficiaries.gifts",
        basis="population",
        total=100,
    )
    values = dict(Target.objects.values_list("unit_id", "value"))
    assert n == 2 and values == {world.commune_a.pk: 75, world.commune_b.pk: 25}


def test_targets_by_population_are_refused_when_a_population_is_missing(world, movement):
    services.unit_profile_set(actor=None, unit=world.commune_a, population=30_000)
    with pytest.raises(ValidationError) as exc:
        services.targets_by_formula(
            actor=None, movement=movement, indicator="beneficiaries.gifts", basis="population", total=100
        )
    assert world.commune_b.name in exc.value.message_dict["basis"][0]
    assert not Target.objects.exists()


def test_targets_by_last_year_add_the_growth(world):
    today = timezone.localdate()
    case = make_case(world.commune_a)
    for days in (365, 366, 367):  # last year's campaign: three gifts
        give(case, kind="gift", days_ago=days, duplicate_reason="Ba đợt quà")
    movement = make_movement(world, kind="other", starts_on=today - dt.timedelta(days=5), ends_on=today)
    services.targets_by_formula(
        actor=None,
        movement=movement,
        indicator="beneficiaries.gifts",
        basis="last_year",
        growth_percent=10,
        minimum=1,
    )
    values = dict(Target.objects.values_list("unit_id", "value"))
    assert values == {world.commune_a.pk: 4, world.commune_b.pk: 1}  # ceil(3 × 1.1); the minimum


# Excel round trip -----------------------------------------------------------------------------------
def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã phong trào", "Mã đơn vị", "Tên đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Chỉ tiêu giao"])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _check(world, data):
    return imports.import_check(
        actor=world.city_admin, kind="movements.targets", unit=world.city, data=data, filename="chi-tieu.xlsx"
    )


def test_the_exported_target_file_imports_back(world, movement):
    client = world.client(world.city_admin)
    response = client.get(f"/phong-trao/{movement.pk}/chi-tieu.xlsx")
    wb = load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    )
    ws = wb.active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = rows.index(next(r for r in rows if r and r[0] == "Mã phong trào"))
    filled = [r[:5] + [10 * (i + 1)] for i, r in enumerate(rows[header + 1 :]) if r[0]]
    assert len(filled) == 4  # two communes × two indicators
    batch = _check(world, _xlsx(filled))
    assert batch.rows_invalid == 0, batch.report["problems"]
    imports.import_commit(actor=world.city_admin, batch=batch)
    assert Target.objects.count() == 4
    again = _check(world, _xlsx(filled))
    assert again.report["rows_new"] == 0  # the same file writes nothing new


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["HP-ZZ", "", "beneficiaries.gifts", "", 5], "Mã đơn vị", "Không có đơn vị mã HP-ZZ."),
        (["HP-LC", "", "beneficiaries.gifts", "", -5], "Chỉ tiêu giao", "không được âm"),
        (["HP-LC", "", "blood.units", "", 5], "Mã chỉ tiêu", "không thuộc phong trào"),
        (["HP-OLD", "", "beneficiaries.gifts", "", 5], "Mã đơn vị", "đã giải thể"),
    ],
)
def test_a_bad_target_row_is_refused_naming_row_and_column(world, movement, row, column, message):
    old = org_services.unit_create(
        actor=None,
        parent=world.city,
        name="Hội CTĐ xã Cũ",
        kind=UnitKind.COMMUNE,
        code="HP-OLD",
        valid_from=dt.date(2020, 1, 1),
    )
    Unit.objects.filter(pk=old.pk).update(valid_to=dt.date(2025, 6, 30))
    batch = _check(world, _xlsx([[movement.code, *row]]))
    [problem] = [p for p in batch.report["problems"] if p["level"] == "error"]
    assert (problem["row"], problem["column"]) == (2, column) and message in problem["message"]
    with pytest.raises(ValidationError):
        imports.import_commit(actor=world.city_admin, batch=batch)
    assert not Target.objects.exists()


def test_a_duplicated_target_row_is_refused(world, movement):
    row = [movement.code, "HP-LC", "", "beneficiaries.gifts", "", 5]
    batch = _check(world, _xlsx([row, row]))
    [problem] = [p for p in batch.report["problems"] if p["level"] == "error"]
    assert problem["row"] == 3 and "dòng 2" in problem["message"]


def test_an_unknown_movement_code_is_refused(world, movement):
    batch = _check(world, _xlsx([["TNA-1999", "HP-LC", "", "beneficiaries.gifts", "", 5]]))
    [problem] = batch.report["problems"]
    assert problem["column"] == "Mã phong trào"


def test_indicators_computed_for_many_units_at_once_equal_one_by_one(world):
    give(make_case(world.commune_a), kind="gift")
    give(make_case(world.commune_b), kind="house")
    today = timezone.localdate()
    units = [world.city, world.commune_a, world.commune_b, world.branch_a]
    for indicator in indicators.all_indicators():
        if indicator.compute_many is None:
            continue
        many = indicators.compute_for(indicator.code, units, today - dt.timedelta(days=5), today)
        assert many == {u.pk: indicator.compute(u, today - dt.timedelta(days=5), today) for u in units}, (
            indicator.code
        )
