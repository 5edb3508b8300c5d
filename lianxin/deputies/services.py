from django.db import transaction

from lianxin.core.codes import random_code
from lianxin.places.models import Place, Station

from .models import Deputy, DeputyKind, DeputyLevel


def new_deputy_token() -> str:
    return "D" + random_code(6)


@transaction.atomic
def deputy_create(
    *,
    name: str,
    station: Station,
    kind: str = DeputyKind.DEPUTY,
    level: str = DeputyLevel.DISTRICT,
    grids: list[Place] | None = None,
    title: str = "",
    user=None,
) -> Deputy:
    deputy = Deputy.objects.create(
        name=name, station=station, kind=kind, level=level, title=title, user=user, qr_token=new_deputy_token()
    )
    if grids:
        deputy.grids.set(grids)
    return deputy
