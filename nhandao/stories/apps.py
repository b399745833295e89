from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "nhandao.stories"
    label = "stories"
    verbose_name = _("Tin bài, gương người tốt việc thiện, trường học")

    def ready(self):
        from nhandao.core.access import SCHOOLS_VIEW, STORIES_VIEW
        from nhandao.core.registry import (
            FrontSection,
            NavItem,
            PublicLink,
            add_nav,
            add_public_link,
            register_front_section,
        )

        from . import selectors

        add_nav(NavItem(_("Tin bài"), "stories:list", STORIES_VIEW, order=70, group="news"))
        add_nav(
            NavItem(_("Chữ thập đỏ trường học"), "stories:schools", SCHOOLS_VIEW, order=71, group="members")
        )
        add_public_link(PublicLink(_("Tin tức, gương người tốt việc thiện"), "portal:stories", order=20))
        register_front_section(
            FrontSection(
                "stories.latest",
                _("Tin tức, gương người tốt việc thiện"),
                "stories/front/_stories.html",
                selectors.front_latest,
                order=20,
            )
        )
