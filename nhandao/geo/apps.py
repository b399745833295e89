from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "nhandao.geo"
    label = "geo"
    verbose_name = _("Đơn vị hành chính")

    def ready(self):
        from . import search

        search.register()  # the communes' search list (core.search)
