from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nhandao.core.access import TRACING_MANAGE
from nhandao.org import access
from nhandao.org.forms import UnitChoiceField
from nhandao.org.models import Unit, UnitKind

from .models import MessageDirection, RequestKind, SoughtConsent, TracingCase, VerificationMethod


class RequestForm(forms.Form):
    person = forms.IntegerField(
        label=_("Mã người trong sổ đăng ký"),
        min_value=1,
        help_text=_("Số ở cuối địa chỉ trang hồ sơ của người đó."),
    )
    kind = forms.ChoiceField(label=_("Loại yêu cầu"), choices=RequestKind.choices)
    details = forms.CharField(
        label=_("Nội dung yêu cầu"), widget=forms.Textarea, max_length=2000, required=False
    )


class PublicRequestForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Hội Chữ thập đỏ xã, phường nơi bạn sinh sống"),
        queryset=Unit.objects.none(),
    )
    kind = forms.ChoiceField(label=_("Bạn yêu cầu"), choices=RequestKind.choices)
    name = forms.CharField(label=_("Họ và tên"), max_length=150)
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=15,
        help_text=_("Cán bộ sẽ gọi lại số này để xác minh bạn là người yêu cầu."),
    )
    id_number = forms.RegexField(
        label=_("Số CCCD (không bắt buộc)"),
        regex=r"^\d{12}$",
        required=False,
        error_messages={"invalid": _("Số CCCD gồm đúng 12 chữ số.")},
    )
    details = forms.CharField(label=_("Nội dung"), widget=forms.Textarea, max_length=2000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active().filter(kind=UnitKind.COMMUNE).order_by("name")


class VerifyForm(forms.Form):
    person = forms.IntegerField(label=_("Mã người trong sổ đăng ký"), min_value=1)
    verification = forms.ChoiceField(label=_("Đã xác minh bằng cách"), choices=VerificationMethod.choices)


class DecideForm(forms.Form):
    decision = forms.CharField(label=_("Quyết định và lý do"), widget=forms.Textarea, max_length=2000)
    effect = forms.CharField(label=_("Đã thực hiện"), widget=forms.Textarea, max_length=2000, required=False)


class TracingForm(forms.ModelForm):
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    enquirer_consent = forms.BooleanField(
        label=_("Người yêu cầu đã được giải thích và đồng ý cho Hội xử lý thông tin để tìm kiếm"),
        required=False,
    )

    class Meta:
        model = TracingCase
        fields = [
            "unit",
            "enquirer_name",
            "enquirer_phone",
            "enquirer_address",
            "sought_name",
            "sought_birth_year",
            "relationship",
            "circumstances",
            "last_known_place",
            "last_known_on",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            access.scope(user, TRACING_MANAGE).units().active().order_by("depth", "name")
        )


class TracingNoteForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú"), max_length=2000, required=False, widget=forms.Textarea)


class SoughtConsentForm(forms.Form):
    consent = forms.ChoiceField(
        label=_("Ý kiến của người được tìm"),
        choices=[
            (SoughtConsent.GIVEN, SoughtConsent.GIVEN.label),
            (SoughtConsent.REFUSED, SoughtConsent.REFUSED.label),
        ],
    )


class MessageForm(forms.Form):
    direction = forms.ChoiceField(label=_("Chiều"), choices=MessageDirection.choices)
    text = forms.CharField(label=_("Nội dung thư"), widget=forms.Textarea, max_length=3000)
