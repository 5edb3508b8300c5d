"""Where the case workflow calls into this app, kept tiny so cases/services.py depends on
nothing else here: after intake, find likely duplicates in the background once committed;
after a merge, settle the likely duplicates it confirms."""

from django.db import transaction
from django.db.models import Q


class _FindAfterCommit:
    """One callback, and one task, per transaction for all the opinions it takes in (the demo
    loads thousands in one)."""

    def __init__(self) -> None:
        self.case_ids: list[int] = []
        self.done = False  # ran already (tests that capture callbacks leave it in the list)

    def __call__(self) -> None:
        from .tasks import find_duplicates

        self.done = True
        find_duplicates.enqueue(self.case_ids)


def after_intake(case) -> None:
    """Queue the search for after the commit: the task must see the case, and a rolled-back
    intake must queue nothing. `robust`: a queue failure never turns a saved opinion into an error."""
    connection = transaction.get_connection()
    pending = next(
        (c[1] for c in connection.run_on_commit if isinstance(c[1], _FindAfterCommit) and not c[1].done), None
    )
    if pending is not None:
        pending.case_ids.append(case.pk)
        return
    pending = _FindAfterCommit()
    pending.case_ids.append(case.pk)  # before registering: outside a transaction it runs at once
    transaction.on_commit(pending, robust=True)


def after_link(case, root, actor) -> None:
    """`case` was merged into `root`'s group, by one click on a likely duplicate or by hand: its
    open likely duplicates inside that group are settled as merged, by the same person, so a
    merge reads the same whichever way it was made. Those pointing elsewhere stay open: they
    still say the issues look alike (the hot-issues page groups them)."""
    from lianxin.core import clock

    from .models import CandidateStatus, DuplicateCandidate

    DuplicateCandidate.objects.filter(case=case, status=CandidateStatus.OPEN).filter(
        Q(original=root) | Q(original__duplicate_of=root)
    ).update(status=CandidateStatus.MERGED, decided_by=actor, decided_at=clock.now())
