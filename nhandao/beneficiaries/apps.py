from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeneficiariesConfig(AppConfig):
    name = "nhandao.beneficiaries"
    label = "beneficiaries"
    verbose_name = _("Đối tượng trợ giúp")
