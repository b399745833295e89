from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "nhandao.org"
    label = "org"
    verbose_name = _("Tổ chức")

    def ready(self):
        from . import search

        search.register()  # the accounts' search list (core.search)
