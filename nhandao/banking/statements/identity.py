"""The stable identity of a statement line, so importing the same transfer twice adds it once.

Re-reading a file, or reading yesterday's statement and then today's that
overlaps it, must give every line the same identity both times.

* A line with the bank's own reference (a "Số tham chiếu" / "Số giao dịch"
  column) is identified by it: ``ref:<reference>:<C|D>``.  The direction is
  part of it because some banks give a transfer and its reversal or fee the
  same number; a reference that still repeats in one file (a split posting)
  gets ``#2``, ``#3``... in file order.
* Otherwise the line is identified by a fingerprint: the SHA-256 of
  (account number, date and time as printed, signed amount, description
  normalised: no diacritics, lower case, single spaces) plus the line's
  position among the identical lines of the file (1 for the first "100.000
  ung ho mien bac" at 18/09/2024 01:06:51, 2 for a second identical one...).

Limits, by construction: identical lines keep their identity across files only
when each file holds the whole run of them (statements are cut at day
boundaries, and identical lines share their date-time, so they are); a bank
that prints a line once with and once without its time, or changes a
description between two exports, gives two identities.  Memo-internal numbers
(FT..., CTLNHIDI...) are the sender bank's and are not used.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from nhandao.core.text import normalize

from .model import StatementLine


def _digits(account: str) -> str:
    return "".join(ch for ch in (account or "") if ch.isalnum()).upper()


def fingerprint(
    line: StatementLine, *, account: str, occurrence: int, description_key: str | None = None
) -> str:
    moment = line.date.isoformat() + (f"T{line.time.isoformat()}" if line.time else "")
    text = normalize(line.description) if description_key is None else description_key
    key = "\x1f".join((_digits(account), moment, str(line.amount), text, str(occurrence)))
    return "fp:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


def assign(lines: list[StatementLine], *, account: str = "") -> None:
    """Set `identity` on every line (in file order).  Idempotent."""
    seen: Counter = Counter()
    for line in lines:
        if line.reference:
            base = f"ref:{line.reference.strip().upper()}:{'C' if line.amount > 0 else 'D'}"
            seen[base] += 1
            n = seen[base]
            line.identity = base if n == 1 else f"{base}#{n}"
        else:
            text = normalize(line.description)
            key = (line.date, line.time, line.amount, text)
            seen[key] += 1
            line.identity = fingerprint(line, account=account, occurrence=seen[key], description_key=text)
