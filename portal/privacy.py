"""Masking of personal numbers wherever the viewer is not entitled to them (always on public lists
and in the audit log)."""


def mask_id_number(number):
    number = number or ""
    if len(number) <= 7:
        return "*" * len(number)
    return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}"


def mask_phone(number):
    number = number or ""
    if len(number) <= 7:
        return "*" * len(number)
    return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}"


def mask_email(address):
    """The first character of the name and the whole domain: z***@example.org."""
    name, at, domain = (address or "").partition("@")
    if not at:
        return "*" * len(name)
    return f"{name[:1]}***@{domain}"
