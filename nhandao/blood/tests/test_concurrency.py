"""Two people racing for the last place of a slot, and one form sent twice at once: the drive's
row lock lets exactly one registration through."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from nhandao.blood import services
from nhandao.blood.models import Registration

from .conftest import make_drive

PEOPLE = [
    ("Nguyễn Thị Hoa", dt.date(1995, 3, 10), "F", "0912000111"),
    ("Trần Văn Nam", dt.date(1990, 1, 1), "M", "0912000222"),
]


def _race(drive, people, monkeypatch) -> dict:
    # Widen the window between counting the places and writing: without the lock both would fit.
    original = services.donor_verdict

    def slow_verdict(*args, **kwargs):
        time.sleep(0.4)
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "donor_verdict", slow_verdict)
    barrier = threading.Barrier(len(people))
    results: dict[int, str] = {}

    def register(i, person):
        name, born, sex, phone = person
        try:
            barrier.wait()
            _reg, created = services.registration_create(
                drive=drive, full_name=name, date_of_birth=born, sex=sex, phone=phone,
                slot=dt.time(7, 0), weight=Decimal("55"),
            )  # fmt: skip
            results[i] = "created" if created else "existing"
        except ValidationError as exc:
            results[i] = " ".join(exc.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(i, p)) for i, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite serialises writers at BEGIN IMMEDIATE and its in-memory test database answers "
            "'table is locked' between threads; the race is tested on PostgreSQL."
        )


@pytest.mark.django_db(transaction=True)
def test_two_people_cannot_both_take_the_last_place(world, monkeypatch):
    _postgres_only()
    drive = make_drive(world, capacity=1)
    results = _race(drive, PEOPLE, monkeypatch)
    outcomes = sorted(results.values())
    assert outcomes.count("created") == 1, results
    assert any("đã đủ người" in o for o in outcomes), results
    assert Registration.objects.filter(drive=drive, slot=dt.time(7, 0)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_once_makes_one_registration(world, monkeypatch):
    _postgres_only()
    drive = make_drive(world, capacity=5)
    results = _race(drive, [PEOPLE[0], PEOPLE[0]], monkeypatch)
    assert sorted(results.values()) == ["created", "existing"], results
    assert Registration.objects.filter(drive=drive).count() == 1
