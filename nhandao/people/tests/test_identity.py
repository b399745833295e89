"""CCCD checks explain every mismatch; 9-digit CMND is accepted as a legacy ID."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from nhandao.people import identity, services


@pytest.fixture
def provinces(geo):
    identity.province_codes.cache_clear()
    yield
    identity.province_codes.cache_clear()


def test_a_consistent_cccd_has_no_problems(provinces):
    # 031 Hải Phòng, 1 = woman born in the 1900s, 85 = 1985
    assert identity.cccd_problems("031185000123", sex="F", date_of_birth=dt.date(1985, 3, 2)) == []


def test_a_wrong_sex_digit_is_explained(provinces):
    problems = identity.cccd_problems("031085000123", sex="F", birth_year=1985)
    assert len(problems) == 1
    assert (
        "chữ số thứ tư là 0" in problems[0] and "nam" in problems[0] and "giới tính ghi là nữ" in problems[0]
    )


def test_a_wrong_birth_year_is_explained(provinces):
    problems = identity.cccd_problems("031185000123", sex="F", date_of_birth=dt.date(1986, 5, 1))
    assert problems == [
        "Số CCCD 031185000123 cho biết năm sinh 1985 (chữ số 4–6 là “185”), nhưng ngày sinh ghi là 01/05/1986."
    ]


def test_the_century_digit_covers_the_2000s(provinces):
    assert identity.cccd_problems("001305000001", sex="F", birth_year=2005) == []
    assert identity.cccd_problems("001205000001", sex="M", birth_year=2005) == []
    assert identity.cccd_problems("001205000001", sex="M", birth_year=1905) != []


def test_an_unknown_province_code_is_refused(provinces):
    problems = identity.cccd_problems("099185000123")
    assert problems and "mã tỉnh nơi đăng ký khai sinh “099” không tồn tại" in problems[0]


def test_hai_duong_and_ha_noi_codes_exist(provinces):
    assert identity.cccd_problems("030185000123") == []
    assert identity.cccd_problems("001185000123") == []


def test_wrong_length_is_refused(provinces):
    assert "12 chữ số" in identity.cccd_problems("03118500012")[0]


def test_excel_dropping_the_leading_zero_is_repaired():
    assert identity.clean_id(31185000123.0) == "031185000123"
    assert identity.clean_id("031 185 000 123") == "031185000123"


def test_masking_keeps_province_century_and_last_two_digits():
    assert identity.masked("031285000189") == "0312••••••89"


def test_a_nine_digit_number_is_stored_as_the_legacy_cmnd(world):
    p = services.person_create(actor=None, unit=world.commune_a, full_name="Lê Văn Cũ", cccd="031234567")
    assert p.cccd is None and p.legacy_id_number == "031234567"


def test_a_cccd_is_unique_across_persons(world):
    services.person_create(
        actor=None,
        unit=world.commune_a,
        full_name="Lê Thị Một",
        sex="F",
        birth_year=1985,
        cccd="031185000123",
    )
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            actor=None,
            unit=world.commune_b,
            full_name="Trần Thị Hai",
            sex="F",
            birth_year=1985,
            cccd="031185000123",
        )
    assert "đã có trong hồ sơ của một người khác" in str(exc.value)


def test_creating_a_person_with_a_mismatching_cccd_writes_nothing(world):
    from nhandao.people.models import Person

    with pytest.raises(ValidationError) as exc:
        services.person_create(
            actor=world.entry_a,
            unit=world.commune_a,
            full_name="Lê Văn Sai",
            sex="M",
            birth_year=1985,
            cccd="031185000123",
        )
    assert "cccd" in exc.value.error_dict
    assert not Person.objects.filter(full_name="Lê Văn Sai").exists()
