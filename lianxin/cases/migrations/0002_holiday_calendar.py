from django.db import migrations


def add_days(apps, schema_editor):
    from lianxin.cases.holidays_cn import calendar_days

    Day = apps.get_model("cases", "WorkCalendarDay")
    for day, is_workday, name in calendar_days():
        Day.objects.get_or_create(date=day, defaults={"is_workday": is_workday, "name": name})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(add_days, migrations.RunPython.noop)]
