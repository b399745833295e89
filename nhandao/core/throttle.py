"""Failed attempts on public forms, counted and throttled: the one shared throttle.

The sign-in page has django-axes (accounts.security).  Pages a person reaches without an account
but with something they know (a registration code, a phone) get this: each failure is counted
per form ("scope") for the client's address and for each other key the view names (the code
tried, the phone given); once one of those counts reaches `limit` within `minutes`, the form
answers 429 with a Vietnamese message until the window has passed.  Reaching the limit is
written to the audit trail (once per key and window, so a flood cannot fill the trail).

Counts live in the shared cache (`CACHE_URL`: Redis in production, so every worker sees the
same counts; a process's memory in development and tests).  Keys are hashed, so no code or phone
appears in the cache.  Limits come from settings `PUBLIC_THROTTLE_LIMIT` and
`PUBLIC_THROTTLE_MINUTES` unless a throttle names its own.

    LOOKUP = throttle.Throttle("blood.my_record")

    if LOOKUP.locked(request, code=code):
        return LOOKUP.refuse(request)
    ...
    if not found:
        LOOKUP.fail(request, code=code)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import render

from . import audit

AUDIT_ACTION = "core.throttle.locked"


def client_address(request) -> str:
    """The address the request came from, as the sign-in lockout sees it (django-axes sets
    `axes_ip_address` from AXES_IPWARE_META_PRECEDENCE_ORDER); REMOTE_ADDR otherwise."""
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or "?"


@dataclass(frozen=True)
class Throttle:
    scope: str
    limit: int | None = None  # None: settings.PUBLIC_THROTTLE_LIMIT
    minutes: int | None = None  # None: settings.PUBLIC_THROTTLE_MINUTES

    @property
    def max_failures(self) -> int:
        return self.limit if self.limit is not None else settings.PUBLIC_THROTTLE_LIMIT

    @property
    def window_seconds(self) -> int:
        minutes = self.minutes if self.minutes is not None else settings.PUBLIC_THROTTLE_MINUTES
        return max(1, int(minutes * 60))

    def _keys(self, request, keys: dict[str, str]) -> dict[str, str]:
        """kind -> cache key, for the address and each non-empty key given."""
        values = {"ip": client_address(request)}
        values.update({kind: str(value).strip().upper() for kind, value in keys.items() if value})
        return {
            kind: "throttle:{}:{}:{}".format(
                self.scope, kind, hashlib.sha256(f"{self.scope}\0{kind}\0{value}".encode()).hexdigest()[:32]
            )
            for kind, value in values.items()
        }

    def locked(self, request, **keys: str) -> bool:
        """Whether the address, or any key given, has reached the limit in the current window."""
        counts = cache.get_many(list(self._keys(request, keys).values()))
        return any(count >= self.max_failures for count in counts.values())

    def fail(self, request, **keys: str) -> bool:
        """Count one failure for the address and each key given; True if one is now locked."""
        now_locked = []
        for kind, key in self._keys(request, keys).items():
            cache.add(key, 0, timeout=self.window_seconds)  # the window opens at the first failure
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=self.window_seconds)
                count = 1
            if count == self.max_failures:
                # The lock lasts a whole window from the failure that reached the limit.
                cache.set(key, count, timeout=self.window_seconds)
                now_locked.append(kind)
        if now_locked:
            with transaction.atomic():
                audit.record(
                    actor=None,
                    action=AUDIT_ACTION,
                    object_type_label="throttle",
                    object_id=self.scope,
                    object_repr=self.scope,
                    data={
                        "scope": self.scope,
                        "locked": now_locked,
                        "ip": client_address(request),
                        "limit": self.max_failures,
                        "minutes": self.window_seconds // 60,
                    },
                )
        return bool(now_locked)

    def refuse(self, request):
        """The 429 answer while locked: what happened and how long to wait, in Vietnamese."""
        return render(request, "429.html", {"minutes": max(1, self.window_seconds // 60)}, status=429)
