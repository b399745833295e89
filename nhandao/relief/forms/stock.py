from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhandao.core.access import RELIEF_MANAGE
from nhandao.core.money import MoneyField
from nhandao.funds.models import (
    Channel,
    Disbursement,
    DisbursementKind,
    DisbursementStatus,
    Donation,
    RecordStatus,
)
from nhandao.org.forms import DATE_WIDGET, UnitNameChoiceField, unit_choices
from nhandao.org.models import Unit

from ..models import Item, Lot, ReceiptSource, StockBalance

SMALL = {"autocomplete": "off"}


class WarehouseForm(forms.Form):
    unit = UnitNameChoiceField(label=_("Đơn vị quản lý"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Tên kho"), max_length=200)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    keeper = forms.CharField(label=_("Thủ kho"), max_length=200, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user, RELIEF_MANAGE)


class ItemForm(forms.Form):
    code = forms.CharField(label=_("Mã hàng"), max_length=20)
    name = forms.CharField(label=_("Tên hàng"), max_length=150)
    measure = forms.CharField(
        label=_("Đơn vị tính"), max_length=20, help_text=_("bộ, kg, thùng, chiếc, tấm…")
    )
    unit_value = MoneyField(label=_("Đơn giá tham khảo (đồng)"), required=False)
    perishable = forms.BooleanField(label=_("Có hạn sử dụng"), required=False)
    warn_days = forms.IntegerField(
        label=_("Cảnh báo trước khi hết hạn (ngày)"), initial=60, min_value=0, max_value=3650
    )


class ItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Item) -> str:
        return f"{obj.name} ({obj.measure})"


class LotChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Lot) -> str:
        expiry = f", HSD {obj.expires_on:%d/%m/%Y}" if obj.expires_on else ""
        return f"{obj.item.name} · lô {obj.code}{expiry}"


class ReceiptLineForm(forms.Form):
    item = ItemChoice(label=_("Mặt hàng"), queryset=Item.objects.filter(is_active=True), required=False)
    quantity = forms.CharField(
        label=_("Số lượng"), required=False, max_length=20, widget=forms.TextInput(attrs=SMALL)
    )
    lot_code = forms.CharField(label=_("Số lô"), required=False, max_length=40)
    expires_on = forms.DateField(label=_("Hạn sử dụng"), required=False, widget=DATE_WIDGET)
    unit_value = MoneyField(label=_("Đơn giá (đồng)"), required=False)


class IssueLineForm(forms.Form):
    lot = LotChoice(label=_("Lô hàng"), queryset=Lot.objects.none(), required=False)
    quantity = forms.CharField(
        label=_("Số lượng"), required=False, max_length=20, widget=forms.TextInput(attrs=SMALL)
    )

    def __init__(self, *args, warehouse=None, **kwargs):
        super().__init__(*args, **kwargs)
        held = StockBalance.objects.filter(warehouse=warehouse, quantity__gt=0).values("lot_id")
        self.fields["lot"].queryset = (
            Lot.objects.filter(pk__in=held).select_related("item").order_by("item__name", "code")
        )


ReceiptLines = forms.formset_factory(ReceiptLineForm, extra=5, max_num=50)
IssueLines = forms.formset_factory(IssueLineForm, extra=5, max_num=50)


class ReceiptForm(forms.Form):
    received_on = forms.DateField(label=_("Ngày nhập"), initial=timezone.localdate, widget=DATE_WIDGET)
    source = forms.ChoiceField(label=_("Nguồn hàng"), choices=ReceiptSource.choices)
    donation = forms.ModelChoiceField(
        label=_("Khoản ủng hộ hiện vật (Quỹ)"), queryset=Donation.objects.none(), required=False
    )
    disbursement = forms.ModelChoiceField(
        label=_("Khoản chi mua hàng (Quỹ)"), queryset=Disbursement.objects.none(), required=False
    )
    supplier = forms.CharField(label=_("Bên giao hàng"), max_length=200, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, warehouse, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(pk=warehouse.unit_id) | Unit.objects.filter(
            path__in=_above(warehouse.unit.path)
        )
        # The latest 200 of each (a choice field cannot validate against a sliced queryset).
        gifts = Donation.objects.filter(unit__in=units, channel=Channel.IN_KIND, status=RecordStatus.POSTED)
        recent = list(gifts.order_by("-received_on", "-pk").values_list("pk", flat=True)[:200])
        self.fields["donation"].queryset = Donation.objects.filter(pk__in=recent).order_by(
            "-received_on", "-pk"
        )
        paid = Disbursement.objects.filter(
            unit__in=units, kind=DisbursementKind.PAYMENT, status=DisbursementStatus.APPROVED
        )
        recent = list(paid.order_by("-value_date", "-pk").values_list("pk", flat=True)[:200])
        self.fields["disbursement"].queryset = Disbursement.objects.filter(pk__in=recent).order_by(
            "-value_date", "-pk"
        )


def _above(path: str) -> list[str]:
    segments = [s for s in path.split(".") if s]
    return [".".join(segments[:i]) + "." for i in range(1, len(segments))]


class IssueForm(forms.Form):
    issued_on = forms.DateField(label=_("Ngày xuất"), initial=timezone.localdate, widget=DATE_WIDGET)
    purpose = forms.CharField(label=_("Nội dung xuất"), max_length=300)
    expired_reason = forms.CharField(
        label=_("Lý do nếu xuất hàng đã hết hạn"), max_length=300, required=False
    )


class TransferForm(forms.Form):
    destination = forms.ModelChoiceField(label=_("Kho nhận"), queryset=None)
    dispatched_on = forms.DateField(label=_("Ngày xuất"), initial=timezone.localdate, widget=DATE_WIDGET)
    vehicle = forms.CharField(label=_("Phương tiện, người vận chuyển"), max_length=200, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)
    expired_reason = forms.CharField(
        label=_("Lý do nếu xuất hàng đã hết hạn"), max_length=300, required=False
    )

    def __init__(self, *args, destinations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"].queryset = destinations


class ReceiveForm(forms.Form):
    received_on = forms.DateField(label=_("Ngày nhận"), initial=timezone.localdate, widget=DATE_WIDGET)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        for line in lines:
            self.fields[f"received_{line.pk}"] = forms.CharField(
                label=_("Thực nhận: %(i)s lô %(l)s") % {"i": line.lot.item.name, "l": line.lot.code},
                initial=line.sent.normalize(),
                max_length=20,
            )
            self.fields[f"note_{line.pk}"] = forms.CharField(
                label=_("Giải trình chênh lệch (nếu có)"), required=False, max_length=300
            )


class CountForm(forms.Form):
    counted_on = forms.DateField(label=_("Ngày kiểm kê"), initial=timezone.localdate, widget=DATE_WIDGET)

    def __init__(self, *args, balances, **kwargs):
        super().__init__(*args, **kwargs)
        self.balances = balances
        for b in balances:
            self.fields[f"counted_{b.lot_id}"] = forms.CharField(
                label=_("Đếm được: %(i)s lô %(l)s (sổ: %(q)s)")
                % {"i": b.lot.item.name, "l": b.lot.code, "q": b.quantity.normalize()},
                initial=b.quantity.normalize(),
                max_length=20,
            )
            self.fields[f"reason_{b.lot_id}"] = forms.CharField(
                label=_("Lý do chênh lệch"), required=False, max_length=300
            )
