from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhandao.core import indicators
from nhandao.core.access import MOVEMENTS_MANAGE, MOVEMENTS_PROPOSE
from nhandao.core.choices import ContentArea
from nhandao.core.search import SearchSelect
from nhandao.org import access
from nhandao.org.forms import DATE_WIDGET, UnitChoiceField, unit_choices
from nhandao.org.models import Unit

from .models import MovementKind, PeerGroup, ProposalLevel


def indicator_choices():
    return [(i.code, str(i.label)) for i in indicators.all_indicators()]


class MovementForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị phát động"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Phong trào"), choices=MovementKind.choices)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Tên"), max_length=200)
    theme = forms.CharField(label=_("Chủ đề"), max_length=300, required=False)
    starts_on = forms.DateField(
        label=_("Từ ngày"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("Để trống: theo phong trào (Tết Nhân ái theo âm lịch)."),
    )
    ends_on = forms.DateField(label=_("Đến ngày"), widget=DATE_WIDGET, required=False)
    indicator_codes = forms.MultipleChoiceField(label=_("Chỉ tiêu"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user, MOVEMENTS_MANAGE)
        self.fields["indicator_codes"].choices = indicator_choices()
        self.fields["year"].initial = timezone.localdate().year


class TargetForm(forms.Form):
    unit = UnitChoiceField(label=_("Hội CTĐ cấp xã"), queryset=Unit.objects.none())
    indicator = forms.ChoiceField(label=_("Chỉ tiêu"))
    value = forms.IntegerField(label=_("Chỉ tiêu giao"))

    def __init__(self, *args, movement, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["indicator"].choices = [
            (c, str(indicators.get(c).label))
            for c in movement.indicators.values_list("code", flat=True)
            if indicators.get(c)
        ]


class FormulaForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Chỉ tiêu"))
    basis = forms.ChoiceField(
        label=_("Cách tính"),
        choices=[
            ("last_year", _("Theo kết quả năm trước")),
            ("population", _("Chia tổng chỉ tiêu theo dân số")),
        ],
    )
    growth_percent = forms.IntegerField(label=_("Tăng so với năm trước (%)"), initial=10, required=False)
    total = forms.IntegerField(label=_("Tổng chỉ tiêu cả thành phố"), required=False)
    minimum = forms.IntegerField(label=_("Mức tối thiểu mỗi đơn vị"), initial=0, required=False)

    def __init__(self, *args, movement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [
            (c, str(indicators.get(c).label))
            for c in movement.indicators.values_list("code", flat=True)
            if indicators.get(c)
        ]


class SchemeForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Tên"), max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user, MOVEMENTS_MANAGE)
        self.fields["year"].initial = timezone.localdate().year
        add_weight_fields(self)

    def criteria(self) -> list[tuple[str, int]]:
        return criteria_of(self)


class CriteriaForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_weight_fields(self)

    def criteria(self) -> list[tuple[str, int]]:
        return criteria_of(self)


def add_weight_fields(form) -> None:
    for code, label in indicator_choices():
        form.fields[f"w_{code}"] = forms.IntegerField(label=label, required=False, min_value=0, max_value=100)


def criteria_of(form) -> list[tuple[str, int]]:
    return [(name[2:], value) for name, value in form.cleaned_data.items() if name.startswith("w_") and value]


class ManualScoreForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    points = forms.IntegerField(label=_("Điểm cộng (+) hoặc trừ (-)"))
    reason = forms.CharField(label=_("Lý do"), max_length=500)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class FreezeForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class ProposalForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị đề nghị"), queryset=Unit.objects.none())
    level = forms.ChoiceField(label=_("Cấp khen"), choices=ProposalLevel.choices)
    title = forms.CharField(label=_("Hình thức khen thưởng"), max_length=200, initial=_("Bằng khen"))
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user, MOVEMENTS_PROPOSE)
        self.fields["year"].initial = timezone.localdate().year


class ProposalItemForm(forms.Form):
    unit = UnitChoiceField(label=_("Tập thể"), queryset=Unit.objects.none(), required=False)
    person = forms.IntegerField(
        label=_("Số hồ sơ cá nhân"),
        required=False,
        help_text=_("Gõ họ tên hoặc số hồ sơ trong sổ hội viên, tình nguyện viên."),
        widget=SearchSelect("nguoi"),
    )
    reason = forms.CharField(label=_("Thành tích"), max_length=500)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class FillForm(forms.Form):
    ranking = forms.ModelChoiceField(label=_("Bảng xếp hạng đã chốt"), queryset=None)
    top = forms.IntegerField(label=_("Số đơn vị dẫn đầu mỗi khối"), min_value=1, max_value=20, initial=3)

    def __init__(self, *args, rankings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ranking"].queryset = rankings


class DecideForm(forms.Form):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60)
    decided_on = forms.DateField(label=_("Ngày quyết định"), widget=DATE_WIDGET, initial=timezone.localdate)


class PracticeForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Tên mô hình"), max_length=200)
    description = forms.CharField(label=_("Nội dung, cách làm"), widget=forms.Textarea)
    place = forms.CharField(label=_("Nơi thực hiện"), max_length=200)
    since = forms.DateField(label=_("Thực hiện từ"), widget=DATE_WIDGET)
    area = forms.ChoiceField(label=_("Lĩnh vực"), choices=ContentArea.choices)
    results = forms.CharField(label=_("Kết quả"), widget=forms.Textarea, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user, MOVEMENTS_PROPOSE)


class FigureForm(forms.Form):
    label = forms.CharField(label=_("Chỉ số"), max_length=200)
    value = forms.IntegerField(label=_("Số liệu"))
    measure = forms.CharField(label=_("Đơn vị tính"), max_length=40, required=False)


class FileForm(forms.Form):
    file = forms.FileField(label=_("Ảnh hoặc tài liệu"))
    caption = forms.CharField(label=_("Chú thích"), max_length=200, required=False)


class AdoptionForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị áp dụng"), queryset=Unit.objects.none())
    adopted_on = forms.DateField(label=_("Áp dụng từ"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.scope(user, MOVEMENTS_PROPOSE).units().active().order_by("path")


class ProfileForm(forms.Form):
    """A unit's peer group and population; the service checks the values (messages by field)."""

    peer_group = forms.ChoiceField(label=_("Khối thi đua"), choices=PeerGroup.choices)
    population = forms.IntegerField(
        label=_("Dân số"),
        required=False,
        help_text=_("Số người trên địa bàn, dùng khi giao chỉ tiêu theo dân số."),
    )
