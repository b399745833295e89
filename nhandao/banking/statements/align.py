"""Lining a row up with its header when their cell counts differ, by the type of each cell.

Text converted from PDF, and some exports, do not keep one cell per header
column: an empty cell is dropped (a credit-only extract whose header still
names a debit column; a missing sender account), the column separator occurs
inside a memo, or two cells are glued into one ("500.000 1.500.000", an amount
and the balance; "500.000 FT24254123456789", an amount and a reference).

A row whose cell count is the header's is read by position, as the file says.
Any other row is lined up here: each cell gets a kind (date, time, small
number, amount, reference or account number, two glued values, text, empty),
each header column a role, and every way of lining the cells up with one
change (one cell split in two, then header columns left without a cell, or
adjacent cells joined into one text column) is scored by how well each
cell's kind fits its column.  The best readings are returned; when several
fit equally well and say different things (the amount under the debit or
under the credit heading), the running balance decides later (checks.py).

The recipes are cached per sequence of kinds, so a file where every row is
short (a credit-only extract) costs one search, then one lookup per row.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

from . import values

# Kinds of cells
EMPTY = "E"
DATE = "D"
TIME = "T"
INT = "N"  # a small whole number: a line number, or a small amount
AMOUNT = "A"
REF = "R"  # a reference or account number: digits with letters, masks or leading zeros
GLUED = "G"  # two values in one cell: "G" + the kinds of its two parts ("GAA", "GAR", "GRA")
TEXT = "X"

_TIME = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")
_DIGITS = re.compile(r"^\d+$")
_REF = re.compile(r"^(?=[^\s]*\d)[A-Za-z0-9*.\-/_]{6,}$")
_AMT = r"[-(]?\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{2})?\)?|[-(]?\d+(?:[.,]\d{2})?\)?"
# A reference has digits ("FT24253000000002", "5078.97236"); a word glued to an amount is a memo.
_GLUED_SPACED = re.compile(rf"^({_AMT})\s+({_AMT}|(?=\S*\d)[A-Za-z0-9*.\-/_]{{6,}})$")
_REF_AMOUNT = re.compile(rf"^((?=\S*\d)[A-Za-z0-9*.\-/_]{{6,}})\s+({_AMT})$")
_GLUED_DOTS = re.compile(r"^(-?\d{1,3}(?:\.\d{3})+(?:,\d{2})?)(\d{1,3}(?:\.\d{3})+(?:,\d{2})?)$")
_GLUED_COMMAS = re.compile(r"^(-?\d{1,3}(?:,\d{3})+(?:\.\d{2})?)(\d{1,3}(?:,\d{3})+(?:\.\d{2})?)$")
_DATE_LIKE = re.compile(
    r"^\d{1,2}[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?(?:[\sT,]|$)|^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|^\d{1,2}[\s\-/.][A-Za-z]{3,9}\.?[\s\-/.,]+\d{2,4}|^[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}"
)
_ANY_PERIOD = (dt.date(2000, 1, 1), dt.date(2000, 12, 31))


_AMOUNT_CHARS = re.compile(r"^[\d\s.,()+\-−–]+(?:\s*(?:đ|₫|vnd|vnđ|đồng|dong))?$", re.IGNORECASE)


def _is_amount(text: str) -> bool:
    if not _AMOUNT_CHARS.match(text):
        return False  # letters: not an amount, without the cost of a refused parse
    try:
        return values.parse_amount(text) is not None
    except values.ValueProblem:
        return False


def split_glued(value: object) -> tuple[str, str] | None:
    """The two values glued into one cell, or None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    for pattern in (_GLUED_DOTS, _GLUED_COMMAS, _GLUED_SPACED, _REF_AMOUNT):
        match = pattern.match(text)
        if match:
            first, second = match.group(1), match.group(2)
            if pattern is _REF_AMOUNT and _is_amount(first):
                continue
            if _is_amount(first) or _is_amount(second):
                return first, second
    return None


def kind(value: object) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, dt.datetime | dt.date):
        return DATE
    if isinstance(value, dt.time):
        return TIME
    if isinstance(value, bool):
        return TEXT
    if isinstance(value, int | float):
        if value == 0:
            return EMPTY
        return INT if isinstance(value, int) and 0 <= value < 1_000_000 else AMOUNT
    text = str(value).strip()
    if not text or text in "-−–":
        return EMPTY
    if _TIME.match(text):
        return TIME
    if _DATE_LIKE.match(text):
        try:
            values.parse_datetime(text, _ANY_PERIOD)
            return DATE
        except values.ValueProblem:
            pass
    if _DIGITS.match(text):
        if not text.strip("0"):
            return EMPTY
        if len(text) <= 6 and not (text.startswith("0") and len(text) > 1):
            return INT
        return REF if text.startswith("0") or len(text) >= 9 else AMOUNT
    if _is_amount(text):
        return EMPTY if values.parse_amount(text) == 0 else AMOUNT  # "0,00" under a debit heading
    parts = split_glued(text)
    if parts is not None:
        first, second = (AMOUNT if _is_amount(p) else REF for p in parts)
        return GLUED + first + second
    if _REF.match(text):
        return REF
    return TEXT


