from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BankingConfig(AppConfig):
    name = "nhandao.banking"
    label = "banking"
    verbose_name = _("Ngân hàng, sao kê")

    def ready(self):
        from nhandao.core.access import FUNDS_VIEW
        from nhandao.core.registry import NavItem, add_nav
        from nhandao.funds import ledger

        from .services.periods import refuse_postings_in_locked_period

        # The list of bank accounts opens with funds.view (statements need banking.view on the unit).
        add_nav(NavItem(_("Ngân hàng"), "banking:accounts", FUNDS_VIEW, order=60))
        # A period reconciled against the statement and locked refuses postings dated in it.
        ledger.add_posting_check(refuse_postings_in_locked_period)
