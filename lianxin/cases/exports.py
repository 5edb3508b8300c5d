"""CSV and Excel exports of a work queue: the same rows the user sees with the same filters.

Every text cell that a spreadsheet would read as a formula is neutralised with a leading
single quote (CSV/formula injection: a resident can type "=HYPERLINK(...)"). Personal data
follows selectors.case_contact_visible: offices, station staff and the lead department get
the resident's name and phone; helper departments, deputies and leaders never do.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from . import selectors
from .models import Case

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 500


def neutralise(value: str) -> str:
    """Prefix a quote so Excel and LibreOffice show the text instead of evaluating it."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _local(moment: datetime | None) -> datetime | None:
    # openpyxl cannot store time zones: write the local wall time people expect.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def headers(*, with_contact: bool) -> list[str]:
    columns = [
        _("Tracking code"),
        _("Received"),
        _("Channel"),
        _("Place"),
        _("Category"),
        _("Status"),
        _("Lead department"),
        _("Reply due"),
        _("First answered"),
        _("Rating"),
        _("Text"),
    ]
    if with_contact:
        columns += [_("Name"), _("Phone")]
    return columns


def _row(user, case: Case, *, with_contact: bool) -> list:
    row = [
        case.tracking_code,
        _local(case.created_at),
        case.get_channel_display(),
        case.place.name,
        case.category.name if case.category else "",
        case.get_status_display(),
        case.lead_department.name if case.lead_department else "",
        _local(case.due_at),
        _local(case.first_answered_at),
        case.rating,
        case.text,
    ]
    if with_contact:
        visible = selectors.case_contact_visible(user, case)
        row += [case.contact_name if visible else "", case.contact_phone if visible else ""]
    return [neutralise(str(v)) if isinstance(v, str) else v for v in row]


def rows(user, cases: QuerySet[Case]) -> tuple[list[str], Iterator[list]]:
    with_contact = selectors.user_may_see_any_contact(user)
    body = (_row(user, c, with_contact=with_contact) for c in cases.iterator(chunk_size=CHUNK))
    return headers(with_contact=with_contact), body


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def to_csv(head: list[str], body: Iterable[list]) -> bytes:
    """UTF-8 with a byte-order mark: without it Excel opens Chinese text as mojibake."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in head])
    for row in body:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(head: list[str], body: Iterable[list]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Cases"))
    sheet.append(head)
    for row in body:
        # Control characters pasted into a text make openpyxl refuse the whole file.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
