import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from nhandao.banking import banks, qrimage, vietqr

NAPAS_EXAMPLE = (
    "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN"
    "62340107NPS68690819thanh toan don hang63042E2E"
)


def test_it_reproduces_the_napas_example_byte_for_byte():
    payload = vietqr.build(
        bin="970403", account="0011012345678", amount=180000, bill="NPS6869", purpose="thanh toan don hang"
    )
    assert payload == NAPAS_EXAMPLE


def test_it_parses_the_napas_example():
    qr = vietqr.parse(NAPAS_EXAMPLE)
    assert (qr.bin, qr.account, qr.amount, qr.bill, qr.purpose, qr.dynamic) == (
        "970403",
        "0011012345678",
        180000,
        "NPS6869",
        "thanh toan don hang",
        True,
    )
    assert qr.bank.short_name == "Sacombank"


def test_crc_is_ccitt_false():
    assert vietqr.crc16("123456789") == 0x29B1


def test_a_static_code_has_no_amount_and_initiation_11():
    payload = vietqr.build(bin="970436", account="0011001234567", purpose="UNG HO K7M2QX")
    assert payload.startswith("000201010211")
    assert "54" not in [tag for tag, _v in vietqr.decode_tlv(payload)]
    qr = vietqr.parse(payload)
    assert qr.dynamic is False and qr.amount is None and qr.purpose == "UNG HO K7M2QX"


def test_a_code_with_an_amount_is_dynamic():
    assert vietqr.build(bin="970436", account="1", amount=50000).startswith("000201010212")


def test_it_reads_codes_made_by_other_generators():
    other = "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704540410005802VN62150811Chuyen tien6304BBB8"
    qr = vietqr.parse(other)
    assert (qr.bin, qr.account, qr.amount, qr.purpose) == ("970416", "257678859", 1000, "Chuyen tien")


def test_purpose_is_folded_to_ascii_keeping_the_case_of_codes():
    payload = vietqr.build(bin="970415", account="113366668888", purpose="Ủng hộ đồng bào  K7M2QX")
    assert vietqr.parse(payload).purpose == "Ung ho dong bao K7M2QX"
    assert payload.isascii()


def test_a_purpose_longer_than_25_characters_is_refused():
    with pytest.raises(vietqr.VietQRError, match="25"):
        vietqr.build(bin="970415", account="1", purpose="x" * 26)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"bin": "97041", "account": "1"},
        {"bin": "970415", "account": ""},
        {"bin": "970415", "account": "1" * 20},
        {"bin": "970415", "account": "12-34"},
        {"bin": "970415", "account": "1", "amount": 0},
        {"bin": "970415", "account": "1", "amount": 10**13},
        {"bin": "970415", "account": "1", "bill": "B" * 26},
    ],
)
def test_invalid_inputs_are_refused_with_a_message(kwargs):
    with pytest.raises(vietqr.VietQRError):
        vietqr.build(**kwargs)


def test_a_corrupted_payload_fails_the_crc_check():
    broken = NAPAS_EXAMPLE.replace("180000", "980000")
    with pytest.raises(vietqr.VietQRError, match="CRC"):
        vietqr.parse(broken)


@pytest.mark.parametrize(
    "payload",
    ["", "hello", "000201" + "6304" + "0000", NAPAS_EXAMPLE[:-4] + "ZZZZ"],
)
def test_garbage_is_not_a_vietqr(payload):
    with pytest.raises(vietqr.VietQRError):
        vietqr.parse(payload)


def test_a_payload_of_another_scheme_is_refused():
    body = "000201010211" + vietqr.tlv("26", vietqr.tlv("00", "A000000775")) + "5303704" + "5802VN6304"
    with pytest.raises(vietqr.VietQRError, match="38"):
        vietqr.parse(body + f"{vietqr.crc16(body):04X}")


@given(
    account=st.text(alphabet="0123456789", min_size=1, max_size=19),
    amount=st.none() | st.integers(min_value=1, max_value=10**12),
    purpose=st.text(max_size=25),
    bill=st.text(alphabet="ABCXYZ0123456789", max_size=25),
)
def test_build_then_parse_gives_the_inputs_back(account, amount, purpose, bill):
    folded = vietqr.ascii_text(purpose)
    if len(folded) > 25:
        return
    payload = vietqr.build(bin="970436", account=account, amount=amount, purpose=purpose, bill=bill)
    qr = vietqr.parse(payload)
    assert (qr.account, qr.amount, qr.purpose, qr.bill) == (account, amount, folded, bill.strip())


REQUIRED = {
    "Vietcombank": "970436",
    "VietinBank": "970415",
    "BIDV": "970418",
    "Agribank": "970405",
    "Techcombank": "970407",
    "MB": "970422",
    "ACB": "970416",
    "VPBank": "970432",
    "Sacombank": "970403",
    "TPBank": "970423",
    "SHB": "970443",
    "HDBank": "970437",
    "VIB": "970441",
    "OCB": "970448",
    "SeABank": "970440",
    "LPBank": "970449",
    "MSB": "970426",
    "Eximbank": "970431",
}


@pytest.mark.parametrize(("name", "bin_"), REQUIRED.items())
def test_the_big_banks_have_their_napas_bin(name, bin_):
    assert banks.by_bin(bin_).short_name == name
    assert banks.find(name).bin == bin_


def test_bins_and_codes_are_unique():
    assert len({b.bin for b in banks.BANKS}) == len(banks.BANKS)
    assert len({b.code.upper() for b in banks.BANKS}) == len(banks.BANKS)


@pytest.mark.parametrize(
    ("printed", "short"),
    [
        ("VCB", "Vietcombank"),
        ("Tienphongbank", "TPBank"),
        ("MSCBVNVX", "MB"),
        ("ICBVVNVX", "VietinBank"),
        ("BVBank Timo", "BVBank"),
    ],
)
def test_banks_are_found_by_the_names_statements_use(printed, short):
    assert banks.find(printed).short_name == short


def test_svg_is_inline_markup():
    svg = qrimage.svg(NAPAS_EXAMPLE)
    assert svg.startswith("<svg") and "</svg>" in svg and "<?xml" not in svg


def test_poster_png_draws_the_code_module_for_module():
    import segno

    png = qrimage.poster_png(
        NAPAS_EXAMPLE, qrimage.Caption("Sacombank", "0011012345678", "HỘI CHỮ THẬP ĐỎ", "NPS6869")
    )
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    matrix = segno.make_qr(NAPAS_EXAMPLE, error=qrimage.ERROR_LEVEL, boost_error=False).matrix
    size = (len(matrix) + 8) * 12
    left = (image.width - size) // 2
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            pixel = image.getpixel((left + (c + 4) * 12 + 6, (r + 4) * 12 + 6))
            assert (pixel == 0) == bool(dark)
    assert image.height > size  # the caption is under the code


def test_poster_caption_lists_the_transfer_details():
    lines = [
        text for text, _bold in qrimage.Caption("Vietcombank", "001", "HỘI CTĐ", "K7M2QX", 200000).lines()
    ]
    assert lines == [
        "Ngân hàng: Vietcombank",
        "Số tài khoản: 001",
        "Chủ tài khoản: HỘI CTĐ",
        "Số tiền: 200.000 ₫",
        "Nội dung chuyển khoản: K7M2QX",
    ]
