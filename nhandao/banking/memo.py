"""What a transfer's memo tells: reference codes, who sent it, from which account.

Banks wrap the donor's words in their own boilerplate, and each bank its own
way.  The fragments recognised here are those of the real 2024 statements
(BIDV and VietinBank, in tests/data) and DOMAIN.md:

* ``MBVCB.<n>.<n>.<text>.CT tu <account> <NAME> toi <account> ...`` (from Vietcombank)
* ``TKThe :<account>, tai <bank>. <text>`` (BIDV: the sender's account and bank)
* ``REM Tfr Ac:<account> O@L_...`` (BIDV, transfers via wallets)
* ``CT nhanh 247 den: <text>``, ``Chuyen tien den tu NAPAS Noi dung: <text>``, ``IBFT <text>``
  (VietinBank)
* ``<BANK>;<account>;<text>`` (Agribank's way of naming the beneficiary)
* ``FT`` + 14 digits (Techcombank/MB transaction number), ``-CTLNHIDI<digits>-11-CRE-002``
  (interbank), ``B2B...`` (MB), ``ISL...`` (NCB), ``-ddmmyy-hh:mm:ss n`` (ACB), ``ma GD n``
* ``; thoi gian GD:17/09/2024 23:11:32`` or ``thoi gian GD:09092024 23:23:53`` (when the
  donor sent it, before the bank booked it)

Reference codes come from `nhandao.core.refcodes.find_in_text`, run on the
memo once the bank's boilerplate (account numbers, transaction numbers,
timestamps) is removed, and ignoring tokens without a single letter of the
code alphabet; a code whose check character is wrong is reported as invalid
and never matched (`MemoInfo.code` is None whenever an invalid code is present).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from nhandao.core import refcodes
from nhandao.core.text import clean_spaces, normalize

from . import banks

_SENT_AT = re.compile(
    r"[;,]?\s*thoi gian GD\s*:\s*(\d{2})/?(\d{2})/?(\d{4})\s+(\d{2}):(\d{2}):(\d{2})\s*", re.IGNORECASE
)
_MBVCB = re.compile(
    r"MBVCB\.\d+\.\d+\.(?P<text>.*?)(?:\.CT tu (?P<acct>\w+) (?P<name>.+?) toi (?P<to>\S+)(?P<rest>.*)|\.?\s*$)",
    re.IGNORECASE,
)
_TKTHE = re.compile(r"^TKThe\s*:\s*(?P<acct>[\w*]+),\s*tai\s+(?P<bank>[^.]+?)\.\s*", re.IGNORECASE)
_REM = re.compile(r"^REM Tfr Ac:(?P<acct>\d+)\s+O@L_\S+(?:\s+\d+){0,2}\s*", re.IGNORECASE)
_PREFIXES = re.compile(
    r"^(?:CT nhanh 247 den:|Chuyen tien den tu NAPAS Noi dung:|IBFT\b)\s*",
    re.IGNORECASE,
)
_BANK_ACCOUNT = re.compile(r"^(?P<bank>[A-Za-z][A-Za-z ]{1,20});\s*(?P<acct>\w+);\s*")
_LEADING_ACCOUNT = re.compile(r"^\d{8,}\s+")
# Bank transaction numbers inside memos; each alternative captures the number itself.  The
# lookahead names every character a match can start with, so the engine skips the other
# positions at once instead of trying seven alternatives at each (same matches, twice as fast).
_REFS = re.compile(
    r"(?=[\s\-,CFBIZMm])(?:"
    + "|".join(
        (
            r"\s*-?\s*\b(CTLNHIDI\d+)(?:-\d+-CRE-\d+)?",
            r"\b(FT\d{14})\b",
            r"\s*-?\s*\b(B2B\w{20,})(?:\s\d{1,6}(?=\s|$))?",
            r"\b(ISL\d{10,})-?",
            r"-\s?(\d{6}-\d{2}:\d{2}:\d{2} \d+)",
            r"\b(ZP\d{12}\s+\d{15})\b",
            r",?\s*(?i:ma GD) (\d+)",
        )
    )
    + ")"
)
_ACB_TIME = re.compile(r"\d:\d\d:\d\d \d")


def _may_hold_refs(text: str, lower: str) -> bool:
    """False only when no alternative of _REFS can match: most memos, which skip the regex."""
    return (
        "CTLNHIDI" in text
        or "FT" in text
        or "B2B" in text
        or "ISL" in text
        or "ZP" in text
        or "gd" in lower
        or not lower.isascii()  # IGNORECASE folds a few non-ASCII letters onto "ma GD"
        or (":" in text and _ACB_TIME.search(text) is not None)
    )


def _may_hold_sent_at(lower: str) -> bool:
    """False only when _SENT_AT cannot match (IGNORECASE may fold non-ASCII letters onto its words)."""
    return "gian" in lower or not lower.isascii()


# Family names, to tell "TRAN QUANG HUY chuyen tien" (a name) from "UNG HO BAO YAGI" (words).
SURNAMES = frozenset(
    [
        "nguyen",
        "tran",
        "le",
        "pham",
        "hoang",
        "huynh",
        "phan",
        "vu",
        "vo",
        "dang",
        "bui",
        "do",
        "ho",
        "ngo",
        "duong",
        "ly",
        "dao",
        "doan",
        "vuong",
        "trinh",
        "truong",
        "lam",
        "luong",
        "luu",
        "mai",
        "cao",
        "ta",
        "chau",
        "thai",
        "ha",
        "phung",
        "kieu",
        "quach",
        "tong",
        "to",
        "la",
        "van",
        "diep",
        "dinh",
        "khuong",
        "hua",
        "mac",
        "nong",
        "lang",
        "than",
        "tang",
        "tieu",
        "trieu",
        "lo",
        "khuat",
        "bach",
        "ong",
        "son",
        "luc",
        "cu",
        "quan",
        "ma",
        "chu",
        "dam",
        "nghiem",
        "phi",
        "tan",
        "banh",
        "vien",
        "lai",
        "giang",
        "thach",
        "kim",
        "an",
        "au",
        "tat",
        "sam",
        "nham",
        "hau",
        "ninh",
        "dau",
        "ton",
        "chung",
        "chuong",
        "khong",
        "cong",
        "cung",
        "thieu",
        "vinh",
        "lu",
        "vi",
        "cai",
        "giap",
    ]
)
# Words that are never part of a Vietnamese name but start or fill memos.
_NOT_NAME_WORDS = frozenset(["ung", "chuyen", "khoan", "ck", "uh", "mttq", "yagi", "lu", "lut", "ct"])
_VERBS = re.compile(
    r"^(?:chuyen tien|chuyen khoan|ung ho|chuyen|ck|uh|gui|gop|chuc|giup|ho tro|quyen gop|transfer)\b",
    re.IGNORECASE,
)
# Names a bank puts in the counterparty column that are channels, not donors.
_CHANNEL_NAMES = frozenset(
    {
        "acc",
        "transfer",
        "mbbank ibft",
        "momoibft",
        "shbmb",
        "tien mat vang tien te tai don vi",
        "chi ho cong ty vi momo",
        "napas",
        "ibft",
    }
)
# A code always has letters of its alphabet (which has no O or I); a token with
# none is an account number, a date or an amount, not a mistyped code.
_HAS_LETTER = re.compile(r"[A-HJ-NP-Z]")
_CP_PREFIX = re.compile(r"^VND-T[GK]TT-", re.IGNORECASE)


@dataclass(frozen=True)
class MemoInfo:
    text: str  # the donor's own words, bank boilerplate removed
    codes: tuple[refcodes.Found, ...]  # code-shaped tokens in `text`, valid or not
    counterparty_name: str = ""
    counterparty_account: str = ""
    counterparty_bank: banks.Bank | None = None
    counterparty_bank_name: str = ""  # as printed ("Tienphongbank", "MSCBVNVX")
    bank_refs: tuple[str, ...] = ()
    sent_at: dt.datetime | None = None

    @property
    def valid_codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.code for f in self.codes if f.valid))

    @property
    def invalid_codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.code for f in self.codes if not f.valid))

    @property
    def code(self) -> str | None:
        """The one code to match automatically: exactly one distinct valid code and no invalid one.

        A memo with a mistyped code, or two different codes, goes to a person.
        """
        valid = self.valid_codes
        if len(valid) == 1 and not self.invalid_codes:
            return valid[0]
        return None


def analyse(description: str) -> MemoInfo:
    text = clean_spaces(description)
    account = name = bank_name = ""
    refs: list[str] = []
    sent_at = None

    lower = text.lower()
    match = _SENT_AT.search(text) if _may_hold_sent_at(lower) else None
    if match:
        d, m, y, hh, mm, ss = (int(g) for g in match.groups())
        try:
            sent_at = dt.datetime(y, m, d, hh, mm, ss)
        except ValueError:
            sent_at = None
        text = (text[: match.start()] + " " + text[match.end() :]).strip()

    def take(match: re.Match) -> str:
        refs.append(next(g for g in match.groups() if g))
        return " "

    if _may_hold_refs(text, text.lower() if match else lower):
        text = _REFS.sub(take, text)
    text = clean_spaces(text)

    match = _TKTHE.match(text)
    if match:
        account, bank_name = match.group("acct"), match.group("bank").strip()
        text = text[match.end() :]
    match = _REM.match(text)
    if match:
        account = account or match.group("acct")
        text = text[match.end() :]
    text = _PREFIXES.sub("", text)
    match = _BANK_ACCOUNT.match(text)
    if match and banks.find(match.group("bank")) is not None:
        text = text[match.end() :]
    match = _MBVCB.search(text)
    if match:
        if match.group("acct"):
            account = account or match.group("acct")
            name = clean_spaces(match.group("name"))
        text = clean_spaces(match.group("text") or "")
    text = _PREFIXES.sub("", _LEADING_ACCOUNT.sub("", text)).strip(" .-;,")
    if not name:
        name = name_in(text)
    codes = tuple(f for f in refcodes.find_in_text(text) if _HAS_LETTER.search(f.code))
    return MemoInfo(
        text=text,
        codes=codes,
        counterparty_name=name,
        counterparty_account=account,
        counterparty_bank=banks.find(bank_name) if bank_name else None,
        counterparty_bank_name=bank_name,
        bank_refs=tuple(refs),
        sent_at=sent_at,
    )


def name_in(text: str) -> str:
    """A sender's name at the start of a memo ("TRAN QUANG HUY Chuyen tien"), or ''.

    The name is the shortest run of 2-6 words, starting with a family name,
    all in capitals or all capitalised, that a verb of giving follows
    ("chuyen tien", "ung ho", ...) or that is the whole memo.
    """
    words = text.split()
    for size in range(2, min(6, len(words)) + 1):
        candidate = words[:size]
        keys = [normalize(w) for w in candidate]
        if keys[0] not in SURNAMES or not all(w.isalpha() and w.isascii() for w in candidate):
            return ""
        if keys[-1] in _NOT_NAME_WORDS:
            return ""
        rest = " ".join(words[size:])
        if rest and not _VERBS.match(rest):
            continue
        if all(w.isupper() for w in candidate) or all(w[:1].isupper() and w[1:].islower() for w in candidate):
            return " ".join(candidate)
        return ""
    return ""


def counterparty_name(column_value: str) -> str:
    """The counterparty column's name if it names a person or organisation (not a channel or bank)."""
    name = clean_spaces(_CP_PREFIX.sub("", column_value or ""))
    key = normalize(name).replace(",", "")
    if not name or key in _CHANNEL_NAMES or "ibft" in key or banks.find(name) is not None:
        return ""
    return name


