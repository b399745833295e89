from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhandao.core.access import BLOOD_CHECKIN, BLOOD_MANAGE
from nhandao.core.collation import vi
from nhandao.core.search import SearchSelect
from nhandao.geo.models import Ward
from nhandao.org.forms import DATE_WIDGET, UnitChoiceField, unit_choices
from nhandao.org.models import Unit
from nhandao.people.choices import AwardLevel

from . import eligibility
from .choices import BloodGroup, DonationKind, PledgePurpose, ScreeningResult
from .models import CollectionCentre

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
HAI_PHONG = "31"


def hai_phong_wards():
    return Ward.objects.filter(province_id=HAI_PHONG).order_by(vi("name"))


class DriveForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị tổ chức"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Tên đợt hiến máu"), max_length=200)
    date = forms.DateField(label=_("Ngày"), widget=DATE_WIDGET)
    starts_at = forms.TimeField(label=_("Giờ bắt đầu"), widget=TIME_WIDGET)
    ends_at = forms.TimeField(label=_("Giờ kết thúc"), widget=TIME_WIDGET)
    venue = forms.CharField(label=_("Địa điểm"), max_length=200)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300)
    ward = forms.ModelChoiceField(
        label=_("Xã, phường, đặc khu"), queryset=Ward.objects.none(), widget=SearchSelect("xa-phuong-hp")
    )
    centre = forms.ModelChoiceField(
        label=_("Cơ sở tiếp nhận máu"), queryset=CollectionCentre.objects.filter(is_active=True)
    )
    capacity_per_hour = forms.IntegerField(label=_("Số người mỗi giờ"), min_value=1, max_value=500)
    target_units = forms.IntegerField(label=_("Chỉ tiêu (đơn vị máu)"), min_value=1, max_value=5000)
    is_public = forms.BooleanField(label=_("Nhận đăng ký trực tuyến"), required=False, initial=True)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user, BLOOD_MANAGE)
        self.fields["ward"].queryset = hai_phong_wards()


