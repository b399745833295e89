from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from nhandao.core.access import AUDIT_VIEW, ORG_VIEW


def home(request):
    """Public landing page for visitors; each user's own dashboard once logged in."""
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    from nhandao.org import access, selectors

    units = list(access.home_units(request.user, ORG_VIEW)[:20])
    panels = [{"unit": unit, "counters": selectors.unit_counts(unit, request.user)} for unit in units[:5]]
    recent = []
    if access.has_perm(request.user, AUDIT_VIEW):
        recent = list(selectors.audit_events(request.user)[:10])
    return render(
        request,
        "core/dashboard.html",
        {
            "panels": panels,
            "more_units": units[5:],
            "recent": recent,
            "roles": access.roles_of(request.user),
        },
    )


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})
