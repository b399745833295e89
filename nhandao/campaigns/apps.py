from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "nhandao.campaigns"
    label = "campaigns"
    verbose_name = _("Cuộc vận động")

    def ready(self):
        from nhandao.core import refcodes
        from nhandao.core.access import CAMPAIGNS_VIEW
        from nhandao.core.registry import NavItem, add_nav

        from .selectors import code_taken

        add_nav(NavItem(_("Cuộc vận động"), "campaigns:list", CAMPAIGNS_VIEW, order=29, group="money"))
        refcodes.register_owner(code_taken)
