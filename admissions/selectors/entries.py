"""Reads of direct entries (直接进入培训)."""

from admissions.models import (
    DirectEntry,
)
from policy.models import Campaign


def entries(*, campaign: Campaign, kind: str):
    return DirectEntry.objects.filter(campaign=campaign, kind=kind).select_related(
        "quota__specialty_base__training_base", "quota__specialty_base__specialty", "entered_by"
    )
