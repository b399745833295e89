"""The funds app's hooks, registered in ready(); imports there and in `_donor_links` are inside
functions because the app registry is not loaded when apps.py is imported."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "nhandao.funds"
    label = "funds"
    verbose_name = _("Quỹ nhân đạo")

    def ready(self):
        from django.db.backends.signals import connection_created

        from nhandao.beneficiaries.api import register_source_link
        from nhandao.campaigns.views import register_detail_context
        from nhandao.core import refcodes
        from nhandao.core.access import FUNDS_VIEW
        from nhandao.core.registry import NavItem, add_nav
        from nhandao.people.selectors import register_foreign_link

        from . import (
            indicators,  # noqa: F401  (the plan reports' figures, core.indicators)
            selectors,  # (also registers the unit counters)
        )
        from .campaign_page import campaign_money
        from .guards import sqlite_ledger_guard
        from .services._common import pledge_code_taken

        add_nav(NavItem(_("Quỹ"), "funds:funds", FUNDS_VIEW, order=30, group="money"))
        # The list of bank accounts opens with funds.view (statements need banking.view on the unit).
        add_nav(NavItem(_("Ngân hàng"), "funds:bank_accounts", FUNDS_VIEW, order=60, group="money"))
        register_foreign_link(_donor_links)
        # Help records made by an approved payment link back to it for those who may see it.
        register_source_link("funds.disbursement", selectors.disbursement_source_links)
        refcodes.register_owner(pledge_code_taken)
        register_detail_context(campaign_money)
        connection_created.connect(sqlite_ledger_guard, dispatch_uid="nhandao.funds.sqlite_ledger_guard")

        from nhandao.core.subjects import SubjectData, register_subject_data

        from . import subject_data

        register_subject_data(
            SubjectData(
                "funds",
                _("Quỹ nhân đạo"),
                subject_data.collect,
                shred=subject_data.shred,
                blockers=subject_data.blockers,
                remaining=subject_data.remaining,
                order=30,
            )
        )


def _donor_links():
    """Registered donors stay out of the people registry unless they hold a registry role."""
    from django.db.models import Exists, OuterRef

    from .models import Donor

    return Exists(Donor.objects.filter(person=OuterRef("pk")))
