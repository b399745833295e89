"""A beneficiary is not shown by the people registry unless they also hold a registry role."""

import datetime as dt

from nhandao.people.models import PersonRole

from .helpers import make_case


def test_a_beneficiary_head_is_not_found_in_the_people_registry(world):
    case = make_case(world.commune_a, "Đặng Thị Nở", sex="F")
    users = (world.city_admin, world.inspector, world.entry_a)
    for user in users:
        client = world.client(user)
        body = client.get("/nguoi/", {"q": "dang thi no"}).content.decode()
        assert "Đặng Thị Nở" not in body
        assert client.get(f"/nguoi/{case.head_id}/").status_code == 404
    # The same search and page do find her once she holds a registry role: the checks above could fail.
    PersonRole.objects.create(
        person=case.head, unit=world.commune_a, kind="member", status="active", started_on=dt.date(2025, 8, 1)
    )
    for user in users:
        client = world.client(user)
        assert "Đặng Thị Nở" in client.get("/nguoi/", {"q": "dang thi no"}).content.decode()
        assert client.get(f"/nguoi/{case.head_id}/").status_code == 200


def test_a_beneficiary_who_is_also_a_volunteer_is_in_the_registry(world):
    case = make_case(world.commune_a, "Lương Văn Tình")
    PersonRole.objects.create(
        person=case.head,
        unit=world.commune_a,
        kind="volunteer",
        status="active",
        started_on=dt.date(2025, 8, 1),
    )
    client = world.client(world.entry_a)
    assert "Lương Văn Tình" in client.get("/nguoi/", {"q": "luong van tinh"}).content.decode()
    assert client.get(f"/nguoi/{case.head_id}/").status_code == 200
