"""Every write of the outbox: queue a message (the rules applied in one place), deliver it through
the background worker with retries, sweep what is due, record consent and unsubscribe.

Queue (`message_queue`), in one transaction with its audit event:
  1. at most once per window: a message with the same dedup key to the same recipient on the same
     channel within the purpose's window (or `window`) is returned instead of a new one;
  2. an address: the person's or user's phone/email for the channel (or the one given), normalised;
     none or a malformed one: the message is kept as suppressed with the reason;
  3. consent: a purpose that needs it goes only to a recipient who said yes; any purpose stops for a
     recipient who said no (suppressed, with the reason);
  4. quiet hours: an SMS due at night waits for the morning (send_after).
Deliver (`message_deliver`, run by the worker once the queueing transaction commits, and by the
`send_due_messages` sweep): claim the row, check consent and quiet hours again (a refusal may have
come since), send through the channel's sender, record SENT, or on a failure retry later with a
growing delay, up to NHANDAO_MESSAGING_MAX_ATTEMPTS attempts in all, then FAILED with the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from nhandao.core import audit
from nhandao.core.access import ORG_VIEW, PEOPLE_EDIT, USERS_MANAGE
from nhandao.core.imports.errors import CellError
from nhandao.core.imports.parsers import parse_email, parse_phone
from nhandao.org import access

from . import links, purposes, senders, timing
from .models import ALL_PURPOSES, Channel, Consent, ConsentSource, Message, Status

logger = logging.getLogger(__name__)

# The wait before the 2nd, 3rd, … attempt after a failed one.
RETRY_DELAYS = (dt.timedelta(minutes=5), dt.timedelta(minutes=30), dt.timedelta(hours=2))
# A message claimed this long ago and never finished (the worker died): queued again.
STALE_SENDING = dt.timedelta(minutes=15)


def _user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def normalise_address(channel: str, value: str) -> str:
    """A phone as 0912345678 or an email in lower case; ValidationError when malformed."""
    try:
        found = parse_phone(value) if channel == Channel.SMS else parse_email(value)
    except CellError as exc:
        raise ValidationError(exc.message) from None
    return found or ""


def _recipient_q(*, person=None, user=None, address: str = "") -> Q:
    if person is not None:
        return Q(person=person)
    if user is not None:
        return Q(user=user)
    return Q(person__isnull=True, user__isnull=True, address=address)


def consent_allows(*, channel: str, purpose: purposes.Purpose, person=None, user=None, address="") -> str:
    """Empty when the recipient may get this purpose on this channel; otherwise the reason why not."""
    rows = {
        c.purpose: c.granted
        for c in Consent.objects.filter(
            _recipient_q(person=person, user=user, address=address),
            channel=channel,
            purpose__in=[purpose.code, ALL_PURPOSES],
        )
    }
    decided = rows.get(purpose.code, rows.get(ALL_PURPOSES))
    if decided is False:
        return _("Người nhận đã từ chối nhận loại tin này.")
    if decided is None and purpose.needs_consent:
        return _("Người nhận chưa đồng ý nhận loại tin này.")
    return ""


def _address_of(channel: str, person, user, address: str) -> tuple[str, str]:
    """(normalised address, reason it cannot be used)."""
    raw = address
    if not raw and person is not None:
        raw = person.phone if channel == Channel.SMS else person.email
    if not raw and user is not None:
        raw = getattr(user, "phone", "") if channel == Channel.SMS else user.email
    if not raw:
        if channel == Channel.SMS:
            return "", _("Người nhận không có số điện thoại.")
        return "", _("Người nhận không có địa chỉ thư điện tử.")
    try:
        return normalise_address(channel, raw), ""
    except ValidationError as exc:
        return str(raw)[:254], " ".join(exc.messages)


def _event_data(message: Message, **extra) -> dict:
    return {
        "purpose": message.purpose,
        "channel": message.channel,
        "to": links.mask_address(message.address),
        **extra,
    }


def message_queue(
    *,
    actor,
    unit,
    channel: str,
    purpose: str,
    body: str,
    subject: str = "",
    person=None,
    user=None,
    address: str = "",
    dedup_key: str = "",
    window: dt.timedelta | None = None,
    send_after: dt.datetime | None = None,
) -> Message:
    """Queue one message to one recipient (a person, a user, or a bare address) for `purpose`.

    Returns the message: queued (it leaves once the caller's transaction commits, or at
    `send_after`), suppressed with its reason, or the earlier one of the same dedup key within
    the window (nothing new is written then).  `actor` None is the system (a scheduled command).
    """
    declared = purposes.get(purpose)
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if person is None and user is None and not address:
        raise ValueError("a message needs a person, a user or an address")
    if unit is None:
        raise ValueError("a message belongs to a unit (its scope decides who sees it)")
    access.require(actor, ORG_VIEW, unit)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Tin nhắn không có nội dung.")})
    if channel == Channel.EMAIL and not subject:
        subject = str(declared.label)
    now = timezone.now()
    resolved, reason = _address_of(channel, person, user, address)
    with transaction.atomic():
        # Two runs racing on the same key may both queue (nothing locks a row not yet written):
        # the producers run from one scheduled command, one at a time.
        if dedup_key:
            earlier = (
                Message.objects.filter(
                    _recipient_q(person=person, user=user, address=resolved),
                    dedup_key=dedup_key,
                    channel=channel,
                    created_at__gt=now - (window or declared.window),
                )
                .order_by("-created_at", "-id")
                .first()
            )
            if earlier is not None:
                return earlier
        if not reason:
            reason = consent_allows(
                channel=channel, purpose=declared, person=person, user=user, address=resolved
            )
        due = max(send_after or now, now)
        if channel == Channel.SMS:
            due = timing.quiet_until(due) or due
        message = Message.objects.create(
            unit=unit,
            channel=channel,
            purpose=purpose,
            person=person,
            user=user,
            address=resolved,
            subject=subject[:200],
            body=body,
            dedup_key=dedup_key[:200],
            status=Status.SUPPRESSED if reason else Status.QUEUED,
            reason=reason,
            send_after=due,
            created_at=now,
            queued_by=_user_or_none(actor),
        )
        action = "messaging.suppressed" if reason else "messaging.queued"
        data = _event_data(message, reason=reason) if reason else _event_data(message, send_after=due)
        audit.record(actor=actor, action=action, obj=message, unit=unit, data=data)
        if not reason:
            transaction.on_commit(lambda: schedule(message.pk, due))
    return message


def schedule(message_id: int, due: dt.datetime) -> None:
    """Hand a message to the worker: now, or at `due` when the queue can hold a task until then
    (django-tasks-db can; without it the `send_due_messages` sweep sends it when due)."""
    try:
        if due <= timezone.now():
            message_deliver_task.enqueue(message_id)
        elif message_deliver_task.get_backend().supports_defer:
            message_deliver_task.using(run_after=due).enqueue(message_id)
    except Exception:  # the message stays queued: the sweep sends it
        logger.exception("could not hand message %s to the worker", message_id)


@task()
def message_deliver_task(message_id: int) -> None:
    with audit.via("worker"):
        message_deliver(message_id)


def _outgoing(message: Message) -> senders.Outgoing:
    body, headers = message.body, {}
    if purposes.PURPOSES.get(message.purpose, purposes.NOTICE).unsubscribe:
        url = links.unsubscribe_url(message.pk)
        if message.channel == Channel.SMS:
            body = body + "\n" + _("Từ chối nhận tin: %(url)s") % {"url": url}
        else:
            footer = _("Không muốn nhận loại thư này nữa? Bấm vào đây: %(url)s") % {"url": url}
            body = f"{body}\n\n--\n{footer}\n"
            headers = {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return senders.Outgoing(
        id=message.pk,
        channel=message.channel,
        address=message.address,
        subject=message.subject,
        body=body,
        headers=headers,
    )


# What became of an attempt (Message.outcome after message_deliver), by audit action.
OUTCOMES = {
    "messaging.sent": "sent",
    "messaging.failed": "failed",
    "messaging.suppressed": "suppressed",
    "messaging.retry": "retry",
    "messaging.deferred": "deferred",
}


def _finish(message: Message, action: str, data: dict, **fields) -> Message:
    """Write the outcome of an attempt and its audit event, in one transaction."""
    message.outcome = OUTCOMES[action]
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(**fields)
        for name, value in fields.items():
            setattr(message, name, value)
        audit.record(
            actor=None, action=action, obj=message, unit=message.unit, data=_event_data(message, **data)
        )
    return message


def message_deliver(message_id: int) -> Message | None:
    """Send one due, queued message (None when it is not: another worker has it, it is not due,
    it is no longer queued).  Records the outcome; never raises for a failed send."""
    now = timezone.now()
    claimed = Message.objects.filter(pk=message_id, status=Status.QUEUED, send_after__lte=now).update(
        status=Status.SENDING, last_attempt_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    message = Message.objects.select_related("unit", "person", "user").get(pk=message_id)
    declared = purposes.PURPOSES.get(message.purpose)
    refusal = (
        consent_allows(
            channel=message.channel,
            purpose=declared,
            person=message.person,
            user=message.user,
            address=message.address,
        )
        if declared is not None
        else _("Loại tin “%(p)s” không còn được khai báo.") % {"p": message.purpose}
    )
    if refusal:
        return _finish(
            message, "messaging.suppressed", {"reason": refusal}, status=Status.SUPPRESSED, reason=refusal
        )
    if message.channel == Channel.SMS and (morning := timing.quiet_until(now)):
        # Not an attempt: it waits for the end of the quiet hours.
        _finish(
            message,
            "messaging.deferred",
            {"send_after": morning},
            status=Status.QUEUED,
            send_after=morning,
            attempts=message.attempts - 1,
        )
        transaction.on_commit(lambda: schedule(message.pk, morning))
        return message
    sender = senders.for_channel(message.channel)
    try:
        ref = sender.send(_outgoing(message))
    except senders.SendError as exc:
        return _failed(message, sender, exc.reason, permanent=exc.permanent, now=now)
    except Exception as exc:  # a sender's bug is a failed attempt too, never a lost message
        logger.exception("sender %s failed on message %s", sender.name, message.pk)
        return _failed(message, sender, f"{type(exc).__name__}: {exc}", permanent=False, now=now)
    return _finish(
        message,
        "messaging.sent",
        {"sender": sender.name, "attempt": message.attempts},
        status=Status.SENT,
        sent_at=timezone.now(),
        sender=sender.name,
        provider_ref=str(ref or "")[:100],
        reason="",
    )


def _failed(message: Message, sender, error: str, *, permanent: bool, now: dt.datetime) -> Message:
    limit = max(1, settings.NHANDAO_MESSAGING_MAX_ATTEMPTS)
    n = message.attempts
    if permanent or n >= limit:
        reason = _("Gửi không được sau %(n)d lần: %(e)s") % {"n": n, "e": error}
        return _finish(
            message,
            "messaging.failed",
            {"reason": reason, "sender": sender.name},
            status=Status.FAILED,
            reason=reason,
            sender=sender.name,
        )
    later = now + RETRY_DELAYS[min(n - 1, len(RETRY_DELAYS) - 1)]
    reason = _("Lần %(n)d không gửi được: %(e)s; sẽ thử lại.") % {"n": n, "e": error}
    _finish(
        message,
        "messaging.retry",
        {"reason": reason, "sender": sender.name, "send_after": later},
        status=Status.QUEUED,
        reason=reason,
        send_after=later,
        sender=sender.name,
    )
    transaction.on_commit(lambda: schedule(message.pk, later))
    return message


# The daily producers: apps that queue messages on a schedule (deadline reminders, donor reminders)
# register a function here from their ready(); `send_due_messages` runs them, then sends what is due.
PRODUCERS: dict[str, Callable[[dt.datetime], int]] = {}


def register_producer(name: str, produce: Callable[[dt.datetime], int]) -> None:
    """`produce(now)` queues its messages through message_queue (dedup keys make a second run in
    the same window queue nothing) and returns how many it queued."""
    PRODUCERS[name] = produce


def producers_run(now: dt.datetime | None = None) -> dict[str, int | None]:
    """Run every producer: how many each queued, None for one that failed (logged; the others
    and the sending still run, and its next run tries again)."""
    now = now or timezone.now()
    done: dict[str, int | None] = {}
    for name, produce in sorted(PRODUCERS.items()):
        try:
            done[name] = int(produce(now) or 0)
        except Exception:
            logger.exception("message producer %s failed", name)
            done[name] = None
    return done


def messages_send_due(*, limit: int = 5000) -> Counter:
    """The sweep: queue again what a dead worker left half-done, then send every due message here,
    in this process.  Returns how many attempts had each outcome (sent, retry, failed, suppressed,
    deferred)."""
    now = timezone.now()
    Message.objects.filter(status=Status.SENDING, last_attempt_at__lt=now - STALE_SENDING).update(
        status=Status.QUEUED
    )
    due = list(
        Message.objects.filter(status=Status.QUEUED, send_after__lte=now)
        .order_by("send_after", "id")
        .values_list("pk", flat=True)[:limit]
    )
    tally: Counter = Counter()
    for pk in due:
        message = message_deliver(pk)
        if message is not None:
            tally[message.outcome] += 1
    return tally


def consent_record(
    *,
    actor,
    channel: str,
    purpose: str,
    granted: bool,
    source: str,
    person=None,
    user=None,
    address: str = "",
    unit=None,
) -> Consent:
    """What one recipient said about one purpose ("*": all) on one channel.  A withdrawal also
    suppresses that recipient's queued messages it covers."""
    if purpose != ALL_PURPOSES:
        purposes.get(purpose)
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if source not in ConsentSource.values:
        raise ValueError(f"unknown consent source {source!r}")
    if person is None and user is None and not address:
        raise ValueError("a consent needs a person, a user or an address")
    if person is not None:
        unit = person.unit
        access.require(actor, PEOPLE_EDIT, unit, needs_unit=True)
    elif actor is not None and not (user is not None and user.pk == actor.pk):
        access.require(actor, USERS_MANAGE)
    if person is None and user is None:
        address = normalise_address(channel, address)
    who = _recipient_q(person=person, user=user, address=address)
    with transaction.atomic():
        consent = Consent.objects.select_for_update().filter(who, channel=channel, purpose=purpose).first()
        before = audit.snapshot(consent, ["granted", "source"]) if consent else {}
        if consent is None:
            consent = Consent(
                channel=channel,
                purpose=purpose,
                person=person,
                user=user,
                address=address if not (person or user) else "",
            )
        consent.granted, consent.source, consent.unit = granted, source, unit
        consent.recorded_at, consent.recorded_by = timezone.now(), _user_or_none(actor)
        consent.save()
        audit.record(
            actor=actor,
            action="messaging.consent_granted" if granted else "messaging.consent_withdrawn",
            obj=consent,
            unit=unit,
            changes=audit.diff(before, audit.snapshot(consent, ["granted", "source"])),
            data={"channel": channel, "purpose": purpose, "source": source},
        )
        if not granted:
            _suppress_queued(who, channel, purpose)
    return consent


