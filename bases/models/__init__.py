from bases.models.brochures import OPEN_STATUSES, Brochure, BrochureComment, BrochureStatus, BrochureVersion
from bases.models.catalogue import BaseLevel, Province, Specialty, SpecialtyBase, SpecialtyCategory, TrainingBase
from bases.models.plan import Quota, QuotaIncrease, QuotaIncreaseStatus

__all__ = [
    "OPEN_STATUSES",
    "BaseLevel",
    "Brochure",
    "BrochureComment",
    "BrochureStatus",
    "BrochureVersion",
    "Province",
    "Quota",
    "QuotaIncrease",
    "QuotaIncreaseStatus",
    "Specialty",
    "SpecialtyBase",
    "SpecialtyCategory",
    "TrainingBase",
]
