from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .search import SearchSelect


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# Forms that think (issue 15, point 5) ------------------------------------------------------------
# Applied to every form rendered by the shared include (templates/_form.html, `{% form_ready form %}`):
# the only possible choice preselected, hints tied to their field.  Fields that apply to one
# choice only carry `data-show-when` (see `show_when`), read by static/nhandao/forms.js.

ONLY_CHOICE_NOTE = _("Chỉ có một lựa chọn nên đã được chọn sẵn.")

# A list longer than this is searched, not scrolled: a city's 115 units or its 460 branches.
LONG_LIST = 40


def search_long_lists(form: forms.BaseForm) -> list[str]:
    """Turn each long select into its search list: a model choice field that names a search source
    (`field.search_source`, an attribute or a property of the field) and offers more than LONG_LIST
    choices gets that source's SearchSelect; a short one stays a select.  The field's queryset
    stays the judge of what is sent.  Returns the fields changed."""
    changed = []
    for name, field in form.fields.items():
        if (
            not isinstance(field, forms.ModelChoiceField)
            or isinstance(field, forms.ModelMultipleChoiceField)
            or type(field.widget) is not forms.Select
            or field.queryset is None
            or not getattr(field, "search_source", None)  # before counting: a query per field
            or field.queryset[: LONG_LIST + 1].count() <= LONG_LIST
        ):
            continue
        source = field.search_source
        attrs = {k: v for k, v in field.widget.attrs.items() if k != "aria-label" or not field.label}
        field.widget = SearchSelect(source, attrs=attrs)
        field.widget.is_required = field.required
        changed.append(name)
    return changed


def _only_value(field: forms.ChoiceField):
    """The value of the field's single real choice, or None (none, several, or groups)."""
    if isinstance(field, forms.ModelChoiceField):
        if field.queryset is None:
            return None
        first_two = list(field.queryset[:2])
        return field.prepare_value(first_two[0]) if len(first_two) == 1 else None
    values = []
    for value, label in field.choices:
        if isinstance(label, (list, tuple)):
            return None  # grouped choices: leave the user to read them
        if value not in ("", None):
            values.append(value)
    return values[0] if len(values) == 1 else None


def preselect_only_choices(form: forms.BaseForm) -> list[str]:
    """Preselect each select whose only real choice is the answer, and say so under it.

    Required selects are preselected; an optional one only when the form names it in
    `preselect_optional` (the donation's fund: optional because a unit can stand for it, yet the
    unit's only fund is the answer).  A bound form keeps what the user sent; a value the view put in
    `initial` is kept.  The blank choice goes: a list of one is no choice.  Returns the fields set.
    """
    if form.is_bound:
        return []
    optional = set(getattr(form, "preselect_optional", ()))
    chosen = []
    for name, field in form.fields.items():
        if (
            not isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            or isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField)
            or type(field.widget) is not forms.Select  # radios, hidden inputs, search widgets
            or field.disabled
            or (not field.required and name not in optional)
            or form.get_initial_for_field(field, name) not in (None, "")
        ):
            continue
        value = _only_value(field)
        if value is None:
            continue
        form.initial = {**form.initial, name: value}
        if isinstance(field, forms.ModelChoiceField):
            field.empty_label = None
        else:
            field.choices = [(v, label) for v, label in field.choices if v not in ("", None)]
        field.help_text = (
            format_lazy("{} {}", field.help_text, ONLY_CHOICE_NOTE) if field.help_text else ONLY_CHOICE_NOTE
        )
        chosen.append(name)
    return chosen


def describe_fields(form: forms.BaseForm) -> None:
    """Tie each visible field to its hint and its errors (aria-describedby), as the include shows them."""
    for bound in form.visible_fields():
        ids = []
        if bound.errors:
            ids.append(f"{bound.id_for_label}-error")
        if bound.help_text:
            ids.append(f"{bound.id_for_label}-help")
        attrs = bound.field.widget.attrs
        if ids and bound.id_for_label:
            attrs["aria-describedby"] = " ".join(ids)
        if bound.errors:
            attrs["aria-invalid"] = "true"


def form_ready(form: forms.BaseForm, user=None) -> forms.BaseForm:
    """What the shared include does to a form before showing it; `user` lets a search widget show
    a sent value by its label where the user may see it."""
    search_long_lists(form)
    preselect_only_choices(form)
    describe_fields(form)
    for field in form.fields.values():
        if isinstance(field.widget, SearchSelect) and field.widget.user is None:
            field.widget.user = user
    return form


def show_when(form: forms.BaseForm, **rules: str) -> None:
    """Show a field only when another field has one of some values, e.g.
    `show_when(form, bank_account="channel=bank", original_amount="currency!=VND")`.

    The rule travels as `data-show-when` on the widget; static/nhandao/forms.js hides the field's
    label (and so its hint) while the rule does not hold.  Without script every field shows, and
    validation stays the server's: a hidden field's value is sent and judged as before.
    """
    for name, rule in rules.items():
        if name in form.fields:
            form.fields[name].widget.attrs["data-show-when"] = rule
