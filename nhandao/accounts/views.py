from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.core.access import USERS_MANAGE
from nhandao.core.forms import apply_errors
from nhandao.core.pagination import paginate
from nhandao.core.text import normalize
from nhandao.org import access

from . import security, services
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
        {"subject": user, "assignments": assignments, "locked": security.is_locked(user)},
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
