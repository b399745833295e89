from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhandao.core.access import CAMPAIGNS_MANAGE
from nhandao.core.choices import ContentArea
from nhandao.core.money import MoneyField
from nhandao.org.forms import DATE_WIDGET, unit_choices
from nhandao.org.forms import UnitNameChoiceField as UnitChoiceField
from nhandao.org.models import Unit

from .models import CampaignKind, CampaignStatus

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class CampaignEditForm(forms.Form):
    name = forms.CharField(label=_("Tên cuộc vận động"), max_length=200)
    content_area = forms.ChoiceField(label=_("Lĩnh vực hoạt động"), choices=ContentArea.choices)
    ends_on = forms.DateField(label=_("Ngày kết thúc tiếp nhận"), required=False, widget=DATE_WIDGET)
    distribution_ends_on = forms.DateField(
        label=_("Hạn hoàn thành phân bổ"), required=False, widget=DATE_WIDGET
    )
    goal = MoneyField(label=_("Mục tiêu (đồng)"), required=False)
    description = forms.CharField(label=_("Mô tả"), required=False, widget=TEXTAREA)
    mobilisation_reference = forms.CharField(
        label=_("Số, ký hiệu văn bản vận động"), max_length=120, required=False
    )
    mobilisation_document = forms.FileField(label=_("Văn bản vận động (PDF)"), required=False)
    eligibility = forms.CharField(label=_("Đối tượng được hỗ trợ"), required=False, widget=TEXTAREA)
    support_level = forms.CharField(label=_("Mức hỗ trợ"), required=False, widget=TEXTAREA)
    distribution_method = forms.CharField(
        label=_("Thời gian, địa điểm, phương thức phân phối"), required=False, widget=TEXTAREA
    )
    is_public = forms.BooleanField(label=_("Công khai trên cổng minh bạch"), required=False, initial=True)


class CampaignForm(CampaignEditForm):
    unit = UnitChoiceField(label=_("Đơn vị phát động"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Loại"), choices=CampaignKind.choices)
    restricted = forms.BooleanField(
        label=_("Quỹ hạn chế (tiền chỉ được chi cho cuộc vận động này)"),
        required=False,
        help_text=_("Mặc định bật cho lời kêu gọi ủng hộ."),
    )
    starts_on = forms.DateField(
        label=_("Ngày bắt đầu tiếp nhận"), initial=timezone.localdate, widget=DATE_WIDGET
    )

    field_order = ["unit", "name", "kind", "content_area", "restricted", "starts_on", "ends_on"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user, CAMPAIGNS_MANAGE)


class CampaignFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        choices=[("", _("Mọi trạng thái"))] + CampaignStatus.choices,
        required=False,
        widget=forms.Select(attrs={"aria-label": _("Trạng thái")}),
    )
