from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from nhandao.beneficiaries import selectors as beneficiaries
from nhandao.core.access import SCHOOLS_REPORT, STORIES_WRITE
from nhandao.core.money import MoneyField
from nhandao.org import access
from nhandao.org.forms import UnitChoiceField
from nhandao.org.models import Unit

from . import images, sanitize
from .choices import StoryKind
from .models import school_year_validator
from .selectors import school_units


def story_units(user):
    return access.scope(user, STORIES_WRITE).units().active().order_by("depth", "name")


class StoryForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Loại bài"), choices=StoryKind.choices)
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    summary = forms.CharField(
        label=_("Tóm tắt"), max_length=300, help_text=_("Một hai câu; hiện khi chia sẻ lên Zalo, Facebook.")
    )
    body = forms.CharField(
        label=_("Nội dung"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Đoạn văn cách nhau bằng dòng trống; được dùng thẻ %(tags)s.")
        % {"tags": ", ".join(sorted(sanitize.TAGS))},
    )
    tags = forms.CharField(
        label=_("Thẻ"), max_length=200, required=False, help_text=_("Cách nhau bằng dấu phẩy.")
    )
    case = forms.IntegerField(
        label=_("Số hồ sơ đối tượng được nêu trong bài"),
        required=False,
        min_value=1,
        help_text=_("Chỉ khi bài kể về một người được trợ giúp: người đó phải đã đồng ý công bố."),
    )

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # The toolbar of static/stories/editor.js reads its (translated) button names from here.
        self.fields["body"].widget.attrs.update(
            {
                "data-rich-text": "",
                "data-label-toolbar": _("Định dạng nội dung"),
                "data-label-bold": _("Đậm"),
                "data-label-italic": _("Nghiêng"),
                "data-label-heading": _("Tiêu đề mục"),
                "data-label-ul": _("Danh sách gạch đầu dòng"),
                "data-label-ol": _("Danh sách đánh số"),
                "data-label-link": _("Liên kết"),
                "data-label-quote": _("Trích dẫn"),
                "data-label-link-prompt": _("Địa chỉ liên kết (https://…); để trống để bỏ liên kết"),
            }
        )
        if editing:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = story_units(user)

    def clean_body(self):
        body = self.cleaned_data["body"]
        if "<" not in body:  # plain text: paragraphs
            paragraphs = [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
            body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        return body

    def clean_case(self):
        pk = self.cleaned_data.get("case")
        if not pk:
            return None
        try:
            return beneficiaries.case_get(self.user, pk)
        except Http404:
            raise ValidationError(
                _("Không tìm thấy hồ sơ số %(n)s trong phạm vi của bạn.") % {"n": pk}
            ) from None


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Ảnh (JPEG, PNG, WebP; tối đa 10 MB)"))
    caption = forms.CharField(label=_("Chú thích"), max_length=200, required=False)

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if upload.size > images.MAX_BYTES:
            raise ValidationError(
                _("Ảnh “%(name)s” lớn hơn 10 MB: hãy chọn ảnh nhỏ hơn.") % {"name": upload.name}
            )
        return upload


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Ý kiến, lý do"), max_length=500, required=False)


class SchoolReportForm(forms.Form):
    unit = UnitChoiceField(label=_("Chi hội trường học"), queryset=Unit.objects.none())
    school_year = forms.CharField(label=_("Năm học"), max_length=9, validators=[school_year_validator])
    pupils = forms.IntegerField(label=_("Số học sinh của trường"), min_value=0, max_value=20000)
    youth_members = forms.IntegerField(
        label=_("Hội viên thanh, thiếu niên Chữ thập đỏ"), min_value=0, max_value=20000
    )
    new_members = forms.IntegerField(label=_("Kết nạp mới trong năm học"), min_value=0, max_value=20000)
    activities = forms.IntegerField(label=_("Số hoạt động"), min_value=0, max_value=10000)
    first_aid_trained = forms.IntegerField(
        label=_("Học sinh được tập huấn sơ cấp cứu"), min_value=0, max_value=20000
    )
    pupils_helped = forms.IntegerField(
        label=_("Học sinh khó khăn được giúp đỡ"), min_value=0, max_value=20000
    )
    value_raised = MoneyField(label=_("Giá trị vận động (đồng)"), min_value=0, required=False)
    note = forms.CharField(
        label=_("Hoạt động tiêu biểu"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = school_units(user, SCHOOLS_REPORT)
