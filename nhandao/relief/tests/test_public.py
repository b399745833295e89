"""The portal's incident page: totals by commune and the response, no names, only for incidents an
appeal the portal publishes finances."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from nhandao.beneficiaries.tests.helpers import make_case
from nhandao.campaigns import services as campaign_services
from nhandao.relief.models import Recipient
from nhandao.relief.services import distributions
from nhandao.relief.services import incidents as incident_services

from .conftest import receive


@pytest.fixture(autouse=True)
def beneficiary_lookups(db):
    from nhandao.beneficiaries.lookups import ensure_lookups

    ensure_lookups()


def test_the_public_incident_page_shows_totals_and_no_names(world, yagi, catalogue, store_a):
    url = reverse("portal:incident", args=[yagi.pk])
    assert world.client().get(url).status_code == 404  # no public appeal finances it yet
    appeal = campaign_services.campaign_create(
        actor=world.city_admin,
        unit=world.city,
        name="Ủng hộ đồng bào bão số 3",
        kind="appeal",
        starts_on=timezone.localdate() - dt.timedelta(days=3),
        ends_on=timezone.localdate() + dt.timedelta(days=30),
    )
    campaign_services.campaign_open(actor=world.city_admin, campaign=appeal)
    incident_services.incident_update(
        actor=world.city_admin, incident=yagi, status=yagi.status, campaigns=[appeal]
    )
    incident_services.field_report_file(
        actor=world.entry_a,
        incident=yagi,
        commune=world.commune_a,
        source="authority",
        figures={"houses_damaged": 40},
    )
    receive(world, store_a, catalogue["kit"], "10", lot_code="K1")
    package = distributions.package_create(
        actor=world.city_admin, name="Bộ đồ dùng", lines=[distributions.PackageItem(catalogue["kit"], 1)]
    )
    plan = distributions.plan_create(
        actor=world.manager_a,
        incident=yagi,
        commune=world.commune_a,
        warehouse=store_a,
        package=package,
        planned_on=timezone.localdate(),
    )
    case = make_case(world.commune_a, "Nguyễn Thị Bí Mật")
    distributions.recipients_add(actor=world.manager_a, plan=plan, cases=[case])
    distributions.recipient_confirm(actor=world.entry_a, recipient=Recipient.objects.get(plan=plan))

    response = world.client().get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bão số 3 – Yagi" in html and "450.000" in html and "Bộ đồ dùng gia đình" in html
    assert "Bí Mật" not in html and case.number not in html
