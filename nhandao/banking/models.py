"""Banking data: statement files imported into a fund's bank account, their lines, how each line
was matched (a donation posted, a disbursement found, or "not a donation"), the rules a finance
officer taught the import, reconciled periods, VietQR references, and saved column mappings.

Lines belong to a `funds.BankAccount`; a line is identified by `identity`
(statements.identity: the bank's reference, or a fingerprint), unique per account, so
importing a file twice or two overlapping statements stores each transfer once.  Money
reaches the books only through the fund services: a posted line points at its
`funds.Donation`, a matched debit at its `funds.Disbursement`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nhandao.org.models import Unit

from .privacy import mask_account
from .statements.mapping import MappingSpec

DESCRIPTION_SEPARATOR = ";"


class StatementColumnMapping(models.Model):
    """Which column of a bank's CSV/XLSX is which, by header text or by position (A, B, C...)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="statement_mappings")
    name = models.CharField(_("tên mẫu"), max_length=100)
    bank_code = models.CharField(_("ngân hàng"), max_length=20, blank=True)
    date_column = models.CharField(_("cột ngày giao dịch"), max_length=100)
    time_column = models.CharField(_("cột giờ"), max_length=100, blank=True)
    amount_column = models.CharField(_("cột số tiền (có dấu)"), max_length=100, blank=True)
    debit_column = models.CharField(_("cột ghi nợ"), max_length=100, blank=True)
    credit_column = models.CharField(_("cột ghi có"), max_length=100, blank=True)
    direction_column = models.CharField(_("cột nợ/có"), max_length=100, blank=True)
    balance_column = models.CharField(_("cột số dư"), max_length=100, blank=True)
    description_columns = models.CharField(
        _("cột diễn giải"), max_length=300, help_text=_("Nhiều cột thì ngăn cách bằng dấu chấm phẩy (;).")
    )
    reference_column = models.CharField(_("cột số tham chiếu"), max_length=100, blank=True)
    counterparty_name_column = models.CharField(_("cột tên người chuyển"), max_length=100, blank=True)
    counterparty_account_column = models.CharField(
        _("cột tài khoản người chuyển"), max_length=100, blank=True
    )
    header_row = models.PositiveIntegerField(_("dòng tiêu đề"), null=True, blank=True)
    credit_is_negative = models.BooleanField(_("ghi có mang dấu âm"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("mẫu cột sao kê")
        verbose_name_plural = _("mẫu cột sao kê")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="banking_mapping_unique_name_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def descriptions(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.description_columns.split(DESCRIPTION_SEPARATOR) if p.strip())

    def spec(self) -> MappingSpec:
        return MappingSpec(
            name=self.name,
            date=self.date_column,
            description=self.descriptions,
            amount=self.amount_column,
            debit=self.debit_column,
            credit=self.credit_column,
            direction=self.direction_column,
            time=self.time_column,
            balance=self.balance_column,
            reference=self.reference_column,
            counterparty_name=self.counterparty_name_column,
            counterparty_account=self.counterparty_account_column,
            header_row=self.header_row,
            credit_is_negative=self.credit_is_negative,
            bank_code=self.bank_code,
        )


class ImportStatus(models.TextChoices):
    READING = "reading", _("Đang đọc tệp")
    CHECKED = "checked", _("Đã đọc, chờ xác nhận")
    REFUSED = "refused", _("Bị từ chối")
    IMPORTING = "importing", _("Đang nhập")
    IMPORTED = "imported", _("Đã nhập")
    FAILED = "failed", _("Nhập không thành công")
    DISCARDED = "discarded", _("Đã hủy")
    # The file, or lines of it, were already imported into another account: kept until a
    # finance approver confirms with a reason (or someone discards it).
    HELD = "held", _("Chờ duyệt: đã nhập vào tài khoản khác")


class StatementImport(models.Model):
    """One statement file uploaded for a bank account: what was read, and what its import did.

    The file's bytes, and the lines read from them (`parsed`, see services/parsed.py), are
    kept from the upload until the import ends: the commit writes the lines the person
    checked without reading the file again (it reads the bytes only when the lines are
    missing); a refused, discarded or finished import keeps only its figures.
    """

    bank_account = models.ForeignKey(
        "funds.BankAccount",
        on_delete=models.PROTECT,
        related_name="statement_imports",
        verbose_name=_("tài khoản ngân hàng"),
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")  # the account's, for scoping
    status = models.CharField(_("trạng thái"), max_length=10, choices=ImportStatus.choices)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("dung lượng"), default=0)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    parsed = models.BinaryField(null=True, blank=True, editable=False)
    requested_format = models.CharField(_("mẫu chọn khi tải lên"), max_length=40, blank=True)
    mapping = models.ForeignKey(
        StatementColumnMapping, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    format = models.CharField(_("mẫu sao kê"), max_length=40, blank=True)
    format_label = models.CharField(_("mẫu sao kê"), max_length=120, blank=True)
    printed_account = models.CharField(_("số tài khoản in trên sao kê"), max_length=40, blank=True)
    line_count = models.PositiveIntegerField(_("số dòng"), default=0)
    credit_count = models.PositiveIntegerField(_("số dòng ghi có"), default=0)
    credit_total = models.BigIntegerField(_("tổng ghi có"), default=0)
    debit_count = models.PositiveIntegerField(_("số dòng ghi nợ"), default=0)
    debit_total = models.BigIntegerField(_("tổng ghi nợ"), default=0)
    date_from = models.DateField(_("từ ngày"), null=True, blank=True)
    date_to = models.DateField(_("đến ngày"), null=True, blank=True)
    opening_balance = models.BigIntegerField(_("số dư đầu kỳ"), null=True, blank=True)
    closing_balance = models.BigIntegerField(_("số dư cuối kỳ"), null=True, blank=True)
    balance_checked = models.BooleanField(_("số dư lũy kế khớp từng dòng"), default=False)
    warnings = models.JSONField(_("lưu ý"), default=list, blank=True)
    lines_new = models.PositiveIntegerField(_("dòng mới"), default=0)
    lines_duplicate = models.PositiveIntegerField(_("dòng đã có"), default=0)
    posted_count = models.PositiveIntegerField(_("dòng đã ghi sổ ủng hộ"), default=0)
    posted_total = models.BigIntegerField(_("số tiền đã ghi sổ"), default=0)
    queued_count = models.PositiveIntegerField(_("dòng chờ phân loại"), default=0)
    matched_count = models.PositiveIntegerField(_("dòng khớp khoản chi"), default=0)
    excluded_count = models.PositiveIntegerField(_("dòng không phải ủng hộ"), default=0)
    message = models.TextField(_("thông báo"), blank=True)
    # Rows the reading could not turn into lines for sure (statements.ProblemLine, as dicts for
    # the read summary); the commit keeps them as `StatementProblemLine`s to correct by hand.
    problem_rows = models.JSONField(_("dòng cần sửa"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("số dòng cần sửa"), default=0)
    balance_confirmed = models.PositiveIntegerField(_("số dòng số dư xác nhận"), default=0)
    # "One file, one account": a finance approver's reason to import into this account a file
    # (or lines) already imported into another one.
    other_account_reason = models.CharField(_("lý do nhập vào tài khoản khác"), max_length=300, blank=True)
    other_account_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    committed_at = models.DateTimeField(_("nhập lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập sao kê")
        verbose_name_plural = _("lần nhập sao kê")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["bank_account", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("banking:import", args=[self.pk])

    @property
    def audit_unit(self):
        return self.unit

    @property
    def busy(self) -> bool:
        return self.status in (ImportStatus.READING, ImportStatus.IMPORTING)


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("Cần sửa")
    CORRECTED = "corrected", _("Đã sửa")


class StatementProblemLine(models.Model):
    """A row of an imported statement that could not be read for sure (statements.ProblemLine):
    kept, never dropped, until a person enters its date and amount by hand.

    Until corrected it counts in the reconciliation with its best amount (the one the running
    balance implies, else the one read), so the statement total is always explained, and no
    period it may fall in can be locked.  Correcting it writes an ordinary `StatementLine`
    (which then goes through the matching and posting) and links it here.
    """

    bank_account = models.ForeignKey(
        "funds.BankAccount", on_delete=models.PROTECT, related_name="statement_problem_lines"
    )
    statement_import = models.ForeignKey(StatementImport, on_delete=models.PROTECT, related_name="problems")
    # Where the row is and what it says: the same row of the same file gives the same identity,
    # so a re-upload keeps it once.
    identity = models.CharField(max_length=80)
    row = models.PositiveIntegerField(_("dòng trong tệp"))
    page = models.PositiveIntegerField(_("trang"), null=True, blank=True)
    raw = models.TextField(_("nội dung dòng trong tệp"))
    reason = models.CharField(_("lý do"), max_length=500)
    booked_on = models.DateField(_("ngày giao dịch"), null=True, blank=True)
    booked_time = models.TimeField(_("giờ"), null=True, blank=True)
    amount_read = models.BigIntegerField(_("số tiền đọc được"), null=True, blank=True)
    implied_amount = models.BigIntegerField(_("số tiền theo số dư"), null=True, blank=True)
    balance = models.BigIntegerField(_("số dư sau giao dịch"), null=True, blank=True)
    description = models.CharField(_("diễn giải"), max_length=1000, blank=True)
    reference = models.CharField(_("số tham chiếu"), max_length=100, blank=True)
    counterparty_name = models.CharField(_("tên người chuyển"), max_length=200, blank=True)
    counterparty_account = models.CharField(_("tài khoản người chuyển"), max_length=40, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    line = models.OneToOneField(
        "StatementLine", null=True, blank=True, on_delete=models.PROTECT, related_name="problem"
    )
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(_("sửa lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("dòng sao kê cần sửa")
        verbose_name_plural = _("dòng sao kê cần sửa")
        ordering = ["statement_import_id", "row", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank_account", "identity"], name="banking_problem_unique_identity"
            ),
        ]
        indexes = [models.Index(fields=["bank_account", "status"], name="banking_problem_account_status")]

    def __str__(self) -> str:
        return f"#{self.statement_import_id} {self.row}: {self.reason[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("banking:problem", args=[self.pk])

    @property
    def audit_unit(self):
        return self.bank_account.unit

    @property
    def best_amount(self) -> int | None:
        return self.implied_amount if self.implied_amount is not None else self.amount_read


class LineStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ phân loại")
    POSTED = "posted", _("Đã ghi sổ ủng hộ")
    MATCHED = "matched", _("Đã khớp khoản chi")
    EXCLUDED = "excluded", _("Không phải ủng hộ")


class NotDonation(models.TextChoices):
    REFUND = "refund", _("Hoàn trả, chuyển nhầm")
    INTEREST = "interest", _("Lãi tiền gửi")
    INTERNAL = "internal", _("Chuyển nội bộ giữa các tài khoản")
    FEE = "fee", _("Phí ngân hàng")
    OTHER = "other", _("Khác")


class StatementLine(models.Model):
    """One transaction of a bank account as its statement gives it (amount signed: > 0 credit)."""

    # The account, the import and the rule are the same few rows on every line of an import: on
    # PostgreSQL they are checked once per statement instead of by a foreign key per row
    # (banking migration 0007, as funds 0017: the same refusal, the parents locked until the
    # commit; PROTECT here, SET_NULL for the rule, and a trigger there keep them from going).
    bank_account = models.ForeignKey(
        "funds.BankAccount",
        on_delete=models.PROTECT,
        related_name="statement_lines",
        db_index=False,
        db_constraint=False,
    )
    statement_import = models.ForeignKey(
        StatementImport, on_delete=models.PROTECT, related_name="lines", db_index=False, db_constraint=False
    )
    identity = models.CharField(max_length=80)
    row = models.PositiveIntegerField(_("dòng trong tệp"))
    booked_on = models.DateField(_("ngày giao dịch"))
    booked_time = models.TimeField(_("giờ"), null=True, blank=True)
    amount = models.BigIntegerField(_("số tiền"))
    description = models.CharField(_("diễn giải"), max_length=1000)
    reference = models.CharField(_("số tham chiếu"), max_length=100, blank=True)
    # As the bank gives them (often already masked); never shown in full on public pages.
    counterparty_name = models.CharField(_("tên người chuyển"), max_length=200, blank=True)
    counterparty_account = models.CharField(_("tài khoản người chuyển"), max_length=40, blank=True)
    counterparty_bank = models.CharField(_("ngân hàng người chuyển"), max_length=100, blank=True)
    balance = models.BigIntegerField(_("số dư sau giao dịch"), null=True, blank=True)
    donor_name = models.CharField(_("tên người ủng hộ"), max_length=200, blank=True)
    code = models.CharField(_("mã tham chiếu"), max_length=12, blank=True)
    invalid_codes = models.CharField(_("mã sai"), max_length=60, blank=True)
    # Substring search ("ung ho bao yagi") runs over one account's queued lines, which the
    # (bank_account, status, booked_on) index narrows; no trigram index to slow a 200,000-line import.
    search_key = models.CharField(max_length=1200, editable=False)
    status = models.CharField(_("trạng thái"), max_length=10, choices=LineStatus.choices)
    reason = models.CharField(_("lý do chờ"), max_length=300, blank=True)
    not_donation = models.CharField(
        _("loại giao dịch"), max_length=10, choices=NotDonation.choices, blank=True
    )
    # Checked once per statement on PostgreSQL, not by a foreign key per row (migration 0008).
    donation = models.OneToOneField(
        "funds.Donation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statement_line",
        db_constraint=False,
    )
    disbursement = models.OneToOneField(
        "funds.Disbursement", null=True, blank=True, on_delete=models.PROTECT, related_name="statement_line"
    )
    # Indexed only where set (Meta): most lines have neither.
    rule = models.ForeignKey(
        "AssignmentRule",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lines",
        db_index=False,
        db_constraint=False,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dòng sao kê")
        verbose_name_plural = _("dòng sao kê")
        ordering = ["booked_on", "booked_time", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bank_account", "identity"], name="banking_line_unique_identity"),
        ]
        indexes = [
            models.Index(fields=["bank_account", "booked_on"], name="banking_line_account_date"),
            models.Index(fields=["bank_account", "status", "booked_on"], name="banking_line_account_status"),
            models.Index(fields=["statement_import", "row"], name="banking_line_import_row"),
            # Partial: a statement's 200,000 lines are written without a rule or a person, and
            # a NULL key would still cost an entry in a full index (and another when posted).
            models.Index(fields=["rule"], name="banking_line_rule", condition=models.Q(rule__isnull=False)),
            models.Index(
                fields=["decided_by"],
                name="banking_line_decided_by",
                condition=models.Q(decided_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.amount} {self.description[:40]}"

    @property
    def audit_unit(self):
        return self.bank_account.unit

    @property
    def is_credit(self) -> bool:
        return self.amount > 0

    @property
    def credit(self) -> int:
        return max(self.amount, 0)

    @property
    def debit(self) -> int:
        return max(-self.amount, 0)

    @property
    def counterparty_account_masked(self) -> str:
        return mask_account(self.counterparty_account)


class RuleTarget(models.TextChoices):
    CAMPAIGN = "campaign", _("Cuộc vận động")
    GENERAL = "general", _("Quỹ nhân đạo của đơn vị")
    PLEDGE = "pledge", _("Cam kết ủng hộ")
    NOT_DONATION = "not_donation", _("Không phải ủng hộ")


class AssignmentRule(models.Model):
    """ "All credits of this account whose memo contains <query> go to <target>", remembered by a
    finance officer and applied to the lines of every later import that carry no valid code."""

    bank_account = models.ForeignKey(
        "funds.BankAccount", on_delete=models.PROTECT, related_name="assignment_rules"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    query = models.CharField(_("nội dung chứa"), max_length=200)
    query_key = models.CharField(max_length=200, editable=False)
    target = models.CharField(_("ghi vào"), max_length=12, choices=RuleTarget.choices)
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pledge = models.ForeignKey(
        "funds.Pledge", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    not_donation = models.CharField(
        _("loại giao dịch"), max_length=10, choices=NotDonation.choices, blank=True
    )
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    times_applied = models.PositiveIntegerField(_("số dòng đã áp dụng"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quy tắc phân loại")
        verbose_name_plural = _("quy tắc phân loại")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank_account", "query_key"],
                condition=models.Q(is_active=True),
                name="banking_rule_one_active_per_query",
            ),
        ]

    def __str__(self) -> str:
        return f"“{self.query}” → {self.target_label}"

    @property
    def audit_unit(self):
        return self.unit

    @property
    def target_label(self) -> str:
        if self.target == RuleTarget.CAMPAIGN and self.campaign_id:
            return f"{self.campaign.name} ({self.campaign.code})"
        if self.target == RuleTarget.PLEDGE and self.pledge_id:
            return f"{_('Cam kết')} {self.pledge.code} · {self.pledge.donor_name}"
        if self.target == RuleTarget.NOT_DONATION:
            return f"{_('Không phải ủng hộ')}: {self.get_not_donation_display()}"
        return str(self.get_target_display())


class ReconciledPeriod(models.Model):
    """A period of a bank account whose statement and books were reconciled, then locked:
    no import adds lines dated in it and no posting on the account is dated in it."""

    bank_account = models.ForeignKey(
        "funds.BankAccount", on_delete=models.PROTECT, related_name="reconciled_periods"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    date_from = models.DateField(_("từ ngày"))
    date_to = models.DateField(_("đến ngày"))
    statement_balance = models.BigIntegerField(_("số dư theo sao kê"))
    ledger_balance = models.BigIntegerField(_("số dư theo sổ"))
    explanation = models.JSONField(_("giải thích chênh lệch"), default=dict, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    locked_at = models.DateTimeField(_("khóa sổ lúc"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kỳ đã đối chiếu, khóa sổ")
        verbose_name_plural = _("kỳ đã đối chiếu, khóa sổ")
        ordering = ["-date_to"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_to__gte=models.F("date_from")), name="banking_period_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank_account} {self.date_from}–{self.date_to}"

    @property
    def audit_unit(self):
        return self.unit


class QRReference(models.Model):
    """A dynamic VietQR code issued for an amount: its unique reference, written in the transfer content
    after the campaign's or pledge's code, lets a person find that transfer on the statement."""

    reference = models.CharField(_("mã giao dịch"), max_length=12, unique=True)
    bank_account = models.ForeignKey("funds.BankAccount", on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pledge = models.ForeignKey(
        "funds.Pledge", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.BigIntegerField(_("số tiền"))
    purpose = models.CharField(_("nội dung chuyển khoản"), max_length=25)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mã VietQR có số tiền")
        verbose_name_plural = _("mã VietQR có số tiền")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference
