import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nhandao.core.access import ROLE_PERMISSIONS, WRITE_PERMISSIONS, Role
from nhandao.core.models import AuditEvent
from nhandao.org import access, services
from nhandao.org.models import Agency, RoleAssignment


def test_a_role_applies_to_the_unit_and_its_descendants(world):
    assert access.has_perm(world.entry_a, "org.view", world.commune_a)
    assert access.has_perm(world.entry_a, "org.view", world.branch_a)
    assert not access.has_perm(world.entry_a, "org.view", world.city)
    assert not access.has_perm(world.entry_a, "org.view", world.commune_b)
    assert not access.has_perm(world.entry_a, "org.view", world.branch_b)


def test_city_admin_scope_is_everything(world):
    assert access.scope(world.city_admin, "org.manage").everything


def test_inspectors_hold_no_write_permission():
    assert not (ROLE_PERMISSIONS[Role.INSPECTOR] & WRITE_PERMISSIONS)


def test_assigning_a_role_is_audited(world):
    assignment = services.role_assign(
        actor=world.city_admin, user=world.nobody, unit=world.commune_b, role=Role.VIEWER
    )
    event = AuditEvent.objects.get(action="org.role.assigned", object_id=str(assignment.pk))
    assert event.unit_path == world.commune_b.path
    assert access.has_perm(world.nobody, "org.view", world.branch_b)


def test_assigning_a_role_on_a_closed_unit_is_refused(world):
    services.unit_close(actor=world.city_admin, unit=world.branch_b, on=dt.date(2025, 12, 31))
    with pytest.raises(ValidationError) as exc:
        services.role_assign(actor=world.city_admin, user=world.nobody, unit=world.branch_b, role=Role.VIEWER)
    assert "đã ngừng hoạt động từ 31/12/2025" in str(exc.value)
    assert not RoleAssignment.objects.filter(user=world.nobody).exists()


def test_the_same_active_role_twice_is_refused(world):
    with pytest.raises(ValidationError):
        services.role_assign(
            actor=world.city_admin, user=world.entry_a, unit=world.commune_a, role=Role.DATA_ENTRY
        )


def test_agency_reporter_needs_an_agency(world):
    with pytest.raises(ValidationError) as exc:
        services.role_assign(
            actor=world.city_admin, user=world.nobody, unit=world.city, role=Role.AGENCY_REPORTER
        )
    assert "cần chọn cơ quan" in str(exc.value)


def test_only_city_admins_assign_roles(world):
    with pytest.raises(PermissionDenied):
        services.role_assign(actor=world.manager_a, user=world.nobody, unit=world.branch_a, role=Role.VIEWER)


def test_revoking_ends_the_role_and_the_access(world):
    assignment = RoleAssignment.objects.get(user=world.viewer_a)
    services.role_revoke(actor=world.city_admin, assignment=assignment, on=dt.date(2025, 8, 1))
    access.forget(world.viewer_a)
    assert not access.has_perm(world.viewer_a, "org.view", world.commune_a)
    assert AuditEvent.objects.filter(action="org.role.revoked").count() == 1


def test_agency_successors_show_who_now_holds_the_duties(world):
    noi_vu = services.agency_create(actor=None, code="SNV", name="Sở Nội vụ", kind="department")
    ldtbxh = services.agency_create(
        actor=None, code="SLDTBXH", name="Sở Lao động - Thương binh và Xã hội", kind="department"
    )
    services.agency_close(
        actor=world.city_admin,
        agency=ldtbxh,
        on=dt.date(2025, 2, 28),
        successors=[(noi_vu, True, "Lao động, người có công"), (world.agency, False, "Bảo trợ xã hội")],
    )
    ldtbxh = Agency.objects.get(pk=ldtbxh.pk)
    assert ldtbxh.current_holders() == [noi_vu]
    # A 2023 task assigned to it was held by it then.
    assert ldtbxh.current_holders(on=dt.date(2023, 9, 1)) == [ldtbxh]


def test_succession_chains_are_followed(world):
    a = services.agency_create(actor=None, code="A", name="Sở A", kind="department")
    b = services.agency_create(actor=None, code="B", name="Sở B", kind="department")
    c = services.agency_create(actor=None, code="C", name="Sở C", kind="department")
    services.agency_close(actor=None, agency=a, on=dt.date(2024, 1, 1), successors=[(b, True, "")])
    services.agency_close(actor=None, agency=b, on=dt.date(2025, 1, 1), successors=[(c, True, "")])
    assert Agency.objects.get(pk=a.pk).current_holders() == [c]
