"""The one-click unsubscribe link: a message's number signed with the site's secret key
(django.core.signing), so the link cannot be forged for another message or recipient, and
what recipients see of an address on public pages."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "nhandao.messaging.unsubscribe"


def unsubscribe_token(message_id: int) -> str:
    return signing.Signer(salt=SALT).sign(str(message_id))


def message_id_of(token: str) -> int | None:
    """The message a token was made for; None when it was altered or is malformed."""
    if not token or len(token) > 100:
        return None
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def unsubscribe_url(message_id: int) -> str:
    return settings.NHANDAO_SITE_URL + reverse("messaging:unsubscribe", args=[unsubscribe_token(message_id)])


def mask_address(address: str) -> str:
    """'0912345678' -> '09••••••78'; 'lan.nguyen@example.org' -> 'l••••••@example.org'."""
    if not address:
        return ""
    if "@" in address:
        local, _at, domain = address.partition("@")
        return f"{local[:1]}••••••@{domain}"
    if len(address) <= 4:
        return "•" * len(address)
    return f"{address[:2]}{'•' * (len(address) - 4)}{address[-2:]}"