def donor_name(*, counterparty: str, description: str, info: MemoInfo | None = None) -> str:
    """Who gave: the bank's counterparty name when it is a person, else the name in the memo."""
    name = counterparty_name(counterparty)
    if name:
        return name
    info = info or analyse(description)
    return info.counterparty_name


class LineFacts(NamedTuple):
    """What an import needs of a statement line's memo and counterparty (`line_facts`)."""

    code: str  # the one code to match automatically (MemoInfo.code), or ""
    invalid_codes: str  # the mistyped codes, comma-separated
    valid_count: int  # how many distinct valid codes
    bank_name: str  # the sender's bank as the memo prints it
    donor: str  # who gave (`donor_name`), at most 200 characters
    search_key: str  # the line's search key: its memo and counterparty normalised


def line_facts(lines: Sequence[tuple[str, str]]) -> list[LineFacts]:
    """For each line's (description, counterparty name), what its memo tells.

    Pure and picklable both ways: a statement import runs it on its next chunks in a child
    process (core.ahead) while the current chunk is written."""
    result = []
    for description, counterparty in lines:
        info = analyse(description)
        description = description[:1000]
        counterparty = counterparty[:200]
        key = normalize(description) + (" " + normalize(counterparty) if counterparty else "")
        result.append(
            LineFacts(
                code=info.code or "",
                invalid_codes=", ".join(info.invalid_codes),
                valid_count=len(info.valid_codes),
                bank_name=info.counterparty_bank_name,
                donor=donor_name(counterparty=counterparty, description=description, info=info)[:200],
                search_key=key[:1200],
            )
        )
    return result
