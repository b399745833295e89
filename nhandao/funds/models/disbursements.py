"""Payments, transfers to sub-units and goods issues, and the beneficiary cases they help."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .funds import Account, BankAccount, Fund


# Disbursements -----------------------------------------------------------------
class DisbursementKind(models.TextChoices):
    PAYMENT = "payment", _("Chi hỗ trợ bằng tiền")
    TRANSFER = "transfer", _("Điều chuyển tiền cho quỹ đơn vị cấp dưới")
    GOODS_ISSUE = "goods_issue", _("Xuất hiện vật hỗ trợ")
    GOODS_TRANSFER = "goods_transfer", _("Điều chuyển hiện vật cho đơn vị cấp dưới")


MONEY_DISBURSEMENTS = frozenset({DisbursementKind.PAYMENT, DisbursementKind.TRANSFER})
GOODS_DISBURSEMENTS = frozenset({DisbursementKind.GOODS_ISSUE, DisbursementKind.GOODS_TRANSFER})
TRANSFERS = frozenset({DisbursementKind.TRANSFER, DisbursementKind.GOODS_TRANSFER})


class DisbursementStatus(models.TextChoices):
    DRAFT = "draft", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt, đã ghi sổ")
    REJECTED = "rejected", _("Không duyệt")
    WITHDRAWN = "withdrawn", _("Đã rút lại")
    REVERSED = "reversed", _("Đã hủy bằng bút toán đảo")


class HelpKind(models.TextChoices):
    CASH = "cash", _("Hỗ trợ tiền mặt")
    GIFTS = "gifts", _("Quà tặng")
    RELIEF = "relief", _("Cứu trợ khẩn cấp")
    HEALTH = "health", _("Chăm sóc sức khỏe")
    SCHOLARSHIP = "scholarship", _("Học bổng")
    LIVELIHOOD = "livelihood", _("Sinh kế")
    HOUSING = "housing", _("Nhà nhân đạo")
    TRANSFER = "transfer", _("Điều chuyển cho đơn vị cấp dưới")
    OTHER = "other", _("Khác")


class Disbursement(models.Model):
    """A payment, a transfer to a sub-unit's fund or an issue of goods: drafted, then approved by another user."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="disbursements")
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="disbursements", verbose_name=_("chi từ quỹ")
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursements",
        verbose_name=_("cuộc vận động"),
    )
    kind = models.CharField(_("loại"), max_length=16, choices=DisbursementKind.choices)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=DisbursementStatus.choices, default=DisbursementStatus.DRAFT
    )
    series = models.CharField(max_length=2)  # PC: phiếu chi (money), PX: phiếu xuất kho (goods)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField(_("số phiếu"))
    amount = models.BigIntegerField(_("số tiền (đồng)"), default=0)
    source_account = models.ForeignKey(
        Account,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chi từ tài khoản"),
    )
    destination_unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị nhận điều chuyển"),
    )
    destination_bank_account = models.ForeignKey(
        BankAccount,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tài khoản nhận của đơn vị cấp dưới"),
    )
    destination_fund = models.ForeignKey(
        Fund, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("quỹ nhận")
    )
    purpose = models.CharField(_("nội dung chi"), max_length=300)
    help_kind = models.CharField(_("hình thức hỗ trợ"), max_length=12, choices=HelpKind.choices)
    recipient_unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("địa bàn nhận hỗ trợ"),
    )
    households = models.PositiveIntegerField(_("số hộ được hỗ trợ"), null=True, blank=True)
    people = models.PositiveIntegerField(_("số người được hỗ trợ"), null=True, blank=True)
    payee_name = models.CharField(_("người nhận tiền"), max_length=200, blank=True)
    payee_account = models.CharField(_("tài khoản người nhận"), max_length=40, blank=True)
    payee_bank = models.CharField(_("ngân hàng người nhận"), max_length=150, blank=True)
    help_reference = models.CharField(
        _("mã hồ sơ trợ giúp"),
        max_length=100,
        blank=True,
        help_text=_("Mã hồ sơ trợ giúp của đối tượng thụ hưởng (phân hệ đối tượng thụ hưởng)."),
    )
    value_date = models.DateField(_("ngày chi"))
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người lập")
    )
    drafted_at = models.DateTimeField(_("lập lúc"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    decided_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    decision_note = models.CharField(_("ý kiến người duyệt"), max_length=300, blank=True)
    bank_reference = models.CharField(_("số tham chiếu trên sao kê"), max_length=100, blank=True)
    bank_matched_on = models.DateField(_("ngày đối chiếu sao kê"), null=True, blank=True)
    search_key = models.CharField(max_length=400, db_index=True, editable=False)

    class Meta:
        verbose_name = _("khoản chi")
        verbose_name_plural = _("khoản chi")
        ordering = ["-value_date", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["fund", "value_date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "series", "year", "number"], name="funds_disbursement_number_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funds_disbursement_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher_label} · {self.purpose}"

    def get_absolute_url(self) -> str:
        return reverse("funds:disbursement", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit

    @property
    def voucher_label(self) -> str:
        return f"{self.series}{self.year}-{self.number:05d}"

    @property
    def is_goods(self) -> bool:
        return self.kind in GOODS_DISBURSEMENTS

    @property
    def is_transfer(self) -> bool:
        return self.kind in TRANSFERS


class DisbursementItem(models.Model):
    disbursement = models.ForeignKey(Disbursement, on_delete=models.PROTECT, related_name="items")
    item_key = models.CharField(max_length=200)
    name = models.CharField(_("tên hàng"), max_length=150)
    unit_label = models.CharField(_("đơn vị tính"), max_length=30)
    quantity = models.DecimalField(_("số lượng"), max_digits=16, decimal_places=3)
    value = models.BigIntegerField(_("giá trị (đồng)"), default=0)

    class Meta:
        verbose_name = _("hiện vật xuất")
        verbose_name_plural = _("hiện vật xuất")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="funds_disbursementitem_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.quantity} {self.unit_label})"


# Help to people: which beneficiary cases a payment or an issue of goods is for.
# The fund decides nothing about the cases beyond this link; eligibility, the
# double-help check and the help records themselves belong to the beneficiaries
# module (nhandao.beneficiaries.api).
FUND_TO_CASE_HELP_KIND = {
    # funds HelpKind -> beneficiaries HelpKind (money, goods)
    HelpKind.CASH: ("cash", "goods"),
    HelpKind.GIFTS: ("gift", "gift"),
    HelpKind.RELIEF: ("emergency", "emergency"),
    HelpKind.HEALTH: ("health", "health"),
    HelpKind.SCHOLARSHIP: ("scholarship", "scholarship"),
    HelpKind.LIVELIHOOD: ("livelihood", "livelihood"),
    HelpKind.HOUSING: ("house", "house"),
    HelpKind.OTHER: ("cash", "goods"),
}
# Only these kinds of disbursement can name beneficiary cases (transfers go to a unit).
CASE_DISBURSEMENTS = frozenset({DisbursementKind.PAYMENT, DisbursementKind.GOODS_ISSUE})
MAX_CASES_PER_DISBURSEMENT = 200


class DisbursementCase(models.Model):
    """One beneficiary case a disbursement helps, with its share.

    `amount` is the case's share of a payment (the shares sum to the disbursement's
    amount); for goods it is set at approval from the issued value.  The help record
    is created at approval, in the posting's transaction, and cancelled with a reversal.
    """

    disbursement = models.ForeignKey(Disbursement, on_delete=models.PROTECT, related_name="cases")
    case = models.ForeignKey(
        "beneficiaries.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("hồ sơ")
    )
    amount = models.BigIntegerField(_("số tiền (đồng)"), default=0)
    duplicate_reason = models.CharField(_("lý do vẫn trợ giúp"), max_length=300, blank=True)
    help_record = models.ForeignKey(
        "beneficiaries.HelpRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lần trợ giúp"),
    )

    class Meta:
        verbose_name = _("hồ sơ được hỗ trợ")
        verbose_name_plural = _("hồ sơ được hỗ trợ")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["disbursement", "case"], name="funds_disbursementcase_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funds_disbursementcase_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.disbursement_id} → HS-{self.case_id:06d}"
