import datetime as dt
import random
import re
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nhandao.banking import memo
from nhandao.core import refcodes

from .test_real_statements import BIDV, VIETINBANK

# A fixed seed: the tests must not depend on which code a run happens to draw.
VALID = refcodes.new_code(rng=random.Random(20241))


def mistyped(code: str) -> str:
    """The same code with a wrong check character, still shaped like a code.

    The check character keeps the code's mix of letters and digits, so the
    mistyped token is one the reader must notice (and report as invalid).
    """
    wrong = next(ch for ch in refcodes.ALPHABET if ch != code[-1] and ch.isdigit() == code[-1].isdigit())
    return code[:-1] + wrong


def test_a_valid_code_in_the_memo_is_the_code_to_match():
    info = memo.analyse(f"NGUYEN VAN AN ung ho bao Yagi {VALID.lower()}")
    assert info.valid_codes == (VALID,) and info.code == VALID


def test_a_code_with_a_wrong_check_character_is_reported_invalid_and_never_matched():
    bad = mistyped(VALID)
    info = memo.analyse(f"Ung ho {bad}")
    assert info.invalid_codes == (bad,)
    assert info.valid_codes == () and info.code is None


def test_a_memo_with_a_valid_and_an_invalid_code_is_not_matched():
    info = memo.analyse(f"Ung ho {VALID} {mistyped(VALID)}")
    assert info.code is None


def test_account_numbers_dates_and_bank_numbers_are_not_taken_for_codes():
    info = memo.analyse(
        "TKThe :210086, tai ACB. ACE CTY CHUNG TAY- 120924-07:27:20 544780 -CTLNHIDI000009833885543-11-CRE-002"
    )
    assert info.codes == ()
    assert info.counterparty_account == "210086"
    assert "CTLNHIDI000009833885543" in info.bank_refs


def test_vietcombank_mbvcb_memo_gives_text_account_and_name():
    info = memo.analyse(
        "CT nhanh 247 den: MBVCB.7066115288.370394.Cty TNHH LA PHUONG ung ho ba con mien Bac vuot kho."
        "CT tu 0621000400334 LE QUOC VU toi ct1111 BAN VAN DONG CUU TRO TRUNG UONG tai VIETINBANK (ct1111)"
    )
    assert info.text == "Cty TNHH LA PHUONG ung ho ba con mien Bac vuot kho"
    assert (info.counterparty_account, info.counterparty_name) == ("0621000400334", "LE QUOC VU")


def test_truncated_mbvcb_memo_still_gives_the_text_and_the_name_in_it():
    info = memo.analyse(
        "TKThe :1018625361, tai VCB. MBVCB.6988202748.170776.NGUYEN MAI NGA ung ho khac phuc Yagi."
    )
    assert info.text == "NGUYEN MAI NGA ung ho khac phuc Yagi"
    assert info.counterparty_name == "NGUYEN MAI NGA"
    assert info.counterparty_bank.short_name == "Vietcombank"


def test_bidv_tkthe_prefix_gives_the_senders_account_and_bank():
    info = memo.analyse(
        "TKThe :0978333391, tai MSCBVNVX. yeu dong bao cua toi - B2B020097042209092042342024J3TM14676 6"
    )
    assert info.counterparty_account == "0978333391"
    assert info.counterparty_bank.short_name == "MB"
    assert info.text == "yeu dong bao cua toi"


def test_ft_references_and_sending_time_are_taken_out_of_the_text():
    info = memo.analyse(
        "TKThe :19036294936012, tai TCB. Ung ho dong bao FT24254823873040 "
        "-CTLNHIDI000009811422642-11-CRE-002; thoi gian GD:09092024 23:23:53"
    )
    assert info.bank_refs == ("FT24254823873040", "CTLNHIDI000009811422642")
    assert info.sent_at == dt.datetime(2024, 9, 9, 23, 23, 53)
    assert info.text == "Ung ho dong bao"


def test_vietinbank_prefixes_are_removed_and_the_name_found():
    info = memo.analyse("CT nhanh 247 den: VO THI NGOC HUE ung ho lu lut mien bac (CT1111)")
    assert info.counterparty_name == "VO THI NGOC HUE"
    info = memo.analyse("Chuyen tien den tu NAPAS Noi dung: IBFT HA MINH LANG chuyen tien (CT1111)")
    assert info.counterparty_name == "HA MINH LANG"


