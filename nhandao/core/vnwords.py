"""Numbers in Vietnamese words, as written on receipts and vouchers ("bằng chữ").

    >>> amount_in_words(50_000_000)
    'Năm mươi triệu đồng'

The rules that trip people up:

* a unit digit after a tens digit of 2 or more: 1 is "mốt" ("hai mươi mốt") and 5 is
  "lăm" ("hai mươi lăm"); after "mười" 1 stays "một" ("mười một") and 5 is "lăm"
  ("mười lăm"); 4 is "bốn" ("mười bốn", "hai mươi bốn"; "hai mươi tư" with ``four="tư"``);
* a zero tens digit between a hundred and a unit is "linh" ("một trăm linh năm"; the
  Southern "lẻ" with ``odd="lẻ"``), and then 1, 4 and 5 keep their plain names;
* every group of three digits after the first spoken group is read in full, hundreds
  included: 1.005.000.000 is "một tỷ không trăm linh năm triệu";
* empty groups are skipped (1.000.000.005 is "một tỷ không trăm linh năm"), and past a
  billion the count of billions is read as a number: 10^12 is "một nghìn tỷ".

The supported range is 0 to 999.999.999.999.999 (just under a million billion).
"""

from __future__ import annotations

MAX = 999_999_999_999_999
DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
BILLION = 10**9


def _group(n: int, *, full: bool, four: str, odd: str) -> list[str]:
    """Words for 0 < n < 1000; `full` reads the hundreds even when they are zero."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if full or hundreds:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append(odd)
            words.append(DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt" if tens > 1 else "một")
    elif units == 5:
        words.append("lăm")
    elif units == 4:
        words.append(four if tens > 1 else "bốn")
    elif units:
        words.append(DIGITS[units])
    return words


def _below_billion(n: int, *, leading: bool, thousand: str, four: str, odd: str) -> list[str]:
    words: list[str] = []
    spoken = not leading
    for value, scale in ((n // 1_000_000, "triệu"), (n // 1000 % 1000, thousand), (n % 1000, "")):
        if value == 0:
            continue
        words += _group(value, full=spoken, four=four, odd=odd)
        if scale:
            words.append(scale)
        spoken = True
    return words


def number_in_words(
    n: int, *, thousand: str = "nghìn", four: str = "bốn", odd: str = "linh", billion: str = "tỷ"
) -> str:
    """0 -> 'không', 105 -> 'một trăm linh năm', 1_005_000_000 -> 'một tỷ không trăm linh năm triệu'."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"expected an integer, got {type(n).__name__}")
    if n < 0 or n > MAX:
        raise ValueError(f"out of range 0..{MAX}: {n}")
    if n == 0:
        return DIGITS[0]
    high, low = divmod(n, BILLION)
    words: list[str] = []
    if high:
        words += _below_billion(high, leading=True, thousand=thousand, four=four, odd=odd)
        words.append(billion)
    words += _below_billion(low, leading=not high, thousand=thousand, four=four, odd=odd)
    return " ".join(words)


def amount_in_words(amount: int, *, currency: str = "đồng", **options) -> str:
    """50_000_000 -> 'Năm mươi triệu đồng' (capitalised, as on a receipt)."""
    text = f"{number_in_words(amount, **options)} {currency}".strip()
    return text[:1].upper() + text[1:]
