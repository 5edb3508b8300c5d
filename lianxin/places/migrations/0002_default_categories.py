from django.db import migrations


def add_categories(apps, schema_editor):
    from lianxin.places.categories import ensure_default_categories

    ensure_default_categories(apps.get_model("places", "Category"))


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
