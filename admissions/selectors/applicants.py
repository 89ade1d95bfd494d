"""Reads of an applicant's account: its applicant record and its applications."""

from admissions.models import Applicant
from portal.models import User


def applicant_of(user: User):
    """The signed-in applicant's record with what its pages show, or None for another role."""
    return (
        Applicant.objects.select_related("user", "dispatch_training_base", "dispatch_specialty")
        .filter(user=user)
        .first()
    )


def applications_of(applicant: Applicant):
    """Every choice the applicant ever filed, newest first: its history."""
    return applicant.applications.select_related(
        "campaign", "specialty_base__training_base", "specialty_base__specialty"
    ).order_by("-submitted_at", "-id")
