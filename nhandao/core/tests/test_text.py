import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nhandao.core.text import clean_spaces, initials, nfc, normalize, search_key, title_name


@pytest.mark.parametrize(
    "raw",
    ["Nguyễn Văn A", "NGUYEN VAN A", "nguyen van a", "  Nguyễn   Văn\tA ", "NGUYỄN VĂN A"],
)
def test_variants_of_a_name_share_one_key(raw):
    assert normalize(raw) == "nguyen van a"


def test_d_with_stroke_becomes_d():
    assert normalize("Đặng Đình Đức") == "dang dinh duc"
    assert normalize("đ") == normalize("Đ") == "d"


def test_decomposed_and_composed_unicode_match():
    composed = "Hồng Bàng"
    decomposed = "Ho\u0302\u0300ng Ba\u0300ng"
    assert normalize(composed) == normalize(decomposed) == "hong bang"


def test_search_key_joins_non_empty_parts():
    assert search_key("Lê Thị Hoa", None, "", "0912 345 678") == "le thi hoa 0912 345 678"


def test_none_is_empty():
    assert normalize(None) == ""


def test_names_typed_in_capitals_are_titled():
    assert title_name("NGUYỄN  thị  MAI") == "Nguyễn Thị Mai"


def test_initials_drop_diacritics():
    assert initials("Nguyễn Thị Mai") == "N.T.M."
    assert initials("Đỗ Văn Ánh") == "D.V.A."


def test_fold_strips_diacritics_but_keeps_case():
    from nhandao.core.text import fold

    assert fold("Ủng hộ Đà Nẵng K7M2QX") == "Ung ho Da Nang K7M2QX"
    assert fold(None) == ""


_SPACES = re.compile(r"\s+")


@given(st.text())
def test_clean_spaces_is_the_regex_collapse_of_the_composed_text(value):
    # clean_spaces splits on str.isspace instead of running a regex; the result must not change.
    assert clean_spaces(value) == _SPACES.sub(" ", nfc(value)).strip()


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_key_is_the_regex_collapse_of_the_lower_cased_text(value):
    assert normalize(value) == _SPACES.sub(" ", value.lower()).strip()
