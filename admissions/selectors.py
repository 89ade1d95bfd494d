from django.db.models import Case, Count, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce

from admissions.models import (
    HOLDING_STAGES,
    Applicant,
    Assessment,
    ClaimStatus,
    CorrectionStatus,
    DirectEntry,
    EntryStatus,
    IdentityClaim,
    IdentityCorrection,
)
from bases.models import Quota
from portal.permissions import visible


def _holding(campaign_ref, specialty_base_ref):
    return Assessment.objects.filter(
        specialty_base=specialty_base_ref, application__campaign=campaign_ref, stage__in=HOLDING_STAGES
    )


def quotas_with_places_taken(quotas):
    """`quotas` annotated with `taken`: places held by entries outside the rounds and by proposed or
    admitted candidates."""
    held = _holding(OuterRef("campaign_id"), OuterRef("specialty_base_id")).values("specialty_base")
    return quotas.annotate(
        entries_taken=Count("direct_entries", filter=Q(direct_entries__status=EntryStatus.ACTIVE), distinct=True),
        held_taken=Coalesce(Subquery(held.annotate(n=Count("pk")).values("n")[:1]), 0),
    ).annotate(taken=F("entries_taken") + F("held_taken"))


def held_by_quota(quotas):
    """{quota id: places taken} for a queryset of quotas (registered with bases.services.quotas)."""
    return dict(quotas_with_places_taken(quotas.order_by()).values_list("pk", "taken"))


def places_taken(quota):
    """Call with the quota row locked when the answer decides a write."""
    entries = DirectEntry.objects.filter(quota=quota, status=EntryStatus.ACTIVE).count()
    return entries + _holding(quota.campaign_id, quota.specialty_base_id).count()


def entry_quotas(*, campaign, training_base=None):
    quotas = Quota.objects.filter(campaign=campaign, specialty_base__training_base__province=campaign.province)
    if training_base is not None:
        quotas = quotas.filter(specialty_base__training_base=training_base)
    return quotas_with_places_taken(
        quotas.select_related("specialty_base__training_base", "specialty_base__specialty").order_by(
            "specialty_base__training_base__sort_order", "specialty_base__specialty__code"
        )
    )


def entries(*, campaign, kind):
    return DirectEntry.objects.filter(campaign=campaign, kind=kind).select_related(
        "quota__specialty_base__training_base", "quota__specialty_base__specialty", "entered_by"
    )


def identity_frozen(applicant):
    """Proposed, admitted or ever on a publicity list: the name and document people have seen."""
    return Assessment.objects.filter(
        Q(stage__in=HOLDING_STAGES) | Q(publicity_entries__isnull=False), applicant=applicant
    ).exists()


def holding_training_base(applicant):
    """The training base of the applicant's latest proposal, listing or admission, or None."""
    assessment = (
        Assessment.objects.filter(Q(stage__in=HOLDING_STAGES) | Q(publicity_entries__isnull=False), applicant=applicant)
        .select_related("specialty_base__training_base")
        .order_by("-created_at", "-pk")
        .first()
    )
    return assessment.specialty_base.training_base if assessment else None


def identity_requests_of(applicant):
    """The applicant's corrections and claims, newest first."""
    return (
        list(applicant.identity_corrections.select_related("training_base")),
        list(applicant.identity_claims.select_related("training_base")),
    )


def identity_queue(*, user):
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


def applicant_of(user):
    """The signed-in applicant's record with what its pages show, or None for another role."""
    return (
        Applicant.objects.select_related("user", "dispatch_training_base", "dispatch_specialty")
        .filter(user=user)
        .first()
    )


def applications_of(applicant):
    """Every choice the applicant ever filed, newest first: its history."""
    return applicant.applications.select_related(
        "campaign", "specialty_base__training_base", "specialty_base__specialty"
    ).order_by("-submitted_at", "-id")


def fill_by_specialty(*, campaign):
    """{specialty id: places filled} across the province: proposed or admitted candidates and
    entries outside the rounds."""
    filled = {}
    held = (
        Assessment.objects.filter(application__campaign=campaign, stage__in=HOLDING_STAGES)
        .values("specialty_base__specialty_id")
        .annotate(n=Count("pk"))
    )
    entries = (
        DirectEntry.objects.filter(campaign=campaign, status=EntryStatus.ACTIVE)
        .values("quota__specialty_base__specialty_id")
        .annotate(n=Count("pk"))
    )
    for row in held:
        filled[row["specialty_base__specialty_id"]] = filled.get(row["specialty_base__specialty_id"], 0) + row["n"]
    for row in entries:
        key = row["quota__specialty_base__specialty_id"]
        filled[key] = filled.get(key, 0) + row["n"]
    return filled
