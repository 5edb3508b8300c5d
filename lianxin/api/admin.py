from django.contrib import admin

from .models import ApiClient, ApiToken


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Keys are issued with `manage.py open311_key`; here an admin can only look or deactivate."""

    list_display = ("name", "key_prefix", "active", "created_at", "last_used_at")
    list_filter = ("active",)
    fields = ("name", "key_prefix", "active", "created_at", "last_used_at")
    readonly_fields = ("name", "key_prefix", "created_at", "last_used_at")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "last_used_at")
    fields = ("user", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False
