"""Retention: rules as data with defaults, a dry run that lists, a run that forgets (audited)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.utils import timezone

from nhandao.beneficiaries.models import Case
from nhandao.beneficiaries.tests.helpers import make_case
from nhandao.core.models import AuditEvent
from nhandao.people.models import Person
from nhandao.privacy.models import RetentionRule


def old_closed_case(world, years=6, **kw):
    case = make_case(world.commune_a, "Đỗ Văn Khải", status="closed", **kw)
    Case.objects.filter(pk=case.pk).update(closed_on=timezone.localdate() - dt.timedelta(days=365 * years))
    return Case.objects.get(pk=case.pk)


def retention(*args) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_lists_what_it_would_do_and_changes_nothing(world):
    case = old_closed_case(world)
    output = retention("--dry-run")
    assert "beneficiaries.closed_case" in output and case.number in output
    assert Case.objects.get(pk=case.pk).address_detail != ""
    assert not AuditEvent.objects.filter(action="privacy.retention.applied").exists()


def test_a_closed_case_past_its_time_is_forgotten_with_its_head(world):
    case = old_closed_case(world)
    retention()
    case.refresh_from_db()
    assert case.address_detail == "" and case.phone == "" and case.circumstances == ""
    assert Person.objects.get(pk=case.head_id).full_name.startswith("Người đã xoá #")
    assert AuditEvent.objects.filter(
        action="privacy.retention.applied", object_id="beneficiaries.closed_case"
    ).exists()


def test_a_recently_closed_case_stays(world):
    case = make_case(world.commune_a, "Đỗ Văn Khải", status="closed")
    retention()
    assert Case.objects.get(pk=case.pk).address_detail != ""


def test_a_rule_switched_off_in_the_table_is_not_applied(world):
    case = old_closed_case(world)
    RetentionRule.objects.create(kind="beneficiaries.closed_case", keep_days=365, active=False)
    retention()
    assert Case.objects.get(pk=case.pk).address_detail != ""


def test_the_table_changes_the_number_of_days(world):
    case = old_closed_case(world, years=2)
    assert case.number not in retention("--dry-run")
    RetentionRule.objects.create(kind="beneficiaries.closed_case", keep_days=365)
    assert case.number in retention("--dry-run")
