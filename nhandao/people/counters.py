"""Counts shown on the unit page and the dashboard (see org.selectors.register_counter)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from nhandao.core.access import PEOPLE_VIEW
from nhandao.org import access
from nhandao.org.selectors import Counter, register_counter

from . import selectors


@register_counter
def people_counts(unit, user) -> list[Counter]:
    if not access.has_perm(user, PEOPLE_VIEW, unit):
        return []
    stats = selectors.subtree_stats(unit)
    base = reverse("people:list") + f"?don-vi={unit.pk}"
    return [
        Counter("members", _("Hội viên"), stats["members"], f"{base}&vai-tro=member"),
        Counter("volunteers", _("Tình nguyện viên"), stats["volunteers"], f"{base}&vai-tro=volunteer"),
        Counter("active_volunteers", _("TNV tích cực"), stats["active_volunteers"], f"{base}&tich-cuc=1"),
        Counter("youth", _("Thanh thiếu niên CTĐ"), stats["youth"], f"{base}&vai-tro=youth"),
        Counter("staff", _("Cán bộ Hội"), stats["staff"], f"{base}&vai-tro=staff"),
        Counter(
            "clubs", _("Câu lạc bộ, đội"), stats["clubs"], reverse("people:clubs") + f"?don-vi={unit.pk}"
        ),
    ]
