"""Sensitive reads are logged (issue 16, point 8): opening a record that shows an ID number, health
data or ethnicity writes one read event per user, record and hour (core.audit.record_read), which
inspectors find in the audit trail under "read."."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from nhandao.beneficiaries.tests.helpers import make_case
from nhandao.blood.tests.conftest import medic_a  # noqa: F401 (fixture)
from nhandao.blood.tests.test_honours import donor_with
from nhandao.core import audit
from nhandao.core.models import AuditEvent
from nhandao.people.tests.helpers import person

pytestmark = pytest.mark.django_db
BORN = {"sex": "M", "date_of_birth": dt.date(1980, 2, 2)}


@pytest.fixture(autouse=True)
def beneficiary_lookups(db):
    from nhandao.beneficiaries.lookups import ensure_lookups

    ensure_lookups()


def _reads(obj=None):
    qs = AuditEvent.objects.filter(action__startswith=audit.READ_PREFIX)
    if obj is not None:
        qs = qs.filter(object_id=str(obj.pk), object_type=audit.object_type(obj))
    return qs


def test_opening_a_person_with_an_id_number_writes_one_read_event_an_hour(world):
    someone = person(world.commune_a, cccd="031080001234", ethnicity="01", **BORN)
    client = world.client(world.entry_a)
    url = reverse("people:person", args=[someone.pk])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # a reload is the same read
    event = _reads(someone).get()
    assert event.actor == world.entry_a and event.action == "read.people.person"
    assert event.data["fields"] == ["cccd", "ethnicity"] and event.unit_id == world.commune_a.pk
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1, minutes=1)):
        assert world.client(world.entry_a).get(url).status_code == 200  # signed in again, an hour on
    assert _reads(someone).count() == 2


def test_a_viewer_who_sees_the_id_number_masked_writes_no_read_event(world):
    someone = person(world.commune_a, cccd="031080001235", **BORN)
    assert world.client(world.viewer_a).get(reverse("people:person", args=[someone.pk])).status_code == 200
    assert not _reads().exists()


def test_a_beneficiary_case_file_with_id_numbers_and_health_is_a_logged_read(world):
    case = make_case(world.commune_a, cccd="031080000777", **BORN)
    assert world.client(world.entry_a).get(reverse("beneficiaries:case", args=[case.pk])).status_code == 200
    assert _reads(case).get().data["fields"] == ["cccd", "health_categories"]
    # Finance sees the case without ID numbers or health data: no read event for it.
    world.client(world.finance_officer_a).get(reverse("beneficiaries:case", args=[case.pk]))
    assert _reads(case).count() == 1


def test_a_blood_donor_seen_by_the_medical_staff_is_a_logged_read(world, medic_a):  # noqa: F811
    donor = donor_with(world, world.commune_a, "Ngô Văn Mười", [dt.date(2025, 1, 5)])
    assert world.client(medic_a).get(reverse("blood:donor", args=[donor.pk])).status_code == 200
    assert _reads(donor).get().actor == medic_a
    world.client(world.viewer_a).get(reverse("blood:donor", args=[donor.pk]))  # no health data shown
    assert _reads(donor).count() == 1


def test_inspectors_find_the_reads_in_the_audit_trail(world):
    someone = person(world.commune_a, cccd="031080001236", **BORN)
    world.client(world.entry_a).get(reverse("people:person", args=[someone.pk]))
    page = world.client(world.inspector).get(reverse("org:audit"), {"action": "read."})
    assert page.status_code == 200
    assert "read.people.person" in page.content.decode() or someone.full_name in page.content.decode()
    assert len(page.context["page"].object_list) == 1
