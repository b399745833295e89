from django.contrib import admin

from nhandao.core.admin import ReadOnlyAdmin

from .models import Campaign


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    """Campaigns are created and edited in the app (with their Decree 93 disclosure)."""

    list_display = ["name", "code", "unit", "kind", "status", "starts_on", "ends_on"]
    list_filter = ["kind", "status", "content_area"]
    search_fields = ["search_key", "code"]
