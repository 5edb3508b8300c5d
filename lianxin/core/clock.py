"""The one source of "now" for services, so demo loaders and tests can set the time."""

import contextlib
import contextvars
from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone

_frozen: contextvars.ContextVar[datetime | None] = contextvars.ContextVar("frozen", default=None)


def now() -> datetime:
    return _frozen.get() or timezone.now()


@contextlib.contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Make now() return `moment` inside the block (used to build history in demo data)."""
    token = _frozen.set(moment)
    try:
        yield
    finally:
        _frozen.reset(token)
