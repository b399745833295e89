"""The blood module's hooks, registered in ready(); imports there and in `_donor_links` are inside
functions because the app registry is not loaded when apps.py is imported."""

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
        from nhandao.messaging.services import register_producer
        from nhandao.people.selectors import register_foreign_link

        from . import importers, indicators, messages  # noqa: F401  (register the results importer, the indicators)
        from .models import Registration

        add_nav(NavItem(_("Hiến máu"), "blood:drives", BLOOD_VIEW, order=45, group="members"))
        add_public_link(PublicLink(_("Đăng ký hiến máu"), "blood:public_drives", order=20))
        # Registration codes come from the same alphabet as campaign and pledge codes: one code
        # names one thing across the installation.
        refcodes.register_owner(lambda code: Registration.objects.filter(code=code).exists())
        # Blood donors and pledgers stay out of the people registry's lists unless they hold a
        # registry role: their details live here, under the blood module's access rules.
        register_foreign_link(_donor_links)
        # Reminders and drive notices go out through the one outgoing-message service.
        messages.register()
        register_producer("blood.donor_reminders", messages.produce)

        from nhandao.core.subjects import SubjectData, register_subject_data

        from . import subject_data

        register_subject_data(
            SubjectData(
                "blood",
                _("Hiến máu tình nguyện"),
                subject_data.collect,
                shred=subject_data.shred,
                withdraw=subject_data.withdraw,
                order=40,
            )
        )


def _donor_links():
    from django.db.models import Exists, OuterRef

    from .models import Donor, OrganPledge

    return Exists(Donor.objects.filter(person=OuterRef("pk"))) | Exists(
        OrganPledge.objects.filter(person=OuterRef("pk"))
    )
