"""Vietnamese text normalisation for search.

A search key is the text lower-cased, without diacritics, with đ -> d and runs
of whitespace collapsed, so that "Nguyễn Văn A", "NGUYEN VAN A" and
"nguyen  van a" all give "nguyen van a".  Models that are searchable store the
key in an indexed column and queries compare keys, never raw text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

_SPACES = re.compile(r"\s+")
_D_TABLE = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def normalize(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.isascii():  # most bank memos: the same result, ten times faster
        return " ".join(text.lower().split())
    if len(text) <= 120:
        return _normalize_cached(text)
    return _normalize(text)


@functools.lru_cache(maxsize=100_000)
def _normalize_cached(value: str) -> str:
    # Names, headers and place names repeat thousands of times in an import.
    return _normalize(value)


def _normalize(value: str) -> str:
    text = value.translate(_D_TABLE)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def search_key(*parts: object) -> str:
    """The search key of several fields joined by spaces (empty parts skipped)."""
    return " ".join(k for k in (normalize(p) for p in parts) if k)


def nfc(value: str) -> str:
    """Canonical composed form: the same name typed on two keyboards compares equal."""
    return unicodedata.normalize("NFC", value)


def clean_spaces(value: str | None) -> str:
    # str.split() splits on exactly the characters `\s` matches (str.isspace), so this is
    # _SPACES.sub(" ", ...).strip(), without the regex; ASCII text is already NFC.
    text = value or ""
    return " ".join((text if text.isascii() else nfc(text)).split())


def title_name(value: str) -> str:
    """'NGUYỄN  thị  mai' -> 'Nguyễn Thị Mai' (names typed in capitals are common)."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in clean_spaces(value).split(" ") if w)


def initials(value: str) -> str:
    """'Nguyễn Thị Mai' -> 'N.T.M.' (how donors who ask for initials appear)."""
    letters = [w[0] for w in clean_spaces(value).split(" ") if w]
    return "".join(f"{normalize(ch).upper() or ch.upper()}." for ch in letters)


_FOLD_D_TABLE = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})


def fold(value: object) -> str:
    """Diacritics removed, case and spacing kept: 'Ủng hộ Đà Nẵng' -> 'Ung ho Da Nang'.

    Bank memos and VietQR purposes travel as ASCII; this is how Vietnamese text
    is written there (normalize() also lower-cases, which would spoil codes).
    """
    if value is None:
        return ""
    decomposed = unicodedata.normalize("NFD", str(value).translate(_FOLD_D_TABLE))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))


# Characters no person types into a form: C0/C1 controls but tab and newlines, zero-width marks and
# the bidirectional overrides that can disguise a donor's name ("\u202e" turns text around).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200c\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)


def strip_invisible(value: str) -> str:
    """The text without control, zero-width and direction-override characters (input cleaning)."""
    return _INVISIBLE.sub("", value) if value else value


# Words that stay on one line when a name is cut in two (a letterhead): never inside them.
UNBROKEN = ("HỘI CHỮ THẬP ĐỎ", "THÀNH PHỐ", "ĐẶC KHU", "THỊ XÃ", "VIỆT NAM", "HẢI PHÒNG")


def balanced_cut(text: str, width: Callable[[str], float]) -> list[str]:
    """`text` cut at a space into two lines of nearly equal `width` ("HỘI CHỮ THẬP ĐỎ" / "PHƯỜNG LÊ
    CHÂN"), never inside "THÀNH PHỐ" and the other UNBROKEN words; one line if it has one word."""
    words = text.split()
    if len(words) < 2:
        return [text]
    cuts = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    upper = text.upper()
    whole = [
        c
        for c in cuts
        if not any(w in upper and w not in c[0].upper() and w not in c[1].upper() for w in UNBROKEN)
    ]
    return list(min(whole or cuts, key=lambda cut: max(width(cut[0]), width(cut[1]))))
