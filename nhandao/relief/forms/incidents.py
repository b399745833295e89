from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhandao.campaigns.selectors import campaigns_visible
from nhandao.core.access import RELIEF_MANAGE
from nhandao.core.collation import vi
from nhandao.funds.selectors import funds_visible
from nhandao.org import access
from nhandao.org.forms import DATE_WIDGET, UnitNameChoiceField, unit_choices
from nhandao.org.models import Unit, UnitKind

from ..models import FIGURES, IncidentKind, IncidentStatus, ReportSource, Sector

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATETIME_WIDGET = forms.DateTimeInput(attrs={"placeholder": "dd/mm/yyyy hh:mm", "autocomplete": "off"})


class CommuneChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class IncidentForm(forms.Form):
    unit = UnitNameChoiceField(label=_("Đơn vị mở sự cố"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Loại sự cố"), choices=IncidentKind.choices)
    name = forms.CharField(label=_("Tên sự cố"), max_length=200, help_text=_("Ví dụ: Bão số 3 – Yagi"))
    starts_on = forms.DateField(label=_("Ngày bắt đầu"), initial=timezone.localdate, widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Ngày kết thúc"), required=False, widget=DATE_WIDGET)
    communes = CommuneChoices(
        label=_("Xã, phường, đặc khu bị ảnh hưởng"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    description = forms.CharField(label=_("Mô tả"), required=False, widget=TEXTAREA)
    campaigns = forms.ModelMultipleChoiceField(label=_("Cuộc vận động"), queryset=None, required=False)
    funds = forms.ModelMultipleChoiceField(label=_("Quỹ chi cho ứng phó"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user, RELIEF_MANAGE)
        scope = access.scope(user, RELIEF_MANAGE)
        self.fields["communes"].queryset = (
            scope.units().active().filter(kind=UnitKind.COMMUNE).order_by(vi("name"))
        )
        self.fields["campaigns"].queryset = campaigns_visible(user).order_by("-starts_on", vi("name"))
        self.fields["funds"].queryset = funds_visible(user).select_related("unit").order_by(vi("unit__name"))


class IncidentEditForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), choices=IncidentStatus.choices)
    ends_on = forms.DateField(label=_("Ngày kết thúc"), required=False, widget=DATE_WIDGET)
    description = forms.CharField(label=_("Mô tả"), required=False, widget=TEXTAREA)


class AreaForm(forms.Form):
    commune = UnitNameChoiceField(label=_("Xã, phường, đặc khu"), queryset=Unit.objects.none())
    residents = forms.IntegerField(label=_("Số dân"), required=False, min_value=0)
    households = forms.IntegerField(label=_("Số hộ"), required=False, min_value=0)

    def __init__(self, *args, user, incident, **kwargs):
        super().__init__(*args, **kwargs)
        scope = access.scope(user, RELIEF_MANAGE)
        self.fields["commune"].queryset = (
            scope.units()
            .active()
            .filter(kind=UnitKind.COMMUNE, path__startswith=incident.unit.path)
            .order_by(vi("name"))
        )


class FieldReportForm(forms.Form):
    """The phone form: every figure optional (blank = not reported), negative numbers refused."""

    client_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    commune = UnitNameChoiceField(label=_("Xã, phường, đặc khu"), queryset=Unit.objects.none())
    source = forms.ChoiceField(label=_("Nguồn số liệu"), choices=ReportSource.choices)
    reported_at = forms.DateTimeField(
        label=_("Thời điểm số liệu"),
        required=False,
        widget=DATETIME_WIDGET,
        help_text=_("Để trống: bây giờ."),
    )

    def __init__(self, *args, communes, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_token", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        for name, label in FIGURES:
            self.fields[name] = forms.IntegerField(
                label=label,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
            )
        for value, label in Sector.choices:
            self.fields[f"need_{value}"] = forms.CharField(
                label=_("Nhu cầu: %(s)s") % {"s": label}, required=False, max_length=500
            )
        self.fields["note"] = forms.CharField(label=_("Ghi chú"), required=False, widget=TEXTAREA)

    def figures(self) -> dict:
        return {name: self.cleaned_data.get(name) for name, _label in FIGURES}

    def needs(self) -> dict:
        return {v: self.cleaned_data.get(f"need_{v}") or "" for v in Sector.values}
