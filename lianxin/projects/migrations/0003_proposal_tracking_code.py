"""Proposals get a follow-up code (like a case's tracking code); existing ones get theirs now."""

import secrets

from django.db import migrations, models

# Frozen copy of lianxin.core.codes.ALPHABET: a migration must not change when the app does.
ALPHABET = "23456789BCDFGHJKMNPQRSTVWXYZ"


def _code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(8))


def backfill_tracking_codes(apps, schema_editor):
    Proposal = apps.get_model("projects", "Proposal")
    used = set(Proposal.objects.exclude(tracking_code=None).values_list("tracking_code", flat=True))
    for proposal in Proposal.objects.filter(tracking_code=None).only("pk").order_by("pk"):
        code = _code()
        while code in used:
            code = _code()
        used.add(code)
        Proposal.objects.filter(pk=proposal.pk).update(tracking_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_round_paper_ballot"),
    ]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="tracking_code",
            field=models.CharField(blank=True, editable=False, max_length=12, null=True, unique=True),
        ),
        migrations.RunPython(backfill_tracking_codes, migrations.RunPython.noop),
    ]
