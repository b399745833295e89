"""Vietnamese banks: NAPAS BIN, VietQR code, short name, SWIFT code.

The BIN (bank identification number, "ACQ ID / BNB ID" in the NAPAS VietQR
specification) is what goes into a VietQR payload; the short name is what
people and statements call the bank.

Source of BINs, codes and names: the public VietQR bank list
https://api.vietqr.io/v2/banks (documented at https://www.vietqr.io/api-bank),
cross-checked against github.com/xuannghia/vietnam-qr-pay
(src/constants/banks.ts), which also gives the SWIFT codes.  Lists copied
around the web disagree (one widely copied table gives Vietcombank 970415,
which is VietinBank's BIN): check a new entry against both sources.  The DOMAIN
example (BIN 970403) is Sacombank.

Aliases are the spellings statements use for the bank of a counterparty
("tai VCB.", "tai Tienphongbank.", "tai MSCBVNVX." in BIDV memos); they are
compared after `nhandao.core.text.normalize` with spaces removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from nhandao.core.text import normalize


@dataclass(frozen=True)
class Bank:
    bin: str
    code: str  # VietQR code, e.g. "VCB", "ICB"
    short_name: str  # "Vietcombank"
    name: str  # legal name
    swift: str = ""
    aliases: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        return self.short_name


BANKS: tuple[Bank, ...] = (
    Bank("970436", "VCB", "Vietcombank", "Ngân hàng TMCP Ngoại thương Việt Nam", "BFTVVNVX", ("VCB",)),
    Bank(
        "970415",
        "ICB",
        "VietinBank",
        "Ngân hàng TMCP Công thương Việt Nam",
        "ICBVVNVX",
        ("CTG", "Vietin", "Vietinbank", "NHTMCP Cong Thuong", "Ngan hang Cong thuong"),
    ),
    Bank(
        "970418",
        "BIDV",
        "BIDV",
        "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam",
        "BIDVVNVX",
        ("BID", "Dau tu va Phat trien"),
    ),
    Bank(
        "970405",
        "VBA",
        "Agribank",
        "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam",
        "VBAAVNVX",
        ("VBARD", "AGR", "Nong nghiep va Phat trien Nong thon"),
    ),
    Bank("970407", "TCB", "Techcombank", "Ngân hàng TMCP Kỹ thương Việt Nam", "VTCBVNVX", ("Ky thuong",)),
    Bank(
        "970422",
        "MB",
        "MB",
        "Ngân hàng TMCP Quân đội",
        "MSCBVNVX",
        ("MBBank", "MB Bank", "MBB", "Quan doi", "Military Commercial"),
    ),
    Bank("970416", "ACB", "ACB", "Ngân hàng TMCP Á Châu", "ASCBVNVX", ("A Chau",)),
    Bank("970432", "VPB", "VPBank", "Ngân hàng TMCP Việt Nam Thịnh Vượng", "VPBKVNVX", ("Thinh Vuong",)),
    Bank(
        "970403", "STB", "Sacombank", "Ngân hàng TMCP Sài Gòn Thương Tín", "SGTTVNVX", ("Sai Gon Thuong Tin",)
    ),
    Bank("970423", "TPB", "TPBank", "Ngân hàng TMCP Tiên Phong", "TPBVVNVX", ("Tienphongbank", "Tien Phong")),
    Bank("970443", "SHB", "SHB", "Ngân hàng TMCP Sài Gòn - Hà Nội", "SHBAVNVX", ("SHBMB", "Sai Gon Ha Noi")),
    Bank("970437", "HDB", "HDBank", "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh", "HDBCVNVX"),
    Bank("970441", "VIB", "VIB", "Ngân hàng TMCP Quốc tế Việt Nam", "VNIBVNVX", ("Quoc te",)),
    Bank("970448", "OCB", "OCB", "Ngân hàng TMCP Phương Đông", "ORCOVNVX", ("Phuong Dong",)),
    Bank("970440", "SEAB", "SeABank", "Ngân hàng TMCP Đông Nam Á", "SEAVVNVX", ("SSB", "Dong Nam A")),
    Bank(
        "970449",
        "LPB",
        "LPBank",
        "Ngân hàng TMCP Lộc Phát Việt Nam",
        "LVBKVNVX",
        ("LienVietPostBank", "Loc Phat", "Lien Viet"),
    ),
    Bank(
        "970426", "MSB", "MSB", "Ngân hàng TMCP Hàng Hải Việt Nam", "MCOBVNVX", ("Maritime Bank", "Hang Hai")
    ),
    Bank(
        "970431", "EIB", "Eximbank", "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam", "EBVIVNVX", ("Xuat Nhap khau",)
    ),
    Bank("970428", "NAB", "Nam A Bank", "Ngân hàng TMCP Nam Á", "NAMAVNVX", ("NamABank",)),
    Bank("970412", "PVCB", "PVcomBank", "Ngân hàng TMCP Đại Chúng Việt Nam", "WBVNVNVX"),
    Bank("970409", "BAB", "BacABank", "Ngân hàng TMCP Bắc Á", "NASCVNVX", ("Bac A Bank",)),
    Bank(
        "970454", "VCCB", "BVBank", "Ngân hàng TMCP Bản Việt", "VCBCVNVX", ("VietCapitalBank", "BVBank Timo")
    ),
    Bank("970429", "SCB", "SCB", "Ngân hàng TMCP Sài Gòn", "SACLVNVX"),
    Bank("970419", "NCB", "NCB", "Ngân hàng TMCP Quốc Dân", "NVBAVNVX"),
    Bank("970452", "KLB", "Kienlongbank", "Ngân hàng TMCP Kiên Long", "KLBKVNVX", ("KienLongBank",)),
    Bank("970425", "ABB", "ABBANK", "Ngân hàng TMCP An Bình", "ABBKVNVX"),
    Bank("970427", "VAB", "VietABank", "Ngân hàng TMCP Việt Á", "VNACVNVX"),
    Bank("970433", "VIETBANK", "VietBank", "Ngân hàng TMCP Việt Nam Thương Tín", "VNTTVNVX"),
    Bank("970438", "BVB", "BaoVietBank", "Ngân hàng TMCP Bảo Việt", "BVBVVNVX"),
    Bank("970430", "PGB", "PGBank", "Ngân hàng TMCP Thịnh vượng và Phát triển", "PGBLVNVX"),
    Bank("970400", "SGICB", "Saigonbank", "Ngân hàng TMCP Sài Gòn Công Thương", "SBITVNVX"),
    Bank("970414", "MBV", "MBV", "Ngân hàng TNHH MTV Việt Nam Hiện Đại", "", ("Oceanbank",)),
    Bank("970406", "Vikki", "Vikki", "Ngân hàng TNHH MTV Số Vikki", "EACBVNVX", ("DongAbank", "Dong A Bank")),
    Bank("970446", "COOPBANK", "Co-opBank", "Ngân hàng Hợp tác xã Việt Nam", "", ("CoopBank",)),
    Bank(
        "970424",
        "SHBVN",
        "Shinhan Bank",
        "Ngân hàng TNHH MTV Shinhan Việt Nam",
        "SHBKVNVX",
        ("Shinhan Bank V",),
    ),
    Bank("970457", "WVN", "Woori", "Ngân hàng TNHH MTV Woori Việt Nam", "", ("WooriBank Viet", "WooriBank")),
    Bank(
        "970410",
        "SCVN",
        "Standard Chartered",
        "Ngân hàng TNHH MTV Standard Chartered Bank Việt Nam",
        "SCBLVNVX",
        ("Standard Chart",),
    ),
    Bank("970434", "IVB", "Indovina", "Ngân hàng TNHH Indovina", "", ("IndovinaBank",)),
    Bank("546034", "CAKE", "CAKE", "Ngân hàng số CAKE by VPBank", "", ("CAKE by VPBank",)),
    Bank("546035", "Ubank", "Ubank", "Ngân hàng số Ubank by VPBank"),
    Bank("963388", "TIMO", "Timo", "Ngân hàng số Timo by Bản Việt"),
)

_BY_BIN = {b.bin: b for b in BANKS}
_BY_CODE = {b.code.upper(): b for b in BANKS}


def _key(text: str) -> str:
    return normalize(text).replace(" ", "").replace("-", "").replace(".", "")


@cache
def _alias_index() -> dict[str, Bank]:
    index: dict[str, Bank] = {}
    for bank in BANKS:
        for name in (bank.code, bank.short_name, bank.swift, bank.bin, *bank.aliases):
            if name:
                index.setdefault(_key(name), bank)
    return index


def by_bin(bin_: str) -> Bank | None:
    return _BY_BIN.get((bin_ or "").strip())


def by_code(code: str) -> Bank | None:
    return _BY_CODE.get((code or "").strip().upper())


def find(name: str) -> Bank | None:
    """The bank a statement or memo calls `name` ("VCB", "Tienphongbank", "ICBVVNVX", "970415")."""
    key = _key(name or "")
    if not key:
        return None
    return _alias_index().get(key)


def choices() -> list[tuple[str, str]]:
    """(BIN, "Short name – BIN") pairs for a select box, by short name."""
    return [(b.bin, f"{b.short_name} ({b.bin})") for b in sorted(BANKS, key=lambda b: b.short_name.lower())]
