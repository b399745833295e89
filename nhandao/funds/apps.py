from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "nhandao.funds"
    label = "funds"
    verbose_name = _("Quỹ nhân đạo")

    def ready(self):
        from django.db.backends.signals import connection_created

        from nhandao.core.access import FUNDS_VIEW
        from nhandao.core.registry import NavItem, add_nav

        from . import selectors  # noqa: F401  (registers the unit counters)
        from .guards import sqlite_ledger_guard

        add_nav(NavItem(_("Quỹ"), "funds:funds", FUNDS_VIEW, order=30))
        add_nav(NavItem(_("Ủng hộ"), "funds:donations", FUNDS_VIEW, order=31))
        add_nav(NavItem(_("Chi, duyệt chi"), "funds:disbursements", FUNDS_VIEW, order=32))
        connection_created.connect(sqlite_ledger_guard, dispatch_uid="nhandao.funds.sqlite_ledger_guard")
