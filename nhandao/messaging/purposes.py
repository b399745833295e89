"""What a message is for: each app declares its purposes once (from its AppConfig.ready()), and the
outbox applies their rules.

    purposes.register(purposes.Purpose(
        "blood.donor_reminder", _("Nhắc hiến máu khi đủ điều kiện"),
        needs_consent=True, window=dt.timedelta(days=30)))

`needs_consent`: the recipient must have said yes to this purpose (reminders to the public, Law
91/2025: consent per purpose); otherwise it is a service message (a deadline to an officer) that
goes unless the recipient said no.  `window`: a message with the same dedup key to the same
recipient goes at most once in it.  `unsubscribe`: the message carries the one-click link.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Purpose:
    code: str
    label: object  # a lazy translation
    needs_consent: bool = False
    window: dt.timedelta = dt.timedelta(days=1)
    unsubscribe: bool = True


PURPOSES: dict[str, Purpose] = {}


def register(purpose: Purpose) -> Purpose:
    PURPOSES[purpose.code] = purpose
    return purpose


def get(code: str) -> Purpose:
    """The declared purpose; ValueError for an undeclared one (a programming error)."""
    try:
        return PURPOSES[code]
    except KeyError:
        raise ValueError(f"undeclared message purpose {code!r}: register it in the app's ready()") from None


def label(code: str) -> str:
    purpose = PURPOSES.get(code)
    return str(purpose.label) if purpose else code


def choices() -> list[tuple[str, str]]:
    return sorted(((p.code, str(p.label)) for p in PURPOSES.values()), key=lambda c: c[1])


# The outbox's own purpose: a notice of a unit to the people who asked to hear from it (the demo).
NOTICE = register(Purpose("messaging.notice", _("Thông báo của Hội"), needs_consent=True))
