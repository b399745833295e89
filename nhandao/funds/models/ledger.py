"""The append-only double-entry ledger: postings, entries, daily digests and the chain head."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .disbursements import Disbursement
from .donations import Donation
from .funds import Account, Fund
from .pledges import Pledge


# The ledger --------------------------------------------------------------------
class LedgerImmutable(Exception):
    """Raised when code tries to change or delete a ledger row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise LedgerImmutable(f"{self.model._meta.label}: sổ cái chỉ được ghi thêm, không được sửa.")

    def delete(self):
        raise LedgerImmutable(f"{self.model._meta.label}: sổ cái chỉ được ghi thêm, không được xóa.")

    def _raw_delete(self, *args, **kwargs):
        raise LedgerImmutable(f"{self.model._meta.label}: sổ cái chỉ được ghi thêm, không được xóa.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerImmutable(f"{self._meta.label}: sổ cái chỉ được ghi thêm, không được sửa.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutable(f"{self._meta.label}: sổ cái chỉ được ghi thêm, không được xóa.")


class PostingQuerySet(AppendOnlyQuerySet):
    def shred_texts(self, *, description: str, reason: str) -> int:
        """The one change a posting allows: on a v2 posting, replace the personal texts and destroy
        their salt (the digest commits to the texts' salted hashes, which stay).  The database's
        trigger allows exactly this UPDATE and refuses any other (migration 0012)."""
        return models.QuerySet.update(
            self.filter(canonical_version__gte=2), description=description, reason=reason, text_salt=""
        )


class PostingKind(models.TextChoices):
    DONATION = "donation", _("Nhận ủng hộ")
    PLEDGE = "pledge", _("Ghi nhận cam kết")
    PLEDGE_FULFILMENT = "pledge_fulfilment", _("Thực hiện cam kết")
    PLEDGE_CANCEL = "pledge_cancel", _("Hủy phần cam kết còn lại")
    DISBURSEMENT = "disbursement", _("Chi, xuất hỗ trợ")
    TRANSFER = "transfer", _("Điều chuyển")
    REVERSAL = "reversal", _("Bút toán đảo")
    GOODS_ADJUSTMENT = "goods_adjust", _("Điều chỉnh hiện vật theo kiểm kê, điều chuyển")


class Posting(AppendOnlyModel):
    """One event in the books; its entries sum to zero.  The id is allocated by the chain head."""

    id = models.BigIntegerField(primary_key=True)
    kind = models.CharField(_("nghiệp vụ"), max_length=20, choices=PostingKind.choices)
    # Reference data: checked once per statement on PostgreSQL, not by a foreign key (funds
    # migration 0017, PROTECT here and a trigger there keep it from being deleted).
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    value_date = models.DateField(_("ngày chứng từ"))
    voucher = models.CharField(_("số chứng từ"), max_length=40, blank=True)
    description = models.CharField(_("diễn giải"), max_length=300)
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    # Checked once per statement on PostgreSQL, not by a foreign key per row (migration 0019).
    donation = models.ForeignKey(
        Donation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="postings",
        db_constraint=False,
    )
    disbursement = models.ForeignKey(
        Disbursement, null=True, blank=True, on_delete=models.PROTECT, related_name="postings", db_index=False
    )
    pledge = models.ForeignKey(
        Pledge, null=True, blank=True, on_delete=models.PROTECT, related_name="postings", db_index=False
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("ghi sổ lúc"))
    digest = models.CharField(max_length=64)
    # The canonical form the digest was computed in (funds/ledger/canonical.py): 1 commits to the
    # description and reason themselves, 2 to their salted hashes below.  A v2 posting whose salt
    # is empty has been shredded: its texts were replaced and can no longer be checked.
    canonical_version = models.PositiveSmallIntegerField(default=1)
    text_salt = models.CharField(max_length=32, blank=True, default="")
    description_hash = models.CharField(max_length=64, blank=True, default="")
    reason_hash = models.CharField(max_length=64, blank=True, default="")

    objects = PostingQuerySet.as_manager()

    class Meta:
        verbose_name = _("bút toán")
        verbose_name_plural = _("bút toán")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["unit", "value_date"]),
            # Most postings are gifts: the other links are rare, index only where they exist.
            models.Index(
                fields=["disbursement"],
                condition=Q(disbursement__isnull=False),
                name="funds_posting_disbursement",
            ),
            models.Index(fields=["pledge"], condition=Q(pledge__isnull=False), name="funds_posting_pledge"),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.get_kind_display()} {self.description}"

    def get_absolute_url(self) -> str:
        return reverse("funds:posting", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit


class Entry(AppendOnlyModel):
    """One line of a posting: a signed amount on an account (debit > 0, credit < 0)."""

    number = models.BigIntegerField(_("số thứ tự"), primary_key=True)
    posting = models.ForeignKey(
        Posting, on_delete=models.PROTECT, related_name="entries", db_constraint=False
    )
    # Fund, account and campaign are reference data, the same few rows on every entry of a
    # batch: on PostgreSQL they are checked once per statement instead of by a foreign key per
    # row (funds migration 0017: the same refusal, and the parents locked until the commit;
    # PROTECT here and a trigger there keep them from being deleted).  So is the posting (0019).
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="entries", db_index=False, db_constraint=False
    )
    amount = models.BigIntegerField(_("số tiền"))
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    item = models.CharField(_("mặt hàng"), max_length=200, blank=True)
    quantity = models.DecimalField(_("số lượng"), max_digits=16, decimal_places=3, null=True, blank=True)
    value_date = models.DateField(_("ngày chứng từ"))
    posted_at = models.DateTimeField(_("ghi sổ lúc"))
    hash = models.CharField(max_length=64)
    campaign_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("dòng sổ cái")
        verbose_name_plural = _("dòng sổ cái")
        ordering = ["number"]
        indexes = [
            models.Index(fields=["account", "value_date", "number"], name="funds_entry_account_date"),
            models.Index(fields=["fund", "value_date", "number"], name="funds_entry_fund_date"),
            models.Index(fields=["campaign", "number"], name="funds_entry_campaign"),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.account_id} {self.amount}"

    @property
    def debit(self) -> int:
        return max(self.amount, 0)

    @property
    def credit(self) -> int:
        return max(-self.amount, 0)


