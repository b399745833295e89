"""What the outbox holds about a person, and how it forgets them (core.subjects).

Withdrawal of consent goes through `services.consent_record`, which also suppresses the queued
messages it covers; shredding blanks the addresses and texts of the person's messages (their
status and dates stay: the outbox's counts).
"""

from __future__ import annotations

from nhandao.core.subjects import Section, text

from . import services
from .models import Consent, ConsentSource, Message


def collect(person) -> list[Section]:
    consents = Section(
        "Đồng ý nhận tin nhắn",
        [
            {
                "Kênh": c.get_channel_display(),
                "Loại tin": c.purpose,
                "Đồng ý nhận": text(c.granted),
                "Ghi nhận lúc": text(c.recorded_at),
            }
            for c in Consent.objects.filter(person=person).order_by("recorded_at", "id")
        ],
    )
    messages = Section(
        "Tin nhắn đã gửi",
        [
            {
                "Lúc": text(m.created_at),
                "Kênh": m.get_channel_display(),
                "Địa chỉ nhận": m.address,
                "Tiêu đề": m.subject,
                "Trạng thái": m.get_status_display(),
            }
            for m in Message.objects.filter(person=person).order_by("created_at", "id")[:500]
        ],
    )
    return [s for s in (consents, messages) if s.rows]


def shred(person, actor) -> int:
    n = Message.objects.filter(person=person).update(address="", subject="", body="")
    n += Consent.objects.filter(person=person).exclude(address="").update(address="")
    return n


def withdraw(person, actor) -> int:
    granted = list(Consent.objects.filter(person=person, granted=True).order_by("id"))
    for consent in granted:
        # The privacy service checked the officer's right to act for this person; the consent
        # change is the system's, audited by messaging and by the request's own trail.
        services.consent_record(
            actor=None,
            channel=consent.channel,
            purpose=consent.purpose,
            granted=False,
            source=ConsentSource.STAFF,
            person=person,
        )
    return len(granted)
