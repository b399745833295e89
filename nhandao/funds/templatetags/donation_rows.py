"""The rows of the donations list, built in Python (as beneficiaries' case_rows, and for the same
reason: fifty rows through the template engine were most of a city-scale list page's time)."""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from nhandao.core import links
from nhandao.core.formatting import choice_label, money
from nhandao.core.formatting import date as vndate

register = template.Library()


@register.simple_tag
def donation_rows(donations):
    """<tr> of each gift: receipt number, date, donor (and the name published when it differs),
    channel, amount, unit, campaign or fund, and "cancelled" on a reversed gift."""
    url = links.url_maker("funds:donation")
    public = escape(_("công khai"))
    cancelled = f' <small class="tag">{escape(_("đã hủy"))}</small>'
    out = []
    mark = ' class="reversed"'
    for d in donations:
        reversed_ = d.is_reversed
        shown = ""
        if d.display != "full":
            shown = f' <small class="muted">({public}: {escape(d.public_name)})</small>'
        target = d.campaign.name if d.campaign_id else d.fund.name
        out.append(
            f"<tr{mark if reversed_ else ''}>"
            f'<td><a href="{url(d.pk)}" class="nowrap">{escape(d.receipt_label)}</a></td>'
            f'<td class="nowrap">{vndate(d.received_on)}</td>\n'
            f"<td>{escape(d.donor_name or d.public_name)}{shown}</td>\n"
            f"<td>{escape(choice_label(d, 'channel'))}</td>"
            f'<td class="num">{escape(money(d.amount))}</td>'
            f'<td class="wrap">{escape(d.unit.name)}</td>'
            f"<td>{escape(target)}{cancelled if reversed_ else ''}</td></tr>"
        )
    return mark_safe("\n".join(out))  # every value above is escaped
