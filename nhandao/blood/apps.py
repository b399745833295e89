from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BloodConfig(AppConfig):
    name = "nhandao.blood"
    label = "blood"
    verbose_name = _("Hiến máu tình nguyện")

    def ready(self):
        from nhandao.core import refcodes
        from nhandao.core.access import BLOOD_VIEW
        from nhandao.core.registry import NavItem, PublicLink, add_nav, add_public_link

        from . import importers  # noqa: F401  (registers the results importer)
        from .models import Registration

        add_nav(NavItem(_("Hiến máu"), "blood:drives", BLOOD_VIEW, order=45))
        add_public_link(PublicLink(_("Đăng ký hiến máu"), "blood:public_drives", order=20))
        # Registration codes come from the same alphabet as campaign and pledge codes: one code
        # names one thing across the installation.
        refcodes.register_owner(lambda code: Registration.objects.filter(code=code).exists())
