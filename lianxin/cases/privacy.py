"""Masking personal data in text that is shown to the public (公示).

Residents often write their phone number or ID number into the text itself, and
handlers sometimes repeat it in a reply. Names cannot be found reliably, so the
disclosure page never shows the contact fields at all; this catches what leaks into
free text. Each masked character becomes "*" and separators stay, so a reader sees
that something was there, and nothing of it.
"""

import re
from collections.abc import Iterable

# 18-character resident ID (17 digits and a digit or X), not part of a longer code.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
# Mainland mobile: 1[3-9] + 9 digits, optionally +86/0086 and spaces or dashes between groups.
_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)")
# Landline with its area code: 010-12345678, 0571 8888 8888, (0755)12345678.
_LANDLINE = re.compile(r"(?<![\d.])(?:\(0\d{2,3}\)|0\d{2,3})[\s-]?\d{3,4}[\s-]?\d{4}(?![\d.])")
# ASCII addresses only: \w would swallow the Chinese words written before the address.
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def _stars(match: re.Match) -> str:
    return re.sub(r"[^\s()-]", "*", match.group(0))


def mask_personal_data(text: str) -> str:
    """Hide mobile and landline numbers, ID numbers and email addresses in `text`."""
    if not text:
        return ""
    text = _EMAIL.sub("***@***", text)
    text = _ID_NUMBER.sub(_stars, text)
    text = _MOBILE.sub(_stars, text)
    return _LANDLINE.sub(_stars, text)


def mask_case_text(text: str, *, known: Iterable[str] = ()) -> str:
    """Also hide this case's own contact values (name, phone, email) wherever they appear verbatim."""
    text = text or ""
    # Longest first, so a full name is hidden before a shorter value inside it.
    for value in sorted({v.strip() for v in known if v and len(v.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(value, "***")
    return mask_personal_data(text)
