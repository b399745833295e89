import datetime as dt
import random

import pytest

from nhandao.banking import memo
from nhandao.core import refcodes

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
