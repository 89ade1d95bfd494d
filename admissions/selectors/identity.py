"""Reads of identity after selection: whether an applicant's identity is frozen, and the
correction and claim requests an applicant or an office sees."""

from django.db.models import Case, Q, QuerySet, When

from admissions.models import (
    HOLDING_STAGES,
    Applicant,
    Assessment,
    ClaimStatus,
    CorrectionStatus,
    IdentityClaim,
    IdentityCorrection,
)
from portal.models import User
from portal.permissions import visible


def identity_frozen(applicant: Applicant):
    """Proposed, admitted or ever on a publicity list: the name and document people have seen."""
    return Assessment.objects.filter(
        Q(stage__in=HOLDING_STAGES) | Q(publicity_entries__isnull=False), applicant=applicant
    ).exists()


def holding_training_base(applicant: Applicant):
    """The training base of the applicant's latest proposal, listing or admission, or None."""
    assessment = (
        Assessment.objects.filter(Q(stage__in=HOLDING_STAGES) | Q(publicity_entries__isnull=False), applicant=applicant)
        .select_related("specialty_base__training_base")
        .order_by("-created_at", "-pk")
        .first()
    )
    return assessment.specialty_base.training_base if assessment else None


def identity_requests_of(applicant: Applicant):
    """The applicant's corrections and claims, newest first."""
    return (
        list(applicant.identity_corrections.select_related("training_base")),
        list(applicant.identity_claims.select_related("training_base")),
    )


def identity_queue(*, user: User):
    """What the office may act on or see: corrections and claims of its base (a base office) or
    its province (the province), open ones first."""
    corrections = visible(
        user, IdentityCorrection.objects.select_related("applicant", "training_base__province")
    ).order_by(
        Case(When(status__in=[CorrectionStatus.PENDING_BASE, CorrectionStatus.PENDING_PROVINCE], then=0), default=1),
        "-requested_at",
    )[:200]
    claims = visible(user, IdentityClaim.objects.select_related("claimant", "training_base")).order_by(
        Case(When(status=ClaimStatus.PENDING, then=0), default=1), "-claimed_at"
    )[:200]
    return list(corrections), list(claims)


def correction_rows() -> QuerySet[IdentityCorrection]:
    """Identity corrections with the applicant and the training base that checks them."""
    return IdentityCorrection.objects.select_related("applicant", "training_base")
