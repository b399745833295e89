"""Every relief page answers its owner (and each POST-only action refuses a GET), on a small world."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from nhandao.beneficiaries.tests.helpers import make_case
from nhandao.relief.models import Lot, Recipient
from nhandao.relief.services import distributions, stock

from .conftest import receive


@pytest.fixture(autouse=True)
def beneficiary_lookups(db):
    from nhandao.beneficiaries.lookups import ensure_lookups

    ensure_lookups()


def test_every_relief_page_answers_its_owner(world, yagi, catalogue, store_a, django_assert_max_num_queries):
    today = timezone.localdate()
    spare = stock.warehouse_create(actor=world.manager_a, unit=world.commune_a, name="Kho phụ")
    receipt = receive(world, store_a, catalogue["kit"], "30", lot_code="K1")
    receive(world, store_a, catalogue["rice"], "300", lot_code="G1")
    lot = Lot.objects.get(code="K1")
    issue = stock.stock_issue(
        actor=world.entry_a,
        warehouse=store_a,
        issued_on=today,
        purpose="Xuất thử",
        lines=[stock.IssueLine(lot, 1)],
    )
    transfer = stock.transfer_dispatch(
        actor=world.entry_a,
        source=store_a,
        destination=spare,
        dispatched_on=today,
        lines=[stock.IssueLine(lot, 2)],
    )
    count = stock.count_record(
        actor=world.entry_a, warehouse=store_a, counted_on=today, lines=[stock.CountedLine(lot, 26, "Hỏng")]
    )
    package = distributions.package_create(
        actor=world.city_admin, name="Bộ đồ dùng", lines=[distributions.PackageItem(catalogue["kit"], 1)]
    )
    plan = distributions.plan_create(
        actor=world.manager_a,
        incident=yagi,
        commune=world.commune_a,
        warehouse=store_a,
        package=package,
        planned_on=today,
    )
    distributions.recipients_add(actor=world.manager_a, plan=plan, cases=[make_case(world.commune_a)])
    recipient = Recipient.objects.get(plan=plan)
    pages = [
        ("relief:incidents", []),
        ("relief:incident_create", []),
        ("relief:incident", [yagi.pk]),
        ("relief:sitrep", [yagi.pk]),
        ("relief:report_create", [yagi.pk]),
        ("relief:commune_history", [yagi.pk, world.commune_a.pk]),
        ("relief:distribution_create", [yagi.pk]),
        ("relief:warehouses", []),
        ("relief:warehouse_create", []),
        ("relief:warehouse", [store_a.pk]),
        ("relief:receipt_create", [store_a.pk]),
        ("relief:issue_create", [store_a.pk]),
        ("relief:transfer_create", [store_a.pk]),
        ("relief:count_create", [store_a.pk]),
        ("relief:receipt", [receipt.pk]),
        ("relief:issue", [issue.pk]),
        ("relief:transfer", [transfer.pk]),
        ("relief:count", [count.pk]),
        ("relief:items", []),
        ("relief:packages", []),
        ("relief:distribution", [plan.pk]),
        ("relief:distribution_print", [plan.pk]),
        ("relief:recipient_confirm", [recipient.pk]),
    ]
    manager = world.client(world.manager_a)
    for name, args in pages:
        with django_assert_max_num_queries(40):
            response = manager.get(reverse(name, args=args))
        assert response.status_code == 200, name
    admin = world.client(world.city_admin)
    for name in ("relief:item_create", "relief:package_create"):
        assert admin.get(reverse(name)).status_code == 200
        assert manager.get(reverse(name)).status_code == 403
    for name, args in (
        ("relief:incident_edit", [yagi.pk]),
        ("relief:area_set", [yagi.pk]),
        ("relief:count_decide", [count.pk]),
        ("relief:distribution_fill", [plan.pk]),
        ("relief:distribution_close", [plan.pk]),
    ):
        assert manager.get(reverse(name, args=args)).status_code == 405, name
    # The approver decides the count through its page's form.
    approver = world.client(world.finance_approver_a)
    assert "Duyệt và điều chỉnh" in approver.get(reverse("relief:count", args=[count.pk])).content.decode()
    assert (
        approver.post(reverse("relief:count_decide", args=[count.pk]), {"decision": "approve"}).status_code
        == 302
    )
    # The destination receives the transfer through its page.
    line = transfer.lines.get()
    response = manager.post(
        reverse("relief:transfer", args=[transfer.pk]),
        {"received_on": today.strftime("%d/%m/%Y"), f"received_{line.pk}": "2", f"note_{line.pk}": ""},
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == "received"


def test_stock_documents_through_their_forms(world, catalogue, store_a):
    client = world.client(world.entry_a)
    today = timezone.localdate().strftime("%d/%m/%Y")
    management = {
        "dong-TOTAL_FORMS": "5",
        "dong-INITIAL_FORMS": "0",
        "dong-MIN_NUM_FORMS": "0",
        "dong-MAX_NUM_FORMS": "50",
    }
    response = client.post(
        reverse("relief:receipt_create", args=[store_a.pk]),
        {
            "received_on": today,
            "source": "other",
            **management,
            "dong-0-item": catalogue["rice"].pk,
            "dong-0-quantity": "250,5",
            "dong-0-lot_code": "G-FORM",
        },
    )
    assert response.status_code == 302
    lot = Lot.objects.get(code="G-FORM")
    response = client.post(
        reverse("relief:issue_create", args=[store_a.pk]),
        {
            "issued_on": today,
            "purpose": "Phát gạo",
            **management,
            "dong-0-lot": lot.pk,
            "dong-0-quantity": "300",
        },
    )
    assert response.status_code == 200
    assert "chỉ còn 250,5 kg" in response.content.decode()
