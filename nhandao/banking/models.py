"""Banking data of this phase: saved column mappings for statements of any bank.

Statements, their lines and the fund's bank accounts arrive with the fund
ledger; a column mapping only belongs to a unit (usable by it and its
subtree), so it is kept here already.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nhandao.org.models import Unit

from .statements.mapping import MappingSpec

DESCRIPTION_SEPARATOR = ";"


class StatementColumnMapping(models.Model):
    """Which column of a bank's CSV/XLSX is which, by header text or by position (A, B, C...)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="statement_mappings")
    name = models.CharField(_("tên mẫu"), max_length=100)
    bank_code = models.CharField(_("ngân hàng"), max_length=20, blank=True)
    date_column = models.CharField(_("cột ngày giao dịch"), max_length=100)
    time_column = models.CharField(_("cột giờ"), max_length=100, blank=True)
    amount_column = models.CharField(_("cột số tiền (có dấu)"), max_length=100, blank=True)
    debit_column = models.CharField(_("cột ghi nợ"), max_length=100, blank=True)
    credit_column = models.CharField(_("cột ghi có"), max_length=100, blank=True)
    direction_column = models.CharField(_("cột nợ/có"), max_length=100, blank=True)
    balance_column = models.CharField(_("cột số dư"), max_length=100, blank=True)
    description_columns = models.CharField(
        _("cột diễn giải"), max_length=300, help_text=_("Nhiều cột thì ngăn cách bằng dấu chấm phẩy (;).")
    )
    reference_column = models.CharField(_("cột số tham chiếu"), max_length=100, blank=True)
    counterparty_name_column = models.CharField(_("cột tên người chuyển"), max_length=100, blank=True)
    counterparty_account_column = models.CharField(
        _("cột tài khoản người chuyển"), max_length=100, blank=True
    )
    header_row = models.PositiveIntegerField(_("dòng tiêu đề"), null=True, blank=True)
    credit_is_negative = models.BooleanField(_("ghi có mang dấu âm"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("mẫu cột sao kê")
        verbose_name_plural = _("mẫu cột sao kê")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="banking_mapping_unique_name_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def descriptions(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.description_columns.split(DESCRIPTION_SEPARATOR) if p.strip())

    def spec(self) -> MappingSpec:
        return MappingSpec(
            name=self.name,
            date=self.date_column,
            description=self.descriptions,
            amount=self.amount_column,
            debit=self.debit_column,
            credit=self.credit_column,
            direction=self.direction_column,
            time=self.time_column,
            balance=self.balance_column,
            reference=self.reference_column,
            counterparty_name=self.counterparty_name_column,
            counterparty_account=self.counterparty_account_column,
            header_row=self.header_row,
            credit_is_negative=self.credit_is_negative,
            bank_code=self.bank_code,
        )
