"""The ledger's clock: the wall clock, or a moment set while loading past books."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

# The ledger's clock.  Normally the wall clock; seeding five years of history (or
# loading a society's past books) runs each event inside `backdated(moment)`, in
# time order, so that postings, digests and the records' timestamps agree.
_clock: ContextVar[dt.datetime | None] = ContextVar("nhandao_ledger_clock", default=None)


def now() -> dt.datetime:
    return _clock.get() or timezone.now()


def set_moment() -> dt.datetime | None:
    """The moment set by `backdated`, or None when the ledger runs on the wall clock."""
    return _clock.get()


@contextmanager
def backdated(moment: dt.datetime):
    token = _clock.set(moment)
    try:
        yield moment
    finally:
        _clock.reset(token)