class LedgerDigest(AppendOnlyModel):
    """The chain's state at the end of a day, published so that nobody can rewrite the past unseen.

    A row without a campaign is the whole ledger's chain; a row with a campaign is
    that campaign's own chain (the entries tagged with it), for its public download.
    """

    day = models.DateField(_("ngày"))
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_number = models.BigIntegerField(_("số thứ tự dòng cuối"))
    chain_hash = models.CharField(_("mã băm chuỗi"), max_length=64)
    entries = models.BigIntegerField(_("số dòng trong chuỗi"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tóm tắt sổ cái theo ngày")
        verbose_name_plural = _("tóm tắt sổ cái theo ngày")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["day"], condition=Q(campaign__isnull=True), name="funds_digest_one_per_day"
            ),
            models.UniqueConstraint(
                fields=["day", "campaign"],
                condition=Q(campaign__isnull=False),
                name="funds_digest_one_per_day_campaign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} #{self.last_number} {self.chain_hash[:12]}"


class ChainHead(models.Model):
    """The tip of the hash chain, locked by every posting: it serialises the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_number = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    last_posting_id = models.BigIntegerField(default=0)
    last_posted_at = models.DateTimeField(null=True, blank=True)
    # The latest whole-ledger digest stored: the head may never move back before it, and the
    # digests table must still end with it (truncation of either is caught by verify_ledger).
    digest_day = models.DateField(null=True, blank=True)
    digest_number = models.BigIntegerField(default=0)
    digest_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("đầu chuỗi sổ cái")
        verbose_name_plural = _("đầu chuỗi sổ cái")

    def __str__(self) -> str:
        return f"#{self.last_number} {self.last_hash[:12]}"
