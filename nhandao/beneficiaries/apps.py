from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeneficiariesConfig(AppConfig):
    name = "nhandao.beneficiaries"
    label = "beneficiaries"
    verbose_name = _("Đối tượng trợ giúp")

    def ready(self):
        from . import search

        search.register()  # this app's search list for the search-as-you-type widget (core.search)
        from nhandao.core.access import BENEFICIARIES_STATS, BENEFICIARIES_VIEW
        from nhandao.core.registry import NavItem, add_nav

        # Registers the importer, the counters and the person-merge receiver.
        from . import (  # noqa: F401
            counters,
            importers,
            indicators,
            receivers,
        )

        receivers._register_registry_exclusion()

        add_nav(
            NavItem(_("Trợ giúp nhân đạo"), "beneficiaries:cases", BENEFICIARIES_VIEW, order=30, group="help")
        )
        add_nav(
            NavItem(
                _("Số liệu trợ giúp"), "beneficiaries:statistics", BENEFICIARIES_STATS, order=36, group="help"
            )
        )

        from nhandao.core.subjects import SubjectData, register_subject_data

        from . import subject_data

        register_subject_data(
            SubjectData(
                "beneficiaries",
                _("Hồ sơ trợ giúp nhân đạo"),
                subject_data.collect,
                shred=subject_data.shred,
                withdraw=subject_data.withdraw,
                order=20,
            )
        )
