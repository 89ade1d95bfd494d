from django.db.models import Count, Q

from admissions.models import Applicant, DirectEntry, EntryStatus
from bases.models import Quota


def quotas_with_places_taken(quotas):
    """`quotas` annotated with `taken`: the places already filled (entries outside the rounds so far)."""
    return quotas.annotate(taken=Count("direct_entries", filter=Q(direct_entries__status=EntryStatus.ACTIVE)))


def places_taken(quota):
    return DirectEntry.objects.filter(quota=quota, status=EntryStatus.ACTIVE).count()


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
