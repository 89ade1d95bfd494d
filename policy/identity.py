"""PRC resident identity numbers (GB 11643-1999): 6-digit region, 8-digit birth date,
3-digit sequence whose last digit is odd for men, and an ISO 7064 MOD 11-2 check character."""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"
_PATTERN = re.compile(r"^\d{17}[\dX]$")


class InvalidResidentId(ValueError):
    pass


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: datetime.date
    sex: str  # "male" or "female"


def check_character(first17):
    return _CHECK_CHARACTERS[sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True)) % 11]


def parse_resident_id(raw):
    number = (raw or "").strip().upper()
    if not _PATTERN.match(number):
        raise InvalidResidentId(_("居民身份证号码应为18位，前17位为数字，最后一位为数字或X。"))
    try:
        birth_date = datetime.datetime.strptime(number[6:14], "%Y%m%d").date()
    except ValueError:
        raise InvalidResidentId(_("身份证号码中的出生日期无效。")) from None
    if check_character(number[:17]) != number[17]:
        raise InvalidResidentId(_("身份证号码校验位不正确，请核对后重新输入。"))
    return ResidentId(number, birth_date, "male" if int(number[16]) % 2 else "female")


def make_resident_id(region, birth_date, sequence):
    """A well-formed number, for synthetic applicants and tests."""
    first17 = f"{region}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


_RESIDENCE_PERMIT_REGIONS = {"hk_macao_resident": ("810000", "820000"), "taiwan_resident": ("830000",)}
_TRAVEL_PERMITS = {
    "hk_macao_resident": re.compile(r"^[HM]\d{8}(\d{2})?$"),
    "taiwan_resident": re.compile(r"^\d{8}(\d{2})?$"),
}


def parse_identity_document(id_type, raw):
    """Validate any accepted identity document. Returns a ResidentId when the number carries the
    birth date and sex (resident ID cards and residence permits), else None (travel permits)."""
    number = (raw or "").strip().upper()
    if id_type == "resident_id":
        return parse_resident_id(number)
    if len(number) == 18:
        if not number.startswith(_RESIDENCE_PERMIT_REGIONS[id_type]):
            raise InvalidResidentId(
                _("居住证号码应以 %(prefixes)s 开头。") % {"prefixes": "、".join(_RESIDENCE_PERMIT_REGIONS[id_type])}
            )
        return parse_resident_id(number)
    if not _TRAVEL_PERMITS[id_type].match(number):
        raise InvalidResidentId(_("请填写18位居住证号码，或正确格式的通行证号码。"))
    return None
