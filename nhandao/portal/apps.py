from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "nhandao.portal"
    label = "portal"
    verbose_name = _("Công khai, minh bạch")

    def ready(self):
        from nhandao.core.registry import PublicLink, add_public_link

        add_public_link(PublicLink(_("Công khai, minh bạch: mọi đồng thu, chi"), "portal:home", order=10))

        from . import front

        front.register_sections()
