from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nhandao.core.money import MoneyField
from nhandao.core.search import SearchSelect
from nhandao.org.forms import DATE_WIDGET
from nhandao.org.models import Unit, UnitKind

from . import banks, statements
from .models import LineStatus, NotDonation, RuleTarget, StatementColumnMapping
from .services import MAPPING_FIELDS


class VietQRForm(forms.Form):
    bin = forms.ChoiceField(
        label=_("Ngân hàng"),
        help_text=_("Gõ tên hoặc mã ngân hàng để tìm."),
        widget=SearchSelect("ngan-hang"),
    )
    account = forms.CharField(label=_("Số tài khoản"), max_length=19)
    holder = forms.CharField(label=_("Chủ tài khoản"), max_length=100, required=False)
    amount = MoneyField(label=_("Số tiền (đồng)"), min_value=1, max_value=10**12, required=False)
    purpose = forms.CharField(
        label=_("Nội dung chuyển khoản"),
        max_length=60,
        required=False,
        help_text=_("Tối đa 25 ký tự không dấu; dấu tiếng Việt được bỏ tự động."),
    )
    bill = forms.CharField(label=_("Số hóa đơn / mã tham chiếu"), max_length=25, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bin"].choices = banks.choices()


class StatementPreviewForm(forms.Form):
    file = forms.FileField(label=_("Tệp sao kê (.xlsx, .xls, .csv, .psv, .txt, .html)"))
    format = forms.ChoiceField(label=_("Mẫu sao kê"), required=False)
    mapping = forms.ModelChoiceField(
        label=_("Hoặc mẫu cột đã lưu"), queryset=StatementColumnMapping.objects.none(), required=False
    )

    def __init__(self, *args, mappings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [("", _("Tự nhận dạng")), *statements.formats()]
        if mappings is not None:
            self.fields["mapping"].queryset = mappings


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


class ColumnMappingForm(forms.ModelForm):
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    bank_code = forms.ChoiceField(label=_("Ngân hàng"), required=False)

    class Meta:
        model = StatementColumnMapping
        fields = ["unit", *MAPPING_FIELDS]
        help_texts = {
            "date_column": _(
                "Tên cột như in trên dòng tiêu đề (ví dụ “Ngày GD”), hoặc chữ cái của cột (A, B, C…)."
            ),
            "header_row": _("Để trống để tự tìm dòng tiêu đề; 0 nếu tệp không có dòng tiêu đề."),
            "credit_is_negative": _(
                "Chỉ với một cột số tiền: đánh dấu nếu ngân hàng ghi tiền vào bằng số âm."
            ),
        }

    def __init__(self, *args, units=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_code"].choices = [("", "—")] + [
            (b.code, b.short_name) for b in sorted(banks.BANKS, key=lambda b: b.short_name.lower())
        ]
        if editing:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = (units if units is not None else Unit.objects.none()).filter(
                kind__in=[UnitKind.NATIONAL, UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE],
                valid_to__isnull=True,
            )


class StatementUploadForm(StatementPreviewForm):
    """Upload a statement into one bank account (the preview form's fields)."""


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Nội dung chứa"), max_length=200, required=False)
    direction = forms.ChoiceField(
        label=_("Chiều"),
        required=False,
        choices=[("", _("Tất cả")), ("credit", _("Tiền vào")), ("debit", _("Tiền ra"))],
    )
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["status"].choices = (
            [("", _("Chờ phân loại"))]
            + [(value, label) for value, label in LineStatus.choices if value != LineStatus.QUEUED]
            + [("all", _("Tất cả"))]
        )


class AssignForm(forms.Form):
    target = forms.ChoiceField(label=_("Ghi vào"))
    campaign = forms.ModelChoiceField(label=_("Cuộc vận động"), queryset=None, required=False)
    pledge = forms.ModelChoiceField(label=_("Cam kết ủng hộ"), queryset=None, required=False)
    not_donation = forms.ChoiceField(label=_("Loại giao dịch (không phải ủng hộ)"), required=False)
    scope = forms.ChoiceField(
        label=_("Áp dụng cho"),
        required=False,
        choices=[
            ("selected", _("Các dòng đã đánh dấu")),
            ("search", _("Mọi dòng chờ khớp với tìm kiếm")),
        ],
    )
    remember = forms.BooleanField(
        label=_("Ghi nhớ thành quy tắc cho các lần nhập sau (theo cụm từ tìm kiếm)"), required=False
    )

    def __init__(self, *args, campaigns=None, pledges=None, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["target"].choices = RuleTarget.choices
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].label_from_instance = lambda c: f"{c.name} ({c.code})"
        self.fields["pledge"].queryset = pledges
        self.fields["pledge"].label_from_instance = lambda p: f"{p.code} · {p.donor_name}"
        self.fields["not_donation"].choices = [("", "—"), *NotDonation.choices]


class MatchForm(forms.Form):
    disbursement = forms.ModelChoiceField(label=_("Khoản chi"), queryset=None)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disbursement"].queryset = candidates
        self.fields["disbursement"].label_from_instance = lambda d: f"{d.voucher_label} · {d.purpose}"


class LockForm(forms.Form):
    date_from = forms.DateField(widget=forms.HiddenInput)
    date_to = forms.DateField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class AmountForm(forms.Form):
    amount = MoneyField(label=_("Số tiền (đồng)"), min_value=1, max_value=10**12)
    account = forms.ModelChoiceField(label=_("Tài khoản nhận"), queryset=None, required=False)

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if accounts is None:
            del self.fields["account"]
        else:
            self.fields["account"].queryset = accounts
            self.fields["account"].required = True
            self.fields["account"].label_from_instance = lambda b: f"{b.bank_name} · {b.account_number}"


class ProblemCorrectForm(forms.Form):
    """A problem line entered by hand (services/problems.py); the amount is signed: credit > 0."""

    booked_on = forms.DateField(label=_("Ngày giao dịch"), widget=DATE_WIDGET)
    booked_time = forms.TimeField(label=_("Giờ (nếu có)"), required=False)
    amount = MoneyField(
        label=_("Số tiền (đồng; ghi nợ nhập số âm)"),
        negative=True,
        help_text=_("Ghi có: số dương; ghi nợ: số âm."),
    )
    description = forms.CharField(
        label=_("Diễn giải"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    counterparty_name = forms.CharField(label=_("Tên người chuyển"), max_length=200, required=False)


class OtherAccountForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do nhập tệp này vào tài khoản này"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LateBookingForm(forms.Form):
    """A transfer that arrived after its campaign closed, booked to it all the same."""

    campaign = forms.ModelChoiceField(label=_("Cuộc vận động đã kết thúc tiếp nhận"), queryset=None)
    late_reason = forms.CharField(
        label=_("Lý do ghi nhận muộn"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ví dụ: người ủng hộ chuyển ngày cuối đợt, ngân hàng hạch toán sau."),
    )

    def __init__(self, *args, campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
