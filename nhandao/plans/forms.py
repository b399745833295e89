from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nhandao.core.choices import ContentArea
from nhandao.core.collation import vi
from nhandao.org.forms import DATE_WIDGET
from nhandao.org.models import Agency, Unit

from .models import Assignee, DutyRole, EntryStatus, InspectionArea, Recurrence, RoundKind

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    number = forms.IntegerField(label=_("Số"), min_value=1, required=False)
    symbol = forms.CharField(label=_("Ký hiệu"), max_length=40, initial="KH-UBND")
    issuer = forms.CharField(
        label=_("Cơ quan ban hành"), max_length=200, initial="Ủy ban nhân dân thành phố Hải Phòng"
    )
    issued_on = forms.DateField(label=_("Ngày ban hành"), required=False, widget=DATE_WIDGET)
    title = forms.CharField(label=_("Trích yếu"), widget=TEXTAREA)
    legal_basis = forms.CharField(label=_("Căn cứ (mỗi dòng một văn bản)"), required=False, widget=TEXTAREA)
    purposes = forms.CharField(label=_("Mục đích (mỗi dòng một ý)"), required=False, widget=TEXTAREA)
    full_text = forms.CharField(label=_("Toàn văn"), required=False, widget=forms.Textarea(attrs={"rows": 6}))


class DutyForm(forms.Form):
    section = forms.CharField(label=_("Mục (phần III)"), max_length=4)
    heading = forms.CharField(label=_("Đề mục"), max_length=200)
    text = forms.CharField(label=_("Nhiệm vụ"), widget=TEXTAREA)
    assignee = forms.ChoiceField(label=_("Giao cho"), choices=Assignee.choices)
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"), queryset=Agency.objects.order_by(vi("name")), required=False
    )
    role = forms.ChoiceField(label=_("Vai trò"), choices=DutyRole.choices)
    recurrence = forms.ChoiceField(label=_("Định kỳ"), choices=Recurrence.choices)
    areas = forms.MultipleChoiceField(
        label=_("Lĩnh vực theo Luật"),
        choices=ContentArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CopyForm(forms.Form):
    year = forms.IntegerField(label=_("Năm của kế hoạch mới"), min_value=2000, max_value=2100)


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Tên đợt báo cáo"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=RoundKind.choices)
    period_start = forms.DateField(label=_("Kỳ báo cáo từ ngày"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("Đến ngày"), widget=DATE_WIDGET)
    deadline = forms.DateField(label=_("Hạn nộp"), widget=DATE_WIDGET)
    agencies = forms.ModelMultipleChoiceField(
        label=_("Cơ quan báo cáo"),
        queryset=Agency.objects.active().exclude(kind="committee").order_by(vi("name")),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    societies = forms.BooleanField(label=_("Mọi Hội Chữ thập đỏ cấp xã"), required=False, initial=True)
    committees = forms.BooleanField(label=_("Mọi Ủy ban nhân dân cấp xã"), required=False, initial=True)


class FigureForm(forms.Form):
    code = forms.CharField(max_length=60, widget=forms.HiddenInput)
    value = forms.IntegerField(label=_("Giá trị điều chỉnh"), min_value=0, required=False)
    reason = forms.CharField(label=_("Lý do điều chỉnh"), max_length=500, required=False)


class AttachmentForm(forms.Form):
    upload = forms.FileField(label=_("Tệp đính kèm (PDF, DOCX, XLSX, ảnh; tối đa 20 MB)"))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Tiếp nhận")), ("return", _("Trả lại"))])
    comment = forms.CharField(label=_("Ý kiến"), required=False, widget=TEXTAREA)


class IssueForm(forms.Form):
    issued_on = forms.DateField(label=_("Ngày ban hành"), widget=DATE_WIDGET)
    number = forms.IntegerField(label=_("Số (để trống: số tiếp theo)"), min_value=1, required=False)


ENTRY_STATUS_CHOICES = [("", "—"), *EntryStatus.choices]


class ContentForm(forms.Form):
    """An item (number) or sub-item (number and letter) of section II, with its content areas."""

    number = forms.CharField(label=_("Mục (1–5)"), max_length=4)
    letter = forms.CharField(
        label=_("Điểm (a, b, c, d, đ; để trống nếu là mục)"), max_length=2, required=False
    )
    text = forms.CharField(label=_("Nội dung"), widget=TEXTAREA)
    areas = forms.MultipleChoiceField(
        label=_("Lĩnh vực theo Luật"),
        choices=ContentArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ContentEditForm(forms.Form):
    text = forms.CharField(label=_("Nội dung"), widget=TEXTAREA)
    areas = forms.MultipleChoiceField(
        label=_("Lĩnh vực theo Luật"),
        choices=ContentArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class IssueResponseForm(forms.Form):
    text = forms.CharField(label=_("Trả lời"), widget=TEXTAREA)
    resolves = forms.BooleanField(label=_("Đã giải quyết xong"), required=False)


class IssueAddressForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Cơ quan trả lời"), queryset=Agency.objects.active().order_by("name")
    )


class InspectionPlanForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Tên kế hoạch kiểm tra"), max_length=250, required=False)


class ChecklistForm(forms.Form):
    """The checklist, one textarea per area, one item a line."""

    def __init__(self, *args, checklist=(), **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in InspectionArea.choices:
            self.fields[value] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            self.initial.setdefault(value, "\n".join(i["text"] for i in checklist if i["area"] == value))

    def items(self) -> list[dict]:
        return [
            {"area": value, "text": line.strip()}
            for value, _label in InspectionArea.choices
            for line in (self.cleaned_data.get(value) or "").splitlines()
            if line.strip()
        ]


class InspectionForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị được kiểm tra"), queryset=Unit.objects.none())
    starts_on = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Đến ngày"), widget=DATE_WIDGET)
    inspectors = forms.CharField(label=_("Đoàn kiểm tra (họ tên, chức vụ)"), max_length=300)
    areas = forms.MultipleChoiceField(
        label=_("Nội dung kiểm tra"), choices=InspectionArea.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


class RecordForm(forms.Form):
    recorded_on = forms.DateField(label=_("Ngày lập biên bản"), widget=DATE_WIDGET)
    findings = forms.CharField(label=_("Kết quả kiểm tra, tồn tại"), widget=forms.Textarea(attrs={"rows": 5}))


class RecommendationForm(forms.Form):
    text = forms.CharField(label=_("Kiến nghị"), widget=TEXTAREA)
    area = forms.ChoiceField(
        label=_("Nội dung"), choices=[("", "—"), *InspectionArea.choices], required=False
    )
    deadline = forms.DateField(label=_("Thời hạn"), widget=DATE_WIDGET)
    unit = forms.ModelChoiceField(label=_("Đơn vị thực hiện"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Nội dung"), widget=TEXTAREA)
    close = forms.BooleanField(label=_("Kết thúc theo dõi kiến nghị"), required=False)
