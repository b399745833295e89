from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "nhandao.messaging"
    label = "messaging"
    verbose_name = _("Tin nhắn gửi đi")

    def ready(self):
        from nhandao.core.access import MESSAGING_VIEW
        from nhandao.core.registry import NavItem, add_nav

        add_nav(NavItem(_("Tin nhắn"), "messaging:messages", MESSAGING_VIEW, order=90, group="news"))

        from nhandao.core.subjects import SubjectData, register_subject_data

        from . import subject_data

        register_subject_data(
            SubjectData(
                "messaging",
                _("Tin nhắn gửi đi"),
                subject_data.collect,
                shred=subject_data.shred,
                withdraw=subject_data.withdraw,
                order=50,
            )
        )
