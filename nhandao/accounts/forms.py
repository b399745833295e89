from django import forms
from django.utils.translation import gettext_lazy as _


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    password = forms.CharField(label=_("Mật khẩu ban đầu"), widget=forms.PasswordInput(render_value=False))
