from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "nhandao.privacy"
    label = "privacy"
    verbose_name = _("Bảo vệ dữ liệu cá nhân")

    def ready(self):
        from nhandao.core.access import PRIVACY_VIEW, TRACING_VIEW
        from nhandao.core.registry import NavItem, PublicLink, add_nav, add_public_link

        add_nav(NavItem(_("Dữ liệu cá nhân"), "privacy:requests", PRIVACY_VIEW, order=95, group="admin"))
        add_nav(
            NavItem(_("Tìm kiếm thân nhân"), "privacy:tracing_cases", TRACING_VIEW, order=96, group="help")
        )
        add_public_link(PublicLink(_("Yêu cầu về dữ liệu cá nhân"), "privacy:public_request", order=90))
