from django.db import migrations


def add_categories(apps, schema_editor):
    from lianxin.places.categories import DEFAULT_CATEGORIES

    Category = apps.get_model("places", "Category")
    for order, (code, name_zh, name_en) in enumerate(DEFAULT_CATEGORIES, start=1):
        Category.objects.get_or_create(
            code=code, defaults={"name_zh": name_zh, "name_en": name_en, "sort_order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
