"""Funds, their ledger accounts and the bank accounts that hold their money."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


# Funds and accounts -----------------------------------------------------------
class FundKind(models.TextChoices):
    GENERAL = "general", _("Quỹ nhân đạo")
    RESTRICTED = "restricted", _("Quỹ hạn chế theo cuộc vận động")


class FundStatus(models.TextChoices):
    OPEN = "open", _("Đang hoạt động")
    CLOSED = "closed", _("Đã đóng")


class Fund(models.Model):
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="funds", verbose_name=_("đơn vị")
    )
    kind = models.CharField(_("loại quỹ"), max_length=12, choices=FundKind.choices)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funds",
        verbose_name=_("cuộc vận động"),
    )
    name = models.CharField(_("tên quỹ"), max_length=250)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=FundStatus.choices, default=FundStatus.OPEN
    )
    opened_on = models.DateField(_("ngày mở"))
    closed_on = models.DateField(_("ngày đóng"), null=True, blank=True)
    description = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quỹ")
        verbose_name_plural = _("quỹ")
        ordering = ["unit__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(kind="general"), name="funds_fund_one_general_per_unit"
            ),
            models.UniqueConstraint(
                fields=["unit", "campaign"],
                condition=Q(kind="restricted"),
                name="funds_fund_one_restricted_per_campaign",
            ),
            models.CheckConstraint(
                condition=(Q(kind="general") & Q(campaign__isnull=True))
                | (Q(kind="restricted") & Q(campaign__isnull=False)),
                name="funds_fund_restricted_has_campaign",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funds:fund", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit

    @property
    def is_open(self) -> bool:
        return self.status == FundStatus.OPEN

    @property
    def restricted(self) -> bool:
        return self.kind == FundKind.RESTRICTED


class BankAccount(models.Model):
    """A real account at a bank, held by a unit; VietQR codes and statement imports use it.

    Several funds of the unit may keep money in it: each fund has its own ledger
    account pointing here, and the bank balance is their sum.
    """

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="bank_accounts", verbose_name=_("đơn vị")
    )
    bank_name = models.CharField(_("ngân hàng"), max_length=150)
    bank_bin = models.CharField(
        _("mã BIN ngân hàng (NAPAS)"), max_length=6, help_text=_("6 chữ số, ví dụ 970436 (Vietcombank).")
    )
    account_number = models.CharField(_("số tài khoản"), max_length=30)
    holder = models.CharField(_("chủ tài khoản"), max_length=200)
    branch = models.CharField(_("chi nhánh"), max_length=150, blank=True)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bank_accounts",
        verbose_name=_("tài khoản chuyên thu cho cuộc vận động"),
    )
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    # Declared by a finance officer (funds.record): unused until one who approves payments or
    # manages the funds of the unit, not the declarer, confirms it (services.bank_account_confirm).
    awaiting_confirmation = models.BooleanField(_("chờ xác nhận"), default=False)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người khai báo"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tài khoản ngân hàng")
        verbose_name_plural = _("tài khoản ngân hàng")
        ordering = ["unit__path", "bank_name"]
        constraints = [
            models.UniqueConstraint(fields=["bank_bin", "account_number"], name="funds_bankaccount_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} · {self.account_number}"

    @property
    def audit_unit(self):
        return self.unit


class AccountKind(models.TextChoices):
    CASH = "cash", _("Tiền mặt")
    BANK = "bank", _("Tiền gửi ngân hàng")
    GOODS = "goods", _("Hiện vật trong kho")
    PLEDGES = "pledges", _("Phải thu cam kết ủng hộ")
    PLEDGES_DEFERRED = "pledges_deferred", _("Cam kết ủng hộ chưa nhận")
    INCOME = "income", _("Thu ủng hộ bằng tiền")
    INCOME_GOODS = "income_goods", _("Thu ủng hộ bằng hiện vật")
    TRANSFER_IN = "transfer_in", _("Nhận điều chuyển")
    TRANSFER_OUT = "transfer_out", _("Điều chuyển cho đơn vị cấp dưới")
    EXPENSE = "expense", _("Chi hỗ trợ bằng tiền")
    GOODS_ISSUED = "goods_issued", _("Xuất hiện vật hỗ trợ")
    # Made on demand, when a stock count or a transfer first finds goods missing or in excess.
    GOODS_LOSS = "goods_loss", _("Hao hụt hiện vật")
    GOODS_GAIN = "goods_gain", _("Hiện vật thừa khi kiểm kê")


# Assets may never go below zero; money accounts are cash and bank.
ASSET_KINDS = frozenset({AccountKind.CASH, AccountKind.BANK, AccountKind.GOODS, AccountKind.PLEDGES})
MONEY_KINDS = frozenset({AccountKind.CASH, AccountKind.BANK})
# Every fund gets these at creation; bank accounts are added per bank account.
# The stock adjustment accounts are added to a fund the first time it needs them.
ON_DEMAND_KINDS = frozenset({AccountKind.GOODS_LOSS, AccountKind.GOODS_GAIN})
STANDARD_KINDS = [k for k in AccountKind if k != AccountKind.BANK and k not in ON_DEMAND_KINDS]


class Account(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("quỹ"))
    kind = models.CharField(_("loại tài khoản"), max_length=20, choices=AccountKind.choices)
    bank_account = models.ForeignKey(
        BankAccount,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_accounts",
        verbose_name=_("tài khoản ngân hàng"),
    )
    # A cache of the sum of this account's entries, updated in the posting's
    # transaction; verify_ledger recomputes it.
    balance = models.BigIntegerField(_("số dư"), default=0)

    class Meta:
        verbose_name = _("tài khoản sổ quỹ")
        verbose_name_plural = _("tài khoản sổ quỹ")
        ordering = ["fund", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "kind"], condition=~Q(kind="bank"), name="funds_account_one_per_kind"
            ),
            models.UniqueConstraint(
                fields=["fund", "bank_account"],
                condition=Q(kind="bank"),
                name="funds_account_one_per_bank_account",
            ),
            models.CheckConstraint(
                condition=(Q(kind="bank") & Q(bank_account__isnull=False))
                | (~Q(kind="bank") & Q(bank_account__isnull=True)),
                name="funds_account_bank_has_bank_account",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == AccountKind.BANK and self.bank_account_id:
            return f"{self.get_kind_display()} {self.bank_account}"
        return str(self.get_kind_display())

    @property
    def audit_unit(self):
        return self.fund.unit

    @property
    def is_asset(self) -> bool:
        return self.kind in ASSET_KINDS

    @property
    def is_money(self) -> bool:
        return self.kind in MONEY_KINDS
