import pytest
from hypothesis import given
from hypothesis import strategies as st

from nhandao.core.vnwords import MAX, amount_in_words, number_in_words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (1, "một"),
        (4, "bốn"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi bốn"),
        (25, "hai mươi lăm"),
        (55, "năm mươi lăm"),
        (91, "chín mươi mốt"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (104, "một trăm linh bốn"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (111, "một trăm mười một"),
        (115, "một trăm mười lăm"),
        (121, "một trăm hai mươi mốt"),
        (500, "năm trăm"),
        (1000, "một nghìn"),
        (1005, "một nghìn không trăm linh năm"),
        (1010, "một nghìn không trăm mười"),
        (1100, "một nghìn một trăm"),
        (10_000, "mười nghìn"),
        (15_000, "mười lăm nghìn"),
        (21_000, "hai mươi mốt nghìn"),
        (105_000, "một trăm linh năm nghìn"),
        (500_000, "năm trăm nghìn"),
        (1_000_000, "một triệu"),
        (1_000_010, "một triệu không trăm mười"),
        (1_250_000, "một triệu hai trăm năm mươi nghìn"),
        (50_000_000, "năm mươi triệu"),
        (1_000_000_000, "một tỷ"),
        (1_000_000_005, "một tỷ không trăm linh năm"),
        (1_005_000_000, "một tỷ không trăm linh năm triệu"),
        (1_000_005_000, "một tỷ không trăm linh năm nghìn"),
        (
            135_055_960_736,
            "một trăm ba mươi lăm tỷ không trăm năm mươi lăm triệu chín trăm sáu mươi nghìn bảy trăm ba mươi sáu",
        ),
        (1_000_000_000_000, "một nghìn tỷ"),
        (1_500_000_000_000, "một nghìn năm trăm tỷ"),
        (
            MAX,
            "chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu"
            " chín trăm chín mươi chín nghìn chín trăm chín mươi chín",
        ),
    ],
)
def test_number_in_words_reads_the_tricky_cases(n, words):
    assert number_in_words(n) == words


def test_four_after_tens_can_be_read_tu():
    assert number_in_words(24, four="tư") == "hai mươi tư"
    assert number_in_words(14, four="tư") == "mười bốn"  # never "mười tư"
    assert number_in_words(104, four="tư") == "một trăm linh bốn"  # never "linh tư"


def test_southern_variants_are_available():
    assert number_in_words(105_000, odd="lẻ", thousand="ngàn") == "một trăm lẻ năm ngàn"


def test_amount_in_words_is_capitalised_with_the_currency():
    assert amount_in_words(50_000_000) == "Năm mươi triệu đồng"
    assert amount_in_words(0) == "Không đồng"
    assert amount_in_words(1_250_000) == "Một triệu hai trăm năm mươi nghìn đồng"


@pytest.mark.parametrize("bad", [-1, MAX + 1])
def test_out_of_range_is_refused(bad):
    with pytest.raises(ValueError):
        number_in_words(bad)


@pytest.mark.parametrize("bad", [1.0, "5", None, True])
def test_non_integers_are_refused(bad):
    with pytest.raises(TypeError):
        number_in_words(bad)


# An independent reader: words back to a number, to check every output round-trips.
_VALUES = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}


def _read(words: str) -> int:
    total = 0  # completed billions
    section = 0  # below a billion, completed millions/thousands
    group = 0  # current group below a thousand
    for word in words.split():
        if word in _VALUES:
            group += _VALUES[word]
        elif word == "mười":
            group += 10
        elif word == "mươi":
            group = group - group % 10 + (group % 10) * 10
        elif word == "trăm":
            group *= 100
        elif word == "linh":
            continue
        elif word == "nghìn":
            section += group * 1000
            group = 0
        elif word == "triệu":
            section += group * 1_000_000
            group = 0
        elif word == "tỷ":
            total = (section + group) * 1_000_000_000
            section = group = 0
        else:
            raise AssertionError(word)
    return total + section + group


@given(st.integers(min_value=0, max_value=MAX))
def test_every_number_round_trips(n):
    assert _read(number_in_words(n)) == n


@given(st.integers(min_value=0, max_value=MAX))
def test_forbidden_combinations_never_appear(n):
    text = f" {number_in_words(n)} "
    for wrong in (" mười mốt ", " mươi một ", " mười năm ", " mươi năm ", " linh lăm ", " linh mốt "):
        assert wrong not in text
    # A leading group never starts with "không trăm".
    assert not text.startswith(" không trăm")
