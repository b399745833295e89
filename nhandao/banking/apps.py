from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BankingConfig(AppConfig):
    name = "nhandao.banking"
    label = "banking"
    verbose_name = _("Ngân hàng, sao kê")

    def ready(self):
        from nhandao.core.access import BANKING_IMPORT
        from nhandao.core.registry import NavItem, add_nav

        add_nav(NavItem(_("Sao kê ngân hàng"), "banking:statement_preview", BANKING_IMPORT, order=60))
