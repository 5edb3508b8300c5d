"""Background work of the routing app. Both tasks are idempotent."""

import logging

from django_tasks import task

from lianxin.core import priorities

from . import services, training

log = logging.getLogger(__name__)


@task(priority=priorities.INTERACTIVE)
def predict_case(case_id: int) -> dict:
    """After intake: the suggestion in the timeline, and automatic triage where switched on."""
    prediction = services.case_predict(case_id=case_id)
    if prediction is None:
        return {"case": case_id, "predicted": False}
    return {
        "case": case_id,
        "predicted": True,
        "label": prediction.label,
        "confidence": prediction.confidence,
        "auto_applied": prediction.auto_applied,
    }


@task(priority=priorities.BATCH)
def retrain_weekly() -> dict:
    result = training.retrain_if_due()
    if result is None:
        return {"trained": False}
    return {
        "trained": True,
        "version": result.version.content_hash,
        "activated": result.activated,
        "macro_f1": result.macro_f1,
        "compared_macro_f1": result.compared_macro_f1,
    }
