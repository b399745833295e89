"""Short reference codes that survive a bank memo.

Donors type a code into the transfer content; the bank passes it on in ASCII,
upper- or lower-cased, sometimes glued to other words.  A code is 5 random
characters plus 1 check character from a 32-character alphabet without the
look-alikes 0/O and 1/I, e.g. ``K7M2QX``.  The check character is Luhn mod N
(N = 32), which catches every single-character typo and every swap of two
adjacent characters except the pair of values 0 and N-1 ("2" and "Z"); codes
are generated without that pair side by side, so for every issued code all
adjacent swaps are caught too.  A mistyped code is therefore detected (and
queued for a human) rather than credited to another campaign.

To tell codes from ordinary words in a memo, generated codes always contain
at least two digits and two letters; `find_in_text` only considers such
tokens.

A code names one thing across the whole installation (a campaign or a pledge):
each app that issues codes registers, from its AppConfig.ready(), a check
`register_owner(taken)`, and `taken(code)` asks them all.  The apps stay apart
(campaigns sits below funds, whose pledges also carry codes).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
N = len(ALPHABET)
BODY_LENGTH = 5
LENGTH = BODY_LENGTH + 1
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
# A token of the right length made only of alphabet characters (case-insensitive),
# not glued to other letters or digits.
_TOKEN = re.compile(rf"(?<![0-9A-Za-z])([0-9A-Za-z]{{{LENGTH}}})(?![0-9A-Za-z])")
# Ambiguous characters a donor may type instead of the real ones.
_CONFUSABLE = str.maketrans({"0": "O", "1": "I"})


def check_char(body: str) -> str:
    """Luhn mod N check character for `body` (characters of ALPHABET)."""
    factor = 2
    total = 0
    for ch in reversed(body):
        addend = factor * _INDEX[ch]
        factor = 1 if factor == 2 else 2
        total += addend // N + addend % N
    return ALPHABET[(N - total % N) % N]


def is_valid(code: str) -> bool:
    code = (code or "").strip().upper()
    if len(code) != LENGTH or any(ch not in _INDEX for ch in code):
        return False
    return check_char(code[:-1]) == code[-1]


def _looks_like_code(token: str) -> bool:
    digits = sum(ch.isdigit() for ch in token)
    return digits >= 2 and LENGTH - digits >= 2


def _swap_safe(code: str) -> bool:
    """Luhn mod N misses a swap of the first and last alphabet characters."""
    pair = {ALPHABET[0], ALPHABET[-1]}
    return not any({a, b} == pair for a, b in zip(code, code[1:], strict=False))


_OWNERS: list[Callable[[str], bool]] = []


def register_owner(taken_by_owner: Callable[[str], bool]) -> None:
    """Add an issuer of codes: `taken_by_owner(code)` says whether one of its records has the code."""
    if taken_by_owner not in _OWNERS:
        _OWNERS.append(taken_by_owner)


def taken(code: str) -> bool:
    """Whether any registered owner (campaigns, pledges) already uses the code."""
    return any(taken_by_owner(code) for taken_by_owner in _OWNERS)


def new_code(exists=None, *, rng=None) -> str:
    """A fresh code; `exists(code) -> bool` lets the caller avoid collisions."""
    choice = rng.choice if rng is not None else secrets.choice
    for _attempt in range(1000):
        body = "".join(choice(ALPHABET) for _ in range(BODY_LENGTH))
        code = body + check_char(body)
        if _looks_like_code(code) and _swap_safe(code) and not (exists and exists(code)):
            return code
    raise RuntimeError("could not find a free reference code")


@dataclass(frozen=True)
class Found:
    code: str
    valid: bool
    start: int


def find_in_text(text: str) -> Iterator[Found]:
    """Every code-shaped token in a memo, valid or not (invalid ones must be queued)."""
    for match in _TOKEN.finditer(text or ""):
        token = match.group(1).upper()
        if not any(ch.isalpha() for ch in token):
            continue  # account numbers, dates, amounts: never a code
        if any(ch in "01OI" for ch in token):
            # A look-alike means the donor mistyped; it is not a valid code but may be one.
            if _looks_like_code(token.translate(_CONFUSABLE)):
                yield Found(token, False, match.start(1))
            continue
        if _looks_like_code(token):
            yield Found(token, is_valid(token), match.start(1))
