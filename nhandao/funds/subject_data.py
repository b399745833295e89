"""What the fund holds about a person, and how it forgets them (core.subjects).

Shredding a donor renames the donor profile, its gifts' and pledges' names to the pseudonym,
publishes them as "Nhà hảo tâm", and blanks phone, address, tax code, the payer's account and the
memo; a payment to the person (a payment naming a case they belong to, paid to them by name)
loses the payee's name, account and bank.  Amounts, dates, receipts' numbers and the chain stay.

The ledger's postings carry the name too ("Nhận ủng hộ … của <tên>").  Postings written in the
canonical form v2 commit to a salted hash of their texts, so the name is replaced and the salt
destroyed (funds/ledger/redaction.py): `verify_ledger`, the published digests and the public
script still verify.  Postings written before v2 (v1) commit to the text itself: they keep the
name (visible only to roles with funds.view, never published) and the shredding says so, in
Vietnamese, in its audit event and on the request page (see nhandao/funds/README.md).
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Q

from nhandao.core import audit
from nhandao.core.subjects import Section, pseudonym, text
from nhandao.core.text import normalize, search_key

from . import ledger
from .models import (
    ANONYMOUS_NAME,
    Disbursement,
    DisbursementStatus,
    Display,
    Donation,
    Donor,
    Pledge,
    Posting,
    PublicName,
)
from .services.donations import _count_public_names


def collect(person) -> list[Section]:
    donors = list(Donor.objects.filter(person=person).order_by("id"))
    profile = Section(
        "Nhà hảo tâm",
        [
            {
                "Tên": d.name,
                "Điện thoại": d.phone,
                "Địa chỉ": d.address,
                "Mã số thuế": d.tax_code,
                "Cách hiển thị công khai": d.get_display_display(),
            }
            for d in donors
        ],
    )
    gifts = Section(
        "Các khoản ủng hộ",
        [
            {
                "Ngày nhận": text(g.received_on),
                "Số tiền (đồng)": text(g.amount),
                "Tên công khai": g.public_name,
                "Biên nhận": g.receipt_label,
                "Nội dung chuyển khoản": g.memo,
            }
            for g in Donation.objects.filter(donor__in=donors).order_by("received_on", "id")
        ],
    )
    return [s for s in (profile, gifts) if s.rows]


def blockers(person) -> list[str]:
    """A payment still in draft for a household the person belongs to: deleting now would leave
    the approver paying a nameless file.  The request waits until it is approved or withdrawn."""

    drafts = (
        Disbursement.objects.filter(status=DisbursementStatus.DRAFT)
        .filter(Q(cases__case__head=person) | Q(cases__case__members__person=person))
        .distinct()
        .order_by("id")
    )
    return [
        f"Khoản chi {d.voucher_label} đang chờ duyệt cho hồ sơ của người này: "
        "hãy duyệt hoặc rút lại khoản chi trước khi xoá dữ liệu."
        for d in drafts
    ]


def _payments_to(person, names: set[str]):
    """Payments naming a case the person belongs to and paid to them by name."""
    keys = {normalize(n) for n in names if n}
    ids = (
        Disbursement.objects.filter(Q(cases__case__head=person) | Q(cases__case__members__person=person))
        .exclude(payee_name="")
        .values("pk")
    )
    payments = Disbursement.objects.select_for_update().filter(pk__in=ids).order_by("id")
    return [d for d in payments if normalize(d.payee_name) in keys]


def shred(person, actor) -> int:
    name = pseudonym(person.pk)
    donors = list(Donor.objects.select_for_update().filter(person=person).order_by("id"))
    gifts = Donation.objects.filter(donor__in=donors)
    pledges = Pledge.objects.filter(donor__in=donors)
    # Every spelling of the person's name the fund holds: what the postings' texts were built from.
    names = {person.full_name, *(d.name for d in donors), *(d.contact_name for d in donors)}
    names |= set(gifts.values_list("donor_name", flat=True)) | set(
        gifts.values_list("counterparty_name", flat=True)
    )
    names |= set(pledges.values_list("donor_name", flat=True))
    names.discard(name)
    payments = _payments_to(person, names)
    names |= {d.payee_name for d in payments}
    for donor in donors:
        donor.name = name
        donor.phone = donor.address = donor.tax_code = donor.contact_name = donor.note = ""
        donor.display = Display.ANONYMOUS
        donor.save()
    anonymous_key = search_key(ANONYMOUS_NAME)[:200]
    old_keys = set(gifts.exclude(public_key=anonymous_key).values_list("campaign_id", "public_key"))
    counts = Counter(
        (campaign_id, anonymous_key)
        for campaign_id in gifts.exclude(public_key=anonymous_key).values_list("campaign_id", flat=True)
    )
    posting_ids = set(
        Posting.objects.filter(Q(donation__in=gifts) | Q(pledge__in=pledges)).values_list("pk", flat=True)
    )
    posting_ids |= set(Posting.objects.filter(disbursement__in=payments).values_list("pk", flat=True))
    n = gifts.update(
        donor_name=name,
        display=Display.ANONYMOUS,
        public_name=ANONYMOUS_NAME,
        public_key=anonymous_key,
        counterparty_name="",
        counterparty_account="",
        memo="",
        note="",
    )
    # The staff search key held the name (without its marks): rebuild it from what is left.
    for gift in gifts.order_by("id"):
        Donation.objects.filter(pk=gift.pk).update(search_key=search_key(name, gift.receipt_label)[:400])
    n += pledges.update(donor_name=name, display=Display.ANONYMOUS, public_name=ANONYMOUS_NAME, note="")
    for payment in payments:
        payment.payee_name = name
        payment.payee_account = payment.payee_bank = ""
        payment.search_key = search_key(payment.purpose, name, payment.help_reference)[:400]
        payment.save(update_fields=["payee_name", "payee_account", "payee_bank", "search_key"])
    n += len(payments)
    if counts:
        _count_public_names(counts)
    # A public name no gift carries any more leaves the portal's search index with the person.
    for campaign_id, key in sorted(old_keys, key=lambda k: (k[0] or 0, k[1])):
        if not Donation.objects.filter(campaign_id=campaign_id, public_key=key).exists():
            PublicName.objects.filter(campaign_id=campaign_id, key=key).delete()
    redaction = ledger.redact(posting_ids=posting_ids, names=names, replacement=name)
    if redaction.shredded or redaction.kept_v1:
        audit.record(
            actor=actor,
            action="funds.postings.shredded",
            obj=person,
            data={
                "postings": redaction.shredded,
                "kept_v1": redaction.kept_v1,
                "note": kept_v1_note(len(redaction.kept_v1)) if redaction.kept_v1 else "",
            },
        )
    return len(donors) + n + len(redaction.shredded)


def remaining(person) -> list[str]:
    """The v1 postings of the person's gifts and pledges (and their reversals) still carry a name:
    the chain commits to their text (see the module's docstring)."""
    linked = Posting.objects.filter(Q(donation__donor__person=person) | Q(pledge__donor__person=person))
    ids = ledger.with_reversals(linked.filter(canonical_version=1).values_list("pk", flat=True))
    count = Posting.objects.filter(pk__in=ids, canonical_version=1).count() if ids else 0
    return [kept_v1_note(count)] if count else []


def kept_v1_note(count: int) -> str:
    """Why some postings still carry the name (Vietnamese, for the request page and the trail)."""
    return (
        f"{count} bút toán ghi sổ trước khi áp dụng dạng chuẩn v2 vẫn giữ tên người này trong diễn giải: "
        "chuỗi băm của sổ cái và các bản tóm tắt đã công bố cam kết trực tiếp vào nội dung đó, sửa sẽ "
        "phá vỡ kiểm chứng. Các bút toán này chỉ người có quyền xem quỹ thấy, không công bố ra ngoài."
    )
