"""Log records leave the process without resident-ID or mobile numbers in clear."""

import logging
import re

from portal.privacy import mask_id_number, mask_phone

# An 18-character resident-ID number (mainland, and the HK/Macao/Taiwan residence permits) and a
# mainland mobile number (with or without +86), each standing alone rather than inside a longer
# run of digits.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)")


def redact(text):
    return MOBILE.sub(lambda m: mask_phone(m.group()), ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text))


class RedactPersonalNumbers(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # The formatter reuses exc_text, so the traceback is masked once, here.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True
