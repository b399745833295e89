"""How a message leaves: one sender per channel, chosen by settings.NHANDAO_MESSAGING_SENDERS.

    console  prints the message (development)
    file     writes <id>.eml (email) or <id>.json (SMS) under NHANDAO_MESSAGING_OUTBOX_DIR: the demo
             and the tests read what "went out" there
    django   email through Django's email backend (EMAIL_URL: SMTP in production)
    esms     SMS through the eSMS.vn gateway's HTTP API (settings.NHANDAO_ESMS)
    a dotted path to a Sender class (a test's fake, another gateway)

A sender returns the provider's reference or raises `SendError`: `permanent` when trying again
cannot help (a number the gateway refuses), otherwise the outbox retries later.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Outgoing:
    """What a sender needs of a message (the text already carries the unsubscribe link)."""

    id: int
    channel: str
    address: str
    subject: str
    body: str
    headers: dict = field(default_factory=dict)

    @property
    def request_id(self) -> str:
        # The same message sent twice (a retry after a lost answer) is refused by the gateway.
        return f"nhandao-{self.id}"


class SendError(Exception):
    def __init__(self, reason: str, *, permanent: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Sender:
    name = "base"

    def send(self, message: Outgoing) -> str:
        raise NotImplementedError


def _email(message: Outgoing) -> EmailMessage:
    return EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.address],
        headers=message.headers,
    )


class ConsoleSender(Sender):
    name = "console"

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, message: Outgoing) -> str:
        self.stream.write(
            f"--- {message.channel} #{message.id} → {message.address}\n"
            + (f"{message.subject}\n" if message.subject else "")
            + f"{message.body}\n"
        )
        return f"console-{message.id}"


class FileSender(Sender):
    name = "file"

    def __init__(self, directory: str | Path | None = None):
        self.directory = Path(directory or settings.NHANDAO_MESSAGING_OUTBOX_DIR)

    def send(self, message: Outgoing) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        if message.channel == "email":
            path = self.directory / f"{message.id}.eml"
            path.write_bytes(_email(message).message().as_bytes())
        else:
            path = self.directory / f"{message.id}.json"
            data = {"id": message.id, "to": message.address, "text": message.body}
            path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        return path.name


class DjangoEmailSender(Sender):
    name = "django"

    def send(self, message: Outgoing) -> str:
        if message.channel != "email":
            raise SendError("django sender sends email only", permanent=True)
        try:
            sent = _email(message).send()
        except OSError as exc:  # SMTP down, refused, timed out: try again later
            raise SendError(f"SMTP: {exc}") from exc
        if not sent:
            raise SendError("SMTP: not accepted")
        return f"email-{message.id}"


def _urlopen(request: urllib.request.Request, timeout: float):
    return urllib.request.urlopen(request, timeout=timeout)


class EsmsSender(Sender):
    """eSMS.vn's "SendMultipleMessage_V4_post_json" (customer-care SMS with a registered brand name).

    Documented answers (https://developers.esms.vn, "Send OTP/Customer care message" and the table
    of error codes): CodeResult "100" accepted (SMSID given); "124" the RequestId was seen already
    (a retry of a message the gateway has: sent); "99" a number blocked, "108" a malformed number
    (trying again cannot help); anything else (balance, keys, brand name, template, IP whitelist)
    and any network or HTTP error is retried, then reported with the gateway's message.
    `transport(request, timeout)` is urllib's by default; tests give a fake (no network).
    """

    name = "esms"
    PERMANENT = {"99", "108"}

    def __init__(self, config: dict | None = None, transport=None, timeout: float = 15.0):
        self.config = config or settings.NHANDAO_ESMS
        self.transport = transport or _urlopen
        self.timeout = timeout

    def payload(self, message: Outgoing) -> dict:
        c = self.config
        return {
            "ApiKey": c["api_key"],
            "SecretKey": c["secret_key"],
            "Phone": message.address,
            "Content": message.body,
            "Brandname": c["brandname"],
            "SmsType": str(c.get("sms_type") or "2"),
            "IsUnicode": "1" if any(ord(ch) > 127 for ch in message.body) else "0",
            "Sandbox": "1" if c.get("sandbox") else "0",
            "RequestId": message.request_id,
        }

    def send(self, message: Outgoing) -> str:
        if message.channel != "sms":
            raise SendError("esms sends SMS only", permanent=True)
        if not (
            self.config.get("api_key") and self.config.get("secret_key") and self.config.get("brandname")
        ):
            raise SendError("eSMS: ESMS_API_KEY, ESMS_SECRET_KEY and ESMS_BRANDNAME are not set")
        request = urllib.request.Request(
            self.config["url"],
            data=json.dumps(self.payload(message)).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with self.transport(request, self.timeout) as response:
                answer = json.loads(response.read().decode("utf-8") or "{}")
        except urllib.error.HTTPError as exc:
            raise SendError(f"eSMS: HTTP {exc.code}") from exc
        except (OSError, ValueError) as exc:  # URLError, timeouts, a body that is not JSON
            raise SendError(f"eSMS: {exc}") from exc
        code = str(answer.get("CodeResult", ""))
        if code == "100":
            return str(answer.get("SMSID", ""))[:100]
        if code == "124":
            return message.request_id
        detail = answer.get("ErrorMessage") or answer.get("error") or ""
        raise SendError(f"eSMS {code or '?'}: {detail}".strip(), permanent=code in self.PERMANENT)


SENDERS = {"console": ConsoleSender, "file": FileSender, "django": DjangoEmailSender, "esms": EsmsSender}


def for_channel(channel: str) -> Sender:
    name = settings.NHANDAO_MESSAGING_SENDERS.get(channel) or "console"
    cls = SENDERS.get(name) or import_string(name)
    return cls()
