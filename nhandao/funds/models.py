"""The humanitarian fund: funds, accounts, donors, gifts, pledges, payments and the ledger.

Money is whole đồng in integer columns.  The ledger is double entry: every event
(a gift, a pledge, an approved payment, a transfer, a reversal) is one `Posting`
whose `Entry` rows sum to zero.  Balances are sums of entries; `Account.balance`
is a cache that `verify_ledger` recomputes and compares.

Postings, entries and daily digests are append-only: the models refuse updates
and deletes, and the database refuses them too (a PostgreSQL trigger, SQLite
triggers; see migration 0002).  Each entry carries a SHA-256 hash chaining the
previous entry's hash with a canonical serialisation of its own content (see
`ledger.py`), so a change made behind the application's back is detected.

The business records around the ledger (donations, pledges, disbursements) are
ordinary rows whose money fields never change after posting: corrections are
reversing postings, and the records only change status.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models import Value as V
from django.db.models.functions import Replace, Right
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nhandao.core.text import search_key

ANONYMOUS_NAME = "Nhà hảo tâm"


# Funds and accounts -----------------------------------------------------------
class FundKind(models.TextChoices):
    GENERAL = "general", _("Quỹ nhân đạo")
    RESTRICTED = "restricted", _("Quỹ hạn chế theo cuộc vận động")


class FundStatus(models.TextChoices):
    OPEN = "open", _("Đang hoạt động")
    CLOSED = "closed", _("Đã đóng")


class Fund(models.Model):
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="funds", verbose_name=_("đơn vị")
    )
    kind = models.CharField(_("loại quỹ"), max_length=12, choices=FundKind.choices)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funds",
        verbose_name=_("cuộc vận động"),
    )
    name = models.CharField(_("tên quỹ"), max_length=250)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=FundStatus.choices, default=FundStatus.OPEN
    )
    opened_on = models.DateField(_("ngày mở"))
    closed_on = models.DateField(_("ngày đóng"), null=True, blank=True)
    description = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quỹ")
        verbose_name_plural = _("quỹ")
        ordering = ["unit__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(kind="general"), name="funds_fund_one_general_per_unit"
            ),
            models.UniqueConstraint(
                fields=["unit", "campaign"],
                condition=Q(kind="restricted"),
                name="funds_fund_one_restricted_per_campaign",
            ),
            models.CheckConstraint(
                condition=(Q(kind="general") & Q(campaign__isnull=True))
                | (Q(kind="restricted") & Q(campaign__isnull=False)),
                name="funds_fund_restricted_has_campaign",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funds:fund", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit

    @property
    def is_open(self) -> bool:
        return self.status == FundStatus.OPEN

    @property
    def restricted(self) -> bool:
        return self.kind == FundKind.RESTRICTED


class BankAccount(models.Model):
    """A real account at a bank, held by a unit; VietQR codes and statement imports use it.

    Several funds of the unit may keep money in it: each fund has its own ledger
    account pointing here, and the bank balance is their sum.
    """

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="bank_accounts", verbose_name=_("đơn vị")
    )
    bank_name = models.CharField(_("ngân hàng"), max_length=150)
    bank_bin = models.CharField(
        _("mã BIN ngân hàng (NAPAS)"), max_length=6, help_text=_("6 chữ số, ví dụ 970436 (Vietcombank).")
    )
    account_number = models.CharField(_("số tài khoản"), max_length=30)
    holder = models.CharField(_("chủ tài khoản"), max_length=200)
    branch = models.CharField(_("chi nhánh"), max_length=150, blank=True)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bank_accounts",
        verbose_name=_("tài khoản chuyên thu cho cuộc vận động"),
    )
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tài khoản ngân hàng")
        verbose_name_plural = _("tài khoản ngân hàng")
        ordering = ["unit__path", "bank_name"]
        constraints = [
            models.UniqueConstraint(fields=["bank_bin", "account_number"], name="funds_bankaccount_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} · {self.account_number}"

    @property
    def audit_unit(self):
        return self.unit


class AccountKind(models.TextChoices):
    CASH = "cash", _("Tiền mặt")
    BANK = "bank", _("Tiền gửi ngân hàng")
    GOODS = "goods", _("Hiện vật trong kho")
    PLEDGES = "pledges", _("Phải thu cam kết ủng hộ")
    PLEDGES_DEFERRED = "pledges_deferred", _("Cam kết ủng hộ chưa nhận")
    INCOME = "income", _("Thu ủng hộ bằng tiền")
    INCOME_GOODS = "income_goods", _("Thu ủng hộ bằng hiện vật")
    TRANSFER_IN = "transfer_in", _("Nhận điều chuyển")
    TRANSFER_OUT = "transfer_out", _("Điều chuyển cho đơn vị cấp dưới")
    EXPENSE = "expense", _("Chi hỗ trợ bằng tiền")
    GOODS_ISSUED = "goods_issued", _("Xuất hiện vật hỗ trợ")


# Assets may never go below zero; money accounts are cash and bank.
ASSET_KINDS = frozenset({AccountKind.CASH, AccountKind.BANK, AccountKind.GOODS, AccountKind.PLEDGES})
MONEY_KINDS = frozenset({AccountKind.CASH, AccountKind.BANK})
# Every fund gets these at creation; bank accounts are added per bank account.
STANDARD_KINDS = [k for k in AccountKind if k != AccountKind.BANK]


class Account(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("quỹ"))
    kind = models.CharField(_("loại tài khoản"), max_length=20, choices=AccountKind.choices)
    bank_account = models.ForeignKey(
        BankAccount,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_accounts",
        verbose_name=_("tài khoản ngân hàng"),
    )
    # A cache of the sum of this account's entries, updated in the posting's
    # transaction; verify_ledger recomputes it.
    balance = models.BigIntegerField(_("số dư"), default=0)

    class Meta:
        verbose_name = _("tài khoản sổ quỹ")
        verbose_name_plural = _("tài khoản sổ quỹ")
        ordering = ["fund", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "kind"], condition=~Q(kind="bank"), name="funds_account_one_per_kind"
            ),
            models.UniqueConstraint(
                fields=["fund", "bank_account"],
                condition=Q(kind="bank"),
                name="funds_account_one_per_bank_account",
            ),
            models.CheckConstraint(
                condition=(Q(kind="bank") & Q(bank_account__isnull=False))
                | (~Q(kind="bank") & Q(bank_account__isnull=True)),
                name="funds_account_bank_has_bank_account",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == AccountKind.BANK and self.bank_account_id:
            return f"{self.get_kind_display()} {self.bank_account}"
        return str(self.get_kind_display())

    @property
    def audit_unit(self):
        return self.fund.unit

    @property
    def is_asset(self) -> bool:
        return self.kind in ASSET_KINDS

    @property
    def is_money(self) -> bool:
        return self.kind in MONEY_KINDS


# Donors ----------------------------------------------------------------------
class DonorKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")


class Display(models.TextChoices):
    """How a donor appears in public (the portal, receipts' verification page)."""

    FULL = "full", _("Họ tên đầy đủ")
    INITIALS = "initials", _("Chữ cái đầu (ví dụ N.T.M.)")
    ANONYMOUS = "anonymous", _("Ẩn danh (“Nhà hảo tâm”)")


class Donor(models.Model):
    """A registered giver: a person of the registry or an organisation.

    Gifts from people who are not registered (most bank transfers) keep the name as
    given on the donation itself.
    """

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="donors", verbose_name=_("đơn vị quản lý")
    )
    kind = models.CharField(_("loại"), max_length=12, choices=DonorKind.choices)
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donor_profiles",
        verbose_name=_("người"),
    )
    name = models.CharField(_("tên"), max_length=200)
    tax_code = models.CharField(_("mã số thuế"), max_length=20, blank=True)
    contact_name = models.CharField(_("người liên hệ"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    display = models.CharField(
        _("cách hiển thị công khai"), max_length=10, choices=Display.choices, default=Display.FULL
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    search_key = models.CharField(max_length=300, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nhà hảo tâm")
        verbose_name_plural = _("nhà hảo tâm")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="person") & Q(person__isnull=False))
                | (Q(kind="organisation") & Q(person__isnull=True)),
                name="funds_donor_person_kind",
            ),
            models.UniqueConstraint(
                fields=["unit", "person"],
                condition=Q(person__isnull=False),
                name="funds_donor_one_per_person",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.name, self.tax_code, self.phone)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("funds:donor", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit


# Counters for receipt books and vouchers ---------------------------------------
class Counter(models.Model):
    """The last number used in a unit's book of a series for a year (receipts "BN", vouchers "PC", "PX")."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("quyển chứng từ")
        verbose_name_plural = _("quyển chứng từ")
        constraints = [
            models.UniqueConstraint(fields=["unit", "series", "year"], name="funds_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year} · {self.unit_id}: {self.last_number}"


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
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="donations", db_index=False)
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="donations", verbose_name=_("quỹ"), db_index=False
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name=_("cuộc vận động"),
        db_index=False,
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+", db_index=False)
    channel = models.CharField(_("hình thức"), max_length=8, choices=Channel.choices)
    bank_account = models.ForeignKey(
        BankAccount,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name=_("tài khoản nhận"),
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
            models.Index(fields=["fund", "received_on"]),
            models.Index(fields=["campaign", "received_on"]),
            # The transparency portal's searches within a campaign: by exact amount, by the sender
            # account's visible last digits, by the bank's reference (see selectors.public_gifts).
            # In the order the portal lists results: a page of one amount is a short index range.
            models.Index(
                fields=["campaign", "amount", "-received_on", "-id"],
                condition=Q(status="posted"),
                name="funds_donation_campaign_amount",
            ),
            models.Index(F("campaign"), ACCOUNT_SUFFIX, name="funds_donation_campaign_acct"),
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
    """A name under which a campaign's gifts are published (`Donation.public_key`), with how many.

    The portal's search by name fragment looks here first: a campaign of a million gifts has
    far fewer distinct names, and a trigram index on them (PostgreSQL, migration 0007) finds
    those containing "nguyen thi mai" in milliseconds; the gifts then come from the
    (campaign, public_key) index, without reading each candidate gift to recheck it.

    `gifts` counts the gifts ever recorded under the name: it only grows (a reversal or a new
    display choice leaves it), so it is an upper bound, used only to choose how to search.
    Written with the gifts (services.donations), in the same transaction.
    """

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    key = models.CharField(max_length=200)
    gifts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tên công khai")
        verbose_name_plural = _("tên công khai")
        constraints = [models.UniqueConstraint(fields=["campaign", "key"], name="funds_publicname_unique")]

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


# Pledges -----------------------------------------------------------------------
class PledgeStatus(models.TextChoices):
    OPEN = "open", _("Đang thực hiện")
    FULFILLED = "fulfilled", _("Đã thực hiện đủ")
    CANCELLED = "cancelled", _("Đã hủy phần còn lại")


class Pledge(models.Model):
    """A promise to give (an organisation promises 50 million over the year)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="pledges")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("quỹ"))
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
        verbose_name=_("cuộc vận động"),
    )
    donor = models.ForeignKey(
        Donor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
        verbose_name=_("nhà hảo tâm"),
    )
    donor_name = models.CharField(_("tên người cam kết"), max_length=200)
    display = models.CharField(_("cách hiển thị công khai"), max_length=10, choices=Display.choices)
    public_name = models.CharField(_("tên hiển thị công khai"), max_length=200)
    amount = models.BigIntegerField(_("số tiền cam kết (đồng)"))
    pledged_on = models.DateField(_("ngày cam kết"))
    due_on = models.DateField(_("hạn thực hiện"), null=True, blank=True)
    code = models.CharField(_("mã tham chiếu"), max_length=12, unique=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PledgeStatus.choices, default=PledgeStatus.OPEN
    )
    cancelled_amount = models.BigIntegerField(_("số tiền đã hủy"), default=0)
    cancel_reason = models.CharField(_("lý do hủy"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("ghi nhận lúc"))
    search_key = models.CharField(max_length=300, db_index=True, editable=False)

    class Meta:
        verbose_name = _("cam kết ủng hộ")
        verbose_name_plural = _("cam kết ủng hộ")
        ordering = ["-pledged_on", "-id"]
        indexes = [models.Index(fields=["unit", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_pledge_amount_positive"),
            models.CheckConstraint(
                condition=Q(cancelled_amount__gte=0) & Q(cancelled_amount__lte=models.F("amount")),
                name="funds_pledge_cancelled_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donor_name} · {self.code}"

    def get_absolute_url(self) -> str:
        return reverse("funds:pledge", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit


class PledgeFulfilment(models.Model):
    """Part of a gift applied to a pledge (in the gift's posting or in a later one)."""

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="fulfilments")
    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="fulfilments")
    amount = models.BigIntegerField()
    posting = models.ForeignKey("Posting", on_delete=models.PROTECT, related_name="+")
    reversed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thực hiện cam kết")
        verbose_name_plural = _("thực hiện cam kết")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_fulfilment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.pledge_id} ← {self.donation_id}: {self.amount}"


# Disbursements -----------------------------------------------------------------
class DisbursementKind(models.TextChoices):
    PAYMENT = "payment", _("Chi hỗ trợ bằng tiền")
    TRANSFER = "transfer", _("Điều chuyển tiền cho quỹ đơn vị cấp dưới")
    GOODS_ISSUE = "goods_issue", _("Xuất hiện vật hỗ trợ")
    GOODS_TRANSFER = "goods_transfer", _("Điều chuyển hiện vật cho đơn vị cấp dưới")


MONEY_DISBURSEMENTS = frozenset({DisbursementKind.PAYMENT, DisbursementKind.TRANSFER})
GOODS_DISBURSEMENTS = frozenset({DisbursementKind.GOODS_ISSUE, DisbursementKind.GOODS_TRANSFER})
TRANSFERS = frozenset({DisbursementKind.TRANSFER, DisbursementKind.GOODS_TRANSFER})


class DisbursementStatus(models.TextChoices):
    DRAFT = "draft", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt, đã ghi sổ")
    REJECTED = "rejected", _("Không duyệt")
    WITHDRAWN = "withdrawn", _("Đã rút lại")
    REVERSED = "reversed", _("Đã hủy bằng bút toán đảo")


class HelpKind(models.TextChoices):
    CASH = "cash", _("Hỗ trợ tiền mặt")
    GIFTS = "gifts", _("Quà tặng")
    RELIEF = "relief", _("Cứu trợ khẩn cấp")
    HEALTH = "health", _("Chăm sóc sức khỏe")
    SCHOLARSHIP = "scholarship", _("Học bổng")
    LIVELIHOOD = "livelihood", _("Sinh kế")
    HOUSING = "housing", _("Nhà nhân đạo")
    TRANSFER = "transfer", _("Điều chuyển cho đơn vị cấp dưới")
    OTHER = "other", _("Khác")


class Disbursement(models.Model):
    """A payment, a transfer to a sub-unit's fund or an issue of goods: drafted, then approved by another user."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="disbursements")
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="disbursements", verbose_name=_("chi từ quỹ")
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursements",
        verbose_name=_("cuộc vận động"),
    )
    kind = models.CharField(_("loại"), max_length=16, choices=DisbursementKind.choices)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=DisbursementStatus.choices, default=DisbursementStatus.DRAFT
    )
    series = models.CharField(max_length=2)  # PC: phiếu chi (money), PX: phiếu xuất kho (goods)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField(_("số phiếu"))
    amount = models.BigIntegerField(_("số tiền (đồng)"), default=0)
    source_account = models.ForeignKey(
        Account,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chi từ tài khoản"),
    )
    destination_unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị nhận điều chuyển"),
    )
    destination_bank_account = models.ForeignKey(
        BankAccount,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tài khoản nhận của đơn vị cấp dưới"),
    )
    destination_fund = models.ForeignKey(
        Fund, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("quỹ nhận")
    )
    purpose = models.CharField(_("nội dung chi"), max_length=300)
    help_kind = models.CharField(_("hình thức hỗ trợ"), max_length=12, choices=HelpKind.choices)
    recipient_unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("địa bàn nhận hỗ trợ"),
    )
    households = models.PositiveIntegerField(_("số hộ được hỗ trợ"), null=True, blank=True)
    people = models.PositiveIntegerField(_("số người được hỗ trợ"), null=True, blank=True)
    payee_name = models.CharField(_("người nhận tiền"), max_length=200, blank=True)
    payee_account = models.CharField(_("tài khoản người nhận"), max_length=40, blank=True)
    payee_bank = models.CharField(_("ngân hàng người nhận"), max_length=150, blank=True)
    help_reference = models.CharField(
        _("mã hồ sơ trợ giúp"),
        max_length=100,
        blank=True,
        help_text=_("Mã hồ sơ trợ giúp của đối tượng thụ hưởng (phân hệ đối tượng thụ hưởng)."),
    )
    value_date = models.DateField(_("ngày chi"))
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người lập")
    )
    drafted_at = models.DateTimeField(_("lập lúc"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    decided_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    decision_note = models.CharField(_("ý kiến người duyệt"), max_length=300, blank=True)
    bank_reference = models.CharField(_("số tham chiếu trên sao kê"), max_length=100, blank=True)
    bank_matched_on = models.DateField(_("ngày đối chiếu sao kê"), null=True, blank=True)
    search_key = models.CharField(max_length=400, db_index=True, editable=False)

    class Meta:
        verbose_name = _("khoản chi")
        verbose_name_plural = _("khoản chi")
        ordering = ["-value_date", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["fund", "value_date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "series", "year", "number"], name="funds_disbursement_number_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funds_disbursement_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher_label} · {self.purpose}"

    def get_absolute_url(self) -> str:
        return reverse("funds:disbursement", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit

    @property
    def voucher_label(self) -> str:
        return f"{self.series}{self.year}-{self.number:05d}"

    @property
    def is_goods(self) -> bool:
        return self.kind in GOODS_DISBURSEMENTS

    @property
    def is_transfer(self) -> bool:
        return self.kind in TRANSFERS


class DisbursementItem(models.Model):
    disbursement = models.ForeignKey(Disbursement, on_delete=models.PROTECT, related_name="items")
    item_key = models.CharField(max_length=200)
    name = models.CharField(_("tên hàng"), max_length=150)
    unit_label = models.CharField(_("đơn vị tính"), max_length=30)
    quantity = models.DecimalField(_("số lượng"), max_digits=16, decimal_places=3)
    value = models.BigIntegerField(_("giá trị (đồng)"), default=0)

    class Meta:
        verbose_name = _("hiện vật xuất")
        verbose_name_plural = _("hiện vật xuất")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="funds_disbursementitem_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.quantity} {self.unit_label})"


# Help to people: which beneficiary cases a payment or an issue of goods is for.
# The fund decides nothing about the cases beyond this link; eligibility, the
# double-help check and the help records themselves belong to the beneficiaries
# module (nhandao.beneficiaries.api).
FUND_TO_CASE_HELP_KIND = {
    # funds HelpKind -> beneficiaries HelpKind (money, goods)
    HelpKind.CASH: ("cash", "goods"),
    HelpKind.GIFTS: ("gift", "gift"),
    HelpKind.RELIEF: ("emergency", "emergency"),
    HelpKind.HEALTH: ("health", "health"),
    HelpKind.SCHOLARSHIP: ("scholarship", "scholarship"),
    HelpKind.LIVELIHOOD: ("livelihood", "livelihood"),
    HelpKind.HOUSING: ("house", "house"),
    HelpKind.OTHER: ("cash", "goods"),
}
# Only these kinds of disbursement can name beneficiary cases (transfers go to a unit).
CASE_DISBURSEMENTS = frozenset({DisbursementKind.PAYMENT, DisbursementKind.GOODS_ISSUE})
MAX_CASES_PER_DISBURSEMENT = 200


class DisbursementCase(models.Model):
    """One beneficiary case a disbursement helps, with its share.

    `amount` is the case's share of a payment (the shares sum to the disbursement's
    amount); for goods it is set at approval from the issued value.  The help record
    is created at approval, in the posting's transaction, and cancelled with a reversal.
    """

    disbursement = models.ForeignKey(Disbursement, on_delete=models.PROTECT, related_name="cases")
    case = models.ForeignKey(
        "beneficiaries.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("hồ sơ")
    )
    amount = models.BigIntegerField(_("số tiền (đồng)"), default=0)
    duplicate_reason = models.CharField(_("lý do vẫn trợ giúp"), max_length=300, blank=True)
    help_record = models.ForeignKey(
        "beneficiaries.HelpRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lần trợ giúp"),
    )

    class Meta:
        verbose_name = _("hồ sơ được hỗ trợ")
        verbose_name_plural = _("hồ sơ được hỗ trợ")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["disbursement", "case"], name="funds_disbursementcase_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funds_disbursementcase_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.disbursement_id} → HS-{self.case_id:06d}"


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


class PostingKind(models.TextChoices):
    DONATION = "donation", _("Nhận ủng hộ")
    PLEDGE = "pledge", _("Ghi nhận cam kết")
    PLEDGE_FULFILMENT = "pledge_fulfilment", _("Thực hiện cam kết")
    PLEDGE_CANCEL = "pledge_cancel", _("Hủy phần cam kết còn lại")
    DISBURSEMENT = "disbursement", _("Chi, xuất hỗ trợ")
    TRANSFER = "transfer", _("Điều chuyển")
    REVERSAL = "reversal", _("Bút toán đảo")


class Posting(AppendOnlyModel):
    """One event in the books; its entries sum to zero.  The id is allocated by the chain head."""

    id = models.BigIntegerField(primary_key=True)
    kind = models.CharField(_("nghiệp vụ"), max_length=20, choices=PostingKind.choices)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    value_date = models.DateField(_("ngày chứng từ"))
    voucher = models.CharField(_("số chứng từ"), max_length=40, blank=True)
    description = models.CharField(_("diễn giải"), max_length=300)
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    donation = models.ForeignKey(
        Donation, null=True, blank=True, on_delete=models.PROTECT, related_name="postings"
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
    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="entries")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+", db_index=False)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries", db_index=False)
    amount = models.BigIntegerField(_("số tiền"))
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
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

    class Meta:
        verbose_name = _("đầu chuỗi sổ cái")
        verbose_name_plural = _("đầu chuỗi sổ cái")

    def __str__(self) -> str:
        return f"#{self.last_number} {self.last_hash[:12]}"
