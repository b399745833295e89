from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhandao.core.forms import show_when
from nhandao.core.imports.errors import CellError
from nhandao.core.imports.parsers import parse_date_or_year
from nhandao.core.money import MoneyField
from nhandao.core.search import SearchSelect
from nhandao.org.forms import DATE_WIDGET
from nhandao.org.forms import UnitChoiceField as OrgUnitChoiceField

from .choices import (
    ETHNICITIES,
    Availability,
    AwardLevel,
    ClubKind,
    ClubRole,
    RoleKind,
    RoleStatus,
    Sex,
    StaffType,
    TrainingTopic,
    YouthBand,
)
from .models import PeopleRules, Skill
from .selectors import AGE_BANDS


class UnitChoiceField(OrgUnitChoiceField):
    """A unit shown in the tree's indentation (a search list once long: org.forms.UnitSearchMixin)."""

    def label_from_instance(self, obj) -> str:
        return f"{'— ' * max(0, obj.depth - 1)}{obj.name}"


class BirthField(forms.CharField):
    """A birth date as old records have it: dd/mm/yyyy or only the year."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_date_or_year(value)
        except CellError as exc:
            raise forms.ValidationError(exc.message) from None


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    birth = BirthField(
        label=_("Ngày sinh"),
        required=False,
        help_text=_("ngày/tháng/năm, hoặc chỉ năm sinh nếu hồ sơ cũ chỉ có năm."),
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )
    sex = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—"), *Sex.choices], required=False)
    cccd = forms.CharField(
        label=_("Số CCCD (hoặc CMND cũ)"),
        max_length=14,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    phone = forms.CharField(
        label=_("Điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    ethnicity = forms.ChoiceField(label=_("Dân tộc"), choices=[("", "—"), *ETHNICITIES], required=False)
    ward_text = forms.CharField(
        label=_("Xã, phường"),
        max_length=200,
        required=False,
        help_text=_("Tên hiện nay, hoặc tên cũ kèm quận, huyện: “Phường Cát Dài, Quận Lê Chân”."),
    )
    address_detail = forms.CharField(label=_("Số nhà, đường, thôn, tổ"), max_length=200, required=False)
    occupation = forms.CharField(label=_("Nghề nghiệp"), max_length=100, required=False)
    workplace = forms.CharField(label=_("Nơi làm việc, học tập"), max_length=200, required=False)
    skills = forms.ModelMultipleChoiceField(
        label=_("Kỹ năng"), queryset=Skill.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, sensitive: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not sensitive:
            del self.fields["cccd"]
            del self.fields["ethnicity"]


class PersonCreateForm(PersonForm):
    unit = UnitChoiceField(label=_("Đơn vị quản lý (chi hội)"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Vai trò"), choices=[("", _("Chưa có vai trò")), *RoleKind.choices], required=False
    )
    started_on = forms.DateField(
        label=_("Từ ngày"), required=False, widget=DATE_WIDGET, initial=timezone.localdate
    )
    staff_type = forms.ChoiceField(
        label=_("Loại cán bộ"), choices=[("", "—"), *StaffType.choices], required=False
    )
    confirm_new = forms.BooleanField(
        label=_("Tôi đã kiểm tra: đây là người khác, vẫn tạo hồ sơ mới"), required=False
    )

    field_order = ["unit", "kind", "started_on", "staff_type"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        show_when(self, started_on="kind!=", staff_type="kind=staff")


class RoleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Vai trò"), choices=RoleKind.choices)
    unit = UnitChoiceField(label=_("Tại đơn vị, chi hội"), queryset=None)
    started_on = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET, initial=timezone.localdate)
    card_number = forms.CharField(
        label=_("Số thẻ hội viên"), max_length=30, required=False, help_text=_("Để trống để hệ thống tự cấp.")
    )
    availability = forms.ChoiceField(
        label=_("Thời gian có thể tham gia (TNV)"), choices=[("", "—"), *Availability.choices], required=False
    )
    youth_band = forms.ChoiceField(
        label=_("Nhóm (thanh thiếu niên)"), choices=[("", _("Theo tuổi")), *YouthBand.choices], required=False
    )
    staff_type = forms.ChoiceField(
        label=_("Loại cán bộ"), choices=[("", "—"), *StaffType.choices], required=False
    )
    position = forms.CharField(label=_("Chức vụ (cán bộ)"), max_length=120, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        show_when(
            self,
            card_number="kind=member",
            availability="kind=volunteer",
            youth_band="kind=youth",
            staff_type="kind=staff",
            position="kind=staff",
        )


class RoleStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái mới"), choices=RoleStatus.choices)
    on = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET, initial=timezone.localdate)
    reason = forms.CharField(label=_("Lý do"), max_length=300, required=False)


class DuesForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, initial=lambda: timezone.localdate().year)
    amount = MoneyField(
        label=_("Số tiền (đồng)"),
        min_value=0,
        required=False,
        help_text=_("Để trống: theo mức thu của đơn vị."),
    )
    paid_on = forms.DateField(
        label=_("Ngày nộp"), required=False, widget=DATE_WIDGET, initial=timezone.localdate
    )
    exempt = forms.BooleanField(label=_("Miễn hội phí"), required=False)
    exempt_reason = forms.CharField(label=_("Lý do miễn"), max_length=200, required=False)


class DuesRateForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=None)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, initial=lambda: timezone.localdate().year)
    amount = MoneyField(label=_("Mức thu (đồng/năm)"), min_value=0)
    note = forms.CharField(label=_("Căn cứ"), max_length=200, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class HoursForm(forms.Form):
    date = forms.DateField(label=_("Ngày"), widget=DATE_WIDGET, initial=timezone.localdate)
    hours = forms.DecimalField(label=_("Số giờ"), min_value=0.5, max_value=24, decimal_places=1)
    activity = forms.CharField(
        label=_("Hoạt động"), max_length=200, help_text=_("Chiến dịch, đợt vận động, cứu trợ…")
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class AwardForm(forms.Form):
    title = forms.CharField(label=_("Hình thức khen thưởng"), max_length=200)
    level = forms.ChoiceField(label=_("Cấp khen"), choices=AwardLevel.choices)
    awarded_on = forms.DateField(label=_("Ngày khen"), widget=DATE_WIDGET)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60, required=False)
    issuer = forms.CharField(label=_("Cơ quan khen"), max_length=200, required=False)


class ClubJoinForm(forms.Form):
    club = forms.ModelChoiceField(label=_("Câu lạc bộ, đội"), queryset=None)
    role = forms.ChoiceField(label=_("Vai trò"), choices=ClubRole.choices, initial=ClubRole.MEMBER)

    def __init__(self, *args, clubs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["club"].queryset = clubs


class MergeForm(forms.Form):
    other = forms.IntegerField(
        label=_("Mã hồ sơ trùng (sẽ hợp nhất vào hồ sơ này)"),
        min_value=1,
        help_text=_("Gõ họ tên, số điện thoại hoặc mã hồ sơ để tìm."),
        widget=SearchSelect("nguoi"),
    )


class PersonPickField(forms.CharField):
    """A person by record number, phone or CCCD (resolved by the view in the user's scope)."""


class ClubForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=None)
    name = forms.CharField(label=_("Tên"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=ClubKind.choices)
    founded_on = forms.DateField(label=_("Thành lập ngày"), required=False, widget=DATE_WIDGET)
    description = forms.CharField(label=_("Mô tả"), max_length=300, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MemberAddForm(forms.Form):
    person = PersonPickField(
        label=_("Người"),
        max_length=20,
        help_text=_("Gõ họ tên để tìm; hoặc mã hồ sơ, số điện thoại, số CCCD."),
        widget=SearchSelect("nguoi"),
    )
    role = forms.ChoiceField(label=_("Vai trò"), choices=ClubRole.choices, initial=ClubRole.MEMBER)


class SessionForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị tổ chức"), queryset=None)
    course = forms.ModelChoiceField(label=_("Khóa tập huấn"), queryset=None)
    title = forms.CharField(label=_("Tên lớp"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE_WIDGET)
    location = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    trainer = forms.CharField(label=_("Giảng viên"), max_length=200, required=False)

    def __init__(self, *args, units, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["course"].queryset = courses


class ParticipantForm(forms.Form):
    person = PersonPickField(
        label=_("Học viên"),
        max_length=20,
        help_text=_("Gõ họ tên để tìm; hoặc mã hồ sơ, số điện thoại, số CCCD."),
        widget=SearchSelect("nguoi"),
    )
    passed = forms.BooleanField(label=_("Đạt, cấp chứng nhận"), required=False)
    certificate_number = forms.CharField(label=_("Số chứng nhận"), max_length=40, required=False)
    certificate_issued_on = forms.DateField(label=_("Ngày cấp"), required=False, widget=DATE_WIDGET)


class CourseForm(forms.Form):
    name = forms.CharField(label=_("Tên khóa"), max_length=200)
    topic = forms.ChoiceField(label=_("Lĩnh vực"), choices=TrainingTopic.choices)
    validity_months = forms.IntegerField(
        label=_("Chứng nhận có giá trị (tháng)"), min_value=1, required=False
    )


class RulesForm(forms.ModelForm):
    class Meta:
        model = PeopleRules
        fields = [
            "active_volunteer_hours",
            "active_volunteer_months",
            "member_min_age",
            "volunteer_min_age",
            "youth_min_age",
            "youth_max_age",
            "teen_min_age",
            "teen_max_age",
            "certificate_warning_days",
        ]


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên, điện thoại, CCCD"), max_length=100, required=False)
    vai_tro = forms.ChoiceField(
        label=_("Vai trò"), choices=[("", _("Mọi vai trò")), *RoleKind.choices], required=False
    )
    tuoi = forms.ChoiceField(
        label=_("Độ tuổi"),
        choices=[("", _("Mọi độ tuổi")), *((k, v[0]) for k, v in AGE_BANDS.items())],
        required=False,
    )
    ky_nang = forms.ChoiceField(label=_("Kỹ năng"), required=False)
    hoi_phi = forms.ChoiceField(
        label=_("Hội phí năm nay"),
        choices=[("", "—"), ("paid", _("Đã nộp hoặc được miễn")), ("unpaid", _("Chưa nộp"))],
        required=False,
    )
    tich_cuc = forms.BooleanField(label=_("TNV tích cực"), required=False)
    clb = forms.IntegerField(widget=forms.HiddenInput, required=False)
    cu = forms.BooleanField(label=_("Gồm cả người đã thôi"), required=False)

    # The query string uses Vietnamese slugs with hyphens: vai-tro, tich-cuc, …
    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = {k.replace("-", "_"): v for k, v in data.items()}
        super().__init__(data, **kwargs)
        self.fields["ky_nang"].choices = [("", _("Mọi kỹ năng")), *Skill.objects.values_list("code", "name")]
