from collections import Counter

from nhandao.geo import loader
from nhandao.geo.models import (
    LegacyDistrict,
    LegacyProvince,
    LegacyWard,
    Province,
    Ward,
    WardConversion,
)
from nhandao.geo.selectors import resolve_address


def test_all_current_and_former_units_are_loaded(geo):
    assert Province.objects.count() == 34
    assert Ward.objects.count() == 3321
    assert LegacyProvince.objects.count() == 63
    assert LegacyDistrict.objects.count() == 696
    assert 10000 <= LegacyWard.objects.count() <= 10100
    assert WardConversion.objects.count() > 10000


def test_hai_phong_has_114_commune_level_units(geo):
    hp = Ward.objects.filter(province_id="31")
    assert Province.objects.get(code="31").name == "Thành phố Hải Phòng"
    assert hp.count() == 114
    assert Counter(hp.values_list("division_type", flat=True)) == {"phường": 45, "xã": 67, "đặc khu": 2}
    assert set(hp.filter(division_type="đặc khu").values_list("name", flat=True)) == {
        "Đặc khu Cát Hải",
        "Đặc khu Bạch Long Vĩ",
    }


def test_old_hai_phong_and_hai_duong_became_the_new_city(geo):
    assert set(LegacyProvince.objects.filter(successor_id="31").values_list("code", flat=True)) == {
        "30",
        "31",
    }
    assert LegacyDistrict.objects.filter(province_id="31").count() == 15
    assert LegacyDistrict.objects.filter(province_id="30").count() == 12


def test_loading_again_creates_no_duplicates(geo):
    before = (Ward.objects.count(), LegacyWard.objects.count(), WardConversion.objects.count())
    counts = loader.load()
    assert (counts["wards"], counts["legacy_wards"], counts["conversions"]) == before


def test_codes_are_zero_padded_official_codes(geo):
    assert Ward.objects.get(name="Phường Lê Chân", province_id="31").code == "11383"
    assert LegacyDistrict.objects.get(code="305").name == "Quận Lê Chân"


def test_a_current_name_resolves_directly(geo):
    match = resolve_address("Phường Lê Chân")
    assert match.ok and match.ward.name == "Phường Lê Chân" and match.legacy is None


def test_an_old_commune_with_one_successor_is_translated(geo):
    match = resolve_address("Phường Hàng Kênh, Quận Lê Chân")
    assert match.ok
    assert match.ward.name == "Phường Lê Chân"
    assert match.legacy.name == "Phường Hàng Kênh"


def test_old_address_without_diacritics_and_abbreviated(geo):
    match = resolve_address("xa dai dong, h. kien thuy")
    assert match.ok and match.ward.name == "Xã Kiến Minh"


def test_an_old_commune_split_between_units_is_flagged(geo):
    match = resolve_address("P. Cầu Đất, Q. Ngô Quyền")
    assert not match.ok
    assert {w.name for w in match.candidates} == {"Phường Gia Viên", "Phường Lê Chân"}
    assert "nhiều đơn vị" in match.problem


def test_an_unknown_name_is_flagged(geo):
    match = resolve_address("Phường Không Có")
    assert not match.ok and "Không tìm thấy" in match.problem
