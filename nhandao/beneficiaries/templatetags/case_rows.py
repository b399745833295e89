"""The rows of the case list, built in Python.

Fifty rows through the template engine cost a city-scale list page a third of its time (about a
thousand function calls a row: every variable, filter and translation is a node); the same HTML
built here with every value escaped costs a tenth of that.  The row's layout is the list's
(case_list.html keeps the table's head, the filters and the pagination).
"""

from html import escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from nhandao.beneficiaries.models import Case
from nhandao.core.formatting import choice_label
from nhandao.core.formatting import date as vndate
from nhandao.core.templatetags.nhandao import unit_label

register = template.Library()


@register.simple_tag
def case_rows(cases, bulk=False):
    """<tr> of each case: the checkbox (bulk steps), head or "not shared" and size, file number,
    current categories, status, address (the street only where details are visible), unit, last
    help."""
    url = Case.url_maker()
    hidden = f'<span class="muted">{escape(_("(chưa đồng ý chia sẻ thông tin)"))}</span>'
    people = escape(_("khẩu"))
    none = '<span class="muted">—</span>'
    out = []
    for c in cases:
        number = escape(c.number)
        cells = []
        if bulk:
            cells.append(f'<td><input type="checkbox" name="ids" value="{c.pk}" aria-label="{number}"></td>')
        name = escape(c.head.full_name) if c.details_visible else hidden
        size = ""
        if c.kind == "household":
            size = (
                f' <small class="muted">({escape(str(c.household_size or c.member_count))} {people})</small>'
            )
        cells.append(f'<td><a href="{url(c.pk)}">{name}</a>{size}</td>')
        cells.append(f'<td class="nowrap">{number}</td>')
        tags = [
            f'<span class="tag">{escape(cc.category.name)}{f" {cc.evidence_year}" if cc.evidence_year else ""}</span> '
            for cc in getattr(c, "current_categories", ())
        ]
        cells.append(f"<td>{''.join(tags) or none}</td>")
        cells.append(f"<td>{escape(choice_label(c, 'status'))}</td>")
        street = f"{escape(c.address_detail)}, " if c.details_visible and c.address_detail else ""
        ward = escape(c.ward.name) if c.ward_id else ""
        cells.append(f"<td>{street}{ward}</td>")
        cells.append(f"<td>{conditional_escape(unit_label(c.unit))}</td>")
        cells.append(f'<td class="nowrap">{vndate(c.last_help_on) or "—"}</td>')
        out.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("\n".join(out))  # every value above is escaped
