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


def mask_name(name):
    """The first character and a star for each other one (张**): enough to tell the holder of a
    document from someone else's, not enough to learn a stranger's name."""
    name = (name or "").strip()
    return f"{name[:1]}{'*' * (len(name) - 1)}" if len(name) > 1 else "*" * len(name)
