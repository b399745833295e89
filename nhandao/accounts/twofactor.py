"""Two-factor sign-in (issue 16, point 1) on django-otp: a TOTP device (an authenticator app) and
ten single-use recovery codes (a static device).

* Who must: the holders of a role in `settings.OTP_REQUIRED_ROLES` (by default
  `core.access.SECOND_FACTOR_ROLES`: city administrators, finance officers and approvers,
  inspectors); anyone else may enrol from the user menu, and then must use it too.
* After the password, `SecondFactorMiddleware` sends a session that is not yet verified to the
  verification step (a user with a device) or to the enrolment (a user who must and has none);
  only the pages of those steps, signing out and static files stay open meanwhile.
* A TOTP code counts once (django-otp keeps the last time step used): a replayed code, or one
  from another device, is refused; failures slow down (django-otp's throttling).
* A user manager resets a lost device: every device of the account goes and its sessions end.
* Every step (verified, failed, enrolled, reset) is in the audit trail.
"""

from __future__ import annotations

import base64
import time
from urllib.parse import quote

import django_otp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from nhandao.core import audit, audit_text
from nhandao.core.access import USERS_MANAGE
from nhandao.org import access

from .security import user_sign_out_everywhere

# Set at sign-in: the account has a confirmed device, so this session must verify a code.
HAS_DEVICE = "nhandao_2fa_device"
RECOVERY_CODES = 10


class SecondFactorError(Exception):
    """A code refused; the message is for the user (Vietnamese)."""


def second_factor_required(user) -> bool:
    """Whether the user's roles oblige them to sign in with a second factor (a superuser holds
    every role's powers, so whenever any role must)."""
    required = set(settings.OTP_REQUIRED_ROLES)
    if not required:
        return False
    return user.is_superuser or bool(access.roles_of(user) & required)


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def safe_next(request, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default or resolve_url(settings.LOGIN_REDIRECT_URL)


def on_logged_in(sender, request, user, **kwargs) -> None:
    """Remember in the session whether this sign-in needs a code (one query, at sign-in only)."""
    if request is not None and hasattr(request, "session"):
        request.session[HAS_DEVICE] = has_device(user)


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="nhandao.accounts.twofactor.logged_in")
    audit_text.register_verb("accounts.otp.verified", gettext_lazy("qua bước xác thực hai bước:"))
    audit_text.register_verb("accounts.otp.failed", gettext_lazy("nhập sai mã xác thực hai bước:"))
    audit_text.register_verb("accounts.otp.enrolled", gettext_lazy("bật xác thực hai bước cho"))
    audit_text.register_verb("accounts.otp.reset", gettext_lazy("đặt lại xác thực hai bước của"))


def _audit(action: str, *, actor, user, data=None) -> None:
    with transaction.atomic():
        audit.record(actor=actor, action=action, obj=user, data=data or {})


# Enrolment -----------------------------------------------------------------------------------


PENDING_KEY = "nhandao_2fa_pending_key"


