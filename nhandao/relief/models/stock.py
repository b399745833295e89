"""Relief stock: warehouses, the item catalogue, lots, and every movement of goods.

The quantity on hand of a lot in a warehouse is a `StockBalance` row, locked with
select_for_update by every service that moves goods and held non-negative by a
check constraint: no issue can take what is not there, also when two run at
once.  `StockMovement` is the book (never edited): the balance of a warehouse
on any date is the sum of its movements up to that date.  Documents (receipts,
transfers, issues, counts) say why goods moved.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

QTY = {"max_digits": 16, "decimal_places": 3}


class Warehouse(models.Model):
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="warehouses", verbose_name=_("đơn vị quản lý")
    )
    name = models.CharField(_("tên kho"), max_length=200)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    keeper = models.CharField(_("thủ kho"), max_length=200, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kho hàng cứu trợ")
        verbose_name_plural = _("kho hàng cứu trợ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("relief:warehouse", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit


class Item(models.Model):
    """The city's catalogue: what a warehouse can hold, its unit of measure and usual value."""

    code = models.CharField(_("mã hàng"), max_length=20, unique=True)
    name = models.CharField(_("tên hàng"), max_length=150)
    measure = models.CharField(_("đơn vị tính"), max_length=20)
    unit_value = models.BigIntegerField(_("đơn giá tham khảo (đồng)"), default=0)
    perishable = models.BooleanField(_("có hạn sử dụng"), default=False)
    warn_days = models.PositiveSmallIntegerField(_("cảnh báo trước khi hết hạn (ngày)"), default=60)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("mặt hàng cứu trợ")
        verbose_name_plural = _("danh mục hàng cứu trợ")
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(unit_value__gte=0), name="relief_item_value")]

    def __str__(self) -> str:
        return f"{self.name} ({self.measure})"


class Lot(models.Model):
    """Goods of one item received together: one expiry date and one value per unit of measure."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="lots")
    code = models.CharField(_("số lô"), max_length=40)
    expires_on = models.DateField(_("hạn sử dụng"), null=True, blank=True)
    unit_value = models.BigIntegerField(_("đơn giá (đồng)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lô hàng")
        verbose_name_plural = _("lô hàng")
        constraints = [
            models.UniqueConstraint(fields=["item", "code"], name="relief_lot_code"),
            models.CheckConstraint(condition=Q(unit_value__gte=0), name="relief_lot_value"),
        ]

    def __str__(self) -> str:
        return f"{self.item.name} · {self.code}"


class StockBalance(models.Model):
    """On hand now: the row every move locks (select_for_update) and the constraint keeps >= 0."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="balances")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="balances")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("tồn"), default=Decimal(0), **QTY)

    class Meta:
        verbose_name = _("tồn kho theo lô")
        verbose_name_plural = _("tồn kho theo lô")
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "lot"], name="relief_balance_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="relief_balance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.warehouse_id} · {self.lot_id}: {self.quantity}"


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("Nhập kho")
    ISSUE = "issue", _("Xuất kho")
    TRANSFER_OUT = "transfer_out", _("Xuất điều chuyển")
    TRANSFER_IN = "transfer_in", _("Nhận điều chuyển")
    ADJUSTMENT = "adjustment", _("Điều chỉnh sau kiểm kê")


