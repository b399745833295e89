"""The eligibility rules (Thông tư 26/2013/TT-BYT), by example and by property."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nhandao.blood import eligibility as el
from nhandao.blood.eligibility import Deferral, Past, assess

ON = dt.date(2026, 4, 1)
ADULT = dt.date(1990, 5, 17)

days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31))
births = st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2040, 12, 31))
kinds = st.sampled_from(el.KINDS)
weights = st.floats(min_value=30, max_value=150, allow_nan=False).map(lambda w: round(w, 1))
sexes = st.sampled_from(["M", "F"])


def test_an_adult_of_good_weight_with_no_history_is_eligible():
    v = assess(born=ADULT, sex="M", weight=70, on=ON)
    assert v.eligible and v.next_date == ON and v.max_volume_ml == 500 and v.largest_bag_ml == 450


def test_whole_blood_ten_weeks_ago_is_not_yet_eligible_and_says_from_when():
    v = assess(born=ADULT, sex="M", weight=70, on=ON, history=[Past("whole", ON - dt.timedelta(weeks=10))])
    assert not v.eligible
    assert v.next_date == ON + dt.timedelta(weeks=2)
    assert v.reasons[0].code == "interval"


def test_plasma_after_whole_blood_shortens_the_wait_to_two_weeks():
    history = [Past("whole", dt.date(2026, 3, 1)), Past("plasma", dt.date(2026, 3, 20))]
    v = assess(born=ADULT, sex="M", weight=70, on=ON, history=history)
    assert v.next_date == dt.date(2026, 4, 3)  # not 24/05, the 12 weeks after the whole blood


def test_plasma_two_weeks_before_is_the_first_day_again():
    history = [Past("whole", dt.date(2026, 3, 1)), Past("plasma", dt.date(2026, 3, 18))]
    assert assess(born=ADULT, sex="M", weight=70, on=ON, history=history).eligible
    history[-1] = Past("plasma", dt.date(2026, 3, 19))
    v = assess(born=ADULT, sex="M", weight=70, on=ON, history=history)
    assert v.next_date == dt.date(2026, 4, 2)


def test_a_woman_of_42_to_45_kg_gives_at_most_250_ml():
    v = assess(born=ADULT, sex="F", weight=43, on=ON)
    assert v.eligible and v.max_volume_ml == 250 and v.largest_bag_ml == 250
    assert not v.allows("whole", 350) and v.allows("whole", 250) and not v.allows("plasma")


def test_a_man_under_45_kg_is_too_light_and_given_no_date():
    v = assess(born=ADULT, sex="M", weight=44, on=ON)
    assert not v.eligible and v.next_date is None and v.reasons[0].code == "weight"
    assert v.headline() == "not eligible"


def test_48_kg_allows_432_ml_so_the_350_ml_bag():
    v = assess(born=ADULT, sex="F", weight=48, on=ON)
    assert v.max_volume_ml == 432 and v.largest_bag_ml == 350 and not v.apheresis


def test_a_minor_is_eligible_from_the_eighteenth_birthday():
    born = dt.date(2008, 6, 30)
    v = assess(born=born, sex="M", weight=60, on=ON)
    assert v.next_date == dt.date(2026, 6, 30) and v.reasons[0].code == "age_min"


def test_someone_born_on_29_february_turns_18_on_1_march():
    born = dt.date(2008, 2, 29)
    assert not assess(born=born, sex="M", weight=60, on=dt.date(2026, 2, 28)).eligible
    assert assess(born=born, sex="M", weight=60, on=dt.date(2026, 3, 1)).eligible


def test_past_sixty_is_never_eligible_again():
    born = dt.date(1965, 4, 1)
    assert assess(born=born, sex="M", weight=60, on=dt.date(2026, 3, 31)).eligible  # 60 years old
    v = assess(born=born, sex="M", weight=60, on=dt.date(2026, 4, 1))  # 61st birthday
    assert not v.eligible and v.next_date is None and v.reasons[-1].code == "age_max"


def test_an_interval_ending_after_the_sixtieth_year_gives_no_date():
    born = dt.date(1965, 4, 20)
    v = assess(
        born=born, sex="M", weight=60, on=dt.date(2026, 4, 1), history=[Past("whole", dt.date(2026, 3, 1))]
    )
    assert not v.eligible and v.next_date is None


def test_a_deferral_holds_until_its_date_and_a_permanent_one_forever():
    v = assess(
        born=ADULT, sex="M", weight=70, on=ON, deferrals=[Deferral(dt.date(2026, 5, 1), "huyết áp cao")]
    )
    assert v.next_date == dt.date(2026, 5, 1) and "huyết áp cao" in v.explanation()
    v = assess(born=ADULT, sex="M", weight=70, on=ON, deferrals=[Deferral(None, "bệnh mạn tính")])
    assert v.next_date is None


def test_a_tattoo_defers_six_months_and_a_cold_seven_days():
    assert el.deferral_for_event("tattoo", dt.date(2026, 1, 31)).until == dt.date(2026, 7, 31)
    assert el.deferral_for_event("tattoo", dt.date(2025, 8, 31)).until == dt.date(2026, 3, 1)
    assert el.deferral_for_event("flu", dt.date(2026, 3, 30)).until == dt.date(2026, 4, 6)


def test_a_yearly_maximum_when_the_rules_set_one():
    rules = el.Rules(max_per_year=2, long_interval_days=7)
    history = [Past("whole", dt.date(2025, 6, 1)), Past("whole", dt.date(2026, 3, 1))]
    v = assess(born=ADULT, sex="M", weight=70, on=ON, history=history, rules=rules)
    assert v.next_date == dt.date(2026, 6, 1) and v.reasons[0].code == "yearly"


# Properties ------------------------------------------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(born=births, sex=sexes, weight=weights, on=days, history=st.lists(st.tuples(kinds, days), max_size=6))
def test_the_next_date_is_the_first_eligible_day(born, sex, weight, on, history):
    # History is the past: a donation dated after `on` would count only from its own date, which
    # a property over `on` alone cannot see (hypothesis found born 2022, on 2000, whole on 2040).
    past = [Past(k, min(d, on)) for k, d in history]
    v = assess(born=born, sex=sex, weight=weight, on=on, history=past)
    if v.eligible:
        assert v.next_date == on and not v.reasons
        return
    if v.next_date is None:
        return
    assert v.next_date > on
    assert assess(born=born, sex=sex, weight=weight, on=v.next_date, history=past).eligible
    before = v.next_date - dt.timedelta(days=1)
    assert not assess(born=born, sex=sex, weight=weight, on=before, history=past).eligible


@settings(max_examples=200, deadline=None)
@given(
    on=days,
    kinds_=st.lists(kinds, min_size=1, max_size=6),
    gaps=st.lists(st.integers(1, 200), min_size=6, max_size=6),
)
def test_only_the_last_donation_type_decides(on, kinds_, gaps):
    dates, day = [], on
    for gap in gaps[: len(kinds_)]:
        day = day - dt.timedelta(days=gap)
        dates.append(day)
    past = [Past(k, d) for k, d in zip(kinds_, reversed(dates), strict=True)]
    last = max(past, key=lambda p: p.on)
    born = on - dt.timedelta(days=365 * 30)
    v = assess(born=born, sex="M", weight=70, on=on, history=past)
    expected = last.on + dt.timedelta(days=el.interval_days(last.kind))
    assert v.next_date == max(on, expected)


@settings(max_examples=200, deadline=None)
@given(born=births, years=st.integers(0, 80))
def test_age_reaches_n_exactly_on_the_nth_anniversary(born, years):
    day = el.anniversary(born, years)
    assert el.age_on(born, day) == years
    assert el.age_on(born, day - dt.timedelta(days=1)) == years - 1


@settings(max_examples=200, deadline=None)
@given(born=births)
def test_a_person_whose_18th_birthday_is_the_drive_day_may_give(born):
    drive = el.anniversary(born, 18)
    assume(drive.year <= 9999)
    assert assess(born=born, sex="F", weight=55, on=drive).eligible
    assert not assess(born=born, sex="F", weight=55, on=drive - dt.timedelta(days=1)).eligible


@settings(max_examples=300, deadline=None)
@given(weight=weights, sex=sexes)
def test_the_volume_never_exceeds_9_ml_a_kg_nor_500_ml(weight, sex):
    v = el.max_volume(weight, sex)
    assert v <= 500 and v <= 9 * weight
    if weight >= 45:
        assert v >= 250
    if v:
        assert weight >= (42 if sex == "F" else 45)


@pytest.mark.parametrize(
    ("weight", "ml"),
    [(None, 0), (42, 0), (49.9, 0), (50, 500), (55, 500), (59.9, 500), (60, 650), (95, 650)],
)
def test_apheresis_allows_500_ml_from_50_kg_and_650_ml_from_60_kg(weight, ml):
    # TT 26/2013 Điều 4 khoản 2 điểm b: all components of one apheresis together.
    assert el.max_apheresis_volume(weight) == ml


def test_the_verdict_checks_an_apheresis_total_against_the_weight():
    light = assess(born=ADULT, sex="M", weight=55, on=ON)
    heavy = assess(born=ADULT, sex="M", weight=60, on=ON)
    assert light.max_apheresis_ml == 500 and heavy.max_apheresis_ml == 650
    assert light.allows(el.PLATELETS, 500) and not light.allows(el.PLATELETS, 600)
    assert heavy.allows(el.PLASMA, 650) and not heavy.allows(el.PLASMA, 651)
    assert light.allows(el.PLATELETS) and not assess(born=ADULT, sex="M", weight=49, on=ON).allows(el.PLASMA)


@settings(max_examples=300, deadline=None)
@given(weight=weights, sex=sexes)
def test_apheresis_never_exceeds_650_ml_and_needs_50_kg(weight, sex):
    verdict = assess(born=ADULT, sex=sex, weight=weight, on=ON)
    assert verdict.max_apheresis_ml in (0, 500, 650)
    assert (verdict.max_apheresis_ml > 0) == verdict.apheresis == (weight >= 50)
    assert (verdict.max_apheresis_ml == 650) == (weight >= 60)
    # Whole blood never allows more than apheresis at the same weight, once apheresis is allowed.
    if verdict.apheresis:
        assert verdict.max_volume_ml <= verdict.max_apheresis_ml


# The command -----------------------------------------------------------------------------------
def _ask(*args) -> list[str]:
    out = io.StringIO()
    call_command("blood_eligibility", *args, stdout=out)
    return out.getvalue().splitlines()


def test_the_command_answers_the_issue_example():
    lines = _ask(
        "--born", "1990-05-17", "--sex", "F", "--weight", "48",
        "--history", "whole:2026-01-05,plasma:2026-03-01", "--on", "2026-04-01",
    )  # fmt: skip
    assert lines[0] == "eligible"
    assert "432 ml" in lines[2] and "350 ml" in lines[2]
    assert "apheresis: no (under 50 kg)" in lines[2]
    heavy = _ask("--born", "1990-05-17", "--sex", "M", "--weight", "61", "--on", "2026-04-01")
    assert "apheresis: up to 650 ml in all" in heavy[2]


def test_the_command_says_until_when():
    lines = _ask(
        "--born",
        "1990-05-17",
        "--sex",
        "F",
        "--weight",
        "48",
        "--history",
        "whole:2026-03-01",
        "--on",
        "2026-04-01",
    )
    assert lines[0] == "not eligible until 24/05/2026"
    assert "24/05/2026" in lines[1]


def test_the_command_refuses_a_bad_history_item():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="blood:2026"):
        _ask("--born", "1990-05-17", "--sex", "F", "--weight", "48", "--history", "blood:2026-01-01")
