"""The two places where the case workflow calls into routing, kept tiny so cases/services.py
depends on nothing else here: after intake (predict, in the background, once committed) and
after a person's triage (keep the category as a training label)."""

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def after_intake(case) -> None:
    """Queue the prediction for after the commit: the task must see the case, and a rolled-back
    intake must queue nothing. `robust`: a queue failure never turns a saved opinion into an error."""
    case_id = case.pk
    transaction.on_commit(lambda: _enqueue_prediction(case_id), robust=True)


def _enqueue_prediction(case_id: int) -> None:
    from .selectors import active_model_version
    from .tasks import predict_case

    if active_model_version() is None:
        log.info("No active triage model: case %s is not classified automatically.", case_id)
        return
    predict_case.enqueue(case_id)


def after_triage(*, case, category, user) -> None:
    """A person's triage (the system's own is not a label): record it in the same transaction."""
    if user is None:
        return
    from .services import label_record

    label_record(case=case, category=category, user=user)
