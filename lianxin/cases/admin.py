"""Reference data for cases is editable here; cases and their timeline are not: every change
to a case goes through a service and leaves a timeline event."""

from django.contrib import admin

from .deadlines import forget_work_calendar
from .models import Case, CaseEvent, SlaRule, WorkCalendarDay


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ("at", "action", "from_status", "to_status", "actor", "actor_role", "department", "public", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("tracking_code", "created_at", "status", "channel", "place", "category", "lead_department")
    list_filter = ("status", "channel", "kind", "category")
    search_fields = ("tracking_code", "text")
    inlines = [CaseEventInline]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ("case", "at", "action", "from_status", "to_status", "actor", "public")
    list_filter = ("action", "public")


@admin.register(SlaRule)
class SlaRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "category", "hours", "working_days")


@admin.register(WorkCalendarDay)
class WorkCalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "name")
    list_filter = ("is_workday",)
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_work_calendar()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        forget_work_calendar()
