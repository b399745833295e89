from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovementsConfig(AppConfig):
    name = "nhandao.movements"
    label = "movements"
    verbose_name = _("Phong trào, thi đua")

    def ready(self):
        from nhandao.core.access import MOVEMENTS_VIEW
        from nhandao.core.registry import NavItem, add_nav

        from . import importers  # noqa: F401  (registers the targets importer)

        add_nav(
            NavItem(_("Phong trào, thi đua"), "movements:list", MOVEMENTS_VIEW, order=47, group="members")
        )