# How well a kind of cell fits a column role (None: cannot be).  Roles are layouts' role names.
_AMOUNT_FIT = {AMOUNT: 3, INT: 3, EMPTY: 1, REF: 0}
_TEXT_FIT = {TEXT: 3, EMPTY: 1, REF: 1, INT: 1, AMOUNT: 0, DATE: 0, TIME: 0, GLUED: 3}
_NAME_FIT = {TEXT: 3, EMPTY: 1, REF: 0, INT: 0, AMOUNT: 0, GLUED: 0}
FIT: dict[str | None, dict[str, int]] = {
    "number": {INT: 3, EMPTY: 1, TEXT: -2},
    "date": {DATE: 3, EMPTY: 0},
    "date_ref": {DATE: 3, EMPTY: 0},
    "txn_date": {DATE: 3, EMPTY: 1},
    "time": {TIME: 3, EMPTY: 1},
    "debit": _AMOUNT_FIT,
    "credit": _AMOUNT_FIT,
    "amount": _AMOUNT_FIT,
    "balance": _AMOUNT_FIT,
    "description": _TEXT_FIT,
    "cp_name": _NAME_FIT,
    "cp_bank": _NAME_FIT,
    "cp_account": {REF: 3, INT: 2, AMOUNT: 1, EMPTY: 1, TEXT: -1},
    "reference": {REF: 3, INT: 2, AMOUNT: 1, EMPTY: 1, TEXT: -1},
    "direction": {TEXT: 2, EMPTY: 1},
    None: dict.fromkeys((EMPTY, DATE, TIME, INT, AMOUNT, REF, GLUED, TEXT), 0),
}
# Columns that may be left without a cell (a dropped empty cell); the booking date may not.
_SKIPPABLE = {r for r in FIT if r not in ("date", "date_ref")}
_JOINABLE = {"description", "cp_name", "cp_bank", None}
_DATE_ROLES = {"date", "txn_date"}
MAX_SHIFT = 3  # at most this many header columns without a cell, or extra cells to join

# A recipe: (index of the cell to split or -1, header positions left empty,
#            (index of the first cell joined, how many cells after it are joined to it) or None)
Recipe = tuple[int, tuple[int, ...], tuple[int, int] | None]
_CACHE: dict[tuple, list[Recipe]] = {}


def _position(cell: int, skips: tuple[int, ...]) -> int:
    """The header position the cell-th cell lands on once the skipped positions are left out."""
    position = cell
    for skip in skips:  # sorted
        if skip <= position:
            position += 1
    return position


def _score(kinds: list[str], roles: tuple[str | None, ...], skips: tuple[int, ...]) -> int | None:
    total, k, sides = 0, 0, 0
    for position, role in enumerate(roles):
        if position in skips:
            if role not in _SKIPPABLE:
                return None
            continue
        kind_k = kinds[k]
        fit = FIT.get(role, FIT[None]).get(GLUED if kind_k[0] == GLUED else kind_k)
        if fit is None:
            return None
        if role in ("debit", "credit") and kind_k in (AMOUNT, INT):
            sides += 1
            if sides == 2:
                return None  # an amount under both the debit and the credit heading is no reading
        total += fit
        k += 1
    return total


def recipes(kinds: tuple[str, ...], roles: tuple[str | None, ...]) -> list[Recipe]:
    """The best ways of lining cells of these kinds up with these header roles (ties kept)."""
    key = (kinds, roles)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    width = len(roles)
    scored: list[tuple[int, Recipe]] = []
    variants: list[tuple[int, list[str]]] = [(-1, list(kinds))]
    for i, k in enumerate(kinds):
        if k[0] == GLUED:
            # Split in two, each part scored by its own kind (a split costs a little: see below).
            variants.append((i, [*kinds[:i], k[1], k[2], *kinds[i + 1 :]]))
    for split, ks in variants:
        joins: list[tuple[int, int] | None] = [None]
        joins += [(i, e) for i in range(len(ks)) for e in range(1, MAX_SHIFT + 1) if i + e < len(ks)]
        for join in joins:
            if join is None:
                cells = ks
            else:
                at, extra = join
                # A date and its time in two cells are one date; anything else joins into a text.
                joined = DATE if (extra == 1 and ks[at] == DATE and ks[at + 1] == TIME) else TEXT
                cells = [*ks[:at], joined, *ks[at + extra + 1 :]]
            missing = width - len(cells)
            if not 0 <= missing <= MAX_SHIFT:
                continue
            for skips in itertools.combinations(range(width), missing):
                if join is not None:
                    role = roles[_position(join[0], skips)]
                    if role not in (_DATE_ROLES if cells[join[0]] == DATE else _JOINABLE):
                        continue
                score = _score(cells, roles, skips)
                if score is not None:
                    # Each change costs a little, so the reading with fewest changes wins a tie.
                    penalty = 2 * (split >= 0) + (1 if join is not None else 0)
                    scored.append((score - penalty, (split, skips, join)))
    result: list[Recipe] = []
    if scored:
        best = max(score for score, _r in scored)
        result = [recipe for score, recipe in scored if score == best]
    if len(_CACHE) > 10_000:
        _CACHE.clear()
    _CACHE[key] = result
    return result


def apply(row: list[object], recipe: Recipe, width: int, joiner: str) -> list[object]:
    """The row's cells, one per header column, as the recipe lines them up."""
    split, skips, join = recipe
    cells = list(row)
    if split >= 0:
        parts = split_glued(cells[split])
        if parts is None:  # cannot happen: the kind said glued
            return cells
        cells[split : split + 1] = list(parts)
    if join is not None:
        column, extra = join
        pieces = [str(c) for c in cells[column : column + extra + 1] if c is not None]
        if len(pieces) == 2 and kind(pieces[0]) == DATE and kind(pieces[1]) == TIME:
            joiner = " "  # "10/09/2024" + "12:01:29"
        cells[column : column + extra + 1] = [joiner.join(pieces)]
    if skips:
        out: list[object] = []
        it = iter(cells)
        for position in range(width):
            out.append(None if position in skips else next(it, None))
        cells = out
    return cells
