"""VietQR payloads: NAPAS IBFT ("chuyển nhanh 24/7") on EMVCo merchant-presented QR.

A payload is a string of TLV data objects: a 2-digit ID, a 2-digit length and
the value; templates (38, 62) nest more TLVs in their value.  The fields used:

    00 "01"                      payload format indicator
    01 "11" static / "12" dynamic point of initiation (dynamic: one-off, with an amount)
    38 {00 "A000000727",         NAPAS GUID
        01 {00 BIN, 01 account}, beneficiary organisation: bank BIN and account number
        02 "QRIBFTTA"}           service: transfer to an account ("QRIBFTTC": to a card)
    53 "704"                     currency (VND)
    54 amount                    whole đồng, up to 13 characters
    58 "VN"                      country
    62 {01 bill number,          additional data, each sub-field up to 25 characters
        08 purpose}              the transfer content the donor's bank pre-fills
    63 CRC                       CRC-16/CCITT-FALSE, 4 upper-case hex digits, over the whole
                                 payload up to and including "6304"

Lengths follow the EMVCo MPM specification as NAPAS adopts it (values 1-99
characters; amount up to 13; sub-fields of 62 up to 25; the account number,
"Merchant ID / Consumer ID", up to 19).  Texts are ASCII: Vietnamese is folded
to unaccented letters (banks pass memos on in ASCII anyway).

`build()` reproduces the NAPAS example byte for byte (see the tests) and
`parse()` validates a scanned payload and gives its fields back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from nhandao.core.text import fold

from . import banks

NAPAS_GUID = "A000000727"
SERVICE_ACCOUNT = "QRIBFTTA"
SERVICE_CARD = "QRIBFTTC"
STATIC = "11"
DYNAMIC = "12"
CURRENCY_VND = "704"
COUNTRY = "VN"

MAX_ACCOUNT = 19
MAX_AMOUNT_CHARS = 13
MAX_ADDITIONAL = 25  # each sub-field of 62 (bill number, purpose, ...)
MAX_VALUE = 99
MAX_PAYLOAD = 512

_PRINTABLE = re.compile(r"[^\x20-\x7e]")
_SPACES = re.compile(r"\s+")
_ACCOUNT = re.compile(r"^[0-9A-Za-z]+$")


class VietQRError(ValueError):
    """A payload that cannot be built or read; the message is for people (Vietnamese)."""


def crc16(data: str | bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR."""
    if isinstance(data, str):
        data = data.encode("ascii")
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def tlv(tag: str, value: str) -> str:
    if not 1 <= len(value) <= MAX_VALUE:
        raise VietQRError(
            _("Trường %(tag)s dài %(n)d ký tự, vượt giới hạn 99.") % {"tag": tag, "n": len(value)}
        )
    return f"{tag}{len(value):02d}{value}"


def ascii_text(value: str | None) -> str:
    """Vietnamese text as a bank memo carries it: no diacritics, printable ASCII, single spaces."""
    text = _PRINTABLE.sub(" ", fold(value or ""))
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class VietQR:
    bin: str
    account: str
    amount: int | None = None
    purpose: str = ""
    bill: str = ""
    dynamic: bool = False
    service: str = SERVICE_ACCOUNT

    @property
    def bank(self) -> banks.Bank | None:
        return banks.by_bin(self.bin)


def build(
    *,
    bin: str,
    account: str,
    amount: int | None = None,
    purpose: str = "",
    bill: str = "",
    dynamic: bool | None = None,
    service: str = SERVICE_ACCOUNT,
) -> str:
    """The payload for a transfer to `account` at the bank with NAPAS `bin`.

    Static (point of initiation 11) unless an amount is given or `dynamic` is
    set: a static code is printed once and scanned by many donors; a dynamic
    code carries an amount and a one-off reference.
    """
    bin_ = (bin or "").strip()
    if not re.fullmatch(r"\d{6}", bin_):
        raise VietQRError(_("Mã BIN ngân hàng phải gồm đúng 6 chữ số."))
    account = (account or "").replace(" ", "").strip()
    if not account:
        raise VietQRError(_("Số tài khoản không được để trống."))
    if not _ACCOUNT.match(account):
        raise VietQRError(_("Số tài khoản chỉ gồm chữ số và chữ cái không dấu."))
    if len(account) > MAX_ACCOUNT:
        raise VietQRError(_("Số tài khoản dài quá %(n)d ký tự.") % {"n": MAX_ACCOUNT})
    if service not in (SERVICE_ACCOUNT, SERVICE_CARD):
        raise VietQRError(_("Mã dịch vụ VietQR không hợp lệ."))
    amount_text = ""
    if amount is not None:
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise VietQRError(_("Số tiền phải là số nguyên đồng."))
        if amount <= 0:
            raise VietQRError(_("Số tiền phải lớn hơn 0."))
        amount_text = str(amount)
        if len(amount_text) > MAX_AMOUNT_CHARS:
            raise VietQRError(_("Số tiền quá lớn (tối đa 13 chữ số)."))
    purpose = ascii_text(purpose)
    bill = ascii_text(bill)
    for label, value in ((_("Nội dung chuyển khoản"), purpose), (_("Số hóa đơn"), bill)):
        if len(value) > MAX_ADDITIONAL:
            raise VietQRError(
                _("%(field)s dài %(n)d ký tự; VietQR cho phép tối đa %(max)d ký tự không dấu.")
                % {"field": label, "n": len(value), "max": MAX_ADDITIONAL}
            )
    if dynamic is None:
        dynamic = amount is not None

    beneficiary = tlv("00", bin_) + tlv("01", account)
    merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", service)
    parts = [tlv("00", "01"), tlv("01", DYNAMIC if dynamic else STATIC), tlv("38", merchant)]
    parts.append(tlv("53", CURRENCY_VND))
    if amount_text:
        parts.append(tlv("54", amount_text))
    parts.append(tlv("58", COUNTRY))
    additional = (tlv("01", bill) if bill else "") + (tlv("08", purpose) if purpose else "")
    if additional:
        parts.append(tlv("62", additional))
    body = "".join(parts) + "6304"
    payload = body + f"{crc16(body):04X}"
    if len(payload) > MAX_PAYLOAD:  # pragma: no cover - the field limits keep it far below
        raise VietQRError(_("Mã VietQR quá dài."))
    return payload


