from bases.models.brochures import OPEN_STATUSES, Brochure, BrochureComment, BrochureStatus, BrochureVersion
from bases.models.catalogue import BaseLevel, Province, Specialty, SpecialtyBase, SpecialtyCategory, TrainingBase
from bases.models.plan import Quota, QuotaIncrease, QuotaIncreaseStatus
from bases.models.scoring import ScoringFormula

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
    "ScoringFormula",
    "Specialty",
    "SpecialtyBase",
    "SpecialtyCategory",
    "TrainingBase",
]
