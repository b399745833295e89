from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhandao.core.access import RELIEF_MANAGE
from nhandao.org import access
from nhandao.org.forms import DATE_WIDGET, UnitNameChoiceField, unit_choices
from nhandao.org.models import Unit, UnitKind
from nhandao.people.models import Club, Person
from nhandao.people.selectors import visible_people

from ..models import READINESS_ITEMS, AffectedCommune, Capability, IncidentKind, ResponseTeam
from ..selectors_preparedness import team_candidates


class NameChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.unit.name})" if hasattr(obj, "unit") else obj.name


class TeamChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: ResponseTeam) -> str:
        return f"{obj.club.name} ({obj.unit.name})"


def _communes(user, perm: str):
    return access.scope(user, perm).units().active().filter(kind=UnitKind.COMMUNE).order_by("name")


def _teams(user):
    return (
        access.in_scope(user, RELIEF_MANAGE, ResponseTeam.objects.filter(is_active=True))
        .select_related("club", "unit")
        .order_by("club__name")
    )


class TeamForm(forms.Form):
    club = NameChoice(label=_("Đội trong sổ hội viên, tình nguyện viên"), queryset=Club.objects.none())
    capabilities = forms.MultipleChoiceField(
        label=_("Năng lực"), choices=Capability.choices, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["club"].queryset = team_candidates(user, RELIEF_MANAGE)


class HazardAreaForm(forms.Form):
    commune = UnitNameChoiceField(label=_("Xã, phường, đặc khu"), queryset=Unit.objects.none())
    hazards = forms.MultipleChoiceField(
        label=_("Loại thiên tai"), choices=IncidentKind.choices, widget=forms.CheckboxSelectMultiple
    )
    households_at_risk = forms.IntegerField(label=_("Số hộ có nguy cơ"), required=False, min_value=0)
    places = forms.CharField(label=_("Khu vực xung yếu"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = _communes(user, RELIEF_MANAGE)


class DrillForm(forms.Form):
    unit = UnitNameChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    held_on = forms.DateField(label=_("Ngày diễn tập"), initial=timezone.localdate, widget=DATE_WIDGET)
    scenario = forms.CharField(label=_("Tình huống"), max_length=200)
    team = TeamChoice(label=_("Đội"), queryset=ResponseTeam.objects.none(), required=False)
    participants = forms.IntegerField(label=_("Số người tham gia"), min_value=0, initial=0)
    note = forms.CharField(
        label=_("Ghi chú, bài học"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user, RELIEF_MANAGE)
        self.fields["team"].queryset = _teams(user)


class ReadinessForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("Nội dung đã sẵn sàng"),
        choices=READINESS_ITEMS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    checked_on = forms.DateField(label=_("Ngày rà soát"), initial=timezone.localdate, widget=DATE_WIDGET)
    note = forms.CharField(
        label=_("Ghi chú"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


class DeploymentForm(forms.Form):
    unit = UnitNameChoiceField(label=_("Đơn vị điều động"), queryset=Unit.objects.none())
    commune = UnitNameChoiceField(label=_("Đến xã, phường, đặc khu"), queryset=Unit.objects.none())
    team = TeamChoice(label=_("Đội"), queryset=ResponseTeam.objects.none(), required=False)
    people = PersonChoices(
        label=_("Tình nguyện viên"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Để trống để điều động cả đội."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    task = forms.CharField(label=_("Nhiệm vụ"), max_length=300)
    starts_on = forms.DateField(label=_("Từ ngày"), initial=timezone.localdate, widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, user, incident, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user, RELIEF_MANAGE)
        self.fields["commune"].queryset = Unit.objects.filter(
            pk__in=AffectedCommune.objects.filter(incident=incident).values("commune_id")
        ).order_by("name")
        self.fields["team"].queryset = _teams(user)
        # Volunteers in the user's scope (a select of the people registry; large units type a name).
        self.fields["people"].queryset = Person.objects.filter(
            pk__in=visible_people(user).filter(roles__kind="volunteer").values("pk")
        ).order_by("sort_key")


class HoursForm(forms.Form):
    date = forms.DateField(label=_("Ngày"), initial=timezone.localdate, widget=DATE_WIDGET)
