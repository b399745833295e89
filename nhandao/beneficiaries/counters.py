"""Counts shown on the unit page and the dashboard (see org.selectors.register_counter)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from nhandao.core.access import BENEFICIARIES_STATS, BENEFICIARIES_VIEW
from nhandao.org import access
from nhandao.org.selectors import Counter, register_counter

from . import selectors


@register_counter
def beneficiary_counts(unit, user) -> list[Counter]:
    if not access.has_perm(user, BENEFICIARIES_STATS, unit):
        return []
    stats = selectors.subtree_stats(unit)
    listing = access.has_perm(user, BENEFICIARIES_VIEW, unit)
    base = reverse("beneficiaries:cases") + f"?don-vi={unit.pk}"
    late = reverse("beneficiaries:commitments") + f"?don-vi={unit.pk}&tinh-trang=late"

    def link(url):
        return url if listing else ""

    proposed = stats["cases_proposed"] + stats["cases_reviewed"]
    helped = stats["cases_confirmed"] + stats["cases_active"]
    counters = [
        Counter("cases_helped", _("Đối tượng đang trợ giúp"), helped, link(f"{base}&trang-thai=helpable")),
        Counter("cases_proposed", _("Hồ sơ chờ xét duyệt"), proposed, link(f"{base}&trang-thai=proposed")),
        Counter(
            "cases_not_helped",
            _("Chưa được trợ giúp 12 tháng"),
            stats["cases_not_helped"],
            link(f"{base}&trang-thai=helpable&chua-tro-giup=12"),
        ),
        Counter(
            "addresses",
            _("Địa chỉ nhân đạo"),
            stats["commitments_active"],
            link(reverse("beneficiaries:commitments") + f"?don-vi={unit.pk}"),
        ),
        Counter("addresses_late", _("Địa chỉ nhân đạo trễ hạn"), stats["commitments_late"], link(late)),
        Counter(
            "help_year",
            _("Lượt trợ giúp năm nay"),
            stats["help_year_count"],
            reverse("beneficiaries:statistics") + f"?don-vi={unit.pk}",
        ),
    ]
    return [c for c in counters if c.value or c.key in ("cases_helped", "addresses")]
