"""Demo outbox: Lê Chân's society tells a few members about its meeting by SMS.  Those who agreed
are queued (the worker sends them once the seed commits: `make demo` runs one, or run
`manage.py send_due_messages`; the file sender writes them under var/outbox/); one who said no and
one without consent are kept as suppressed with the reason."""

from __future__ import annotations

from nhandao.core.seeding import SeedContext
from nhandao.people.models import Person

from . import services
from .models import ConsentSource

TEXT = (
    "Hội Chữ thập đỏ phường Lê Chân mời hội viên dự họp sơ kết 6 tháng lúc 8h00 thứ Bảy "
    "tại nhà văn hóa tổ dân phố số 1."
)


def run(ctx: SeedContext) -> None:
    unit = ctx.data["commune_a"]
    people = list(
        Person.objects.filter(unit__path__startswith=unit.path, merged_into__isnull=True)
        .exclude(phone="")
        .order_by("pk")[:6]
    )
    officer = ctx.data.get("users", {}).get("quanly.lechan")
    for i, person in enumerate(people):
        if i < 4:  # four agreed on the membership form; the fifth refused; the sixth never said
            services.consent_record(
                actor=None,
                channel="sms",
                purpose="messaging.notice",
                granted=True,
                source=ConsentSource.FORM,
                person=person,
            )
        elif i == 4:
            services.consent_record(
                actor=None,
                channel="sms",
                purpose="messaging.notice",
                granted=False,
                source=ConsentSource.STAFF,
                person=person,
            )
        services.message_queue(
            actor=officer,
            unit=unit,
            channel="sms",
            purpose="messaging.notice",
            body=TEXT,
            person=person,
            dedup_key=f"hop-so-ket:{ctx.today:%Y-%m}",
        )
    ctx.log(f"  messaging: {len(people)} tin nhắn mẫu")
