"""On the seeded city: each indicator the movements use equals an independent count over the
registers, and the demo has two years of movements, targets for every commune, a ranking, a decided
commendation and replicated models."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from nhandao.core import indicators
from nhandao.movements import results
from nhandao.movements.models import Adoption, Movement, Proposal, Ranking, Target, UnitAward
from nhandao.org.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

YEAR_AGO = timezone.localdate() - dt.timedelta(days=365)
TODAY = timezone.localdate()


def _sql(query: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return int(cursor.fetchone()[0] or 0)


def _units(seeded_city):
    city = Unit.objects.filter(parent__isnull=True, kind=UnitKind.PROVINCE).order_by("pk").first()
    commune = (
        Unit.objects.filter(kind=UnitKind.COMMUNE, path__startswith=city.path, valid_to__isnull=True)
        .order_by("code")
        .first()
    )
    return [city, commune]


HELP = (
    "SELECT COUNT(*) FROM beneficiaries_helprecord h JOIN org_unit u ON u.id = h.delivering_unit_id "
    "WHERE u.path LIKE %s AND h.date BETWEEN %s AND %s AND h.status = 'valid' AND h.kind = %s"
)


@pytest.mark.parametrize(
    ("code", "kind"), [("beneficiaries.gifts", "gift"), ("beneficiaries.houses", "house")]
)
def test_help_counts_equal_an_independent_count(seeded_city, code, kind):
    for unit in _units(seeded_city):
        expected = _sql(HELP, [unit.path + "%", YEAR_AGO, TODAY, kind])
        assert indicators.get(code).compute(unit, YEAR_AGO, TODAY) == expected
    city = _units(seeded_city)[0]
    if code == "beneficiaries.gifts":
        assert _sql(HELP, [city.path + "%", YEAR_AGO, TODAY, kind]) > 0  # the check is not vacuous


def test_blood_units_equal_an_independent_count(seeded_city):
    for unit in _units(seeded_city):
        expected = _sql(
            "SELECT COUNT(*) FROM blood_donation d JOIN org_unit u ON u.id = d.unit_id "
            "WHERE u.path LIKE %s AND d.donated_on BETWEEN %s AND %s",
            [unit.path + "%", YEAR_AGO, TODAY],
        )
        assert indicators.get("blood.units").compute(unit, YEAR_AGO, TODAY) == expected
    assert expected >= 0


def test_volunteers_mobilised_equal_an_independent_count(seeded_city):
    for unit in _units(seeded_city):
        expected = _sql(
            "SELECT COUNT(DISTINCT h.person_id) FROM people_volunteerhours h JOIN org_unit u ON u.id = h.unit_id "
            "WHERE u.path LIKE %s AND h.date BETWEEN %s AND %s",
            [unit.path + "%", YEAR_AGO, TODAY],
        )
        assert indicators.get("people.volunteers_mobilised").compute(unit, YEAR_AGO, TODAY) == expected


def test_money_raised_equals_an_independent_sum(seeded_city):
    for unit in _units(seeded_city):
        expected = _sql(
            "SELECT SUM(d.amount) FROM funds_donation d JOIN org_unit u ON u.id = d.unit_id "
            "WHERE u.path LIKE %s AND d.received_on BETWEEN %s AND %s AND d.status = 'posted' "
            "AND d.channel <> 'in_kind'",
            [unit.path + "%", YEAR_AGO, TODAY],
        )
        assert indicators.get("funds.raised").compute(unit, YEAR_AGO, TODAY) == expected


def test_the_demo_has_two_years_of_movements_with_targets_for_every_commune(seeded_city):
    years = set(Movement.objects.values_list("year", flat=True))
    assert len(years) == 2
    latest = Movement.objects.filter(kind="tet").order_by("-year").first()
    assert (latest.starts_on, latest.ends_on) == results.tet_period(latest.year)
    communes = (
        Unit.objects.filter(kind=UnitKind.COMMUNE)
        .active(latest.starts_on)
        .filter(path__startswith=latest.unit.path)
    )
    assert set(Target.objects.filter(movement=latest).values_list("unit_id", flat=True)) == set(
        communes.values_list("pk", flat=True)
    )


def test_the_demo_has_a_ranking_a_decided_commendation_and_replicated_models(seeded_city):
    assert Ranking.objects.count() == 2 and Ranking.objects.first().entries.count() > 100
    assert Proposal.objects.filter(status="decided").exists() and UnitAward.objects.exists()
    assert Adoption.objects.values("practice").distinct().count() >= 5
