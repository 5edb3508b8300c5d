"""Rollup tables: the cockpit's counts kept ready, so that a city's figures are a sum over a
few thousand rows instead of a scan of every case (docs/rollups.md).

- `CaseFact`: what one case contributes, as last applied (one row per case).
- `CategoryRollup`, `DepartmentRollup`, `ChannelRollup`: sums of facts per place node × day or
  month × category (× department, × channel): one narrow table per kind of panel, so that a
  city's year is a few hundred rows per panel. Every case counts once at each non-grid place
  above it (its own place included), and once per grain (`D` the day it was received, `M` the
  first day of that month).
- `DeputyRollup`: deputies' work per node × day or month × deputy: cases they brought in (by
  the day received) and their urgings and follows (by the day of the step).
- `RollupNode`: place → each node above it; filled by `rollups_rebuild` for its GROUP BY.

Category and department are plain integers with 0 for "none", so that the unique keys work
the same way on SQLite and PostgreSQL (NULLs are distinct in unique constraints)."""

from django.db import models


class Grain(models.TextChoices):
    DAY = "D", "day"
    MONTH = "M", "month"
    YEAR = "Y", "year"


class CaseFact(models.Model):
    case = models.OneToOneField("cases.Case", primary_key=True, on_delete=models.CASCADE, related_name="+")
    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    nodes = models.CharField(max_length=200)  # the ids of the non-grid places above, comma-separated
    day = models.DateField()  # received, local time
    month = models.DateField()
    category = models.PositiveIntegerField(default=0)
    department = models.PositiveIntegerField(default=0)
    channel = models.CharField(max_length=30)
    submit_at = models.DateTimeField(db_index=True)
    first_answer_at = models.DateTimeField(null=True)
    answered = models.PositiveSmallIntegerField(default=0)
    answered_48h = models.PositiveSmallIntegerField(default=0)
    closed = models.PositiveSmallIntegerField(default=0)
    rated = models.PositiveSmallIntegerField(default=0)
    rating = models.PositiveSmallIntegerField(default=0)  # 0 when not rated
    satisfied = models.PositiveSmallIntegerField(default=0)
    adopted = models.PositiveSmallIntegerField(default=0)
    deputy = models.PositiveIntegerField(default=0)
    station = models.PositiveIntegerField(default=0)
    returned_by = models.CharField(max_length=200, blank=True)  # department ids, comma-separated
    escalated_by = models.CharField(max_length=200, blank=True)


class _Counts(models.Model):
    """The case counts every cohort table holds (see facts.CASE_MEASURES)."""

    node = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    grain = models.CharField(max_length=1, choices=Grain.choices)
    start = models.DateField()
    category = models.PositiveIntegerField()
    received = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    answered_48h = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    rating_sum = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    adopted = models.IntegerField(default=0)

    class Meta:
        abstract = True


class CategoryRollup(_Counts):
    """Totals, categories, places compared, months and weeks."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["node", "grain", "start", "category"], name="category_rollup_key")
        ]


class DepartmentRollup(_Counts):
    """The department league: the department's cases (lead department), and the cases it
    returned or held when their deadline passed (`returned`, `escalated`)."""

    department = models.PositiveIntegerField()
    returned = models.IntegerField(default=0)
    escalated = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["node", "grain", "start", "category", "department"], name="department_rollup_key"
            )
        ]


class ChannelRollup(models.Model):
    """Cases received per channel."""

    node = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    grain = models.CharField(max_length=1, choices=Grain.choices)
    start = models.DateField()
    category = models.PositiveIntegerField()
    channel = models.CharField(max_length=30)
    received = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["node", "grain", "start", "category", "channel"], name="channel_rollup_key")
        ]


class DeputyRollup(models.Model):
    node = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    grain = models.CharField(max_length=1, choices=Grain.choices)
    start = models.DateField()
    deputy = models.PositiveIntegerField()
    station = models.PositiveIntegerField()
    brought_in = models.IntegerField(default=0)
    urged = models.IntegerField(default=0)
    followed = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["node", "grain", "start", "deputy", "station"], name="deputy_rollup_key")
        ]


class RollupNode(models.Model):
    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    node = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["place", "node"], name="rollup_node_unique")]
