from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BankingConfig(AppConfig):
    name = "nhandao.banking"
    label = "banking"
    verbose_name = _("Ngân hàng, sao kê")
