"""Duplicate and double-help checks look beyond the user's scope on purpose: for records of another
commune they say only that one exists, never its number, unit, head, value or source
(org.access.split_visible).  The checks themselves still stop or ask as before."""

from __future__ import annotations

import datetime as dt

import pytest

from nhandao.beneficiaries import services
from nhandao.beneficiaries.models import Case

from .helpers import category, give, make_case


@pytest.fixture(autouse=True)
def beneficiary_lookups(db):
    from nhandao.beneficiaries.lookups import ensure_lookups

    ensure_lookups()


def _head_of_a_file_in_ngo_quyen(world):
    return make_case(world.commune_b, "Vũ Văn Trùng", cccd="031060000777", date_of_birth=dt.date(1960, 5, 5))


def _register_the_same_head_in_le_chan(world, actor) -> services.DuplicateCaseSuspected:
    with pytest.raises(services.DuplicateCaseSuspected) as exc:
        services.case_create(
            actor=actor,
            kind="household",
            ward=world.commune_a.ward,
            head_fields={"full_name": "Vũ Văn Trùng", "cccd": "031060000777"},
            allow_duplicate=True,
        )
    return exc.value


def test_a_head_with_an_open_file_in_another_commune_is_refused_without_naming_it(world):
    other = _head_of_a_file_in_ngo_quyen(world)
    refusal = _register_the_same_head_in_le_chan(world, world.entry_a)
    message = refusal.messages[0]
    assert refusal.blocking
    assert other.number not in message and world.commune_b.name not in message
    assert "ngoài phạm vi của bạn" in message


def test_a_head_with_an_open_file_is_named_to_a_user_who_may_see_it(world):
    other = _head_of_a_file_in_ngo_quyen(world)
    message = _register_the_same_head_in_le_chan(world, world.city_admin).messages[0]
    assert other.number in message and world.commune_b.name in message


def test_the_registration_page_does_not_link_a_file_of_another_commune(world):
    other = _head_of_a_file_in_ngo_quyen(world)
    response = world.client(world.entry_a).post(
        "/doi-tuong/them/",
        {
            "kind": "household",
            "ward_text": "Phường Lê Chân",
            "address_detail": "Số 1 Lạch Tray",
            "full_name": "Vũ Văn Trùng",
            "cccd": "031060000777",
            "sex": "M",
            "birth": "05/05/1960",
            "category": category("ho-can-ngheo").pk,
            "evidence_number": "88/GCN",
            "evidence_year": "2026",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Case.objects.filter(unit=world.commune_a).exists()
    assert other.number not in html and f"/doi-tuong/{other.pk}/" not in html
    assert world.commune_b.name not in html


def _person_in_two_households(world):
    child = make_case(world.commune_b, "Cù Văn Hai", kind="individual")
    household = make_case(world.commune_a, "Cù Văn Một")
    services.member_add(
        actor=None, case=household, relationship="child", person=child.head, allow_other_household=True
    )
    return child, household


def test_double_help_given_by_another_commune_asks_a_reason_without_saying_what_it_was(world):
    child, household = _person_in_two_households(world)
    earlier = give(
        child, world.commune_b, kind="scholarship", days_ago=5, value=1_234_000, source="Quỹ khuyến học NQ"
    )
    with pytest.raises(services.DoubleHelpSuspected) as exc:
        give(household, kind="scholarship", actor=world.entry_a)
    message = exc.value.messages[0]
    assert exc.value.earlier == [earlier]
    assert "lý do" in message and "ngoài phạm vi của bạn" in message
    for secret in (world.commune_b.name, "1.234.000", "Quỹ khuyến học NQ"):
        assert secret not in message, secret


def test_double_help_in_the_users_own_commune_is_described(world):
    household = make_case(world.commune_a, "Cù Văn Ba")
    give(household, world.commune_a, kind="scholarship", days_ago=5, value=1_234_000)
    with pytest.raises(services.DoubleHelpSuspected) as exc:
        give(household, kind="scholarship", actor=world.entry_a)
    message = exc.value.messages[0]
    assert world.commune_a.name in message and "1.234.000" in message
