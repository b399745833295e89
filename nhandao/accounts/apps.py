from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "nhandao.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from . import security, twofactor

        security.connect()
        twofactor.connect()
