from django.contrib import admin

from .models import Deputy
from .services import new_deputy_token


@admin.register(Deputy)
class DeputyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "level", "station", "qr_token", "active")
    list_filter = ("kind", "level", "active", "station")
    search_fields = ("name", "qr_token")
    autocomplete_fields = ("user", "station")
    filter_horizontal = ("grids",)
    readonly_fields = ("qr_token",)

    def save_model(self, request, obj, form, change):
        if not obj.qr_token:
            obj.qr_token = new_deputy_token()
        super().save_model(request, obj, form, change)
