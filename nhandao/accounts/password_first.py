"""A password chosen by an administrator is changed by its user at the first sign-in.

`User.must_change_password` is set by `services.user_create` when the administrator types the
password; this middleware sends such a user to the password page (and nowhere else) until
`password_change` (below) clears the flag. Self-contained: one middleware, one view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

ALLOWED_PREFIXES = ("/static/", "/tai-khoan/dang-xuat", "/minh-bach/", "/xac-minh/", "/i18n/", "/healthz")


class MustChangePasswordMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            target = reverse("accounts:password_change")
            if request.path != target and not request.path.startswith(ALLOWED_PREFIXES):
                messages.info(
                    request,
                    _("Mật khẩu của bạn do quản trị viên đặt: hãy chọn mật khẩu riêng trước khi làm việc."),
                )
                return redirect(target)
        return self.get_response(request)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = "/"

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        return response


password_change = PasswordChangeView.as_view()
