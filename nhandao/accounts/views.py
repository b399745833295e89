from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.core.access import USERS_MANAGE
from nhandao.core.forms import apply_errors
from nhandao.core.pagination import paginate
from nhandao.core.text import normalize
from nhandao.org import access

from . import security, services, twofactor
from .forms import UserCreateForm


@login_required
def user_list(request):
    access.require(request.user, USERS_MANAGE)
    query = request.GET.get("q", "").strip()[:100]
    qs = get_user_model().objects.all()
    if query:
        qs = qs.filter(search_key__contains=normalize(query))
    return render(
        request,
        "accounts/user_list.html",
        {"page": paginate(request, qs.order_by("username")), "query": query},
    )


@login_required
def user_detail(request, pk):
    access.require(request.user, USERS_MANAGE)
    user = get_object_or_404(get_user_model(), pk=pk)
    assignments = user.role_assignments.select_related("unit", "agency").order_by("-valid_from")
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "assignments": assignments,
            "locked": security.is_locked(user),
            "has_second_factor": twofactor.has_device(user),
        },
    )


@login_required
@require_POST
def user_unlock(request, pk):
    access.require(request.user, USERS_MANAGE)
    user = get_object_or_404(get_user_model(), pk=pk)
    security.user_unlock(actor=request.user, user=user)
    messages.success(request, _("Đã mở khóa đăng nhập cho %(user)s.") % {"user": user.username})
    return redirect("accounts:user", pk=user.pk)


@login_required
@require_POST
def user_sign_out_everywhere(request, pk):
    """A user manager ends every session of an account (a lost phone, a leaver)."""
    access.require(request.user, USERS_MANAGE)
    user = get_object_or_404(get_user_model(), pk=pk)
    security.user_sign_out_everywhere(actor=request.user, user=user)
    messages.success(request, _("Đã đăng xuất %(user)s khỏi mọi thiết bị.") % {"user": user.username})
    if user.pk == request.user.pk:
        return redirect("accounts:login")
    return redirect("accounts:user", pk=user.pk)


@login_required
@require_POST
def sign_out_everywhere(request):
    """Sign out of every device, this one included."""
    security.user_sign_out_everywhere(actor=request.user, user=request.user)
    logout(request)
    messages.success(request, _("Bạn đã đăng xuất khỏi mọi thiết bị."))
    return redirect("accounts:login")


@login_required
def user_create(request):
    access.require(request.user, USERS_MANAGE)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # A password the administrator chose: its user replaces it at the first sign-in.
            user = services.user_create(actor=request.user, must_change_password=True, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo tài khoản %(user)s.") % {"user": user.username})
            return redirect("accounts:user", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


# Two-factor sign-in (nhandao.accounts.twofactor) ---------------------------------------------


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


@login_required
def otp_verify(request):
    """The step after the password: a code from the authenticator, or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(twofactor.safe_next(request))
    if not twofactor.has_device(user):
        request.session[twofactor.HAS_DEVICE] = False
        return redirect(twofactor.safe_next(request))
    error = ""
    if request.method == "POST":
        try:
            twofactor.verify(request=request, user=user, token=request.POST.get("code", ""))
        except twofactor.SecondFactorError as exc:
            error = str(exc)
        else:
            return redirect(twofactor.safe_next(request))
    return _no_store(
        render(
            request,
            "accounts/otp_verify.html",
            {"error": error, "next": twofactor.safe_next(request)},
            status=400 if error else 200,
        )
    )


@login_required
def otp_enrol(request):
    """Turn on two-factor sign-in: scan the QR code, type the first code, keep the recovery codes."""
    user = request.user
    if twofactor.has_device(user):
        if not user.is_verified():
            return redirect(f"{reverse('accounts:otp_verify')}?next={quote(twofactor.safe_next(request))}")
        return render(request, "accounts/otp_enrol.html", {"enrolled": True})
    device = twofactor.pending_device(request, user)
    error = ""
    if request.method == "POST":
        try:
            codes = twofactor.enrol_confirm(
                request=request, user=user, device=device, token=request.POST.get("code", "")
            )
        except twofactor.SecondFactorError as exc:
            error = str(exc)
        else:
            return _no_store(
                render(
                    request,
                    "accounts/otp_codes.html",
                    {"codes": codes, "next": twofactor.safe_next(request)},
                )
            )
    return _no_store(
        render(
            request,
            "accounts/otp_enrol.html",
            {
                "qr": twofactor.qr_svg(device),
                "key": twofactor.base32_key(device),
                "error": error,
                "required": twofactor.second_factor_required(user),
                "next": twofactor.safe_next(request),
            },
            status=400 if error else 200,
        )
    )


@login_required
@require_POST
def user_otp_reset(request, pk):
    """A user manager removes a lost authenticator: the user enrols again at the next sign-in."""
    access.require(request.user, USERS_MANAGE)
    user = get_object_or_404(get_user_model(), pk=pk)
    twofactor.otp_reset(actor=request.user, user=user)
    messages.success(
        request,
        _("Đã xóa thiết bị xác thực hai bước của %(user)s; lần đăng nhập tới sẽ đăng ký lại.")
        % {"user": user.username},
    )
    if user.pk == request.user.pk:
        return redirect("accounts:login")
    return redirect("accounts:user", pk=user.pk)
