"""Reads of the outbox that depend on who asks."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from nhandao.core.access import MESSAGING_VIEW, MESSAGING_VIEW_CONTENT
from nhandao.core.text import normalize
from nhandao.org import access

from . import links
from .models import Message


@dataclass(frozen=True)
class MessageFilter:
    status: str = ""
    channel: str = ""
    purpose: str = ""
    query: str = ""  # a recipient's name (diacritics ignored)


def messages_visible(user, f: MessageFilter | None = None) -> QuerySet[Message]:
    f = f or MessageFilter()
    qs = access.in_scope(user, MESSAGING_VIEW, Message.objects.all())
    if f.status:
        qs = qs.filter(status=f.status)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.purpose:
        qs = qs.filter(purpose=f.purpose)
    if f.query:
        qs = qs.filter(person__name_key__contains=normalize(f.query))
    return qs.select_related("unit", "person", "user").order_by("-created_at", "-id")


def message_get(user, pk) -> Message:
    qs = Message.objects.select_related("unit", "person", "user", "queued_by")
    return access.get_in_scope(user, MESSAGING_VIEW, qs, pk)


def contents_scope(user) -> access.Scope:
    """Where the user may read addresses and texts in full (elsewhere they are masked)."""
    return access.scope(user, MESSAGING_VIEW_CONTENT)


def shown_address(message: Message, scope: access.Scope) -> str:
    return message.address if scope.allows(message.unit) else links.mask_address(message.address)


def message_for_token(token: str) -> Message | None:
    """The message an unsubscribe link was made for (public page: the caller shows only its purpose
    and the masked address)."""
    message_id = links.message_id_of(token)
    if message_id is None:
        return None
    return Message.objects.filter(pk=message_id).first()