def _suppress_queued(who: Q, channel: str, purpose: str) -> None:
    waiting = Message.objects.select_for_update().filter(who, channel=channel, status=Status.QUEUED)
    if purpose != ALL_PURPOSES:
        waiting = waiting.filter(purpose=purpose)
    reason = _("Người nhận đã từ chối nhận loại tin này.")
    rows = list(waiting.select_related("unit"))
    if not rows:
        return
    Message.objects.filter(pk__in=[m.pk for m in rows]).update(status=Status.SUPPRESSED, reason=reason)
    audit.record_many(
        actor=None,
        action="messaging.suppressed",
        objects=[audit.Target(m.pk, str(m), unit=m.unit, data=_event_data(m, reason=reason)) for m in rows],
        object_type_label=audit.object_type(Message),
    )


def unsubscribe(*, token: str) -> Message:
    """The one-click link: the recipient of the message the token was made for stops receiving its
    purpose on its channel.  ValidationError for an altered or unknown token."""
    message_id = links.message_id_of(token)
    message = (
        Message.objects.select_related("unit", "person", "user").filter(pk=message_id).first()
        if message_id
        else None
    )
    if message is None:
        raise ValidationError(_("Liên kết không hợp lệ hoặc đã bị sửa."))
    consent_record(
        actor=None,
        channel=message.channel,
        purpose=message.purpose,
        granted=False,
        source=ConsentSource.LINK,
        person=message.person,
        user=message.user,
        address=message.address,
        unit=message.unit,
    )
    return message
