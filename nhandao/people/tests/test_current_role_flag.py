"""`Person.has_current_role` is kept by the database (migration 0007's triggers on
people_personrole) after every way the application writes roles, on PostgreSQL and SQLite."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from nhandao.people import services
from nhandao.people.choices import RoleKind, RoleStatus
from nhandao.people.models import Person, PersonRole

from .helpers import person

pytestmark = pytest.mark.django_db


def _flag(p: Person) -> bool:
    return Person.objects.values_list("has_current_role", flat=True).get(pk=p.pk)


def test_the_triggers_exist():
    """A migration that rebuilds people_personrole on SQLite drops its triggers: it must recreate
    them (people/migrations/0007: create_triggers)."""
    names = {"people_role_flag_insert", "people_role_flag_update", "people_role_flag_delete"}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'people_personrole'::regclass AND NOT tgisinternal"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'people_personrole'"
            )
        assert names <= {row[0] for row in cursor.fetchall()}


def test_the_flag_follows_the_services(world):
    p = person(world.commune_a, role=None)
    assert _flag(p) is False
    role = services.role_add(
        actor=None, person=p, kind=RoleKind.VOLUNTEER, unit=world.commune_a, started_on=dt.date(2024, 1, 1)
    )
    assert _flag(p) is True
    services.role_set_status(
        actor=None, role=role, status=RoleStatus.SUSPENDED, on=dt.date(2025, 1, 1), reason="Chuyển đi"
    )
    assert _flag(p) is True  # suspended is current
    services.role_set_status(
        actor=None, role=role, status=RoleStatus.LEFT, on=dt.date(2025, 2, 1), reason="Chuyển đi"
    )
    assert _flag(p) is False


def test_a_stale_copy_saved_does_not_put_the_old_value_back(world):
    p = person(world.commune_a, role=None)
    stale = Person.objects.get(pk=p.pk)
    services.role_add(actor=None, person=p, kind=RoleKind.MEMBER, unit=world.commune_a)
    stale.note = "ghi chú mới"
    stale.save()
    assert _flag(p) is True
    assert Person.objects.get(pk=p.pk).note == "ghi chú mới"


def test_bulk_writes_and_deletes_keep_it(world):
    a, b, c = (person(world.commune_a, role=None) for _ in range(3))
    PersonRole.objects.bulk_create(
        PersonRole(person=x, kind=RoleKind.MEMBER, unit=world.commune_a, status=RoleStatus.ACTIVE)
        for x in (a, b)
    )
    assert (_flag(a), _flag(b), _flag(c)) == (True, True, False)
    PersonRole.objects.filter(person=a).update(status=RoleStatus.LEFT)
    assert _flag(a) is False
    PersonRole.objects.filter(person=b).update(person=c)  # a role moved (as a merge moves it)
    assert (_flag(b), _flag(c)) == (False, True)
    PersonRole.objects.filter(person=c).delete()
    assert _flag(c) is False


def test_a_merge_moves_the_flag_with_the_roles(world):
    keep = person(world.commune_a, "Hoàng Văn Nam", role=None)
    dup = person(world.commune_a, "Hoàng Văn Nam", role=RoleKind.VOLUNTEER)
    assert (_flag(keep), _flag(dup)) == (False, True)
    services.person_merge(actor=world.manager_a, keep=keep, remove=dup)
    assert (_flag(keep), _flag(dup)) == (True, False)


def test_the_list_shows_exactly_the_people_with_a_current_role(world):
    current = person(world.commune_a, "Lê Thị Hiện", role=RoleKind.MEMBER)
    former = person(world.commune_a, "Lê Thị Cựu", role=RoleKind.MEMBER)
    services.role_set_status(
        actor=None,
        role=former.roles.get(),
        status=RoleStatus.LEFT,
        on=dt.date(2025, 1, 1),
        reason="Chuyển đi",
    )
    body = world.client(world.manager_a).get("/nguoi/").content.decode()
    assert "Lê Thị Hiện" in body and "Lê Thị Cựu" not in body
    body = world.client(world.manager_a).get("/nguoi/?cu=1").content.decode()
    assert "Lê Thị Hiện" in body and "Lê Thị Cựu" in body
    assert current.pk != former.pk
