"""How an applicant is reached and signs in: a mainland mobile number or an e-mail address."""

import re

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_mobile(text: str) -> bool:
    """An 11-digit mainland mobile number (1, then 3–9, then nine digits)."""
    return bool(_MOBILE.match(text))


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text))
