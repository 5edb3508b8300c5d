"""Priorities of background tasks (django-tasks: higher runs first, -100..100).

One worker serves every queue, so what a person is waiting for must not queue behind batch
work: the suggestion and likely duplicates of a new opinion (seconds after it is sent) come
before the hourly catch-ups, reports and retraining (minutes of work, nobody watching)."""

INTERACTIVE = 50  # a person is waiting: predictions and duplicates after intake, a report asked for
MESSAGES = 20  # notifications to deliver
ROUTINE = 0  # periodic sweeps that keep deadlines honest
BATCH = -50  # catch-ups, scheduled reports, retraining
