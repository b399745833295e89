"""Shared cache of anonymous portal responses.

When a typhoon sends tens of thousands of visitors to the same campaign page and
the same searches, each page is computed once per ledger version: the key holds
the number of the chain head's last entry (one primary-key read), which every
posting moves, so a new gift or payment shows within a second (the version is
read at most once a second per process); the campaigns' last change (Decree 93
texts, a campaign taken off the portal) is in the key too, and so is the stories' (a story published
or withdrawn shows at once on the front and the story pages).  A short TTL bounds
everything else.  Logged-in visitors (staff) are never served
from, nor stored into, the shared cache.
"""

from __future__ import annotations

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from nhandao.campaigns.models import Campaign
from nhandao.funds.public import ledger_version as head
from nhandao.stories.selectors import last_change_subquery, stories_version

PREFIX = "portal:v1"


_seen = {"version": "", "at": -1e9}


def ledger_version() -> str:
    """The ledger head and the campaigns' last change, read at most once per
    NHANDAO_PORTAL_VERSION_SECONDS per process (so a cache hit costs no query at all)."""
    now = time.monotonic()
    if now - _seen["at"] < getattr(settings, "NHANDAO_PORTAL_VERSION_SECONDS", 1.0):
        return _seen["version"]
    # The campaigns' and the stories' last change in one query.
    row = (
        Campaign.objects.order_by("-updated_at")
        .values("updated_at")
        .annotate(story=last_change_subquery())
        .first()
    )
    if row is None:  # no campaign yet
        changed, stories = None, stories_version()
    else:
        changed, story = row["updated_at"], row["story"]
        stories = f"{story.timestamp():.6f}" if story else "0"
    version = f"{head()}-{changed.timestamp() if changed else 0:.6f}-{stories}"
    _seen.update(version=version, at=now)
    return version


def cache_key(request, version: str) -> str:
    params = sorted((k, v) for k, values in request.GET.lists() for v in values)
    raw = f"{request.path}?{params!r}"
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:40]
    return f"{PREFIX}:{version}:{get_language()}:{digest}"


def public_cache(view):
    """Serve anonymous GETs from the shared cache; successful responses only are stored."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        user = getattr(request, "user", None)
        ttl = settings.NHANDAO_PORTAL_CACHE_SECONDS
        if request.method not in ("GET", "HEAD") or (user is not None and user.is_authenticated):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        if ttl <= 0:
            return view(request, *args, **kwargs)
        request.portal_version = ledger_version()  # the views may keep lookups for this version
        key = cache_key(request, request.portal_version)
        hit = cache.get(key)
        if hit is not None:
            content, content_type, headers = hit
            response = HttpResponse(content, content_type=content_type)
            for name, value in headers:
                response[name] = value
            response["X-Portal-Cache"] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                headers = [(h, response[h]) for h in ("Content-Disposition",) if h in response]
                cache.set(key, (response.content, response["Content-Type"], headers), ttl)
            response["X-Portal-Cache"] = "miss"
        patch_cache_control(response, public=True, max_age=min(ttl, 30))
        return response

    return wrapped
