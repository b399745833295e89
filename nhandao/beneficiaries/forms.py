from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhandao.core.choices import ContentArea
from nhandao.core.money import MoneyField
from nhandao.core.search import SearchSelect
from nhandao.org.forms import DATE_WIDGET
from nhandao.people.choices import Sex
from nhandao.people.forms import BirthField, UnitChoiceField

from . import evidence
from .choices import (
    CaseKind,
    CaseStatus,
    CategoryScope,
    CloseReason,
    CommitmentKind,
    ConsentPurpose,
    EvidenceKind,
    HelpKind,
    Period,
    Relationship,
    SourceType,
    SponsorKind,
)
from .models import Category, HelpRules


class SlugQueryForm(forms.Form):
    """Query strings use Vietnamese slugs with hyphens (trang-thai, chua-tro-giup, …)."""

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = {k.replace("-", "_"): v for k, v in data.items()}
        super().__init__(data, **kwargs)


NOT_HELPED = [
    ("", _("—")),
    ("3", _("3 tháng")),
    ("6", _("6 tháng")),
    ("12", _("12 tháng")),
    ("24", _("24 tháng")),
]


class CaseFilterForm(SlugQueryForm):
    q = forms.CharField(label=_("Tìm theo tên, điện thoại, số hồ sơ"), max_length=100, required=False)
    trang_thai = forms.ChoiceField(
        label=_("Trạng thái"),
        choices=[
            ("", _("Hồ sơ đang mở")),
            ("helpable", _("Đã xác nhận, đang trợ giúp")),
            *CaseStatus.choices,
            ("all", _("Tất cả, kể cả đã đóng")),
        ],
        required=False,
    )
    loai = forms.ChoiceField(
        label=_("Loại hồ sơ"), choices=[("", _("Hộ và cá nhân")), *CaseKind.choices], required=False
    )
    dien = forms.ChoiceField(label=_("Diện"), required=False)
    hinh_thuc = forms.ChoiceField(
        label=_("Hình thức trợ giúp"), choices=[("", _("Mọi hình thức")), *HelpKind.choices], required=False
    )
    chua_tro_giup = forms.ChoiceField(label=_("Chưa được trợ giúp trong"), choices=NOT_HELPED, required=False)
    chua_tro_giup_tu = forms.DateField(label=_("… hoặc từ ngày"), required=False, widget=DATE_WIDGET)
    nha_tai_tro = forms.IntegerField(label=_("Nhà tài trợ (mã)"), min_value=1, required=False)
    dong_y = forms.ChoiceField(
        label=_("Đồng ý chia sẻ"),
        choices=[("", "—"), ("yes", _("Đã đồng ý")), ("no", _("Chưa đồng ý"))],
        required=False,
    )
    canh_bao = forms.BooleanField(label=_("Có người thuộc hai hộ"), required=False)

    def __init__(self, data=None, *, categories, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["dien"].choices = [("", _("Mọi diện")), *((c.code, c.name) for c in categories)]

    def not_helped_since(self) -> dt.date | None:
        d = self.cleaned_data
        if d.get("chua_tro_giup_tu"):
            return d["chua_tro_giup_tu"]
        if d.get("chua_tro_giup"):
            months = int(d["chua_tro_giup"])
            return timezone.localdate() - dt.timedelta(days=round(months * 30.44))
        return None


class HeadFields(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    birth = BirthField(
        label=_("Ngày sinh"),
        required=False,
        help_text=_("ngày/tháng/năm, hoặc chỉ năm sinh."),
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )
    sex = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—"), *Sex.choices], required=False)
    cccd = forms.CharField(
        label=_("Số CCCD (hoặc CMND cũ)"),
        max_length=14,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    occupation = forms.CharField(label=_("Nghề nghiệp"), max_length=100, required=False)
    existing_person = forms.IntegerField(
        label=_("… hoặc mã hồ sơ người đã có"),
        min_value=1,
        required=False,
        help_text=_("Người đã có trong danh sách hội viên, TNV: gõ họ tên hoặc mã hồ sơ."),
        widget=SearchSelect("nguoi"),
    )
    confirm_new_person = forms.BooleanField(
        label=_("Tôi đã kiểm tra: đây là người khác, vẫn tạo hồ sơ người mới"), required=False
    )

    def person_fields(self) -> dict:
        d = self.cleaned_data
        birth = d.get("birth")
        return {
            "full_name": d.get("full_name", ""),
            "date_of_birth": birth.date if birth else None,
            "birth_year": birth.year if birth else None,
            "sex": d.get("sex", ""),
            "cccd": d.get("cccd", ""),
            "occupation": d.get("occupation", ""),
        }

    def clean(self):
        data = super().clean()
        if not data.get("existing_person") and not data.get("full_name"):
            self.add_error("full_name", _("Cần họ và tên (hoặc mã hồ sơ người đã có)."))
        return data


class CaseCreateForm(HeadFields):
    kind = forms.ChoiceField(label=_("Loại hồ sơ"), choices=CaseKind.choices, initial=CaseKind.HOUSEHOLD)
    ward_text = forms.CharField(
        label=_("Xã, phường nơi ở"),
        max_length=200,
        help_text=_("Tên hiện nay, hoặc tên cũ kèm quận, huyện: “Phường Cát Dài, Quận Lê Chân”."),
    )
    address_detail = forms.CharField(label=_("Số nhà, đường, thôn, tổ"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    unit = UnitChoiceField(
        label=_("Chi hội phụ trách"),
        queryset=None,
        required=False,
        help_text=_("Để trống: Hội cấp xã nơi hộ ở."),
    )
    household_size = forms.IntegerField(label=_("Số nhân khẩu"), min_value=1, max_value=50, required=False)
    circumstances = forms.CharField(
        label=_("Hoàn cảnh"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    category = forms.ModelChoiceField(label=_("Diện"), queryset=None, required=False)
    evidence_number = forms.CharField(label=_("Số giấy tờ của diện"), max_length=80, required=False)
    evidence_year = forms.IntegerField(label=_("Năm"), min_value=1975, max_value=2100, required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("Tôi đã kiểm tra: đây là hộ khác, vẫn lập hồ sơ"), required=False
    )
    confirm_other_household = forms.BooleanField(
        label=_("Vẫn ghi nhận dù người này đang thuộc hộ khác (sẽ được đánh dấu)"), required=False
    )

    field_order = ["kind", "ward_text", "address_detail", "phone", "unit", "household_size", "circumstances"]

    def __init__(self, *args, units, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["category"].queryset = categories


class CaseEditForm(forms.Form):
    ward_text = CaseCreateForm.base_fields["ward_text"]
    address_detail = CaseCreateForm.base_fields["address_detail"]
    phone = CaseCreateForm.base_fields["phone"]
    unit = UnitChoiceField(label=_("Đơn vị quản lý"), queryset=None)
    household_size = CaseCreateForm.base_fields["household_size"]
    circumstances = CaseCreateForm.base_fields["circumstances"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MemberForm(HeadFields):
    relationship = forms.ChoiceField(
        label=_("Quan hệ với chủ hộ"),
        choices=[(v, label) for v, label in Relationship.choices if v not in ("head", "self")],
    )
    joined_on = forms.DateField(label=_("Vào hộ từ ngày"), required=False, widget=DATE_WIDGET)
    confirm_other_household = CaseCreateForm.base_fields["confirm_other_household"]

    field_order = ["relationship"]


class MemberLeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Rời hộ ngày"), widget=DATE_WIDGET, initial=timezone.localdate)
    reason = forms.CharField(label=_("Lý do"), max_length=200, help_text=_("Chuyển đi, đã mất, tách hộ, …"))


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.person.full_name} ({obj.get_relationship_display()})"


class CategoryForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Diện"), queryset=None)
    member = MemberChoiceField(
        label=_("Thành viên thuộc diện"),
        queryset=None,
        required=False,
        help_text=_("Với diện của một người (khuyết tật, bảo trợ xã hội, …)."),
    )
    evidence_number = forms.CharField(label=_("Số giấy tờ"), max_length=80, required=False)
    evidence_year = forms.IntegerField(label=_("Năm"), min_value=1975, max_value=2100, required=False)
    evidence_issuer = forms.CharField(label=_("Cơ quan cấp"), max_length=150, required=False)
    valid_from = forms.DateField(label=_("Hiệu lực từ"), required=False, widget=DATE_WIDGET)
    valid_to = forms.DateField(
        label=_("Hiệu lực đến"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Diện hiệu lực theo năm (hộ nghèo, cận nghèo): để trống, tính đến hết năm."),
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, categories, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["member"].queryset = members


class CategoryEndForm(forms.Form):
    valid_to = forms.DateField(label=_("Hết hiệu lực ngày"), widget=DATE_WIDGET, initial=timezone.localdate)
    note = forms.CharField(label=_("Lý do"), max_length=300, required=False)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Đồng ý cho"), choices=ConsentPurpose.choices)
    member = MemberChoiceField(label=_("Người đồng ý"), queryset=None)
    given_on = forms.DateField(label=_("Ngày ký phiếu"), widget=DATE_WIDGET, initial=timezone.localdate)
    form_version = forms.CharField(label=_("Mẫu phiếu"), max_length=40, required=False)
    collected_by = forms.CharField(label=_("Người lấy ý kiến"), max_length=150)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["form_version"].initial = HelpRules.current().consent_form_version


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Rút lại ngày"), widget=DATE_WIDGET, initial=timezone.localdate)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Ngày họp bình xét"), widget=DATE_WIDGET)
    minutes = forms.CharField(
        label=_("Biên bản"),
        max_length=120,
        help_text=_("Số, ngày biên bản họp bình xét tại thôn, tổ dân phố."),
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class ConfirmForm(forms.Form):
    confirmed_on = forms.DateField(label=_("Ngày xác nhận"), widget=DATE_WIDGET, initial=timezone.localdate)
    reference = forms.CharField(label=_("Số văn bản xác nhận"), max_length=120, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class ActivateForm(forms.Form):
    on = forms.DateField(label=_("Bắt đầu trợ giúp từ ngày"), widget=DATE_WIDGET, initial=timezone.localdate)


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Ngày đóng hồ sơ"), widget=DATE_WIDGET, initial=timezone.localdate)
    reason = forms.ChoiceField(
        label=_("Lý do"), choices=[(v, label) for v, label in CloseReason.choices if v != CloseReason.MERGED]
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class ReopenForm(forms.Form):
    note = forms.CharField(label=_("Lý do mở lại"), max_length=300)


class BulkStepForm(forms.Form):
    action = forms.ChoiceField(choices=[("review", _("Ghi kết quả bình xét")), ("confirm", _("Xã xác nhận"))])
    on = forms.DateField(label=_("Ngày"), widget=DATE_WIDGET)
    reference = forms.CharField(label=_("Biên bản, văn bản"), max_length=120, required=False)
    ids = forms.CharField(widget=forms.HiddenInput)

    def clean_ids(self):
        raw = self.cleaned_data["ids"]
        try:
            ids = sorted({int(x) for x in raw.replace(",", " ").split()})
        except ValueError:
            raise forms.ValidationError(_("Danh sách hồ sơ không hợp lệ.")) from None
        if not ids or len(ids) > 500:
            raise forms.ValidationError(_("Chọn từ 1 đến 500 hồ sơ."))
        return ids


class VolunteersField(forms.CharField):
    """Volunteers by record number or phone, separated by commas (resolved by the view)."""

    def clean(self, value):
        value = super().clean(value)
        return [p.strip() for p in (value or "").replace(";", ",").split(",") if p.strip()]


class HelpForm(forms.Form):
    date = forms.DateField(label=_("Ngày trao"), widget=DATE_WIDGET, initial=timezone.localdate)
    kind = forms.ChoiceField(label=_("Hình thức"), choices=HelpKind.choices)
    area = forms.ChoiceField(label=_("Lĩnh vực"), choices=ContentArea.choices, initial=ContentArea.RELIEF)
    value = MoneyField(placeholder="500.000", label=_("Giá trị (đồng)"), required=True)
    description = forms.CharField(
        label=_("Nội dung"),
        max_length=300,
        help_text=_("Ví dụ: 10 kg gạo, 1 thùng mì, 500.000 đồng tiền mặt."),
    )
    member = MemberChoiceField(
        label=_("Thành viên nhận"), queryset=None, required=False, help_text=_("Để trống: trao cho cả hộ.")
    )
    source_type = forms.ChoiceField(label=_("Nguồn"), choices=SourceType.choices, initial=SourceType.UNIT)
    source = forms.CharField(label=_("Tên nguồn"), max_length=200, required=False)
    sponsor = forms.ModelChoiceField(label=_("Nhà tài trợ"), queryset=None, required=False)
    campaign = forms.CharField(
        label=_("Cuộc vận động"), max_length=200, required=False, help_text=_("Ví dụ: Tết Nhân ái 2026.")
    )
    delivering_unit = UnitChoiceField(label=_("Đơn vị trao"), queryset=None)
    volunteers = VolunteersField(
        label=_("Tình nguyện viên trao"),
        max_length=300,
        required=False,
        help_text=_("Mã hồ sơ hoặc số điện thoại, cách nhau dấu phẩy."),
    )
    duplicate_reason = forms.CharField(
        label=_("Lý do vẫn trợ giúp (khi đã được trợ giúp gần đây)"), max_length=300, required=False
    )

    def __init__(self, *args, members, sponsors, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["sponsor"].queryset = sponsors
        self.fields["delivering_unit"].queryset = units


class HelpCancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy"), max_length=300)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=EvidenceKind.choices)
    file = forms.FileField(
        label=_("Tệp"),
        help_text=_("Ảnh (JPG, PNG, WebP) hoặc PDF, tối đa %(mb)s MB.")
        % {"mb": evidence.MAX_BYTES // 1024 // 1024},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = evidence.ACCEPT


class CommitmentForm(forms.Form):
    sponsor = forms.ModelChoiceField(label=_("Nhà tài trợ"), queryset=None)
    kind = forms.ChoiceField(label=_("Hình thức"), choices=CommitmentKind.choices)
    description = forms.CharField(label=_("Nội dung cam kết"), max_length=300)
    amount = MoneyField(placeholder="500.000", label=_("Giá trị mỗi kỳ (đồng)"), required=False)
    period = forms.ChoiceField(label=_("Định kỳ"), choices=Period.choices, initial=Period.MONTHLY)
    starts_on = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET, initial=timezone.localdate)
    ends_on = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, sponsors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor"].queryset = sponsors


class DeliveryForm(forms.Form):
    date = forms.DateField(label=_("Ngày trao"), widget=DATE_WIDGET, initial=timezone.localdate)
    value = MoneyField(
        placeholder="500.000",
        label=_("Giá trị (đồng)"),
        required=False,
        help_text=_("Để trống: theo cam kết."),
    )
    description = forms.CharField(label=_("Nội dung"), max_length=300, required=False)
    member = HelpForm.base_fields["member"]
    delivering_unit = UnitChoiceField(label=_("Đơn vị trao"), queryset=None)
    volunteers = HelpForm.base_fields["volunteers"]
    duplicate_reason = HelpForm.base_fields["duplicate_reason"]

    def __init__(self, *args, members, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["delivering_unit"].queryset = units


class CommitmentEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Kết thúc ngày"), widget=DATE_WIDGET, initial=timezone.localdate)
    reason = forms.CharField(label=_("Lý do"), max_length=300)


class SponsorForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị theo dõi"), queryset=None)
    kind = forms.ChoiceField(label=_("Loại"), choices=SponsorKind.choices)
    name = forms.CharField(label=_("Tên nhà tài trợ"), max_length=200, required=False)
    sponsor_unit = UnitChoiceField(label=_("Đơn vị Hội (nếu là đơn vị Hội)"), queryset=None, required=False)
    contact_person = forms.CharField(label=_("Người liên hệ"), max_length=150, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, units, sponsor_units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["sponsor_unit"].queryset = sponsor_units


class SponsorEditForm(forms.Form):
    name = forms.CharField(label=_("Tên nhà tài trợ"), max_length=200)
    contact_person = SponsorForm.base_fields["contact_person"]
    phone = SponsorForm.base_fields["phone"]
    email = SponsorForm.base_fields["email"]
    address = SponsorForm.base_fields["address"]
    note = SponsorForm.base_fields["note"]


class HelpFilterForm(SlugQueryForm):
    hinh_thuc = forms.ChoiceField(
        label=_("Hình thức"), choices=[("", _("Mọi hình thức")), *HelpKind.choices], required=False
    )
    linh_vuc = forms.ChoiceField(
        label=_("Lĩnh vực"), choices=[("", _("Mọi lĩnh vực")), *ContentArea.choices], required=False
    )
    nguon = forms.ChoiceField(
        label=_("Nguồn"), choices=[("", _("Mọi nguồn")), *SourceType.choices], required=False
    )
    nha_tai_tro = forms.IntegerField(label=_("Nhà tài trợ (mã)"), min_value=1, required=False)
    tu_ngay = forms.DateField(label=_("Từ ngày"), required=False, widget=DATE_WIDGET)
    den_ngay = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE_WIDGET)
    cuoc_van_dong = forms.CharField(label=_("Cuộc vận động"), max_length=100, required=False)
    da_huy = forms.BooleanField(label=_("Gồm cả lần đã hủy"), required=False)
    trung = forms.BooleanField(label=_("Chỉ lần trợ giúp trùng có lý do"), required=False)
    ho_so = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CommitmentFilterForm(SlugQueryForm):
    tinh_trang = forms.ChoiceField(
        label=_("Tình trạng"),
        choices=[
            ("", _("Đang thực hiện")),
            ("late", _("Trễ hạn")),
            ("ending", _("Sắp kết thúc (60 ngày)")),
            ("ended", _("Đã kết thúc")),
            ("all", _("Tất cả")),
        ],
        required=False,
    )
    hinh_thuc = forms.ChoiceField(
        label=_("Hình thức"), choices=[("", _("Mọi hình thức")), *CommitmentKind.choices], required=False
    )
    nha_tai_tro = forms.IntegerField(label=_("Nhà tài trợ (mã)"), min_value=1, required=False)


class MergeForm(forms.Form):
    other = forms.CharField(
        label=_("Số hồ sơ trùng (sẽ hợp nhất vào hồ sơ này)"),
        max_length=12,
        help_text=_("Gõ tên chủ hộ hoặc số hồ sơ để tìm, ví dụ HS-000123."),
        widget=SearchSelect("ho-so"),
    )

    def clean_other(self):
        raw = self.cleaned_data["other"].strip().upper().removeprefix("HS-").removeprefix("HS")
        if not raw.isdigit():
            raise forms.ValidationError(_("Số hồ sơ không hợp lệ."))
        return int(raw)


class CategoryConfigForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = [
            "name",
            "scope",
            "sensitive",
            "requires_evidence",
            "evidence_label",
            "requires_year",
            "yearly",
            "description",
            "order",
            "active",
        ]
        widgets = {"scope": forms.Select(choices=CategoryScope.choices)}


class RulesForm(forms.ModelForm):
    class Meta:
        model = HelpRules
        fields = [
            "double_help_days",
            "same_campaign_check",
            "late_grace_days",
            "not_helped_days",
            "consent_form_version",
        ]
