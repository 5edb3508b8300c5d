"""Background work of the hotspots app. Idempotent: running a task twice adds nothing."""

from django_tasks import task

from lianxin.core import priorities

from . import services


@task(priority=priorities.INTERACTIVE)
def find_duplicates(case_ids: list[int]) -> dict:
    """After intake: each case's signature, and its likely duplicates in its town and window,
    in the order the cases were taken in (so each finds the earlier ones)."""
    found = {case_id: [c.original_id for c in services.case_find_duplicates(case_id=case_id)] for case_id in case_ids}
    return {"candidates": {str(k): v for k, v in found.items()}}


@task(priority=priorities.BATCH)
def sign_missing(limit: int = 2000) -> dict:
    """Catch up on cases without a signature (before this app, or a lost task)."""
    return {"signed": services.signatures_backfill(limit=limit)}
