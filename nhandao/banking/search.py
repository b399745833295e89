"""The banks' search list (core.search): a bank by name, code or NAPAS BIN; the value is the BIN."""

from __future__ import annotations

from nhandao.core import search
from nhandao.core.text import normalize

from . import banks


def _label(bank: banks.Bank) -> str:
    return f"{bank.short_name} · {bank.name} ({bank.bin})"


def bank_list(user, query: str, limit: int) -> list[tuple[str, str]]:
    key = normalize(query).replace(" ", "")
    found = []
    for bank in sorted(banks.BANKS, key=lambda b: b.short_name.lower()):
        names = (bank.short_name, bank.name, bank.code, bank.bin, bank.swift, *bank.aliases)
        if not key or any(key in normalize(n).replace(" ", "") for n in names if n):
            found.append((bank.bin, _label(bank)))
    return found[:limit]


def bank_label(user, value: str) -> str | None:
    bank = banks.by_bin(value)
    return _label(bank) if bank else None


def register() -> None:
    search.register(search.SearchSource("ngan-hang", bank_list, bank_label))
