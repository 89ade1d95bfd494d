"""Reads of reporting (报到) and integrity cases: the office's admitted residents with whether a
case is pending, the province's pending cases, one admission or case."""

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from admissions.models import Admission, AdmissionStatus, IntegrityCase, IntegrityCaseStatus
from portal.models import User
from portal.permissions import visible


def office_admissions(*, user: User) -> QuerySet[Admission]:
    """The admissions `user` may see, by status and specialty, each with `case_pending`."""
    pending = IntegrityCase.objects.filter(admission=OuterRef("pk"), status=IntegrityCaseStatus.PENDING)
    return (
        visible(user, Admission.objects.all())
        .annotate(case_pending=Exists(pending))
        .select_related(
            "assessment__application__applicant",
            "assessment__application__campaign",
            "assessment__specialty_base__specialty",
        )
        .order_by("status", "assessment__specialty_base__specialty__code", "pk")
    )


def pending_integrity_cases(*, user: User) -> QuerySet[IntegrityCase]:
    """The pending integrity cases `user` may see, with the resident and the specialty base."""
    return visible(user, IntegrityCase.objects.filter(status=IntegrityCaseStatus.PENDING)).select_related(
        "admission__assessment__application__applicant",
        "admission__assessment__specialty_base__training_base",
        "admission__assessment__specialty_base__specialty",
    )


def visible_admission_by_notice(*, user: User, notice_number: str) -> Admission | None:
    return visible(user, Admission.objects.all()).filter(notice_number=notice_number.strip()).first()


def admission_by_pk(pk: int) -> Admission:
    """One admission (404 when there is none); the services check who may act on it."""
    return get_object_or_404(
        Admission.objects.select_related("assessment__application__applicant", "assessment__application__campaign"),
        pk=pk,
    )


def integrity_case_by_pk(pk: int) -> IntegrityCase:
    return get_object_or_404(IntegrityCase.objects.select_related("admission"), pk=pk)


def notices_in_force(*, user: User) -> QuerySet[Admission]:
    """The admissions `user` may see whose notice holds (admitted or reported), in notice order,
    with what the notices' file names print."""
    return (
        visible(user, Admission.objects.filter(status__in=[AdmissionStatus.ADMITTED, AdmissionStatus.REPORTED]))
        .select_related("assessment__application__applicant")
        .order_by("pk")
    )
