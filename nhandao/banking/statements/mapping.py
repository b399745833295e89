"""Saved column mappings: read a CSV or XLSX of any bank by saying which column is which.

A column is named either by its header text ("Ngày GD", compared without
diacritics, case or punctuation) or by its position (an Excel letter "C" or a
number "3").  A mapping uses one way or the other for all its columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import layouts

_LETTERS = re.compile(r"^[A-Za-z]{1,2}$")
_NUMBER = re.compile(r"^\d{1,3}$")

# Mapping field -> column role.
FIELDS = {
    "date": layouts.DATE,
    "time": layouts.TIME,
    "amount": layouts.AMOUNT,
    "debit": layouts.DEBIT,
    "credit": layouts.CREDIT,
    "direction": layouts.DIRECTION,
    "balance": layouts.BALANCE,
    "reference": layouts.REFERENCE,
    "counterparty_name": layouts.CP_NAME,
    "counterparty_account": layouts.CP_ACCOUNT,
}


@dataclass(frozen=True)
class MappingSpec:
    name: str
    date: str
    description: tuple[str, ...]
    amount: str = ""
    debit: str = ""
    credit: str = ""
    direction: str = ""
    time: str = ""
    balance: str = ""
    reference: str = ""
    counterparty_name: str = ""
    counterparty_account: str = ""
    header_row: int | None = None  # 1-based; None: find it (by header texts) or row 1 (by positions); 0: none
    credit_is_negative: bool = False
    bank_code: str = ""

    def refs(self) -> dict[str, tuple[str, ...]]:
        result = {role: (getattr(self, f).strip(),) for f, role in FIELDS.items() if getattr(self, f).strip()}
        description = tuple(d.strip() for d in self.description if d.strip())
        if description:
            result[layouts.DESCRIPTION] = description
        return result

    def validate(self) -> None:
        errors: dict[str, str] = {}
        if not self.date.strip():
            errors["date"] = _("Hãy chỉ ra cột ngày giao dịch.")
        if not any(d.strip() for d in self.description):
            errors["description"] = _("Hãy chỉ ra cột diễn giải (nội dung).")
        has_split = bool(self.debit.strip() or self.credit.strip())
        if not self.amount.strip() and not has_split:
            errors["amount"] = _("Hãy chỉ ra cột số tiền, hoặc các cột ghi nợ và ghi có.")
        if self.amount.strip() and has_split:
            errors["amount"] = _("Chỉ dùng một cột số tiền hoặc hai cột ghi nợ/ghi có, không dùng cả hai.")
        refs = [r for values in self.refs().values() for r in values]
        positional = [bool(_LETTERS.match(r) or _NUMBER.match(r)) for r in refs]
        if refs and any(positional) and not all(positional):
            errors["date"] = _(
                "Các cột phải được chỉ ra cùng một cách: hoặc tất cả theo tên cột, hoặc tất cả theo vị trí (A, B, C…)."
            )
        if self.header_row is not None and not 0 <= self.header_row <= 1000:
            errors["header_row"] = _("Dòng tiêu đề phải từ 0 đến 1000.")
        if errors:
            raise ValidationError(errors)

    @property
    def positional(self) -> bool:
        refs = [r for values in self.refs().values() for r in values]
        return bool(refs) and all(_LETTERS.match(r) or _NUMBER.match(r) for r in refs)

    def layout(self) -> layouts.Layout:
        self.validate()
        name = f"mapping:{self.name}"
        label = _("Mẫu cột đã lưu “%(name)s”") % {"name": self.name}
        if self.positional:
            return layouts.Layout(
                name=name,
                label=label,
                bank_code=self.bank_code,
                synonyms={},
                fixed_columns={
                    role: tuple(column_index(r) for r in refs) for role, refs in self.refs().items()
                },
                header_row=1 if self.header_row is None else self.header_row,
                credit_is_negative=self.credit_is_negative,
            )
        synonyms = {
            role: tuple("=" + layouts.header_key(r) for r in refs) for role, refs in self.refs().items()
        }
        return layouts.Layout(
            name=name,
            label=label,
            bank_code=self.bank_code,
            synonyms=synonyms,
            header_row=self.header_row,
            credit_is_negative=self.credit_is_negative,
        )


def column_index(ref: str) -> int:
    """'A' -> 0, 'AB' -> 27, '3' -> 2."""
    ref = ref.strip()
    if _NUMBER.match(ref):
        return max(int(ref) - 1, 0)
    index = 0
    for ch in ref.upper():
        index = index * 26 + (ord(ch) - ord("A") + 1)
    return index - 1
