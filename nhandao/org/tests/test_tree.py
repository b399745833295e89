import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nhandao.core.models import AuditEvent
from nhandao.org import services
from nhandao.org.models import RoleAssignment, Unit, UnitKind, UnitSuccession


def test_creating_a_unit_sets_its_path_and_is_audited(world):
    unit = services.unit_create(
        actor=world.city_admin,
        parent=world.commune_a,
        name="Chi hội Trường THCS Lê Chân",
        kind=UnitKind.BRANCH,
    )
    assert unit.path == world.commune_a.path + f"{unit.pk:06d}."
    assert unit.depth == 2
    event = AuditEvent.objects.get(action="org.unit.created", object_id=str(unit.pk))
    assert event.actor == world.city_admin
    assert event.changes["name"]["after"] == "Chi hội Trường THCS Lê Chân"
    assert event.unit_path == unit.path


def test_a_duplicate_unit_code_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.unit_create(
            actor=world.city_admin, parent=world.commune_a, name="X", kind=UnitKind.BRANCH, code="hp-lc-01"
        )
    assert "đã được dùng" in str(exc.value)
    assert not Unit.objects.filter(name="X").exists()


def test_an_unknown_administrative_unit_code_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.unit_create(
            actor=world.city_admin,
            parent=world.city,
            name="Hội CTĐ xã Ma",
            kind=UnitKind.COMMUNE,
            ward="99999",
        )
    assert "Không có đơn vị hành chính mã “99999”" in str(exc.value)
    assert not Unit.objects.filter(name="Hội CTĐ xã Ma").exists()


def test_a_child_kind_must_fit_its_parent(world):
    with pytest.raises(ValidationError):
        services.unit_create(actor=world.city_admin, parent=world.branch_a, name="Hội", kind=UnitKind.COMMUNE)


def test_renaming_records_before_and_after(world):
    services.unit_update(actor=world.city_admin, unit=world.branch_a, name="Chi hội tổ dân phố số 1A")
    event = AuditEvent.objects.get(action="org.unit.renamed")
    assert event.changes == {
        "name": {"before": "Chi hội tổ dân phố số 1", "after": "Chi hội tổ dân phố số 1A"}
    }


def test_moving_rewrites_the_whole_subtree(world):
    group = services.unit_create(actor=None, parent=world.branch_a, name="Tổ hội số 1", kind=UnitKind.GROUP)
    services.unit_move(actor=world.city_admin, unit=world.branch_a, new_parent=world.commune_b)
    world.branch_a.refresh_from_db()
    group.refresh_from_db()
    assert world.branch_a.parent == world.commune_b
    assert world.branch_a.path.startswith(world.commune_b.path)
    assert group.path.startswith(world.branch_a.path) and group.depth == 3
    assert AuditEvent.objects.filter(action="org.unit.moved").count() == 1


def test_moving_a_unit_under_its_own_descendant_is_refused(world):
    before = Unit.objects.get(pk=world.commune_a.pk).path
    with pytest.raises(ValidationError) as exc:
        services.unit_move(actor=world.city_admin, unit=world.commune_a, new_parent=world.branch_a)
    assert "trực thuộc của nó" in str(exc.value)
    assert Unit.objects.get(pk=world.commune_a.pk).path == before
    assert not AuditEvent.objects.filter(action="org.unit.moved").exists()


def test_closing_keeps_the_unit_and_records_successors(world):
    services.unit_close(
        actor=world.city_admin,
        unit=world.branch_b,
        on=dt.date(2026, 1, 31),
        reason="Sáp nhập trường",
        successors=[],
    )
    unit = Unit.objects.get(pk=world.branch_b.pk)
    assert unit.valid_to == dt.date(2026, 1, 31)
    assert not unit.active


def test_closing_a_unit_with_active_children_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.unit_close(actor=world.city_admin, unit=world.commune_a, on=dt.date(2026, 1, 31))
    assert "còn 1 đơn vị trực thuộc" in str(exc.value)
    assert Unit.objects.get(pk=world.commune_a.pk).valid_to is None


def test_merge_moves_children_and_closes_with_successor(world):
    services.unit_merge(
        actor=world.city_admin, unit=world.commune_b, into=world.commune_a, on=dt.date(2026, 3, 31)
    )
    b = Unit.objects.get(pk=world.commune_b.pk)
    assert b.valid_to == dt.date(2026, 3, 31)
    assert Unit.objects.get(pk=world.branch_b.pk).parent_id == world.commune_a.pk
    succession = UnitSuccession.objects.get(predecessor=b)
    assert succession.successor_id == world.commune_a.pk
    assert succession.date == dt.date(2026, 4, 1)
    # Roles held on the closed unit end with it.
    assert not RoleAssignment.objects.active().filter(unit=b).exists()


def test_a_former_district_society_closed_with_its_communes_successors(world):
    """The example of the issue: Hội CTĐ quận Lê Chân closed on 30/06/2025."""
    from nhandao.geo.models import LegacyDistrict, LegacyWard

    district = LegacyDistrict.objects.get(code="305")
    lc = services.unit_create(
        actor=None,
        parent=world.city,
        name="Hội Chữ thập đỏ quận Lê Chân",
        kind=UnitKind.DISTRICT,
        legacy_district=district,
        valid_from=dt.date(2008, 1, 1),
    )
    hang_kenh = services.unit_create(
        actor=None,
        parent=lc,
        name="Hội Chữ thập đỏ phường Hàng Kênh",
        kind=UnitKind.COMMUNE,
        legacy_ward=LegacyWard.objects.get(name="Phường Hàng Kênh"),
        valid_from=dt.date(2008, 1, 1),
    )
    services.unit_close(
        actor=world.city_admin,
        unit=hang_kenh,
        on=dt.date(2025, 6, 30),
        successors=[world.commune_a],
        reason="Sắp xếp đơn vị hành chính",
    )
    services.unit_close(
        actor=world.city_admin, unit=lc, on=dt.date(2025, 6, 30), successors=[world.commune_a], partly=True
    )
    lc.refresh_from_db()
    assert lc.valid_to == dt.date(2025, 6, 30) and not lc.active
    assert Unit.objects.filter(pk=lc.pk).exists()  # nothing is deleted
    assert [s.successor for s in lc.successions.all()] == [world.commune_a]
    assert UnitSuccession.objects.get(predecessor=hang_kenh).successor == world.commune_a
    assert world.commune_a.predecessions.count() == 2


def test_only_city_administrators_manage_units(world):
    for user in (world.manager_a, world.entry_a, world.inspector, world.user_b):
        with pytest.raises(PermissionDenied):
            services.unit_update(actor=user, unit=world.branch_a, name="Đổi")
    assert Unit.objects.get(pk=world.branch_a.pk).name == "Chi hội tổ dân phố số 1"
