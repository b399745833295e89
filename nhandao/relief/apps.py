from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReliefConfig(AppConfig):
    name = "nhandao.relief"
    label = "relief"
    verbose_name = _("Thiên tai và cứu trợ")

    def ready(self):
        from nhandao.core.access import RELIEF_VIEW
        from nhandao.core.registry import NavItem, add_nav

        add_nav(NavItem(_("Thiên tai, cứu trợ"), "relief:incidents", RELIEF_VIEW, order=35, group="help"))
