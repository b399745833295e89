import random

from hypothesis import given
from hypothesis import strategies as st

from nhandao.core import refcodes
from nhandao.core.refcodes import ALPHABET, find_in_text, is_valid, new_code

codes = st.builds(lambda rng: new_code(rng=random.Random(rng)), st.integers(min_value=0, max_value=2**32))


def test_codes_are_short_ascii_unambiguous():
    code = new_code(rng=random.Random(1))
    assert len(code) == 6 and code.isascii() and code.upper() == code
    assert not set(code) & set("01OI")
    assert is_valid(code)


@given(codes, st.integers(min_value=0, max_value=5), st.sampled_from(ALPHABET))
def test_every_single_character_typo_is_detected(code, pos, ch):
    if code[pos] == ch:
        return
    typo = code[:pos] + ch + code[pos + 1 :]
    assert not is_valid(typo)


@given(codes, st.integers(min_value=0, max_value=4))
def test_every_adjacent_swap_is_detected(code, pos):
    if code[pos] == code[pos + 1]:
        return
    swapped = code[:pos] + code[pos + 1] + code[pos] + code[pos + 2 :]
    assert not is_valid(swapped)


def test_codes_are_found_in_real_looking_memos():
    code = new_code(rng=random.Random(7))
    memo = f"MBVCB.123456.789.ung ho bao yagi {code.lower()}.CT tu 0011 NGUYEN VAN A toi 1261122666"
    assert [f.code for f in find_in_text(memo) if f.valid] == [code]


def test_a_mistyped_code_is_found_but_not_valid():
    code = new_code(rng=random.Random(9))
    typo = code[:-1] + ("2" if code[-1] != "2" else "3")
    found = list(find_in_text(f"ung ho {typo}"))
    assert found and not found[0].valid


def test_ordinary_words_are_not_codes():
    assert list(find_in_text("UNG HO DONG BAO MIEN BAC BAO YAGI THANKS")) == []


def test_new_code_avoids_existing_ones():
    taken = set()
    rng = random.Random(3)
    for _ in range(200):
        taken.add(new_code(taken.__contains__, rng=rng))
    assert len(taken) == 200


def test_check_char_matches_luhn_mod_n():
    # Luhn mod N: doubling from the right, summing digits in base N, total ≡ 0 (mod N).
    code = new_code(rng=random.Random(5))
    total, factor = 0, 1
    for ch in reversed(code):
        addend = factor * refcodes._INDEX[ch]
        total += addend // refcodes.N + addend % refcodes.N
        factor = 2 if factor == 1 else 1
    assert total % refcodes.N == 0


def test_all_adjacent_swaps_of_issued_codes_are_detected_exhaustively():
    rng = random.Random(11)
    for _ in range(3000):
        code = new_code(rng=rng)
        for pos in range(5):
            if code[pos] != code[pos + 1]:
                assert not is_valid(code[:pos] + code[pos + 1] + code[pos] + code[pos + 2 :]), code


def test_numbers_in_memos_are_not_taken_for_mistyped_codes():
    assert list(find_in_text("CT tu 012345 toi 1261122666 ngay 100924")) == []


def test_a_code_is_taken_when_any_registered_owner_holds_it(monkeypatch):
    monkeypatch.setattr(refcodes, "_OWNERS", [])
    refcodes.register_owner(lambda code: code == "K7M2QX")
    refcodes.register_owner(lambda code: code == "AB23CD")
    assert refcodes.taken("K7M2QX") and refcodes.taken("AB23CD")
    assert not refcodes.taken("ZZ99ZZ")
