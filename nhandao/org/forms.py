from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhandao.core.access import ORG_MANAGE, Role
from nhandao.core.collation import vi
from nhandao.core.forms import show_when
from nhandao.core.search import SearchSelect
from nhandao.geo.models import Ward

from . import access
from .models import Agency, AgencyKind, BranchType, Unit, UnitKind
from .services import ALLOWED_CHILDREN

DATE_WIDGET = forms.DateInput(
    attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
)


class UnitSearchMixin:
    """A unit to choose: a select while the list is short, the units' search list once it is long
    (core.forms.search_long_lists): `don-vi-quy` when the choices are units that keep funds (no
    branch or group, as `unit_choices` gives), `don-vi` otherwise."""

    @property
    def search_source(self) -> str | None:
        if self.queryset is None:
            return None
        small = self.queryset.filter(kind__in=[UnitKind.BRANCH, UnitKind.GROUP]).exists()
        return "don-vi" if small else "don-vi-quy"


class UnitNameChoiceField(UnitSearchMixin, forms.ModelChoiceField):
    """A unit shown by its name alone (the fund and campaign forms)."""

    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


def unit_choices(user, perm: str):
    """Units where the user may act, that keep funds (not branches or groups)."""
    return (
        access.scope(user, perm)
        .units()
        .active()
        .exclude(kind__in=[UnitKind.BRANCH, UnitKind.GROUP])
        .order_by("depth", vi("name"))
    )


class UnitChoiceField(UnitSearchMixin, forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


class UnitCreateForm(forms.Form):
    name = forms.CharField(label=_("Tên đơn vị"), max_length=200)
    kind = forms.ChoiceField(label=_("Cấp"))
    code = forms.CharField(
        label=_("Mã đơn vị"), max_length=40, required=False, help_text=_("Để trống để hệ thống tự đặt mã.")
    )
    branch_type = forms.ChoiceField(
        label=_("Loại chi hội"), choices=[("", "—"), *BranchType.choices], required=False
    )
    ward = forms.CharField(
        label=_("Đơn vị hành chính (xã, phường)"),
        max_length=5,
        required=False,
        help_text=_("Gõ tên xã, phường để tìm; hoặc mã 5 chữ số của Tổng cục Thống kê, ví dụ 11311."),
        widget=SearchSelect("xa-phuong"),
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    valid_from = forms.DateField(label=_("Hoạt động từ ngày"), initial=timezone.localdate, widget=DATE_WIDGET)

    def __init__(self, *args, parent: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ALLOWED_CHILDREN[UnitKind(parent.kind)]
        self.fields["kind"].choices = [(k.value, k.label) for k in UnitKind if k in allowed]
        show_when(self, branch_type="kind=branch")


class UnitEditForm(forms.Form):
    name = forms.CharField(label=_("Tên đơn vị"), max_length=200)
    code = forms.CharField(label=_("Mã đơn vị"), max_length=40)
    branch_type = forms.ChoiceField(
        label=_("Loại chi hội"), choices=[("", "—"), *BranchType.choices], required=False
    )
    ward = UnitCreateForm.base_fields["ward"]
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)


class UnitMoveForm(forms.Form):
    new_parent = UnitChoiceField(label=_("Chuyển về trực thuộc"), queryset=Unit.objects.none())

    def __init__(self, *args, unit: Unit, user, **kwargs):
        super().__init__(*args, **kwargs)
        parent_kinds = [k for k, children in ALLOWED_CHILDREN.items() if unit.kind in children]
        self.fields["new_parent"].queryset = (
            access.scope(user, ORG_MANAGE)
            .units()
            .active()
            .filter(kind__in=parent_kinds)
            .exclude(path__startswith=unit.path)
            .exclude(pk=unit.parent_id)
            .order_by("depth", vi("name"))
        )


class UnitMergeForm(forms.Form):
    into = UnitChoiceField(label=_("Sáp nhập vào"), queryset=Unit.objects.none())
    on = forms.DateField(label=_("Ngày hoạt động cuối cùng"), initial=timezone.localdate, widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Căn cứ, lý do"), max_length=300, required=False)

    def __init__(self, *args, unit: Unit, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = _peers(unit, user)


class UnitCloseForm(forms.Form):
    on = forms.DateField(label=_("Ngày hoạt động cuối cùng"), initial=timezone.localdate, widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Căn cứ, lý do"), max_length=300)
    successors = forms.ModelMultipleChoiceField(
        label=_("Đơn vị kế thừa"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Đơn vị tiếp nhận công việc, hội viên, hồ sơ của đơn vị này."),
    )

    def __init__(self, *args, unit: Unit, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successors"].queryset = _peers(unit, user)


def _peers(unit: Unit, user):
    return (
        access.scope(user, ORG_MANAGE)
        .units()
        .active()
        .filter(kind=unit.kind, parent_id=unit.parent_id)
        .exclude(pk=unit.pk)
        .order_by(vi("name"))
    )


class UsernameField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        User = get_user_model()
        try:
            return User.objects.get(username__iexact=value.strip())
        except User.DoesNotExist:
            raise forms.ValidationError(_("Không có tài khoản “%(name)s”.") % {"name": value}) from None


class RoleAssignForm(forms.Form):
    user = UsernameField(
        label=_("Tài khoản"),
        max_length=150,
        help_text=_("Gõ họ tên hoặc tên đăng nhập để tìm."),
        widget=SearchSelect("tai-khoan"),
    )
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    agency = forms.ModelChoiceField(
        label=_("Cơ quan (với vai trò báo cáo của cơ quan)"), queryset=Agency.objects.active(), required=False
    )
    title = forms.CharField(label=_("Chức vụ"), max_length=120, required=False)
    valid_from = forms.DateField(label=_("Từ ngày"), initial=timezone.localdate, widget=DATE_WIDGET)
    valid_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE_WIDGET)


class AuditFilterForm(forms.Form):
    actor = forms.CharField(
        label=_("Người thực hiện"), max_length=150, required=False, widget=SearchSelect("nguoi-thuc-hien")
    )
    unit = forms.IntegerField(widget=forms.HiddenInput, required=False)
    object_type = forms.ChoiceField(label=_("Loại bản ghi"), required=False)
    action = forms.CharField(label=_("Hành động"), max_length=100, required=False)
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, object_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("Tất cả")), *object_types]


class AgencyForm(forms.Form):
    code = forms.CharField(label=_("Mã"), max_length=40)
    name = forms.CharField(label=_("Tên cơ quan"), max_length=200)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("Loại"), choices=AgencyKind.choices)
    valid_from = forms.DateField(label=_("Hoạt động từ ngày"), initial=timezone.localdate, widget=DATE_WIDGET)


class AgencyCloseForm(forms.Form):
    on = forms.DateField(label=_("Ngày hoạt động cuối cùng"), widget=DATE_WIDGET)
    primary = forms.ModelChoiceField(label=_("Cơ quan tiếp nhận chính"), queryset=Agency.objects.active())
    others = forms.ModelMultipleChoiceField(
        label=_("Cơ quan tiếp nhận một phần"), queryset=Agency.objects.active(), required=False
    )
    reference = forms.CharField(label=_("Văn bản"), max_length=200, required=False)


def ward_exists(code: str) -> bool:
    return Ward.objects.filter(pk=code).exists()
