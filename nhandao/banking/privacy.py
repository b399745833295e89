"""Counterparty account numbers on public pages: never in full.

Banks hand account numbers out in every state ("103875283***", "0621000400334",
"1044203***"); they are stored as given (staff in scope see them), and anything
public shows only the last three digits the bank left visible.
"""

from __future__ import annotations

VISIBLE = 3
MASK = "•••"


def mask_account(value: str) -> str:
    """ "0621000400334" -> "•••334", "103875283***" -> "•••283", "" -> ""."""
    digits = [ch for ch in (value or "") if ch.isalnum() and ch != "*"]
    if not digits:
        return MASK if value else ""
    if len(digits) <= VISIBLE:
        return MASK
    return MASK + "".join(digits[-VISIBLE:])
