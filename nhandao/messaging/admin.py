"""Read-only in the admin: messages and consents change only through the services (audited)."""

from django.contrib import admin

from .models import Consent, Message


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(ReadOnly):
    list_display = ["id", "created_at", "channel", "purpose", "status", "attempts", "unit"]
    list_filter = ["status", "channel", "purpose"]
    raw_id_fields = ["unit", "person", "user", "queued_by"]


@admin.register(Consent)
class ConsentAdmin(ReadOnly):
    list_display = ["id", "recorded_at", "channel", "purpose", "granted", "source"]
    list_filter = ["channel", "purpose", "granted", "source"]
    raw_id_fields = ["person", "user", "recorded_by", "unit"]