def pending_device(request, user) -> TOTPDevice:
    """The device being enrolled, not saved until its first code is right: its key waits in the
    session (so the QR code stays the same on reload and no row is written by opening the page)."""
    key = request.session.get(PENDING_KEY)
    if not key:
        key = request.session[PENDING_KEY] = default_key()
    return TOTPDevice(user=user, name="nhandao", key=key, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG (no inline style, so the CSP allows it)."""
    import segno  # loaded on first use, like everywhere in nhandao (core/tests/test_import_cycles.py)

    return mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4, border=2))


def base32_key(device: TOTPDevice) -> str:
    raw = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def enrol_confirm(*, request, user, device: TOTPDevice, token: str) -> list[str]:
    """Save the device once its first code is right; make the recovery codes (returned once, never
    shown again); mark the session verified.  Audited."""
    token = (token or "").replace(" ", "").strip()
    if not token.isdigit() or len(token) != device.digits:
        raise SecondFactorError(_("Mã xác thực gồm %(n)d chữ số.") % {"n": device.digits})
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(token), device.tolerance):
        raise SecondFactorError(
            _("Mã xác thực không đúng: kiểm tra giờ của điện thoại, hoặc quét lại mã QR rồi nhập mã mới.")
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device.confirmed = True
        device.last_t = totp.t()  # the code just typed counts once: not again at the next sign-in
        device.drift = totp.drift
        device.save()
        codes = recovery_codes_make(user)
        audit.record(
            actor=user, action="accounts.otp.enrolled", obj=user, data={"recovery_codes": len(codes)}
        )
    request.session.pop(PENDING_KEY, None)
    django_otp.login(request, device)
    request.session[HAS_DEVICE] = True
    return codes


def recovery_codes_make(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


# The demo's authenticator key (README, "Demo logins"): every demo login whose role requires the
# second factor gets a device with it, so a tester adds it once to an authenticator app.  Public on
# purpose: demo data only, never a real installation's.
DEMO_TOTP_KEY_BASE32 = "NZUGC3TEMFXS2ZDFNVXS2MTGMEWWWZLZ"


def demo_devices_seed(usernames) -> list[str]:
    """Give the demo logins that must use a second factor the demo key (seed_demo; deterministic)."""
    User = get_user_model()
    key_hex = base64.b32decode(DEMO_TOTP_KEY_BASE32).hex()
    given = []
    for user in User.objects.filter(username__in=usernames).order_by("username"):
        if second_factor_required(user) and not has_device(user):
            TOTPDevice.objects.create(user=user, name="demo", key=key_hex, confirmed=True)
            given.append(user.username)
    return given


# Verification --------------------------------------------------------------------------------


def _is_replay(device: TOTPDevice, token: int) -> bool:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    now = totp.t()
    for t in range(now - device.tolerance, now + device.tolerance + 1):
        if t <= device.last_t:
            # t() counts the drift: step t is at t0 + (t - drift) steps.  Without it, once the
            # drift moved (a code one step ahead accepted), the next good code looked replayed.
            totp.time = device.t0 + (t - device.drift) * device.step
            if totp.token() == token:
                return True
    return False


def _check(device: TOTPDevice, token: str) -> None:
    token = (token or "").replace(" ", "").strip()
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        raise SecondFactorError(_("Nhập sai quá nhiều lần; hãy chờ một lát rồi thử lại."))
    if not token.isdigit() or len(token) != device.digits:
        device.throttle_increment(commit=True)
        raise SecondFactorError(_("Mã xác thực gồm %(n)d chữ số.") % {"n": device.digits})
    if _is_replay(device, int(token)):
        device.throttle_increment(commit=True)
        raise SecondFactorError(_("Mã này đã được dùng; hãy chờ mã mới trên ứng dụng xác thực."))
    if not device.verify_token(token):
        raise SecondFactorError(
            _("Mã xác thực không đúng (hoặc của một thiết bị khác): kiểm tra ứng dụng xác thực của bạn.")
        )


def verify(*, request, user, token: str) -> None:
    """Check a code from the authenticator, or a recovery code; mark the session verified.
    Audited either way."""
    token = (token or "").strip()
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    static = StaticDevice.objects.filter(user=user, confirmed=True).first()
    try:
        digits = token.replace(" ", "")
        if totp is not None and digits.isdigit() and len(digits) == totp.digits:
            _check(totp, token)
            device, kind = totp, "totp"
        elif static is not None and token:
            allowed, _info = static.verify_is_allowed()
            if not allowed:
                raise SecondFactorError(_("Nhập sai quá nhiều lần; hãy chờ một lát rồi thử lại."))
            if not static.verify_token(token.replace(" ", "").lower()):
                raise SecondFactorError(_("Mã khôi phục không đúng hoặc đã được dùng."))
            device, kind = static, "recovery"
        else:
            raise SecondFactorError(_("Hãy nhập mã 6 chữ số trên ứng dụng xác thực, hoặc một mã khôi phục."))
    except SecondFactorError as exc:
        _audit("accounts.otp.failed", actor=None, user=user, data={"reason": str(exc)[:200]})
        raise
    django_otp.login(request, device)
    data = {"device": kind}
    if kind == "recovery":
        data["recovery_codes_left"] = StaticToken.objects.filter(device=static).count()
    _audit("accounts.otp.verified", actor=user, user=user, data=data)


def otp_reset(*, actor, user) -> int:
    """A user manager removes every device of an account (a lost phone) and ends its sessions; the
    user enrols again at the next sign-in.  Audited."""
    access.require(actor, USERS_MANAGE, everywhere=True)
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        removed += StaticDevice.objects.filter(user=user).delete()[0]
        audit.record(actor=actor, action="accounts.otp.reset", obj=user, data={"deleted": removed})
    user_sign_out_everywhere(actor=actor, user=user)
    return removed


# The gate ------------------------------------------------------------------------------------


class SecondFactorMiddleware:
    """Hold a signed-in but unverified session at the verification or enrolment step."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._open(request.path):
            step = self._step(request, user)
            if step:
                return redirect(f"{reverse(step)}?next={quote(request.get_full_path())}")
        return self.get_response(request)

    @staticmethod
    def _step(request, user) -> str | None:
        if user.is_verified():
            return None
        if request.session.get(HAS_DEVICE):
            return "accounts:otp_verify"
        if second_factor_required(user):
            return "accounts:otp_enrol"
        return None

    @staticmethod
    def _open(path: str) -> bool:
        open_paths = (
            reverse("accounts:otp_verify"),
            reverse("accounts:otp_enrol"),
            reverse("accounts:login"),
            reverse("accounts:logout"),
            reverse("set_language"),
            settings.STATIC_URL,
        )
        return path.startswith(open_paths)
