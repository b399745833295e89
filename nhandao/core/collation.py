"""Vietnamese alphabetical order: A < Ă < Â < B … D < Đ < E < Ê … O < Ô < Ơ < P … U < Ư < V.

One home for sorting by name, on both databases:

* `order_by_name(qs, "name", "id")` / `vi(field)` sort in SQL with a Vietnamese collation:
  PostgreSQL's ICU collation "vi-VN-x-icu" (made by core's migration 0006 when the server lacks
  it), and on SQLite a collation of the same name registered on every connection with
  `compare` below (letters first, then tones, then case, as ICU's Vietnamese tailoring does).
  Use it for lists of units, funds, campaigns, agencies, warehouses… (hundreds of rows).
* `sort_key(text)` is a plain ASCII key whose byte order is the Vietnamese letter order (tones
  ignored, as a secondary difference). Large lists paginated in SQL (people, households: a
  quarter of a million rows) store it in an indexed `sort_key` column and order by the column,
  which keeps the index and the benchmarks; the databases are created with the C.UTF-8
  collation (bytewise), as `bench/_db.py` and the deployment notes do.
* `vi_sorted(items, key=…)` sorts a small Python list the same way.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db.models import F
from django.db.models.expressions import Expression
from django.db.models.functions import Collate

COLLATION = "vi-VN-x-icu"

T = TypeVar("T")

# Letters with a modifier that Vietnamese counts as letters of their own, after their base
# (ă â đ ê ô ơ ư). In `sort_key` the base letter is followed by "{" or "|", which sort after
# every ASCII letter, digit and space: "anh" < "az" < "ăn" < "ân" < "ba".
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_MODIFIERS = {
    ("a", _BREVE): "{",
    ("a", _CIRCUMFLEX): "|",
    ("e", _CIRCUMFLEX): "{",
    ("o", _CIRCUMFLEX): "{",
    ("o", _HORN): "|",
    ("u", _HORN): "{",
}
# Tones, in the order of Vietnamese dictionaries: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}


@functools.lru_cache(maxsize=100_000)
def _keys(text: str) -> tuple[str, str, str]:
    """(letters, tones, case) of a text: the three levels of the comparison."""
    letters: list[str] = []
    tones: list[str] = []
    case: list[str] = []
    for ch in unicodedata.normalize("NFC", " ".join(text.split())):
        lower = ch.lower()
        case.append("1" if ch != lower else "0")
        if lower in ("đ", "ð"):
            letters.append("d{")
            tones.append("0")
            continue
        decomposed = unicodedata.normalize("NFD", lower)
        base, marks = decomposed[0], decomposed[1:]
        if not base.isascii():
            letters.append(base)
            tones.append("0")
            continue
        modifier = ""
        tone = "0"
        for mark in marks:
            if (base, mark) in _MODIFIERS:
                modifier = _MODIFIERS[base, mark]
            elif mark in _TONES:
                tone = _TONES[mark]
        letters.append(base + modifier)
        tones.append(tone)
    return "".join(letters), "".join(tones), "".join(case)


def sort_key(text: object, max_length: int | None = None) -> str:
    """ASCII key whose byte order is the Vietnamese order of the letters (tones and case ignored)."""
    key = _keys(str(text or ""))[0]
    return key[:max_length] if max_length else key


def full_key(text: object) -> tuple[str, str, str]:
    """Key for Python sorting: letters, then tones, then lower before upper case."""
    return _keys(str(text or ""))


def compare(a: str | None, b: str | None) -> int:
    """The SQLite collation function: negative, zero or positive, like ICU's comparison."""
    ka, kb = full_key(a), full_key(b)
    return (ka > kb) - (ka < kb)


def vi_sorted(items: Iterable[T], key: Callable[[T], object] = str) -> list[T]:
    return sorted(items, key=lambda item: full_key(key(item)))


class ViCollate(Collate):
    """`Collate(field, "vi-VN-x-icu")`; the name is the same on SQLite (registered in core's ready())."""

    def __init__(self, expression):
        super().__init__(expression, COLLATION)


def vi(field: str | Expression) -> Collate:
    """An expression to order by: `qs.order_by(vi("name"))`, or `vi("name").desc()`."""
    return ViCollate(F(field) if isinstance(field, str) else field)


def order_by_name(qs, *fields: str):
    """Order a queryset by its name fields in Vietnamese order; other fields ("id", "-date",
    "depth") as given. A name field is written with a leading "~": `order_by_name(qs, "depth",
    "~name", "id")`; without any "~", the first field is the name: `order_by_name(qs, "name", "id")`."""
    if not any(f.startswith("~") for f in fields):
        fields = ("~" + fields[0], *fields[1:])
    terms = []
    for f in fields:
        if f.startswith("~"):
            name = f[1:]
            desc = name.startswith("-")
            expr = vi(name.lstrip("-"))
            terms.append(expr.desc() if desc else expr.asc())
        else:
            terms.append(f)
    return qs.order_by(*terms)


def register_sqlite(sender, connection, **kwargs) -> None:
    """connection_created receiver: the Vietnamese collation on every SQLite connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, compare)
