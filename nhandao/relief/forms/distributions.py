from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhandao.org.forms import DATE_WIDGET, UnitNameChoiceField
from nhandao.org.models import Unit

from ..models import Item, Package, Warehouse
from .stock import ItemChoice


class PlanForm(forms.Form):
    commune = UnitNameChoiceField(label=_("Xã, phường, đặc khu"), queryset=Unit.objects.none())
    warehouse = forms.ModelChoiceField(label=_("Kho xuất"), queryset=Warehouse.objects.none())
    package = forms.ModelChoiceField(label=_("Gói mỗi hộ"), queryset=Package.objects.filter(is_active=True))
    planned_on = forms.DateField(label=_("Ngày phát"), initial=timezone.localdate, widget=DATE_WIDGET)
    place = forms.CharField(label=_("Địa điểm phát"), max_length=300, required=False)

    def __init__(self, *args, communes, warehouses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["warehouse"].queryset = warehouses


class ConfirmForm(forms.Form):
    proof = forms.ChoiceField(
        label=_("Xác nhận bằng"),
        choices=[("signature", _("Chữ ký trên danh sách")), ("photo", _("Ảnh chụp"))],
    )
    proof_file = forms.ImageField(label=_("Ảnh chụp hộ nhận hàng"), required=False)
    duplicate_reason = forms.CharField(
        label=_("Lý do vẫn phát (nếu hộ đã được trợ giúp gần đây)"), max_length=300, required=False
    )
    expired_reason = forms.CharField(
        label=_("Lý do nếu phát hàng đã hết hạn"), max_length=300, required=False
    )


class PackageForm(forms.Form):
    name = forms.CharField(label=_("Tên gói cứu trợ"), max_length=150)


class PackageLineForm(forms.Form):
    item = ItemChoice(label=_("Mặt hàng"), queryset=Item.objects.filter(is_active=True), required=False)
    quantity = forms.CharField(label=_("Số lượng mỗi hộ"), required=False, max_length=20)


PackageLines = forms.formset_factory(PackageLineForm, extra=5, max_num=20)


class SpotRegistrationForm(forms.Form):
    """A household registered at the distribution point (a new file of the register)."""

    full_name = forms.CharField(label=_("Họ tên chủ hộ"), max_length=150)
    cccd = forms.CharField(label=_("Số CCCD"), max_length=20, required=False)
    date_of_birth = forms.DateField(label=_("Ngày sinh"), required=False, widget=DATE_WIDGET)
    address_detail = forms.CharField(label=_("Số nhà, đường, thôn, tổ"), max_length=200)
    phone = forms.CharField(label=_("Điện thoại"), max_length=15, required=False)
    household_size = forms.IntegerField(label=_("Số nhân khẩu"), min_value=1, max_value=50, required=False)
    allow_duplicate = forms.BooleanField(
        label=_("Đã kiểm tra: đây là hộ khác với hồ sơ trùng tên, trùng địa chỉ"), required=False
    )
