"""Personal data in text the APIs show: the shared rules (cases.privacy: mobile numbers,
ID numbers, e-mails), plus the submitter's own name, phone and e-mail wherever they
appear verbatim, which only the case itself can tell us."""

from collections.abc import Iterable

from lianxin.cases.privacy import mask_personal_data

MASK = "***"


def mask_case_text(text: str, *, known: Iterable[str] = ()) -> str:
    """`known`: this case's personal values (name, phone, e-mail) to hide verbatim too."""
    text = text or ""
    # Longest first, so a full name is hidden before any shorter value inside it.
    for value in sorted({v.strip() for v in known if v and len(v.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(value, MASK)
    return mask_personal_data(text)
