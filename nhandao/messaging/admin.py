"""Read-only in the admin: messages and consents change only through the services (audited)."""

from django.contrib import admin

from nhandao.core.admin import ReadOnlyAdmin

from .models import Consent, Message


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "channel", "purpose", "status", "attempts", "unit"]
    list_filter = ["status", "channel", "purpose"]
    raw_id_fields = ["unit", "person", "user", "queued_by"]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["id", "recorded_at", "channel", "purpose", "granted", "source"]
    list_filter = ["channel", "purpose", "granted", "source"]
    raw_id_fields = ["person", "user", "recorded_by", "unit"]
