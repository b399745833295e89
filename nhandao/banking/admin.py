from django.contrib import admin

from nhandao.core.admin import ReadOnlyAdmin

from .models import StatementColumnMapping


@admin.register(StatementColumnMapping)
class StatementColumnMappingAdmin(ReadOnlyAdmin):
    """Mappings are edited in the app (services check permissions and audit)."""

    list_display = ["name", "unit", "bank_code", "updated_at"]
    search_fields = ["name"]
