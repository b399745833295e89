"""Citizen ID numbers: the 12-digit CCCD and the legacy 9-digit CMND.

A CCCD (Thông tư 07/2016/TT-BCA, now Law 26/2023 on identification) is:
3 digits for the province where the birth was registered (the GSO code of the
pre-2025 provinces, zero-padded: 001 Hà Nội, 030 Hải Dương, 031 Hải Phòng),
1 digit for century and sex (0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s,
6/7 = 2200s, 8/9 = 2300s), 2 digits for the birth year, 6 random digits.
The checks below explain a mismatch in words a data-entry officer can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

from nhandao.core.formatting import date as fmt_date
from nhandao.core.formatting import masked_id
from nhandao.geo.models import LegacyProvince

_JUNK = re.compile(r"[\s.\-]")


@lru_cache(maxsize=1)
def province_codes() -> dict[str, str]:
    """The 63 pre-2025 provinces, '031' -> 'Thành phố Hải Phòng'."""
    return {f"0{code}": name for code, name in LegacyProvince.objects.values_list("code", "name")}


@dataclass(frozen=True)
class IdNumber:
    cccd: str | None = None
    cmnd: str = ""


def clean_id(value) -> str:
    """Digits only; '31185000123' (Excel dropped the leading zero of a CCCD) -> '031185000123'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _JUNK.sub("", str(value))
    if text.isdigit() and len(text) == 11:
        text = "0" + text
    return text


def century_and_sex(digit: int) -> tuple[int, str]:
    return 1900 + 100 * (digit // 2), "F" if digit % 2 else "M"


def cccd_problems(
    number: str, *, sex: str = "", birth_year: int | None = None, date_of_birth=None
) -> list[str]:
    """Every way `number` contradicts itself or the person's sex and birth year."""
    problems: list[str] = []
    if not number.isdigit() or len(number) != 12:
        return [_("Số CCCD “%(v)s” phải có đúng 12 chữ số (CMND cũ có 9 chữ số).") % {"v": number}]
    province = number[:3]
    codes = province_codes()
    if codes and province not in codes:
        problems.append(
            _("Số CCCD %(v)s: mã tỉnh nơi đăng ký khai sinh “%(p)s” không tồn tại.")
            % {"v": number, "p": province}
        )
    century, cccd_sex = century_and_sex(int(number[3]))
    year = century + int(number[4:6])
    sex_word = {"M": _("nam"), "F": _("nữ")}
    if sex in ("M", "F") and sex != cccd_sex:
        problems.append(
            _(
                "Số CCCD %(v)s: chữ số thứ tư là %(d)s, nghĩa là %(cs)s sinh năm %(c)s–%(c2)s, nhưng giới tính "
                "ghi là %(s)s."
            )
            % {
                "v": number,
                "d": number[3],
                "cs": sex_word[cccd_sex],
                "c": century,
                "c2": century + 99,
                "s": sex_word[sex],
            }
        )
    known_year = date_of_birth.year if date_of_birth else birth_year
    if known_year and known_year != year:
        shown = fmt_date(date_of_birth) if date_of_birth else str(birth_year)
        problems.append(
            _("Số CCCD %(v)s cho biết năm sinh %(y)s (chữ số 4–6 là “%(d)s”), nhưng ngày sinh ghi là %(b)s.")
            % {"v": number, "y": year, "d": number[3:6], "b": shown}
        )
    return problems


def split_id(value) -> IdNumber:
    """A 12-digit value is a CCCD, a 9-digit one a legacy CMND; anything else is an error."""
    text = clean_id(value)
    if not text:
        return IdNumber()
    if len(text) == 9 and text.isdigit():
        return IdNumber(cmnd=text)
    return IdNumber(cccd=text)


def masked(number: str | None) -> str:
    """'031185000123' -> '0311••••••23' (the first 4 digits: province and century/sex)."""
    return masked_id(number)
