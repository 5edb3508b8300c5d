from django.contrib import admin

from . import services
from .models import Category, Department, Place, Station


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "parent", "path")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    readonly_fields = ("kind", "path", "depth")

    def get_readonly_fields(self, request, obj=None):
        # Code and parent fix the materialised path of a whole subtree: set once, at creation.
        return self.readonly_fields + (("code", "parent") if obj else ())

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name", "updated_at"])
            return
        created = services.place_create(code=obj.code, name=obj.name, parent=obj.parent)
        obj.pk, obj.path, obj.kind, obj.depth = created.pk, created.path, created.kind, created.depth


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "place", "is_central", "qr_token", "active")
    list_filter = ("is_central", "active")
    search_fields = ("name", "code")
    filter_horizontal = ("served_places",)
    readonly_fields = ("qr_token",)

    def save_model(self, request, obj, form, change):
        if not obj.qr_token:
            obj.qr_token = services.new_station_token()
        super().save_model(request, obj, form, change)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "place", "email", "active")
    list_filter = ("active",)
    search_fields = ("name", "code")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name_zh", "name_en", "code", "default_department", "sort_order", "active")
    list_editable = ("sort_order", "active")
    search_fields = ("name_zh", "name_en", "code")
