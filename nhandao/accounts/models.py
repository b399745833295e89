from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from nhandao.core.text import search_key


class User(AbstractUser):
    """A person who logs in.  Vietnamese names are kept whole, family name first."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    search_key = models.CharField(max_length=300, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["username"]

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.full_name, self.username, self.email)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[-1] if self.full_name else self.username

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})" if self.full_name else self.username
