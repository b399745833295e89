from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from nhandao.core.text import search_key


class User(AbstractUser):
    """A person who logs in.  Vietnamese names are kept whole, family name first."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    search_key = models.CharField(max_length=300, blank=True, db_index=True, editable=False)
    # Raised by "sign out everywhere": part of the session hash, so every session ends at once.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    # Set when an administrator chooses the password (a new user): the user must choose their own
    # at the first sign-in (accounts.password_first.MustChangePasswordMiddleware).
    must_change_password = models.BooleanField(
        _("phải đổi mật khẩu khi đăng nhập"), default=False, editable=False
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["username"]

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.full_name, self.username, self.email)
        super().save(*args, **kwargs)

    def _get_session_auth_hash(self, secret=None) -> str:
        """Django's hash of the password, with the session epoch mixed in: a new password or a raised
        epoch ends every session of the user (SECRET_KEY_FALLBACKS still apply)."""
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            f"{self.password}:{self.session_epoch}" if self.session_epoch else self.password,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[-1] if self.full_name else self.username

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})" if self.full_name else self.username
