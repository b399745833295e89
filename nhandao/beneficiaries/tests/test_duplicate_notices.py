"""Messages that help (issue 15, point 6): a duplicate notice says what was found and what to do,
and the person found is taken with one click, never by typing a record number."""

from __future__ import annotations

from nhandao.beneficiaries.models import Case

FORM = {
    "kind": "household",
    "ward_text": "Phường Lê Chân",
    "address_detail": "Số 7 Hai Bà Trưng",
    "full_name": "BÙI VĂN MỚI",
    "birth": "1962",
    "sex": "M",
}


def _person(world, name="Bùi Văn Mới", year=1962, unit=None):
    from nhandao.people.models import Person

    p = Person(full_name=name, birth_year=year, unit=unit or world.commune_a)
    p.refresh_keys()
    p.save()
    return p


def test_a_possible_duplicate_household_is_named_with_what_to_do(world):
    client = world.client(world.entry_a)
    assert client.post("/doi-tuong/them/", FORM).status_code == 302
    first = Case.objects.get()
    body = client.post("/doi-tuong/them/", FORM).content.decode()
    assert "Hộ này có thể đã có hồ sơ:" in body and first.number in body
    assert "Việc cần làm: nếu đúng là hộ đó, mở hồ sơ đã có để cập nhật" in body
    assert "mã hồ sơ người đã có" not in body.split('id="record-form"')[0]
    assert Case.objects.count() == 1


def test_a_person_found_is_used_with_one_click(world):
    person = _person(world)
    client = world.client(world.entry_a)
    body = client.post("/doi-tuong/them/", FORM).content.decode()
    assert "Tìm thấy 1 người có thể chính là người này" in body
    assert f'name="use_person" value="{person.pk}"' in body and "Việc cần làm" in body
    response = client.post("/doi-tuong/them/", {**FORM, "use_person": str(person.pk)})
    assert response.status_code == 302
    assert Case.objects.get().head == person


def test_a_person_found_beyond_the_scope_is_only_counted(world):
    _person(world, unit=world.commune_b)
    body = world.client(world.entry_a).post("/doi-tuong/them/", FORM).content.decode()
    assert "ở đơn vị ngoài phạm vi của bạn (bạn không xem được chi tiết)" in body
    assert "use_person" not in body and world.commune_b.name not in body


def test_use_person_cannot_reach_someone_of_another_unit(world):
    other = _person(world, unit=world.commune_b)
    body = world.client(world.entry_a).post("/doi-tuong/them/", {**FORM, "use_person": str(other.pk)})
    assert body.status_code == 200 and not Case.objects.exists()
