from django.contrib import admin

from .models import DuplicateCandidate


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(admin.ModelAdmin):
    """Read-only: decisions are taken on the case page, through the services."""

    list_display = ("case", "original", "similarity", "status", "found_at", "decided_by")
    list_filter = ("status",)
    search_fields = ("case__tracking_code", "original__tracking_code")
    raw_id_fields = ("case", "original", "decided_by")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
