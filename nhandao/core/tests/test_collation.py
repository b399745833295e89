"""Vietnamese order (issue 15, point 4): A < Ă < Â < B … D < Đ < E … O < Ô < Ơ < P, on both databases."""

from __future__ import annotations

from nhandao.core import collation

# "Ái" and "An" differ in their letters (i < n) before their tones, so Ái comes first:
EXPECTED = [
    "Ái",
    "An",
    "Anh",
    "Ăn",
    "Ẩn",
    "Bình",
    "Dũng",
    "Đức",
    "Em",
    "Ê",
    "Oanh",
    "Ô Môn",
    "Ơn",
    "Pha",
    "Ưng",
    "Vân",
]
SHUFFLED = [EXPECTED[i] for i in (5, 0, 12, 3, 15, 7, 1, 9, 14, 2, 11, 6, 13, 4, 10, 8)]


def test_python_sort_puts_letters_with_marks_after_their_base():
    assert collation.vi_sorted(reversed(EXPECTED)) == EXPECTED


def test_stored_sort_key_orders_letters_bytewise():
    assert sorted(SHUFFLED, key=collation.sort_key) == EXPECTED
    assert collation.sort_key("Đỗ Thị Hằng").isascii()


def test_tones_break_ties_after_the_letters():
    assert collation.vi_sorted(["Hóa", "Hỏa", "Hoa", "Hòa", "Họa", "Hõa"]) == [
        "Hoa",
        "Hòa",
        "Hỏa",
        "Hõa",
        "Hóa",
        "Họa",
    ]
