from django import forms
from django.utils.translation import gettext_lazy as _

from . import purposes
from .models import Channel, Status


class MessageFilterForm(forms.Form):
    q = forms.CharField(label=_("Tên người nhận"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    channel = forms.ChoiceField(label=_("Kênh"), required=False)
    purpose = forms.ChoiceField(label=_("Loại tin"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Tất cả"))]
        self.fields["status"].choices = everything + list(Status.choices)
        self.fields["channel"].choices = everything + list(Channel.choices)
        self.fields["purpose"].choices = everything + purposes.choices()
