"""Sign-in hardening: failed sign-ins throttled and locked out per account and per address
(django-axes), every sign-in, failure and lockout in the audit trail, an audited unlock, an idle
timeout for staff sessions and "sign out everywhere".

* Lockout: `AXES_FAILURE_LIMIT` failures (settings, default 5) for one username, or from one
  address, lock it for `AXES_COOLOFF_TIME`; the sign-in page then answers 429 with the Vietnamese
  message of `accounts/locked_out.html`.  A user manager unlocks an account on its page.
* Idle timeout: `IdleTimeoutMiddleware` signs out a session left idle for `SESSION_IDLE_MINUTES`
  (default 30); it writes the session at most once a minute.
* Sign out everywhere: `User.session_epoch` is part of the session hash Django checks on every
  request (`User.get_session_auth_hash`), so raising it ends every session of the user at once.
"""

from __future__ import annotations

import time

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.db.models import F, Sum
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import USERS_MANAGE
from nhandao.org import access

LAST_SEEN = "nhandao_last_seen"


def _client_ip(request) -> str | None:
    return getattr(request, "axes_ip_address", None) or (request.META.get("REMOTE_ADDR") if request else None)


def _record(action: str, *, actor=None, username: str = "", request=None, user=None, data=None) -> None:
    target = user if user is not None else get_user_model().objects.filter(username=username).first()
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=action,
            obj=target,
            data={"username": username, "ip": _client_ip(request), **(data or {})},
        )


def on_logged_in(sender, request, user, **kwargs) -> None:
    if request is not None:
        request.session[LAST_SEEN] = int(time.time())
    _record("accounts.login.succeeded", actor=user, username=user.username, request=request, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    _record("accounts.login.failed", username=str(credentials.get("username", ""))[:150], request=request)


def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    _record("accounts.login.locked_out", username=str(username or "")[:150], request=request)


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="nhandao.accounts.logged_in")
    user_login_failed.connect(on_login_failed, dispatch_uid="nhandao.accounts.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="nhandao.accounts.locked_out")


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page's answer while locked out: Vietnamese, with the wait, status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else None
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def user_unlock(*, actor, user) -> int:
    """Clear the failed sign-ins of an account (and so its lockout); audited."""
    access.require(actor, USERS_MANAGE, everywhere=True)
    removed = axes_reset(username=user.username)
    with transaction.atomic():
        audit.record(
            actor=actor, action="accounts.user.unlocked", obj=user, data={"attempts_cleared": removed}
        )
    return removed


def user_sign_out_everywhere(*, actor, user) -> None:
    """End every session of `user` (the actor's own, or any as a user manager); audited."""
    if actor.pk != user.pk:
        access.require(actor, USERS_MANAGE, everywhere=True)
    with transaction.atomic():
        get_user_model().objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        audit.record(actor=actor, action="accounts.user.signed_out_everywhere", obj=user)


def is_locked(user) -> bool:
    """Whether the account's recorded failures reach the limit (from any address)."""
    failures = AccessAttempt.objects.filter(username=user.username).aggregate(n=Sum("failures_since_start"))[
        "n"
    ]
    return (failures or 0) >= settings.AXES_FAILURE_LIMIT


class IdleTimeoutMiddleware:
    """Sign out a session idle for longer than SESSION_IDLE_MINUTES (0 turns it off)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = getattr(settings, "SESSION_IDLE_MINUTES", 0) * 60
        user = getattr(request, "user", None)
        if limit and user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            if last is not None and now - last > limit:
                logout(request)
                messages.info(
                    request, _("Phiên làm việc đã hết hạn vì lâu không thao tác; hãy đăng nhập lại.")
                )
                return redirect(f"{resolve_url(settings.LOGIN_URL)}?next={request.path}")
            if last is None or now - last >= 60:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
