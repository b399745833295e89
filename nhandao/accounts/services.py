from __future__ import annotations

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nhandao.core import audit
from nhandao.core.access import USERS_MANAGE
from nhandao.core.text import clean_spaces
from nhandao.org import access


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    full_name: str,
    password: str,
    email: str = "",
    phone: str = "",
    is_superuser: bool = False,
    must_change_password: bool = False,
):
    """`must_change_password`: the administrator typed the password (the user-creation page), so the
    user replaces it at the first sign-in; seeds and imports leave it off."""
    access.require(actor, USERS_MANAGE)
    User = get_user_model()
    username = (username or "").strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Tên đăng nhập “%(name)s” đã được dùng.") % {"name": username}})
    user = User(
        username=username,
        full_name=clean_spaces(full_name),
        email=(email or "").strip(),
        phone=clean_spaces(phone),
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    user.full_clean(exclude=["password"])
    if password:
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.must_change_password = must_change_password
    else:
        user.set_unusable_password()
    user.save()
    audit.record(
        actor=actor,
        action="accounts.user.created",
        obj=user,
        changes=audit.created(
            user,
            exclude=("id", "search_key", "password", "last_login", "date_joined", "must_change_password"),
        ),
    )
    return user


@transaction.atomic
def user_set_active(*, actor, user, active: bool):
    access.require(actor, USERS_MANAGE)
    before = audit.snapshot(user, ["is_active"])
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action="accounts.user.activated" if active else "accounts.user.deactivated",
        obj=user,
        changes=audit.diff(before, audit.snapshot(user, ["is_active"])),
    )
    return user
