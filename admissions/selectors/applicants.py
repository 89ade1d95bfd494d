"""Reads of an applicant's account: its applicant record, education, documents and applications."""

import datetime

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from admissions.models import Applicant, ApplicantDocument, Application, EducationRecord
from portal.models import User


def applicant_of(user: User, *, reload: bool = False):
    """The signed-in applicant's record with what its pages show, or None for another role; no query
    when the user was loaded with it (portal.authentication.UserBackend) unless `reload` (after a
    change made in the same request)."""
    if not reload and User._meta.get_field("applicant").is_cached(user):
        return getattr(user, "applicant", None)
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


def application_by_pk(pk: int) -> Application:
    """One application (404 when there is none); the write services check who may change it."""
    return get_object_or_404(Application.objects.select_related("campaign", "applicant", "specialty_base"), pk=pk)


def education_record_by_pk(pk: int) -> EducationRecord:
    return get_object_or_404(EducationRecord.objects.select_related("applicant"), pk=pk)


def document_by_pk(pk: int) -> ApplicantDocument:
    return get_object_or_404(ApplicantDocument.objects.select_related("applicant"), pk=pk)


def applicant_by_pk(pk: int) -> Applicant | None:
    return Applicant.objects.filter(pk=pk).first()


def education_records() -> QuerySet[EducationRecord]:
    """Education records in the order of graduation."""
    return EducationRecord.objects.select_related("applicant").order_by("graduation_date", "id")


def applicant_documents() -> QuerySet[ApplicantDocument]:
    """Documents by kind, the newest of each first."""
    return ApplicantDocument.objects.select_related("applicant").order_by("kind", "-uploaded_at", "-id")


def application_rows() -> QuerySet[Application]:
    return Application.objects.select_related("applicant", "campaign", "specialty_base")


def choices_filed_since(campaign_id: int, since: datetime.datetime) -> int:
    """How many choices were filed in the campaign since `since` (a plan release's undo waits on it)."""
    return Application.objects.filter(campaign_id=campaign_id, submitted_at__gte=since).count()
