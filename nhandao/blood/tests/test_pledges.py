"""Organ, tissue and body donation pledges: consent per purpose, withdrawal, the card, counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nhandao.blood import selectors, services
from nhandao.blood.models import OrganPledge

pytestmark = pytest.mark.django_db


def pledge(world, purposes=("tissue", "body"), **kw):
    fields = {
        "full_name": "Trịnh Văn Hậu",
        "date_of_birth": dt.date(1960, 2, 2),
        "sex": "M",
        "phone": "0913000111",
    }
    fields.update(kw)
    return services.pledge_register(
        actor=world.entry_a, unit=world.commune_a, purposes=list(purposes), **fields
    )


def test_consent_is_recorded_per_purpose_and_never_implied(world):
    p = pledge(world)
    assert sorted(p.consents.values_list("purpose", flat=True)) == ["body", "tissue"]
    with pytest.raises(ValidationError, match="ít nhất một mục đích"):
        pledge(world, purposes=(), full_name="Người Khác", phone="0913000222")


def test_a_minor_cannot_pledge_and_a_second_active_pledge_is_refused(world):
    with pytest.raises(ValidationError, match="18 tuổi"):
        pledge(world, date_of_birth=dt.date(2015, 1, 1))
    pledge(world)
    with pytest.raises(ValidationError, match="đang hiệu lực"):
        pledge(world)


def test_withdrawing_a_purpose_then_the_rest_withdraws_the_pledge(world):
    p = pledge(world)
    services.pledge_withdraw(actor=world.entry_a, pledge=p, purpose="body")
    p.refresh_from_db()
    assert p.withdrawn_on is None
    assert [c["n"] for c in selectors.pledge_counts(world.manager_a)] == [1]
    services.pledge_withdraw(actor=world.entry_a, pledge=p, purpose="tissue")
    p.refresh_from_db()
    assert p.withdrawn_on is not None and selectors.pledge_counts(world.manager_a) == []


def test_the_card_prints_and_other_units_are_refused(world):
    p = pledge(world)
    page = world.client(world.viewer_a).get(reverse("blood:pledge", args=[p.pk])).content.decode()
    assert p.code in page and "Trịnh Văn Hậu" in page
    other = world.client(world.manager_b)
    assert other.get(reverse("blood:pledge", args=[p.pk])).status_code == 404
    assert other.post(reverse("blood:pledge_withdraw", args=[p.pk])).status_code == 404
    assert "Trịnh Văn Hậu" not in other.get(reverse("blood:pledges")).content.decode()


def test_registering_through_the_form(world):
    response = world.client(world.entry_a).post(
        reverse("blood:pledge_create"),
        {
            "full_name": "Mai Thị Thu", "date_of_birth": "03/03/1975", "sex": "F", "phone": "0913000333",
            "unit": world.commune_a.pk, "pledged_on": dt.date.today().strftime("%d/%m/%Y"), "purposes": ["organs"],
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert OrganPledge.objects.get().consents.get().purpose == "organs"
