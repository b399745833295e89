"""access.get_in_scope and access.split_visible: the one fetch-in-scope and the one masking rule."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from nhandao.core.access import ORG_VIEW
from nhandao.org import access, services
from nhandao.org.models import BranchType, RoleAssignment, Unit, UnitKind


def test_get_in_scope_returns_an_object_of_the_users_subtree(world):
    units = Unit.objects.all()
    assert access.get_in_scope(world.manager_a, ORG_VIEW, units, world.branch_a.pk, path_field="path") == (
        world.branch_a
    )


@pytest.mark.parametrize("pk", ["b", "abc", "-1", "0", str(2**63), None, ""])
def test_get_in_scope_answers_404_outside_the_scope_or_for_a_malformed_pk(world, pk):
    pk = world.commune_b.pk if pk == "b" else pk
    with pytest.raises(Http404):
        access.get_in_scope(world.manager_a, ORG_VIEW, Unit.objects.all(), pk, path_field="path")


def test_get_in_scope_follows_a_foreign_key_path_to_the_unit(world):
    assignment = RoleAssignment.objects.get(user=world.manager_b)
    with pytest.raises(Http404):
        access.get_in_scope(world.manager_a, ORG_VIEW, RoleAssignment.objects.all(), assignment.pk)
    assert access.get_in_scope(world.manager_b, ORG_VIEW, RoleAssignment.objects.all(), assignment.pk)


def test_split_visible_counts_what_lies_outside_the_scope(world):
    found = access.split_visible(
        world.manager_a, ORG_VIEW, [world.branch_a, world.branch_b, world.commune_b], unit_of=lambda u: u
    )
    assert found.visible == [world.branch_a] and found.elsewhere == 2 and bool(found)


def test_split_visible_shows_everything_to_the_system(world):
    found = access.split_visible(None, ORG_VIEW, [world.branch_b], unit_of=lambda u: u)
    assert found.visible == [world.branch_b] and found.elsewhere == 0


def test_require_refuses_outside_the_scope_and_names_the_unit_rule(world):
    access.require(world.manager_a, ORG_VIEW, world.commune_a)  # the control: in scope
    with pytest.raises(PermissionDenied, match="tại đơn vị này"):
        access.require(world.manager_a, ORG_VIEW, world.commune_b)


def test_require_with_needs_unit_refuses_a_missing_unit_but_not_the_system(world):
    access.require(world.manager_a, ORG_VIEW, None)  # anywhere in scope: allowed
    with pytest.raises(PermissionDenied):
        access.require(world.manager_a, ORG_VIEW, None, needs_unit=True)
    access.require(None, ORG_VIEW, None, needs_unit=True)  # the system itself


def test_a_scope_filters_by_its_units_ids_read_once_per_request(world, django_assert_num_queries):
    """The ids, not a subquery (PostgreSQL then estimates a commune's share of a big list); read
    once per request (the user object), and a picked unit's subtree as well."""
    user = world.manager_a
    scope = access.scope(user, ORG_VIEW)
    with django_assert_num_queries(1):
        ids = scope.unit_ids()
    assert set(ids) == set(
        Unit.objects.filter(path__startswith=world.commune_a.path).values_list("pk", flat=True)
    )
    assert world.branch_a.pk in ids and world.commune_b.pk not in ids
    with django_assert_num_queries(0):
        access.scope(user, ORG_VIEW).filter(Unit.objects.all(), "parent")
        access.in_subtree(user, Unit.objects.all(), world.commune_a, "parent")
    with django_assert_num_queries(2):  # the branch's subtree (ids), then the rows
        narrowed = list(access.in_subtree(user, Unit.objects.all(), world.branch_a, "pk"))
    assert narrowed == [world.branch_a]
    with django_assert_num_queries(1):
        assert list(access.in_subtree(user, Unit.objects.all(), world.branch_a, "pk")) == [world.branch_a]


def test_forget_drops_the_cached_units_with_the_roles(world):
    user = world.manager_a
    access.scope(user, ORG_VIEW).unit_ids()
    branch = services.unit_create(
        actor=None,
        parent=world.commune_a,
        name="Chi hội tổ dân phố số 9",
        kind=UnitKind.BRANCH,
        branch_type=BranchType.RESIDENTIAL,
        code="HP-LC-09",
        valid_from=world.branch_a.valid_from,
    )
    assert branch.pk not in access.scope(user, ORG_VIEW).unit_ids()
    access.forget(user)
    assert branch.pk in access.scope(user, ORG_VIEW).unit_ids()


def test_a_subtree_that_holds_the_whole_scope_is_not_filtered_twice(world):
    """A commune's officer on their own commune: the scope's list of ids is the restriction; a
    second identical list makes PostgreSQL misjudge the rows (see in_subtree).  A narrower unit
    (a branch) still narrows, and so does any unit when the scope is not given."""
    user = world.manager_a
    scoped = access.scope(user, ORG_VIEW).filter(Unit.objects.all(), "pk")
    same = access.in_subtree(user, scoped, world.commune_a, "pk", within=ORG_VIEW)
    assert str(same.query) == str(scoped.query)
    assert str(same.query).count(" IN (") == 1
    narrowed = access.in_subtree(user, scoped, world.branch_a, "pk", within=ORG_VIEW)
    assert list(narrowed) == [world.branch_a]
    assert str(access.in_subtree(user, scoped, world.commune_a, "pk").query).count(" IN (") == 2
