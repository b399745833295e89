"""Admin: reference data is read-only here; money moves only through the services (and their pages)."""

from django.contrib import admin

from nhandao.core.admin import AuditedModelAdmin, ReadOnlyAdmin

from .models import (
    Account,
    BankAccount,
    ChainHead,
    Disbursement,
    Donation,
    Donor,
    Entry,
    Fund,
    LedgerDigest,
    NumberSeries,
    Pledge,
    Posting,
)


@admin.register(Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ["name", "unit", "kind", "campaign", "status", "opened_on"]
    list_filter = ["kind", "status"]


@admin.register(BankAccount)
class BankAccountAdmin(AuditedModelAdmin):
    """Branch and holder spelling can be corrected here; numbers and units only in the app."""

    list_display = ["bank_name", "account_number", "holder", "unit", "is_active"]
    fields = ["bank_name", "bank_bin", "account_number", "holder", "branch", "unit", "campaign", "is_active"]
    readonly_fields = ["bank_bin", "account_number", "unit", "campaign", "is_active"]
    search_fields = ["account_number", "holder"]

    def has_add_permission(self, request):
        return False


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["fund", "kind", "bank_account", "balance"]
    list_filter = ["kind"]


@admin.register(Donor)
class DonorAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "unit", "display"]
    search_fields = ["search_key"]


@admin.register(Donation)
class DonationAdmin(ReadOnlyAdmin):
    list_display = ["receipt_label", "received_on", "public_name", "amount", "channel", "fund", "status"]
    list_filter = ["channel", "status"]
    search_fields = ["search_key", "external_ref"]
    date_hierarchy = "received_on"


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ["code", "donor_name", "amount", "pledged_on", "status"]


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyAdmin):
    list_display = ["voucher_label", "value_date", "kind", "amount", "purpose", "status"]
    list_filter = ["kind", "status"]


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "value_date", "voucher", "description", "created_at"]
    list_filter = ["kind"]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["number", "posting", "account", "amount", "campaign", "posted_at"]
    raw_id_fields = ["posting", "account", "fund", "campaign"]


@admin.register(LedgerDigest)
class LedgerDigestAdmin(ReadOnlyAdmin):
    list_display = ["day", "campaign", "last_number", "chain_hash"]


@admin.register(ChainHead)
class ChainHeadAdmin(ReadOnlyAdmin):
    list_display = ["last_number", "last_hash", "last_posted_at"]


@admin.register(NumberSeries)
class NumberSeriesAdmin(ReadOnlyAdmin):
    list_display = ["unit", "series", "year", "last_number"]
