from django.contrib import admin

from nhandao.core.admin import AuditedModelAdmin, ReadOnlyAdmin

from .models import Agency, AgencySuccession, RoleAssignment, Unit, UnitSuccession


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    """Names and contact details only; creating, moving and closing units happen in the app."""

    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "branch_type"]
    search_fields = ["code", "search_key"]
    fields = [
        "code",
        "name",
        "kind",
        "branch_type",
        "parent",
        "address",
        "phone",
        "email",
        "valid_from",
        "valid_to",
        "closed_reason",
    ]
    readonly_fields = ["kind", "parent", "valid_to", "closed_reason"]

    def has_add_permission(self, request):
        return False


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(AuditedModelAdmin):
    list_display = ["predecessor", "successor", "date", "kind", "partly"]
    raw_id_fields = ["predecessor", "successor"]


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "valid_from", "valid_to"]
    search_fields = ["code", "search_key"]
    exclude = ["search_key"]


@admin.register(AgencySuccession)
class AgencySuccessionAdmin(AuditedModelAdmin):
    list_display = ["predecessor", "successor", "date", "primary", "functions"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    """Roles are granted and revoked in the app, where the rules (no role on a closed unit,
    agency for agency reporters) are enforced."""

    list_display = ["user", "role", "unit", "agency", "valid_from", "valid_to"]
    list_filter = ["role"]
    raw_id_fields = ["user", "unit", "granted_by"]
    search_fields = ["user__username", "unit__search_key"]
