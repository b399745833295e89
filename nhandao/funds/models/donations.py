"""Gifts received: money, transfers and goods, their items, attachments and public names."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models import Value as V
from django.db.models.functions import Replace, Right
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .donors import Display, Donor
from .funds import Account, BankAccount, Fund


# Donations ---------------------------------------------------------------------
class Channel(models.TextChoices):
    CASH = "cash", _("Tiền mặt")
    BANK = "bank", _("Chuyển khoản")
    IN_KIND = "in_kind", _("Hiện vật")


class RecordStatus(models.TextChoices):
    POSTED = "posted", _("Đã ghi sổ")
    REVERSED = "reversed", _("Đã hủy bằng bút toán đảo")


# The last three characters of the sender's account that banks leave visible ("0621000400334",
# "103875283***" -> "334", "283"); what the portal publishes (banking.privacy.mask_account) and
# lets donors search by.  One expression for the index and the query, so PostgreSQL uses the index.
ACCOUNT_SUFFIX = Right(
    Replace(
        Replace(Replace(Replace(F("counterparty_account"), V("*"), V("")), V(" "), V("")), V("-"), V("")),
        V("."),
        V(""),
    ),
    3,
)


class Donation(models.Model):
    # Foreign keys covered by the composite indexes below carry no index of their own:
    # fewer indexes to maintain when a statement of 200,000 lines is posted.
    # Unit, fund, campaign, account and bank account are reference data, the same few rows on
    # every gift of a batch: on PostgreSQL they are checked once per statement instead of by a
    # foreign key per row (funds migration 0017: the same refusal, and the parents locked until
    # the commit; PROTECT here and a trigger there keep them from being deleted).
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="donations", db_index=False, db_constraint=False
    )
    fund = models.ForeignKey(
        Fund,
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name=_("quỹ"),
        db_index=False,
        db_constraint=False,
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name=_("cuộc vận động"),
        db_index=False,
        db_constraint=False,
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    channel = models.CharField(_("hình thức"), max_length=8, choices=Channel.choices)
    bank_account = models.ForeignKey(
        BankAccount,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name=_("tài khoản nhận"),
        db_constraint=False,
        # No index of its own: gifts are only ever looked up by account together with their
        # transaction reference (the partial unique index below); no list or report filters
        # gifts by account.  One index fewer to maintain for each gift of a statement.
        db_index=False,
    )
    donor = models.ForeignKey(
        Donor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name=_("nhà hảo tâm"),
        db_index=False,  # partial index below: most gifts have no registered donor
    )
    donor_name = models.CharField(_("tên người ủng hộ"), max_length=200, blank=True)
    display = models.CharField(_("cách hiển thị công khai"), max_length=10, choices=Display.choices)
    public_name = models.CharField(_("tên hiển thị công khai"), max_length=200)
    # Searched by fragment ("nguyen thi mai") through the campaign's distinct names (PublicName):
    # the names that contain the fragment, then their gifts by the (campaign, public_key) index.
    public_key = models.CharField(max_length=200, editable=False)
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    currency = models.CharField(_("loại tiền"), max_length=3, default="VND")
    original_amount = models.DecimalField(
        _("số tiền nguyên tệ"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    exchange_rate = models.DecimalField(_("tỷ giá"), max_digits=18, decimal_places=6, null=True, blank=True)
    received_on = models.DateField(_("ngày nhận"))
    external_ref = models.CharField(_("số tham chiếu giao dịch"), max_length=100, blank=True)
    counterparty_name = models.CharField(_("tên người chuyển"), max_length=200, blank=True)
    counterparty_account = models.CharField(_("tài khoản người chuyển"), max_length=40, blank=True)
    memo = models.CharField(_("nội dung chuyển khoản"), max_length=500, blank=True)
    pledge = models.ForeignKey(
        "Pledge",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name=_("thực hiện cam kết"),
        db_index=False,  # partial index below
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    # A transfer that arrived after its campaign closed, booked to it all the same: the reason
    # (audited).  The Decree 93 report shows these late receipts separately.
    late_reason = models.CharField(
        _("lý do ghi nhận sau khi kết thúc tiếp nhận"), max_length=300, blank=True, default="", db_default=""
    )
    receipt_year = models.PositiveSmallIntegerField(_("quyển biên nhận (năm)"))
    receipt_number = models.PositiveIntegerField(_("số biên nhận"))
    # Unique through Meta.constraints: unique=True would add a second, varchar_pattern_ops index
    # on PostgreSQL that no lookup uses (the code is only ever looked up whole).
    verify_code = models.CharField(_("mã xác minh"), max_length=16)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.POSTED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    recorded_at = models.DateTimeField(_("ghi nhận lúc"))
    # Staff search within their scope, by fragment: a trigram index on PostgreSQL (migration 0003).
    search_key = models.CharField(max_length=400, editable=False)

    class Meta:
        verbose_name = _("khoản ủng hộ")
        verbose_name_plural = _("khoản ủng hộ")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "received_on"]),
            # The staff's list, newest first (its default order), read in index order a page at a time.
            models.Index(fields=["-received_on", "-id"], name="funds_donation_day"),
            models.Index(fields=["fund", "received_on"]),
            # A campaign's gifts newest first, fully ordered (the id breaks ties): the portal's one
            # search merges these ordered scans, one per place, and stops after a page's worth.
            models.Index(fields=["campaign", "-received_on", "-id"], name="funds_donation_campaign_day"),
            # The same orders for the gifts outside any campaign (the general funds' branch of that
            # search): PostgreSQL drops a leading column from an index's order only for an equality,
            # and "campaign IS NULL" is none.  Partial: only those gifts pay for them.
            models.Index(
                fields=["-received_on", "-id"],
                condition=Q(campaign__isnull=True, status="posted"),
                name="funds_donation_general_day",
            ),
            models.Index(
                fields=["amount", "-received_on", "-id"],
                condition=Q(campaign__isnull=True, status="posted"),
                name="funds_donation_general_amount",
            ),
            # The transparency portal's searches within a campaign: by exact amount, by the sender
            # account's visible last digits, by the bank's reference (see public.public_gifts).
            # In the order the portal lists results: a page of one amount is a short index range.
            models.Index(
                fields=["campaign", "amount", "-received_on", "-id"],
                condition=Q(status="posted"),
                name="funds_donation_campaign_amount",
            ),
            # By the sender account's visible digits, newest first, the amount in the index too: a
            # page of a common suffix ("105", ten thousand gifts) is a short index range, read alone.
            models.Index(
                F("campaign"),
                ACCOUNT_SUFFIX,
                F("received_on").desc(),
                F("id").desc(),
                F("amount"),
                condition=Q(status="posted"),
                name="funds_donation_campaign_digits",
            ),
            # The portal's search by name: the gifts of the names PublicName found, newest first;
            # with the amount included a search reads the index alone (PostgreSQL).
            models.Index(
                fields=["campaign", "public_key", "-received_on", "-id"],
                include=["amount"],
                condition=Q(status="posted"),
                name="funds_donation_campaign_name",
            ),
            models.Index(
                fields=["campaign", "external_ref"],
                condition=~Q(external_ref=""),
                name="funds_donation_campaign_ref",
            ),
            models.Index(
                fields=["campaign"], condition=Q(status="reversed"), name="funds_donation_camp_reversed"
            ),
            models.Index(fields=["donor"], condition=Q(donor__isnull=False), name="funds_donation_donor"),
            models.Index(fields=["pledge"], condition=Q(pledge__isnull=False), name="funds_donation_pledge"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) | (Q(channel="in_kind") & Q(amount__gte=0)),
                name="funds_donation_amount_positive",
            ),
            models.UniqueConstraint(
                fields=["unit", "receipt_year", "receipt_number"], name="funds_donation_receipt_unique"
            ),
            models.UniqueConstraint(fields=["verify_code"], name="funds_donation_verify_code_unique"),
            models.UniqueConstraint(
                fields=["bank_account", "external_ref"],
                condition=~Q(external_ref=""),
                name="funds_donation_bank_ref_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_label} · {self.public_name}"

    def get_absolute_url(self) -> str:
        return reverse("funds:donation", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit

    @property
    def receipt_label(self) -> str:
        return f"BN{self.receipt_year}-{self.receipt_number:06d}"

    @property
    def is_reversed(self) -> bool:
        return self.status == RecordStatus.REVERSED


class PublicName(models.Model):
    """A name under which a campaign's gifts are published (`Donation.public_key`), with how many;
    with no campaign, a name under which gifts to the units' general funds are published (the
    portal's one search across campaigns and funds looks those up the same way).

    The portal's search by name fragment looks here first: a campaign of a million gifts has
    far fewer distinct names, and a trigram index on them (PostgreSQL, migration 0007) finds
    those containing "nguyen thi mai" in milliseconds; the gifts then come from the
    (campaign, public_key) index, without reading each candidate gift to recheck it.

    `gifts` counts the gifts ever recorded under the name: it only grows (a reversal or a new
    display choice leaves it), so it is an upper bound, used only to choose how to search.
    Written with the gifts (services.donations), in the same transaction.
    """

    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    key = models.CharField(max_length=200)
    gifts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tên công khai")
        verbose_name_plural = _("tên công khai")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "key"], name="funds_publicname_unique"),
            # NULLs are distinct in the constraint above: the general funds' names get their own.
            models.UniqueConstraint(
                fields=["key"], condition=Q(campaign__isnull=True), name="funds_publicname_general_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class DonationItem(models.Model):
    """One line of goods given in kind, valued in đồng."""

    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="items")
    name = models.CharField(_("tên hàng"), max_length=150)
    unit_label = models.CharField(_("đơn vị tính"), max_length=30)
    quantity = models.DecimalField(_("số lượng"), max_digits=16, decimal_places=3)
    value = models.BigIntegerField(_("giá trị ước tính (đồng)"))
    item_key = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        verbose_name = _("hiện vật ủng hộ")
        verbose_name_plural = _("hiện vật ủng hộ")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(value__gte=0), name="funds_donationitem_ok"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.quantity} {self.unit_label})"


class Attachment(models.Model):
    """A scanned document kept with a donation, pledge or disbursement (served only to staff in scope)."""

    donation = models.ForeignKey(
        Donation, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    pledge = models.ForeignKey(
        "Pledge", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    disbursement = models.ForeignKey(
        "Disbursement", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("tệp"), upload_to="funds/attachments/%Y/%m/", max_length=200)
    name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        constraints = [
            models.CheckConstraint(
                condition=(Q(donation__isnull=False) & Q(pledge__isnull=True) & Q(disbursement__isnull=True))
                | (Q(donation__isnull=True) & Q(pledge__isnull=False) & Q(disbursement__isnull=True))
                | (Q(donation__isnull=True) & Q(pledge__isnull=True) & Q(disbursement__isnull=False)),
                name="funds_attachment_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.name
