"""Quiet hours over any instant of the year (hypothesis), across midnight and within one day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from nhandao.messaging import timing

VN = ZoneInfo("Asia/Ho_Chi_Minh")
instants = st.datetimes(
    min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2028, 12, 31), timezones=st.just(dt.UTC)
)


@hsettings(max_examples=300, deadline=None)
@given(now=instants)
def test_a_quiet_instant_waits_for_the_next_seven_oclock_and_no_other_waits(now):
    local = now.astimezone(VN)
    with override_settings(NHANDAO_MESSAGING_QUIET_HOURS="21:00-07:00", TIME_ZONE="Asia/Ho_Chi_Minh"):
        until = timing.quiet_until(now)
    quiet = local.hour >= 21 or local.hour < 7
    assert (until is not None) == quiet
    if until is not None:
        assert until > now
        assert until - now <= dt.timedelta(hours=10)
        assert until.astimezone(VN).time() == dt.time(7, 0)


@pytest.mark.parametrize(
    ("hours", "local", "expected"),
    [
        ("21:00-07:00", dt.datetime(2026, 12, 31, 23, 59), dt.datetime(2027, 1, 1, 7, 0)),
        ("21:00-07:00", dt.datetime(2026, 3, 1, 7, 0), None),
        ("21:00-07:00", dt.datetime(2026, 3, 1, 20, 59), None),
        ("21:00-07:00", dt.datetime(2026, 3, 1, 21, 0), dt.datetime(2026, 3, 2, 7, 0)),
        ("12:00-13:30", dt.datetime(2026, 3, 1, 12, 15), dt.datetime(2026, 3, 1, 13, 30)),
        ("12:00-13:30", dt.datetime(2026, 3, 1, 13, 30), None),
        ("", dt.datetime(2026, 3, 1, 23, 0), None),
    ],
)
def test_quiet_hours_examples(settings, hours, local, expected):
    settings.NHANDAO_MESSAGING_QUIET_HOURS = hours
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    until = timing.quiet_until(local.replace(tzinfo=VN))
    assert until == (expected.replace(tzinfo=VN) if expected else None)
