"""Forms of the fund pages: thin, they only parse input; the services decide."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhandao.campaigns.selectors import campaigns_to_collect_for
from nhandao.core.access import FUNDS_MANAGE, FUNDS_RECORD, FUNDS_VIEW
from nhandao.core.collation import vi
from nhandao.core.forms import show_when
from nhandao.core.money import MoneyField
from nhandao.core.search import SearchSelect
from nhandao.org import access
from nhandao.org.forms import DATE_WIDGET, unit_choices
from nhandao.org.forms import UnitNameChoiceField as UnitChoiceField
from nhandao.org.models import Unit, UnitKind

from .models import (
    MONEY_KINDS,
    Account,
    BankAccount,
    Channel,
    DisbursementKind,
    Display,
    DonorKind,
    Fund,
    FundKind,
    HelpKind,
)
from .services.donations import CURRENCIES


class FundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Fund) -> str:
        return obj.name


def open_funds(user, perm: str):
    return (
        access.scope(user, perm)
        .filter(Fund.objects.filter(status="open"))
        .select_related("unit")
        .order_by("unit__path", "kind", vi("name"))
    )


def campaign_choices(user):
    return campaigns_to_collect_for(user)


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE_WIDGET)

    def period(self, default_from):
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        date_from = data.get("date_from") or default_from
        date_to = data.get("date_to") or today
        if date_to < date_from:
            date_from, date_to = date_to, date_from
        return date_from, date_to


class FundForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Loại quỹ"), choices=FundKind.choices)
    campaign = forms.ModelChoiceField(label=_("Cuộc vận động (quỹ hạn chế)"), queryset=None, required=False)
    name = forms.CharField(
        label=_("Tên quỹ"), max_length=250, required=False, help_text=_("Để trống để đặt tên tự động.")
    )
    opened_on = forms.DateField(label=_("Ngày mở"), initial=timezone.localdate, widget=DATE_WIDGET)
    description = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user, FUNDS_MANAGE)
        self.fields["campaign"].queryset = campaign_choices(user).filter(restricted=True)


class BankAccountForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    bank_name = forms.CharField(label=_("Ngân hàng"), max_length=150)
    bank_bin = forms.CharField(
        label=_("Mã BIN ngân hàng (NAPAS)"),
        max_length=6,
        help_text=_("Gõ tên ngân hàng để tìm; hoặc 6 chữ số, ví dụ 970436 (Vietcombank)."),
        widget=SearchSelect("ngan-hang"),
    )
    account_number = forms.CharField(label=_("Số tài khoản"), max_length=30)
    holder = forms.CharField(label=_("Chủ tài khoản"), max_length=200)
    branch = forms.CharField(label=_("Chi nhánh"), max_length=150, required=False)
    campaign = forms.ModelChoiceField(
        label=_("Tài khoản chuyên thu cho cuộc vận động"), queryset=None, required=False
    )

    def __init__(self, *args, user, perm: str = FUNDS_MANAGE, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user, perm)
        self.fields["campaign"].queryset = campaign_choices(user)


class DonorForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị quản lý"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Loại"), choices=DonorKind.choices)
    name = forms.CharField(label=_("Họ tên hoặc tên tổ chức"), max_length=200)
    tax_code = forms.CharField(label=_("Mã số thuế (tổ chức)"), max_length=20, required=False)
    contact_name = forms.CharField(label=_("Người liên hệ"), max_length=150, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    display = forms.ChoiceField(label=_("Cách hiển thị công khai"), choices=Display.choices)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user, FUNDS_RECORD)


class DonorEditForm(forms.Form):
    name = forms.CharField(label=_("Tên tổ chức"), max_length=200, required=False)
    tax_code = forms.CharField(label=_("Mã số thuế"), max_length=20, required=False)
    contact_name = forms.CharField(label=_("Người liên hệ"), max_length=150, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    display = forms.ChoiceField(label=_("Cách hiển thị công khai"), choices=Display.choices)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args, person: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if person:
            del self.fields["name"]
            del self.fields["tax_code"]


class DonationForm(forms.Form):
    preselect_optional = ("fund",)  # the unit's only fund is the answer (core.forms)
    fund = FundChoiceField(
        label=_("Quỹ nhận"),
        queryset=Fund.objects.none(),
        required=False,
        help_text=_("Hoặc chọn đơn vị (và cuộc vận động) để hệ thống tìm quỹ."),
    )
    unit = UnitChoiceField(label=_("Đơn vị nhận"), queryset=Unit.objects.none(), required=False)
    campaign = forms.ModelChoiceField(label=_("Cuộc vận động"), queryset=None, required=False)
    channel = forms.ChoiceField(label=_("Hình thức"), choices=Channel.choices)
    amount = MoneyField(
        label=_("Số tiền (đồng)"),
        required=False,
        help_text=_("Với hiện vật: để trống, hệ thống cộng giá trị các mặt hàng."),
    )
    currency = forms.ChoiceField(
        label=_("Loại tiền"), choices=[(c, c) for c in sorted(CURRENCIES)], initial="VND"
    )
    original_amount = forms.DecimalField(
        label=_("Số tiền nguyên tệ"), required=False, decimal_places=2, max_digits=18
    )
    exchange_rate = forms.DecimalField(label=_("Tỷ giá"), required=False, decimal_places=6, max_digits=18)
    bank_account = forms.ModelChoiceField(
        label=_("Tài khoản nhận (chuyển khoản)"), queryset=None, required=False
    )
    external_ref = forms.CharField(label=_("Số tham chiếu giao dịch"), max_length=100, required=False)
    received_on = forms.DateField(label=_("Ngày nhận"), initial=timezone.localdate, widget=DATE_WIDGET)
    donor = forms.IntegerField(widget=forms.HiddenInput, required=False)
    donor_name = forms.CharField(label=_("Tên người ủng hộ"), max_length=200, required=False)
    display = forms.ChoiceField(
        label=_("Cách hiển thị công khai"), choices=Display.choices, initial=Display.FULL
    )
    pledge = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)
    attachment = forms.FileField(label=_("Tệp đính kèm (PDF, ảnh)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = open_funds(user, FUNDS_RECORD)
        self.fields["unit"].queryset = unit_choices(user, FUNDS_RECORD)
        self.fields["campaign"].queryset = campaign_choices(user)
        self.fields["bank_account"].queryset = access.scope(user, FUNDS_RECORD).filter(
            BankAccount.objects.filter(is_active=True)
        )
        show_when(
            self,
            original_amount="currency!=VND",
            exchange_rate="currency!=VND",
            bank_account="channel=bank",
            external_ref="channel=bank",
        )


class GoodsForm(forms.Form):
    name = forms.CharField(label=_("Tên hàng"), max_length=150, required=False)
    unit_label = forms.CharField(label=_("Đơn vị tính"), max_length=30, required=False)
    quantity = forms.CharField(label=_("Số lượng"), max_length=20, required=False)
    value = MoneyField(label=_("Giá trị ước tính (đồng)"), required=False)

    def line(self):
        data = self.cleaned_data
        if not data or not (data.get("name") or data.get("quantity")):
            return None
        return {
            "name": data.get("name", ""),
            "unit_label": data.get("unit_label", ""),
            "quantity": data.get("quantity") or "0",
            "value": data.get("value") or 0,
        }


GoodsFormSet = forms.formset_factory(GoodsForm, extra=4, max_num=30)


class PledgeForm(forms.Form):
    preselect_optional = ("fund",)
    fund = FundChoiceField(label=_("Quỹ"), queryset=Fund.objects.none(), required=False)
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none(), required=False)
    campaign = forms.ModelChoiceField(label=_("Cuộc vận động"), queryset=None, required=False)
    donor = forms.IntegerField(widget=forms.HiddenInput, required=False)
    donor_name = forms.CharField(label=_("Tổ chức, cá nhân cam kết"), max_length=200, required=False)
    display = forms.ChoiceField(
        label=_("Cách hiển thị công khai"), choices=Display.choices, initial=Display.FULL
    )
    amount = MoneyField(label=_("Số tiền cam kết (đồng)"))
    pledged_on = forms.DateField(label=_("Ngày cam kết"), initial=timezone.localdate, widget=DATE_WIDGET)
    due_on = forms.DateField(label=_("Hạn thực hiện"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = open_funds(user, FUNDS_RECORD)
        self.fields["unit"].queryset = unit_choices(user, FUNDS_RECORD)
        self.fields["campaign"].queryset = campaign_choices(user)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Ý kiến"), max_length=300, required=False)


class DisbursementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=DisbursementKind.choices)
    purpose = forms.CharField(
        label=_("Nội dung chi"),
        max_length=300,
        help_text=_(
            "Được công khai trên cổng minh bạch: không ghi tên, số giấy tờ hay số điện thoại của người nhận."
        ),
    )
    value_date = forms.DateField(label=_("Ngày chi"), initial=timezone.localdate, widget=DATE_WIDGET)
    amount = MoneyField(label=_("Số tiền (đồng)"), required=False)
    source_account = forms.ModelChoiceField(label=_("Chi từ tài khoản"), queryset=None, required=False)
    help_kind = forms.ChoiceField(
        label=_("Hình thức hỗ trợ"),
        choices=[("", "—")] + [c for c in HelpKind.choices if c[0] != "transfer"],
        required=False,
    )
    campaign = forms.ModelChoiceField(label=_("Cuộc vận động"), queryset=None, required=False)
    destination_unit = UnitChoiceField(
        label=_("Đơn vị cấp dưới nhận điều chuyển"), queryset=Unit.objects.none(), required=False
    )
    destination_bank_account = forms.ModelChoiceField(
        label=_("Tài khoản nhận của đơn vị cấp dưới"), queryset=None, required=False
    )
    recipient_unit = UnitChoiceField(
        label=_("Địa bàn nhận hỗ trợ"), queryset=Unit.objects.none(), required=False
    )
    households = forms.IntegerField(label=_("Số hộ được hỗ trợ"), min_value=0, required=False)
    people = forms.IntegerField(label=_("Số người được hỗ trợ"), min_value=0, required=False)
    payee_name = forms.CharField(label=_("Người nhận tiền"), max_length=200, required=False)
    payee_account = forms.CharField(label=_("Tài khoản người nhận"), max_length=40, required=False)
    payee_bank = forms.CharField(label=_("Ngân hàng người nhận"), max_length=150, required=False)
    help_reference = forms.CharField(label=_("Mã hồ sơ trợ giúp"), max_length=100, required=False)

    def __init__(self, *args, fund: Fund, user, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["source_account"].queryset = Account.objects.filter(
            fund=fund, kind__in=list(MONEY_KINDS)
        ).select_related("bank_account")
        self.fields["campaign"].queryset = campaigns_to_collect_for(user)
        below = Unit.objects.active().filter(path__startswith=fund.unit.path).exclude(pk=fund.unit_id)
        self.fields["destination_unit"].queryset = below.exclude(
            kind__in=[UnitKind.BRANCH, UnitKind.GROUP]
        ).order_by("depth", vi("name"))
        self.fields["destination_bank_account"].queryset = BankAccount.objects.filter(
            unit__path__startswith=fund.unit.path, is_active=True
        ).exclude(unit=fund.unit)
        self.fields["recipient_unit"].queryset = (
            access.scope(user, FUNDS_VIEW)
            .units()
            .active()
            .filter(path__startswith=fund.unit.path)
            .order_by("depth", vi("name"))
        )
        self.fund = fund
        show_when(
            self,
            source_account="kind=payment,transfer",
            destination_unit="kind=transfer,goods_transfer",
            destination_bank_account="kind=transfer",
            payee_name="kind=payment",
            payee_account="kind=payment",
            payee_bank="kind=payment",
        )


class IssueForm(forms.Form):
    item = forms.ChoiceField(label=_("Hiện vật"), required=False)
    quantity = forms.CharField(label=_("Số lượng"), max_length=20, required=False)

    def __init__(self, *args, stock=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "—")] + [
            (s.key, f"{s.name} ({s.unit_label}) — còn {s.quantity.normalize():f}") for s in stock
        ]


IssueFormSet = forms.formset_factory(IssueForm, extra=3, max_num=30)

_CASE_CODE = re.compile(r"^(?:HS[-\s]?)?0*(\d{1,12})$", re.IGNORECASE)


def parse_case_code(text: str) -> int:
    """'HS-000123', 'hs123' or '123' -> 123."""
    match = _CASE_CODE.match((text or "").strip())
    if not match or int(match.group(1)) == 0:
        raise forms.ValidationError(_("Mã hồ sơ “%(v)s” không hợp lệ (dạng HS-000123).") % {"v": text})
    return int(match.group(1))


class CaseShareForm(forms.Form):
    """One beneficiary case named on a payment or an issue of goods."""

    case = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"list": "eligible-cases", "placeholder": "HS-000123", "autocomplete": "off"}
        ),
    )
    amount = MoneyField(label=_("Số tiền (đồng)"), required=False)
    duplicate_reason = forms.CharField(label=_("Lý do vẫn trợ giúp"), max_length=300, required=False)

    def clean_case(self):
        value = self.cleaned_data.get("case", "")
        return parse_case_code(value) if value.strip() else None


def case_share_formset(data, *, rows: int, max_rows: int):
    """`rows` empty case rows (the page asks for more with ?so-ho=N)."""
    return forms.formset_factory(CaseShareForm, extra=rows, max_num=max_rows)(data, prefix="cases")


class DonationFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), max_length=100, required=False)
    channel = forms.ChoiceField(
        label=_("Hình thức"), choices=[("", _("Tất cả"))] + Channel.choices, required=False
    )
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE_WIDGET)
    amount = MoneyField(label=_("Số tiền"), required=False)
