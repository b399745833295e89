"""Template filters available in every template (registered as builtins)."""

from django import template
from django.utils.html import format_html
from django.utils.http import urlencode

from nhandao.core import audit_text, formatting, forms, jobs, links
from nhandao.core import money as amounts
from nhandao.core.pagination import query_without_page

register = template.Library()


@register.filter
def money(value):
    """{{ 1250000|money }} -> 1.250.000 ₫"""
    try:
        return amounts.format_amount(None if value in (None, "") else int(value))
    except (TypeError, ValueError):
        return ""


@register.filter
def number(value):
    try:
        return amounts.format_number(None if value in (None, "") else int(value))
    except (TypeError, ValueError):
        return ""


@register.filter
def event_sentence(event):
    """{{ event|event_sentence }}: who did what to which record (core.audit_text)."""
    return audit_text.sentence(event)


@register.filter
def event_changes(event):
    """{% for c in event|event_changes %}{{ c.label }}: {{ c.before }} → {{ c.after }}{% endfor %}"""
    return audit_text.changes(event)


@register.filter
def vndate(value):
    return formatting.date(value) if value else ""


@register.filter
def docdate(value):
    """'ngày 05 tháng 02 năm 2026', the date of an official document (Decree 30/2020)."""
    return formatting.long_date(value) if value else ""


@register.filter
def vndatetime(value):
    return formatting.datetime(value) if value else ""


@register.simple_tag(takes_context=True)
def page_url(context, page_number):
    request = context["request"]
    rest = query_without_page(request)
    return "?" + (f"{rest}&" if rest else "") + urlencode({"page": page_number})


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def masked_id(value):
    """{{ '031185000123'|masked_id }} -> 0311••••••23 (ID numbers for roles without access)."""
    return formatting.masked_id(value)


@register.simple_tag
def job_waits_for_worker(job):
    """{% job_waits_for_worker job as no_worker %}: the job waits and no worker was seen lately."""
    return jobs.waits_for_worker(job)


@register.filter
def label(obj, field_name):
    """{{ p|label:"sex" }}: the choice's label, as p.get_sex_display gives it (core.formatting)."""
    return formatting.choice_label(obj, field_name)


@register.filter
def link(pk, name):
    """{{ p.pk|link:"people:person" }}: the record's URL, as {% url name pk %} gives it, without a
    reverse() per row (core.links)."""
    return links.url_of(name, pk)


@register.filter
def unit_label(unit):
    """A unit's name; a branch or group also names its parent ("Chi hội TDP số 1 · Hội CTĐ phường Lê
    Chân"), as city-wide lists need (select_related the unit's parent to keep one query)."""
    if unit is None:
        return ""
    if getattr(unit, "kind", "") in ("branch", "group") and getattr(unit, "parent_id", None):
        return format_html('{} <small class="muted">· {}</small>', unit.name, unit.parent.name)
    return unit.name


@register.simple_tag(takes_context=True)
def form_ready(context, form):
    """{% form_ready form %} in the shared form include: the only choice preselected, hints tied
    to their field, search widgets told who asks (core.forms.form_ready).  Renders nothing."""
    if form is not None and hasattr(form, "fields"):
        request = context.get("request")
        forms.form_ready(form, getattr(request, "user", None))
    return ""
