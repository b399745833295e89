from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "nhandao.people"
    label = "people"
    verbose_name = _("Hội viên, tình nguyện viên")

    def ready(self):
        from . import search

        search.register()  # this app's search list for the search-as-you-type widget (core.search)
        from nhandao.core.access import PEOPLE_VIEW
        from nhandao.core.registry import NavItem, add_nav

        from . import (  # noqa: F401  (registers the importer, the counters, the report indicators)
            counters,
            importers,
            indicators,
        )

        add_nav(NavItem(_("Hội viên, TNV"), "people:list", PEOPLE_VIEW, order=20, group="members"))

        from nhandao.core.subjects import SubjectData, register_subject_data

        from . import subject_data

        register_subject_data(
            SubjectData(
                "people",
                _("Hội viên, tình nguyện viên"),
                subject_data.collect,
                shred=subject_data.shred,
                order=10,
            )
        )