class StockMovement(models.Model):
    """One line of the stock book; `quantity` is signed (in > 0, out < 0).  Never edited."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="movements")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="movements")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại"), max_length=12, choices=MovementKind.choices)
    occurred_on = models.DateField(_("ngày"))
    quantity = models.DecimalField(_("số lượng"), **QTY)
    value = models.BigIntegerField(_("giá trị (đồng)"), default=0)
    receipt = models.ForeignKey(
        "StockReceipt", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    transfer = models.ForeignKey(
        "StockTransfer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issue = models.ForeignKey("StockIssue", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    count = models.ForeignKey("StockCount", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("biến động kho")
        verbose_name_plural = _("sổ kho")
        indexes = [models.Index(fields=["warehouse", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity} · {self.occurred_on:%d/%m/%Y}"


class ReceiptSource(models.TextChoices):
    GIFT = "gift", _("Ủng hộ bằng hiện vật")
    PURCHASE = "purchase", _("Mua bằng tiền của Quỹ")
    OTHER = "other", _("Khác (Hội cấp trên cấp, tồn đầu kỳ)")


class StockReceipt(models.Model):
    """Goods entering a warehouse.  A gift in kind points at the fund's donation (booked at value
    in the ledger), a purchase at the fund's payment: goods and money tie to the same ledger."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="receipts")
    received_on = models.DateField(_("ngày nhập"))
    source = models.CharField(_("nguồn hàng"), max_length=10, choices=ReceiptSource.choices)
    donation = models.ForeignKey(
        "funds.Donation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stock_receipts",
        verbose_name=_("khoản ủng hộ hiện vật"),
    )
    disbursement = models.ForeignKey(
        "funds.Disbursement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stock_receipts",
        verbose_name=_("khoản chi mua hàng"),
    )
    supplier = models.CharField(_("bên giao hàng"), max_length=200, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    value = models.BigIntegerField(_("tổng giá trị (đồng)"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiếu nhập kho")
        verbose_name_plural = _("phiếu nhập kho")

    def __str__(self) -> str:
        return f"PN-{self.pk:06d}"

    @property
    def audit_unit(self):
        return self.warehouse.unit


class TransferStatus(models.TextChoices):
    IN_TRANSIT = "in_transit", _("Đã xuất, đang vận chuyển")
    RECEIVED = "received", _("Đã nhận")


class StockTransfer(models.Model):
    source = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="transfers_out")
    destination = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="transfers_in")
    status = models.CharField(_("trạng thái"), max_length=12, choices=TransferStatus.choices)
    dispatched_on = models.DateField(_("ngày xuất"))
    received_on = models.DateField(_("ngày nhận"), null=True, blank=True)
    vehicle = models.CharField(_("phương tiện, người vận chuyển"), max_length=200, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("phiếu điều chuyển")
        verbose_name_plural = _("phiếu điều chuyển")

    def __str__(self) -> str:
        return f"DC-{self.pk:06d}"

    @property
    def audit_unit(self):
        return self.source.unit


class TransferLine(models.Model):
    transfer = models.ForeignKey(StockTransfer, on_delete=models.CASCADE, related_name="lines")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="+")
    sent = models.DecimalField(_("số lượng xuất"), **QTY)
    received = models.DecimalField(_("số lượng nhận"), null=True, blank=True, **QTY)
    discrepancy_note = models.CharField(_("giải trình chênh lệch"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("dòng phiếu điều chuyển")
        verbose_name_plural = _("dòng phiếu điều chuyển")

    def __str__(self) -> str:
        return f"{self.transfer} · {self.lot_id}"

    @property
    def difference(self) -> Decimal | None:
        return None if self.received is None else self.received - self.sent


class StockIssue(models.Model):
    """Goods leaving a warehouse: to a distribution, or another use (with its purpose)."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="issues")
    issued_on = models.DateField(_("ngày xuất"))
    purpose = models.CharField(_("nội dung xuất"), max_length=300)
    expired_reason = models.CharField(_("lý do xuất hàng hết hạn"), max_length=300, blank=True)
    value = models.BigIntegerField(_("tổng giá trị (đồng)"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiếu xuất kho")
        verbose_name_plural = _("phiếu xuất kho")

    def __str__(self) -> str:
        return f"PX-{self.pk:06d}"

    @property
    def audit_unit(self):
        return self.warehouse.unit


class CountStatus(models.TextChoices):
    DRAFT = "draft", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt, đã điều chỉnh")
    REJECTED = "rejected", _("Không duyệt")


class StockCount(models.Model):
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="counts")
    counted_on = models.DateField(_("ngày kiểm kê"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=CountStatus.choices)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("biên bản kiểm kê")
        verbose_name_plural = _("biên bản kiểm kê")

    def __str__(self) -> str:
        return f"KK-{self.pk:06d}"

    @property
    def audit_unit(self):
        return self.warehouse.unit


class CountLine(models.Model):
    count = models.ForeignKey(StockCount, on_delete=models.CASCADE, related_name="lines")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="+")
    expected = models.DecimalField(_("tồn sổ sách"), **QTY)
    counted = models.DecimalField(_("tồn thực tế"), **QTY)
    reason = models.CharField(_("lý do chênh lệch"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("dòng biên bản kiểm kê")
        verbose_name_plural = _("dòng biên bản kiểm kê")

    def __str__(self) -> str:
        return f"{self.count} · {self.lot_id}"