def test_bidv_internal_transfer_gives_the_name_after_the_account():
    assert memo.analyse("1261122666 TRAN QUANG HUY Chuyen tien").counterparty_name == "TRAN QUANG HUY"


@pytest.mark.parametrize(
    "text",
    [
        "UNG HO KHAC PHUC BAO YAGI",
        "Gia dinh Lang Hoa ung ho",
        "GD Vinh Toan ung ho cuu tro thien tai",
        "ung ho",
    ],
)
def test_memos_without_a_name_give_none(text):
    assert memo.analyse(text).counterparty_name == ""


def test_rem_transfers_give_the_account():
    info = memo.analyse(
        "REM Tfr Ac:1770260769 O@L_080005_211601_0_0_506078038_6636 8046919 0355085350 khac phu bao"
    )
    assert (info.counterparty_account, info.text) == ("1770260769", "khac phu bao")


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("VND-TGTT-DANG CONG HUY", "DANG CONG HUY"),
        ("MBBANK IBFT", "NGUYEN VAN AN"),
        ("MOMOIBFT", "NGUYEN VAN AN"),
        ("SACOMBANK", "NGUYEN VAN AN"),
        ("TIEN MAT, VANG TIEN TE TAI DON VI", "NGUYEN VAN AN"),
        ("", "NGUYEN VAN AN"),
        ("CTY TNHH NAM GIAO", "CTY TNHH NAM GIAO"),
    ],
)
def test_the_donor_is_the_counterparty_unless_it_is_a_channel(column, expected):
    assert memo.donor_name(counterparty=column, description="NGUYEN VAN AN chuyen tien") == expected


# The analysis skips the regexes for bank numbers and sending times when the words they need are
# absent, and the bank-number regex opens with a lookahead of the characters a match can start
# with.  Neither shortcut may change what a memo tells.
_PLAIN_REFS = re.compile(memo._REFS.pattern.removeprefix(r"(?=[\s\-,CFBIZMm])(?:").removesuffix(")"))
_FRAGMENTS = [
    "CTLNHIDI000009826351881-11-CRE-002",
    "-CTLNHIDI12345",
    "FT24253123456789",
    "FT2425312345678",
    "B2B020097042209111748062024F3UO45592 7",
    "ISL1234567890",
    "ISL12345678901-",
    "-120924-10:11:12 123",
    "- 120924-10:11:12 5",
    "ZP240912123456 123456789012345",
    "ma GD 12345",
    ", MA gd 99",
    "thoi gian GD:17/09/2024 23:11:32",
    "; THOI GIAN gd:09092024 23:23:53",
    "TKThe :0631000441876, tai VCB.",
    "MBVCB.7002228988.765575.",
    "NGUYEN VAN AN ung ho",
    VALID,
    "-",
    ",",
    ";",
    ":",
    " ",
    "\t",
    "ı",
    "İ",
]
memo_texts = st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=4)), max_size=10).map("".join)


@given(memo_texts)
def test_the_bank_number_shortcuts_find_what_the_plain_regex_finds(text):
    found = _PLAIN_REFS.search(text) is not None
    assert memo._may_hold_refs(text, text.lower()) or not found
    assert memo._REFS.sub("|", text) == _PLAIN_REFS.sub("|", text)


@settings(max_examples=300)
@given(memo_texts)
def test_the_analysis_with_shortcuts_is_the_analysis_without(text):
    with_shortcuts = memo.analyse(text)
    always = lambda *args: True  # noqa: E731
    with patch.object(memo, "_may_hold_refs", always), patch.object(memo, "_may_hold_sent_at", always):
        assert memo.analyse(text) == with_shortcuts


def test_the_real_memos_read_the_same_with_and_without_shortcuts():
    descriptions = [
        line.split("|")[field].strip()
        for path, field in ((BIDV, 3), (VIETINBANK, 2))
        for line in path.read_text(encoding="utf-8").splitlines()[1:]
    ]
    with_shortcuts = [memo.analyse(d) for d in descriptions]
    always = lambda *args: True  # noqa: E731
    with patch.object(memo, "_may_hold_refs", always), patch.object(memo, "_may_hold_sent_at", always):
        assert [memo.analyse(d) for d in descriptions] == with_shortcuts
    assert sum(1 for info in with_shortcuts if info.bank_refs) > 1000
