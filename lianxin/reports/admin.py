from django.contrib import admin

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["place", "period_kind", "period_start", "language", "origin", "status", "generated_at"]
    list_filter = ["period_kind", "origin", "status"]
    readonly_fields = [f.name for f in Report._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
