from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "nhandao.plans"
    label = "plans"
    verbose_name = _("Kế hoạch và báo cáo")

    def ready(self):
        from nhandao.core.access import PLANS_AGENCY_REPORT, PLANS_VIEW
        from nhandao.core.registry import NavItem, add_nav
        from nhandao.messaging.services import register_producer

        from . import messages, reminders

        add_nav(NavItem(_("Kế hoạch, báo cáo"), "plans:rounds", PLANS_VIEW, order=40, group="plans"))
        add_nav(
            NavItem(_("Báo cáo của cơ quan"), "plans:reports", PLANS_AGENCY_REPORT, order=41, group="plans")
        )
        # The leaders' dashboard: the city's and communes' (plans.view), the agencies' (their reporters).
        add_nav(NavItem(_("Bảng điều hành"), "plans:dashboard", PLANS_VIEW, order=39, group="plans"))
        add_nav(
            NavItem(
                _("Bảng điều hành của cơ quan"),
                "plans:dashboard",
                PLANS_AGENCY_REPORT,
                order=42,
                group="plans",
            )
        )
        add_nav(
            NavItem(_("Kiểm tra, giám sát"), "plans:inspection_plans", PLANS_VIEW, order=43, group="plans")
        )
        # Deadline reminders go out through the one outgoing-message service, daily.
        reminders.register_sender(messages.send_reminder)
        register_producer("plans.deadline_reminders", messages.produce)
