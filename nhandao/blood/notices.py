"""The hook through which drive notices (cancelled, moved) will go out.

The outgoing-message service (email and SMS behind a pluggable sender) does not
exist yet.  Until it does, a `DriveNotice` records the message and everyone who
must receive it, and nothing is sent: no fake sending.  The service will call
`register_sender(fn)` from its AppConfig.ready(); `fn(notice)` runs after the
notice's transaction commits and marks `sent_at` through `notice_mark_sent`.
"""

from __future__ import annotations

from collections.abc import Callable

SENDERS: list[Callable] = []


def register_sender(fn: Callable) -> Callable:
    if fn not in SENDERS:
        SENDERS.append(fn)
    return fn


def dispatch(notice) -> None:
    for sender in SENDERS:
        sender(notice)
