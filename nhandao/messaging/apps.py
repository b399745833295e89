from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "nhandao.messaging"
    label = "messaging"
    verbose_name = _("Tin nhắn gửi đi")

    def ready(self):
        from nhandao.core.access import MESSAGING_VIEW
        from nhandao.core.registry import NavItem, add_nav

        add_nav(NavItem(_("Tin nhắn"), "messaging:messages", MESSAGING_VIEW, order=90))
