"""Quiet hours: no SMS at night, Vietnam time (settings.NHANDAO_MESSAGING_QUIET_HOURS, "21:00-07:00";
an empty value turns them off).  A message due in them waits for their end."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings


def quiet_hours() -> tuple[dt.time, dt.time] | None:
    text = (settings.NHANDAO_MESSAGING_QUIET_HOURS or "").strip()
    if not text:
        return None
    start, end = (dt.time.fromisoformat(part.strip()) for part in text.split("-"))
    return (start, end) if start != end else None


def quiet_until(now: dt.datetime) -> dt.datetime | None:
    """The end of the quiet hours `now` falls in (aware), or None when `now` is not quiet."""
    hours = quiet_hours()
    if hours is None:
        return None
    start, end = hours
    zone = ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(zone)
    t = local.time()
    if start > end:  # across midnight: 21:00-07:00
        quiet = t >= start or t < end
    else:
        quiet = start <= t < end
    if not quiet:
        return None
    day = local.date() if t < end else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, end, tzinfo=zone)
