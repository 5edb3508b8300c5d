"""Short random codes people read aloud or type: no 0/O, 1/I/L, or vowels that spell words."""

import secrets

ALPHABET = "23456789BCDFGHJKMNPQRSTVWXYZ"  # 28 symbols: unambiguous, no vowels


def random_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


TRACKING_CODE_LENGTH = 8


def new_tracking_code() -> str:
    """A code a resident keeps to follow what they sent (a case, a proposal): 28⁸ ≈ 3.8 × 10¹¹."""
    return random_code(TRACKING_CODE_LENGTH)


def normalize_code(text: str) -> str:
    """Accept what people type: lower case, spaces, dashes, and O/I/L for 0/1 never occur."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def format_tracking_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == TRACKING_CODE_LENGTH else code
