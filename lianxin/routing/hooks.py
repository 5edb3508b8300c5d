"""The two places where the case workflow calls into routing, kept tiny so cases/services.py
depends on nothing else here: after intake (predict, in the background, once committed) and
after a person's triage (keep the category as a training label)."""

import logging

from django.db import transaction

log = logging.getLogger(__name__)


class _PredictAfterCommit:
    """One callback per transaction for all the opinions it takes in (the demo loads thousands
    in one): checks once for an active model, then queues one prediction per case."""

    def __init__(self) -> None:
        self.case_ids: list[int] = []

    def __call__(self) -> None:
        from .selectors import active_model_version
        from .tasks import predict_case

        if active_model_version() is None:
            _log_no_model(self.case_ids)
            return
        for case_id in self.case_ids:
            predict_case.enqueue(case_id)


_told = False


def _log_no_model(case_ids: list[int]) -> None:
    """At INFO once per process (then DEBUG), so a demo load does not print a line per case."""
    global _told
    level = logging.DEBUG if _told else logging.INFO
    log.log(level, "No active triage model: %d new case(s) not classified automatically.", len(case_ids))
    _told = True


def after_intake(case) -> None:
    """Queue the prediction for after the commit: the task must see the case, and a rolled-back
    intake must queue nothing. `robust`: a queue failure never turns a saved opinion into an error."""
    connection = transaction.get_connection()
    pending = next((c[1] for c in connection.run_on_commit if isinstance(c[1], _PredictAfterCommit)), None)
    if pending is not None:
        pending.case_ids.append(case.pk)
        return
    pending = _PredictAfterCommit()
    pending.case_ids.append(case.pk)  # before registering: outside a transaction it runs at once
    transaction.on_commit(pending, robust=True)


def after_triage(*, case, category, user) -> None:
    """A person's triage (the system's own is not a label): record it in the same transaction."""
    if user is None:
        return
    from .services import label_record

    label_record(case=case, category=category, user=user)
