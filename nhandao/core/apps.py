from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "nhandao.core"
    label = "core"
    verbose_name = _("Hệ thống")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import collation

        connection_created.connect(collation.register_sqlite, dispatch_uid="core.collation.sqlite")
