"""The lines of a checked statement, kept on its import so the commit does not read the file again.

Reading a 200,000-line statement (layout detection, parsing, checks, identities)
costs as much as writing it, and the person commits what the reading showed
them: `read_work` stores the lines it found new here (zlib-compressed JSON, tied to
the file's SHA-256; a line already imported stays imported, so the others are not
kept) and `import_work` takes them back.  An import without them
(read before this existed, or whose stored lines do not belong to its file)
is read again from the kept bytes, as before.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from typing import NamedTuple

VERSION = 1


class Line(NamedTuple):
    """What the import needs of a statement line (statements.StatementLine, flattened)."""

    identity: str
    row: int
    date: dt.date
    time: dt.time | None
    amount: int
    description: str
    reference: str
    counterparty_name: str
    counterparty_account: str
    counterparty_bank: str
    balance: int | None


def from_statement(st) -> list[Line]:
    return [
        Line(
            line.identity,
            line.origin.row,
            line.date,
            line.time,
            line.amount,
            line.description,
            line.reference,
            line.counterparty_name,
            line.counterparty_account,
            line.counterparty_bank,
            line.balance,
        )
        for line in st.lines
    ]


def pack(lines: list[Line], sha256: str) -> bytes:
    """Dates as ordinals keep the JSON small; the few distinct times are parsed once each."""
    rows = [
        [
            line.identity,
            line.row,
            line.date.toordinal(),
            None if line.time is None else line.time.isoformat(),
            line.amount,
            line.description,
            line.reference,
            line.counterparty_name,
            line.counterparty_account,
            line.counterparty_bank,
            line.balance,
        ]
        for line in lines
    ]
    text = json.dumps(
        {"v": VERSION, "sha256": sha256, "lines": rows}, ensure_ascii=False, separators=(",", ":")
    )
    return zlib.compress(text.encode("utf-8"), 1)


def unpack(data: bytes | memoryview | None, sha256: str) -> list[Line] | None:
    """The stored lines, or None when there are none for this file (the caller reads the file)."""
    if not data:
        return None
    try:
        payload = json.loads(zlib.decompress(bytes(data)).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(payload, dict) or payload.get("v") != VERSION or payload.get("sha256") != sha256:
        return None
    try:
        return _lines(payload["lines"])
    except (KeyError, TypeError, ValueError):
        return None


def _lines(rows: list) -> list[Line]:
    from_ordinal, times = dt.date.fromordinal, {}
    lines = []
    for (
        identity,
        row,
        day,
        clock,
        amount,
        description,
        reference,
        cp_name,
        cp_account,
        cp_bank,
        balance,
    ) in rows:
        if clock is None:
            time = None
        else:
            time = times.get(clock)
            if time is None:
                time = times[clock] = dt.time.fromisoformat(clock)
        lines.append(
            Line(
                identity,
                row,
                from_ordinal(day),
                time,
                amount,
                description,
                reference,
                cp_name,
                cp_account,
                cp_bank,
                balance,
            )
        )
    return lines