class DriveMoveForm(forms.Form):
    date = forms.DateField(label=_("Ngày"), widget=DATE_WIDGET)
    starts_at = forms.TimeField(label=_("Giờ bắt đầu"), widget=TIME_WIDGET)
    ends_at = forms.TimeField(label=_("Giờ kết thúc"), widget=TIME_WIDGET)
    venue = forms.CharField(label=_("Địa điểm"), max_length=200)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300)
    ward = forms.ModelChoiceField(
        label=_("Xã, phường, đặc khu"), queryset=Ward.objects.none(), widget=SearchSelect("xa-phuong-hp")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = hai_phong_wards()


class DriveCancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy"), max_length=300)


class PublicFilterForm(forms.Form):
    xa = forms.ModelChoiceField(
        label=_("Xã, phường"),
        queryset=Ward.objects.none(),
        required=False,
        widget=forms.Select(attrs={"aria-label": _("Xã, phường")}),
    )
    ngay = forms.DateField(label=_("Ngày"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["xa"].queryset = hai_phong_wards()
        self.fields["xa"].empty_label = _("Mọi xã, phường")


EVENT_QUESTIONS = (
    ("childbirth", _("Trong 12 tháng qua bạn có sinh con hoặc kết thúc thai kỳ không? Nếu có, ngày nào?")),
    ("transfusion", _("Trong 12 tháng qua bạn có được truyền máu không? Nếu có, ngày nào?")),
    ("tattoo", _("Trong 6 tháng qua bạn có xăm trên da không? Nếu có, ngày nào?")),
    ("piercing", _("Trong 6 tháng qua bạn có bấm lỗ tai, mũi, rốn… không? Nếu có, ngày nào?")),
    ("serious_illness", _("Trong 6 tháng qua bạn có khỏi thương hàn, nhiễm trùng huyết, bị rắn cắn… không?")),
    ("infection", _("Trong 4 tuần qua bạn có khỏi viêm phổi, viêm dạ dày ruột, sởi… không?")),
    ("flu", _("Trong 7 ngày qua bạn có khỏi cúm, cảm lạnh, viêm họng không? Nếu có, ngày nào?")),
)


class RegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    date_of_birth = forms.DateField(label=_("Ngày sinh"), widget=DATE_WIDGET)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=[("F", _("Nữ")), ("M", _("Nam"))])
    phone = forms.CharField(
        label=_("Số điện thoại"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    cccd = forms.CharField(label=_("Số CCCD (không bắt buộc)"), max_length=12, required=False)
    blood_group = forms.ChoiceField(
        label=_("Nhóm máu (nếu biết)"), choices=[("", _("Chưa biết")), *BloodGroup.choices], required=False
    )
    slot = forms.ChoiceField(label=_("Khung giờ"))
    weight = forms.DecimalField(
        label=_("Cân nặng (kg)"), max_digits=4, decimal_places=1, min_value=20, max_value=200
    )
    last_donation = forms.DateField(
        label=_("Lần hiến máu gần nhất (nếu có)"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Nếu đã hiến ở nơi khác, hãy ghi ngày để được báo đúng ngày hiến lại."),
    )
    last_kind = forms.ChoiceField(
        label=_("Loại lần hiến gần nhất"), choices=DonationKind.choices, required=False
    )
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # a trap for robots

    def __init__(self, *args, drive, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [
            (s.strftime("%H:%M"), _("%(t)s (còn %(n)s chỗ)") % {"t": s.strftime("%H:%M"), "n": n})
            for s, n in places
        ]
        for key, question in EVENT_QUESTIONS:
            self.fields[f"event_{key}"] = forms.DateField(label=question, required=False, widget=DATE_WIDGET)
        # Consent per purpose (Law 91/2025): never ticked in advance.
        self.fields["reminders"] = forms.BooleanField(
            label=_(
                "Tôi đồng ý nhận tin nhắn nhắc khi đến ngày hiến máu lại được và có đợt hiến máu gần tôi"
            ),
            required=False,
            help_text=_("Có thể ngừng nhận bất cứ lúc nào bằng liên kết trong tin nhắn."),
        )

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Ngày sinh ở tương lai."))
        return value

    def events(self) -> dict:
        return {
            k: self.cleaned_data.get(f"event_{k}")
            for k in eligibility.EVENT_DEFERRALS
            if self.cleaned_data.get(f"event_{k}")
        }


class CancelForm(forms.Form):
    code = forms.CharField(label=_("Mã đăng ký"), max_length=8)


class MyRecordForm(forms.Form):
    """The donor's own record: a registration code of theirs and the phone they registered with."""

    code = forms.CharField(label=_("Mã đăng ký"), max_length=8)
    phone = forms.CharField(
        label=_("Số điện thoại đã đăng ký"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )


class CheckinSearchForm(forms.Form):
    q = forms.CharField(label=_("Mã, số điện thoại hoặc họ tên"), max_length=100, required=False)


class WalkInForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    date_of_birth = forms.DateField(label=_("Ngày sinh"), widget=DATE_WIDGET)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=[("F", _("Nữ")), ("M", _("Nam"))])
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )


class ScreeningForm(forms.Form):
    weight = forms.DecimalField(
        label=_("Cân nặng (kg)"),
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
    )
    haemoglobin = forms.IntegerField(label=_("Huyết sắc tố (g/l)"))
    bp_systolic = forms.IntegerField(label=_("Huyết áp tâm thu (mmHg)"))
    bp_diastolic = forms.IntegerField(label=_("Huyết áp tâm trương (mmHg)"))
    result = forms.ChoiceField(label=_("Kết quả"), choices=ScreeningResult.choices, widget=forms.RadioSelect)
    deferral_reason = forms.CharField(label=_("Lý do tạm hoãn"), max_length=300, required=False)
    deferred_until = forms.DateField(label=_("Hoãn đến ngày"), required=False, widget=DATE_WIDGET)


class DonationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=DonationKind.choices, initial=DonationKind.WHOLE)
    volume_ml = forms.TypedChoiceField(
        label=_("Thể tích"),
        choices=[("", "—"), (250, "250 ml"), (350, "350 ml"), (450, "450 ml")],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    apheresis_ml = forms.IntegerField(
        label=_("Gạn tách: tổng thể tích (ml, nếu có)"), min_value=1, max_value=2000, required=False
    )
    bag_number = forms.CharField(label=_("Số túi máu"), max_length=30)
    adverse_event = forms.CharField(label=_("Phản ứng bất lợi (nếu có)"), max_length=300, required=False)

    def donation_fields(self) -> dict:
        """The service's arguments: the volume is the bag's for whole blood, the total for apheresis."""
        data = dict(self.cleaned_data)
        apheresis_ml = data.pop("apheresis_ml")
        if data["kind"] != DonationKind.WHOLE:
            data["volume_ml"] = apheresis_ml
        return data


class DonorForm(forms.Form):
    blood_group = forms.ChoiceField(
        label=_("Nhóm máu"), choices=[("", _("Chưa biết")), *BloodGroup.choices], required=False
    )
    emergency_consent = forms.BooleanField(label=_("Đồng ý được gọi khi cần máu khẩn cấp"), required=False)


class PledgeForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    date_of_birth = forms.DateField(label=_("Ngày sinh"), widget=DATE_WIDGET)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=[("F", _("Nữ")), ("M", _("Nam"))])
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    cccd = forms.CharField(label=_("Số CCCD"), max_length=12, required=False)
    unit = UnitChoiceField(label=_("Đơn vị tiếp nhận"), queryset=Unit.objects.none())
    pledged_on = forms.DateField(label=_("Ngày ký đơn"), widget=DATE_WIDGET, initial=timezone.localdate)
    purposes = forms.MultipleChoiceField(
        label=_("Người đăng ký đồng ý (từng mục đích)"),
        choices=PledgePurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user, BLOOD_CHECKIN)


class TargetForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    units = forms.IntegerField(label=_("Chỉ tiêu (đơn vị máu)"), min_value=0, max_value=100000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user, BLOOD_MANAGE)


class HonoursAwardForm(forms.Form):
    """Write the year's honours to the awards register (people.Award)."""

    awarded_on = forms.DateField(label=_("Ngày khen"), widget=DATE_WIDGET)
    level = forms.ChoiceField(label=_("Cấp khen"))
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60, required=False)
    issuer = forms.CharField(label=_("Cơ quan khen"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["level"].choices = AwardLevel.choices
        self.fields["level"].initial = AwardLevel.CITY
