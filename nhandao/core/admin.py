"""Admin that never writes silently.

Every nhandao ModelAdmin derives from AuditedModelAdmin, which records an audit
event for each save in the admin's own transaction and disables deletion
(history is closed or reversed, never deleted).  A test checks that every
registered admin for a nhandao model uses it.
"""

from __future__ import annotations

from django.contrib import admin

from . import audit
from .models import AuditEvent


class AuditedAdminMixin:
    def save_model(self, request, obj, form, change):
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        after = audit.snapshot(obj)
        audit.record(
            actor=request.user,
            action=f"{obj._meta.label_lower}.{'changed' if change else 'created'}",
            obj=obj,
            changes=audit.diff(before, after),
            data={"via_admin": True},
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for formset in formsets:
            for obj in formset.new_objects + [o for o, _fields in formset.changed_objects]:
                audit.record(
                    actor=request.user,
                    action=f"{obj._meta.label_lower}.changed",
                    obj=obj,
                    changes=audit.diff({}, audit.snapshot(obj)),
                    data={"via_admin": True},
                )

    def delete_model(self, request, obj):
        audit.record(
            actor=request.user,
            action=f"{obj._meta.label_lower}.deleted",
            obj=obj,
            changes=audit.diff(audit.snapshot(obj), {}),
            data={"via_admin": True},
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reference data and logs: visible, never edited through the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_repr", "unit_label", "via"]
    list_filter = ["via", "object_type"]
    search_fields = ["action", "object_repr", "actor_label", "object_id"]
    date_hierarchy = "at"
