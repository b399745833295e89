"""The rows of the people list, built in Python (as beneficiaries' case_rows, and for the same
reason: fifty rows through the template engine were a third of a city-scale list page's time)."""

from html import escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from nhandao.core import links
from nhandao.core.formatting import choice_label, masked_id
from nhandao.core.templatetags.nhandao import unit_label

register = template.Library()


@register.simple_tag
def person_rows(people, sensitive=False):
    """<tr> of each person: name (and sex), birth, current roles, unit, phone, ID number (whole
    for those who may see it, masked otherwise)."""
    url = links.url_maker("people:person")
    none = '<span class="muted">—</span>'
    out = []
    for p in people:
        sex = f' <small class="muted">({escape(choice_label(p, "sex"))})</small>' if p.sex else ""
        roles = [
            f'<span class="tag{"" if r.status == "active" else " muted"}">{escape(choice_label(r, "kind"))}</span> '
            for r in getattr(p, "current_roles", ())
        ]
        number = (p.cccd or p.legacy_id_number) if sensitive else masked_id(p.cccd)
        out.append(
            "<tr>"
            f'<td><a href="{url(p.pk)}">{escape(p.full_name)}</a>{sex}</td>'
            f"<td>{escape(p.birth_display)}</td>"
            f"<td>{''.join(roles) or none}</td>"
            f"<td>{conditional_escape(unit_label(p.unit))}</td>"
            f"<td>{escape(p.phone)}</td>"
            f"<td>{escape(str(number or ''))}</td>"
            "</tr>"
        )
    return mark_safe("\n".join(out))  # every value above is escaped
