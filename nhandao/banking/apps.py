from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BankingConfig(AppConfig):
    name = "nhandao.banking"
    label = "banking"
    verbose_name = _("Ngân hàng, sao kê")

    def ready(self):
        from . import search

        search.register()  # this app's search list for the search-as-you-type widget (core.search)
        from nhandao.funds import ledger
        from nhandao.funds.views_bank_accounts import register_account_links, register_page_links

        from .account_page import account_links, page_links
        from .services.periods import refuse_postings_in_locked_period

        # The fund's list of bank accounts shows each account's statements, queue and VietQR code.
        register_account_links(account_links)
        register_page_links(page_links)
        # A period reconciled against the statement and locked refuses postings dated in it.
        ledger.add_posting_check(refuse_postings_in_locked_period)
