from bases.models.catalogue import BaseLevel, Province, Specialty, SpecialtyBase, SpecialtyCategory, TrainingBase
from bases.models.plan import Quota

__all__ = ["BaseLevel", "Province", "Quota", "Specialty", "SpecialtyBase", "SpecialtyCategory", "TrainingBase"]