def decode_tlv(text: str, *, where: str = "") -> list[tuple[str, str]]:
    """Split a TLV string into (tag, value) pairs; raises VietQRError on a broken structure."""
    items: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        head = text[i : i + 4]
        if len(head) < 4 or not head.isdigit():
            raise VietQRError(
                _("Cấu trúc mã hỏng ở vị trí %(pos)d%(where)s.") % {"pos": i + 1, "where": where}
            )
        tag, length = head[:2], int(head[2:])
        value = text[i + 4 : i + 4 + length]
        if length == 0 or len(value) != length:
            raise VietQRError(
                _("Trường %(tag)s khai báo dài %(n)d ký tự nhưng dữ liệu bị thiếu%(where)s.")
                % {"tag": tag, "n": length, "where": where}
            )
        items.append((tag, value))
        i += 4 + length
    return items


def parse(payload: str) -> VietQR:
    """Validate a VietQR payload (structure, CRC, NAPAS fields) and return its content."""
    payload = (payload or "").strip()
    if not payload:
        raise VietQRError(_("Mã trống."))
    if not payload.isascii():
        raise VietQRError(_("Mã VietQR chỉ chứa ký tự ASCII."))
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise VietQRError(_("Thiếu trường kiểm tra CRC (63) ở cuối mã."))
    expected = f"{crc16(payload[:-4]):04X}"
    if payload[-4:].upper() != expected:
        raise VietQRError(
            _("Sai mã kiểm tra CRC: mã ghi %(found)s, tính được %(expected)s.")
            % {"found": payload[-4:], "expected": expected}
        )
    fields = decode_tlv(payload)
    tags = [tag for tag, _value in fields]
    if len(set(tags)) != len(tags):
        raise VietQRError(_("Một trường xuất hiện hai lần."))
    if tags[0] != "00" or fields[0][1] != "01":
        raise VietQRError(_("Mã không bắt đầu bằng trường 00 = 01 (chuẩn EMVCo)."))
    root = dict(fields)
    method = root.get("01", STATIC)
    if method not in (STATIC, DYNAMIC):
        raise VietQRError(_("Trường 01 phải là 11 (mã tĩnh) hoặc 12 (mã động)."))
    if "38" not in root:
        raise VietQRError(_("Không phải mã VietQR chuyển khoản: thiếu trường 38 của NAPAS."))
    merchant = dict(decode_tlv(root["38"], where=" (38)"))
    if merchant.get("00") != NAPAS_GUID:
        raise VietQRError(_("Trường 38 không mang mã định danh NAPAS A000000727."))
    service = merchant.get("02", "")
    if service not in (SERVICE_ACCOUNT, SERVICE_CARD):
        raise VietQRError(_("Mã dịch vụ “%(s)s” không phải chuyển khoản VietQR.") % {"s": service})
    beneficiary = dict(decode_tlv(merchant.get("01", ""), where=" (38.01)"))
    bin_, account = beneficiary.get("00", ""), beneficiary.get("01", "")
    if not re.fullmatch(r"\d{6}", bin_):
        raise VietQRError(_("Mã BIN ngân hàng trong mã không hợp lệ."))
    if not account or len(account) > MAX_ACCOUNT:
        raise VietQRError(_("Số tài khoản trong mã không hợp lệ."))
    if root.get("53", CURRENCY_VND) != CURRENCY_VND:
        raise VietQRError(_("Mã không dùng đồng Việt Nam (53 = 704)."))
    if root.get("58", COUNTRY) != COUNTRY:
        raise VietQRError(_("Mã quốc gia phải là VN."))
    amount = None
    if "54" in root:
        text = root["54"]
        if not re.fullmatch(r"\d+(\.0*)?", text) or len(text) > MAX_AMOUNT_CHARS:
            raise VietQRError(_("Số tiền “%(a)s” trong mã không hợp lệ.") % {"a": text})
        amount = int(text.split(".")[0])
    additional = dict(decode_tlv(root["62"], where=" (62)")) if "62" in root else {}
    for tag, value in additional.items():
        if len(value) > MAX_ADDITIONAL:
            raise VietQRError(_("Trường 62.%(tag)s dài quá 25 ký tự.") % {"tag": tag})
    return VietQR(
        bin=bin_,
        account=account,
        amount=amount,
        purpose=additional.get("08", ""),
        bill=additional.get("01", ""),
        dynamic=method == DYNAMIC,
        service=service,
    )
