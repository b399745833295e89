import pytest
from django.contrib import admin
from django.db import transaction
from django.db.transaction import TransactionManagementError

from nhandao.core import audit
from nhandao.core.admin import AuditedAdminMixin, ReadOnlyAdmin
from nhandao.core.models import AuditEvent


def test_record_outside_a_transaction_is_refused(transactional_db):
    with pytest.raises(RuntimeError):
        audit.record(actor=None, action="x.y", object_type_label="x", object_id="1")


def test_record_inside_a_transaction(db):
    with transaction.atomic():
        event = audit.record(actor=None, action="x.y", object_type_label="x", object_id="1", object_repr="X")
    assert event.actor_label == "hệ thống"
    assert AuditEvent.objects.count() == 1


def test_secrets_and_ids_are_masked():
    changes = audit.diff(
        {"password": "old", "cccd": "031200001234"}, {"password": "new", "cccd": "031200009876"}
    )
    assert changes["password"] == {"before": audit.MASK, "after": audit.MASK}
    assert changes["cccd"]["after"] == "0312" + audit.MASK + "76"
    assert "9876" not in str(changes)


def test_diff_lists_only_changed_fields():
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": {"before": 2, "after": 3}}


def test_every_nhandao_admin_is_audited_or_read_only():
    for model, model_admin in admin.site._registry.items():
        if model.__module__.startswith("nhandao."):
            assert isinstance(model_admin, AuditedAdminMixin | ReadOnlyAdmin), model


def test_changing_a_unit_in_the_admin_is_audited(world, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client = world.client(superuser)
    unit = world.branch_a
    response = client.post(
        f"/admin/org/unit/{unit.pk}/change/",
        {
            "code": unit.code,
            "name": "Chi hội tổ dân phố số 1 (đổi tên)",
            "branch_type": unit.branch_type,
            "address": "",
            "phone": "",
            "email": "",
            "valid_from": "01/07/2025",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.filter(object_type="org.unit", object_id=str(unit.pk), via="admin").get()
    assert event.actor == superuser
    assert event.changes["name"] == {
        "before": "Chi hội tổ dân phố số 1",
        "after": "Chi hội tổ dân phố số 1 (đổi tên)",
    }
    assert event.unit_path == unit.path


def test_admin_cannot_delete(world, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client = world.client(superuser)
    response = client.post(f"/admin/org/unit/{world.branch_a.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    world.branch_a.refresh_from_db()


def test_writes_outside_the_services_own_transaction_fail_in_tests_as_in_production(world):
    """The test's wrapping transaction does not count: production runs requests in autocommit."""
    with pytest.raises(RuntimeError, match="transaction.atomic"):
        audit.record(actor=world.city_admin, action="test.outside", obj=world.city)
    with pytest.raises(TransactionManagementError):
        AuditEvent.objects.select_for_update().first()
    with transaction.atomic():
        event = audit.record(actor=world.city_admin, action="test.inside", obj=world.city)
        assert AuditEvent.objects.select_for_update().filter(pk=event.pk).first() == event


def test_record_many_outside_a_transaction_is_refused(transactional_db):
    with pytest.raises(RuntimeError):
        audit.record_many(
            actor=None,
            action="x.y",
            object_type_label="x",
            objects=[audit.Target(object_id=1, object_repr="X")],
        )
    assert not AuditEvent.objects.exists()


def test_record_many_of_targets_writes_the_events_record_writes(world):
    fields = ("actor_id", "actor_label", "action", "object_type", "object_id", "object_repr")
    fields += ("unit_id", "unit_path", "unit_label", "changes", "data", "ip", "via")
    changes = {"amount": {"before": None, "after": 50000}}
    with audit.via("import", ip="10.1.2.3"), transaction.atomic():
        audit.record(
            actor=world.city_admin,
            action="funds.donation.recorded",
            object_type_label="funds.donation",
            object_id="41",
            object_repr="BN2024-000041 · Nguyễn Văn A",
            unit=world.commune_a,
            changes=changes,
            data={"import": 3, "receipt": "BN2024-000041"},
        )
        written = audit.record_many(
            actor=world.city_admin,
            action="funds.donation.recorded",
            object_type_label="funds.donation",
            objects=[
                audit.Target(
                    object_id=41,
                    object_repr="BN2024-000041 · Nguyễn Văn A",
                    unit=world.commune_a,
                    changes=changes,
                    data={"receipt": "BN2024-000041"},
                )
            ],
            data={"import": 3},
        )
    assert written == 1
    events = AuditEvent.objects.filter(action="funds.donation.recorded", object_id="41")
    first, second = events.order_by("id").values(*fields)
    assert first["unit_path"] and first["actor_id"] and first["via"] == "import"  # the control
    assert second == first


def test_record_many_of_targets_needs_their_object_type(db):
    with pytest.raises(ValueError, match="object_type_label"), transaction.atomic():
        audit.record_many(actor=None, action="x.y", objects=[audit.Target(object_id=1, object_repr="X")])
