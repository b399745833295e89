"""What the fund holds about a person, and how it forgets them (core.subjects).

Shredding a donor renames the donor profile and its gifts' names to the pseudonym, publishes the
gifts as "Nhà hảo tâm", and blanks phone, address, tax code, the payer's account and the memo.
Amounts, dates, receipts' numbers and the ledger stay.  The ledger's postings are NOT touched:
their description ("Nhận ủng hộ … của <tên>") is inside the text the hash chain commits to
(funds/ledger/canonical.py, posting-v1), so rewriting it would break `verify_ledger`.  Forgetting
those names needs a posting-v2 canonical form that commits to the text's hash or leaves the
name out; until then they stay, visible only to roles with funds.view.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Q

from nhandao.core.subjects import Section, pseudonym, text
from nhandao.core.text import search_key

from .models import ANONYMOUS_NAME, Disbursement, DisbursementStatus, Display, Donation, Donor, PublicName
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


def shred(person, actor) -> int:
    name = pseudonym(person.pk)
    donors = list(Donor.objects.select_for_update().filter(person=person).order_by("id"))
    for donor in donors:
        donor.name = name
        donor.phone = donor.address = donor.tax_code = donor.contact_name = donor.note = ""
        donor.display = Display.ANONYMOUS
        donor.save()
    gifts = Donation.objects.filter(donor__in=donors)
    anonymous_key = search_key(ANONYMOUS_NAME)[:200]
    old_keys = set(gifts.exclude(public_key=anonymous_key).values_list("campaign_id", "public_key"))
    counts = Counter(
        (campaign_id, anonymous_key)
        for campaign_id in gifts.exclude(public_key=anonymous_key).values_list("campaign_id", flat=True)
    )
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
    if counts:
        _count_public_names(counts)
    # A public name no gift carries any more leaves the portal's search index with the person.
    for campaign_id, key in sorted(old_keys, key=lambda k: (k[0] or 0, k[1])):
        if not Donation.objects.filter(campaign_id=campaign_id, public_key=key).exists():
            PublicName.objects.filter(campaign_id=campaign_id, key=key).delete()
    return len(donors) + n
