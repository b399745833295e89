"""What a campaign's page shows of the funds: the money raised (in a period, in the user's own
unit, by unit) and the payments out.  Campaigns sit below funds (the ledger refers to them), so
the campaign page takes this through campaigns.views.register_detail_context (see apps.py)."""

from __future__ import annotations

from nhandao.core.access import FUNDS_VIEW
from nhandao.org import access

from . import public
from . import selectors as fund_selectors
from .forms import PeriodForm


def campaign_money(request, campaign) -> dict:
    user = request.user
    period = PeriodForm(request.GET or None)
    data = period.cleaned_data if period.is_valid() else {}
    date_from, date_to = data.get("date_from"), data.get("date_to")
    totals = public.campaign_totals(campaign, date_from=date_from, date_to=date_to)
    scope = access.scope(user, FUNDS_VIEW)
    own = None
    if not scope.everything and not scope.allows(campaign.unit) and len(scope.paths) == 1:
        own = public.campaign_totals(campaign, unit_path=scope.paths[0], date_from=date_from, date_to=date_to)
    by_unit = [u for u in public.campaign_totals_by_unit(campaign) if scope.allows_path(u["path"])]
    return {
        "period": period,
        "in_period": bool(date_from or date_to),
        "totals": totals,
        "own": own,
        "by_unit": by_unit[:200],
        "progress": min(100, totals.raised * 100 // campaign.goal) if campaign.goal else None,
        "disbursements": fund_selectors.disbursements_visible(
            user, fund_selectors.DisbursementFilter(campaign_id=campaign.pk)
        )[:20]
        if access.has_perm(user, FUNDS_VIEW)
        else [],
    }
