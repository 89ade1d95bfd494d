"""Reads of the public publicity pages, the public notice check, the applicant's offers and the
admission notice. The state the clock gives (a list still public, a candidate admitted once its
publicity ended) is computed in the query, so a list never asks the database once per row and a
page is right even before the admission sweep has run."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from admissions.models import (
    Admission,
    Applicant,
    Application,
    Assessment,
    CorrectionStatus,
    IdentityCorrection,
    Invitation,
    InvitationStatus,
    PublicityEntry,
    PublicityKind,
    PublicityList,
    Stage,
    SupersededNotice,
)
from admissions.selectors.checkin import absence_flags
from admissions.selectors.clock import admitted_by_clock, flag, open_publicity
from admissions.selectors.places import quotas_with_places_taken
from bases.models import Province, Quota
from policy.models import Campaign
from policy.selectors import is_shortage
from policy.timetable import assessment_window, local_date, window_is_open
from portal.privacy import mask_id_number

# Stages reached once the training base decided; the applicant sees its scores from then on.
DECIDED_STAGES = {Stage.PROPOSED, Stage.NOT_ADMITTED, Stage.DECLINED, Stage.REMOVED, Stage.ADMITTED}


def public_publicity_lists(*, province: Province, moment: datetime.datetime | None = None):
    """Every publicity list of the province's training bases, newest first, with `is_open` and
    `entry_count`."""
    return (
        PublicityList.objects.filter(training_base__province=province)
        .select_related("training_base", "campaign")
        .annotate(entry_count=Count("entries"), is_open=flag(open_publicity(moment)))
        .order_by("-published_at", "-pk")
    )


def public_publicity_list(pk: int, moment: datetime.datetime | None = None):
    publicity_list = (
        PublicityList.objects.select_related("training_base", "campaign")
        .annotate(is_open=flag(open_publicity(moment)))
        .filter(pk=pk)
        .first()
    )
    if publicity_list is None:
        raise Http404
    return publicity_list


@dataclass(frozen=True)
class PublicRow:
    """One line of a public list: never the full ID number."""

    entry_id: int
    full_name: str
    masked_id: str
    training_base: str
    specialty: str
    is_adjustment: bool
    removed: bool
    corrected_at: object = None  # when an approved correction last changed the name or number shown

    @property
    def label(self):
        return f"{self.full_name}（{self.masked_id}）· {self.specialty}"


def public_rows(publicity_list: PublicityList):
    """The list's candidates as public rows (name, masked ID number, specialty base), by specialty."""
    values = (
        PublicityEntry.objects.filter(publicity_list=publicity_list)
        .annotate(corrected_at=identity_corrected_at(OuterRef("assessment__applicant_id")))
        .order_by("assessment__specialty_base__specialty__code", "pk")
        .values_list(
            "pk",
            "assessment__application__applicant__full_name",
            "assessment__application__applicant__id_number",
            "assessment__specialty_base__training_base__name",
            "assessment__specialty_base__specialty__name",
            "assessment__is_adjustment",
            "assessment__stage",
            "corrected_at",
        )
    )
    return [
        PublicRow(
            entry_id=pk,
            full_name=name,
            masked_id=mask_id_number(id_number),
            training_base=base,
            specialty=specialty,
            is_adjustment=is_adjustment,
            removed=stage == Stage.REMOVED,
            corrected_at=corrected_at,
        )
        for pk, name, id_number, base, specialty, is_adjustment, stage, corrected_at in values
    ]


def identity_corrected_at(applicant_ref):
    """When the applicant's identity was last corrected by an approved request, as a subquery."""
    return Subquery(
        IdentityCorrection.objects.filter(applicant=applicant_ref, status=CorrectionStatus.APPROVED)
        .order_by("-decided_at")
        .values("decided_at")[:1]
    )


def publicity_entry(*, publicity_list: PublicityList, entry_id: int):
    entry = (
        PublicityEntry.objects.select_related("publicity_list")
        .filter(publicity_list=publicity_list, pk=entry_id)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def _admission_rows():
    return Admission.objects.annotate(
        identity_corrected_at=identity_corrected_at(OuterRef("assessment__applicant_id"))
    ).select_related(
        "assessment__application__applicant",
        "assessment__application__campaign__province",
        "assessment__specialty_base__training_base",
        "assessment__specialty_base__specialty",
    )


def admission_for_notice(pk: int):
    admission = _admission_rows().filter(pk=pk).first()
    if admission is None:
        raise Http404
    return admission


def verified_admission(*, notice_number: str, verification_code: str):
    """The admission matching both the notice number and the verification code of its notice, else
    None: the caller cannot tell which of the two did not match. The code of an earlier version of
    the notice matches too, with `superseded_at` set (None for the current one)."""
    notice_number, verification_code = notice_number.strip(), verification_code.strip().upper()
    if not notice_number or not verification_code:
        return None
    superseded = SupersededNotice.objects.filter(admission=OuterRef("pk"), verification_code=verification_code)
    return (
        _admission_rows()
        .filter(notice_number=notice_number)
        .annotate(superseded_at=Subquery(superseded.values("superseded_at")[:1]))
        .filter(Q(verification_code=verification_code) | Q(superseded_at__isnull=False))
        .first()
    )


def offer_campaign(applicant: Applicant):
    """The campaign of the applicant's latest choice or invitation, else None."""
    applications = Application.objects.filter(applicant=applicant).values("campaign_id")
    invitations = Invitation.objects.filter(applicant=applicant).values("campaign_id")
    return Campaign.objects.filter(Q(pk__in=applications) | Q(pk__in=invitations)).order_by("-year", "-pk").first()


def offers_of(*, applicant: Applicant, campaign: Campaign, moment: datetime.datetime | None = None):
    """The applicant's assessments in the campaign with what its page shows: `admitted_now` (by
    the clock), `publicity_last_day` and `publicity_open` of its proposed list, and the admission
    (notice) once issued."""
    proposed = PublicityEntry.objects.filter(assessment=OuterRef("pk"), publicity_list__kind=PublicityKind.PROPOSED)
    return (
        Assessment.objects.filter(application__applicant=applicant, application__campaign=campaign)
        .select_related(
            "application__campaign",
            "specialty_base__training_base",
            "specialty_base__specialty",
            "admission",
        )
        .annotate(
            admitted_now=flag(admitted_by_clock(moment)),
            publicity_last_day=Subquery(proposed.values("publicity_list__last_day")[:1]),
            publicity_open=Exists(proposed.filter(publicity_list__last_day__gte=local_date(moment))),
            **absence_flags(),
        )
        .order_by("application__round", "is_adjustment", "created_at", "pk")
    )


@dataclass
class Offer:
    assessment: Assessment
    stage_label: str
    admitted: bool
    decided: bool
    can_confirm: bool
    adjustable: bool
    notice: Admission | None
    adjustment_options: list = field(default_factory=list)  # (quota, eligibility decision) pairs
    breakdown: object = None  # the score explained, once published (admissions.selectors.scores)


def offer_rows(assessments: QuerySet[Assessment], moment: datetime.datetime | None = None):
    """Each assessment with the state its card shows; `adjustable`: a round-1 first choice not
    admitted, with no adjustment yet, while the round-1 assessment window is open."""
    assessments = list(assessments)
    adjusted = {a.application_id for a in assessments if a.is_adjustment}
    rows = []
    for a in assessments:
        campaign = a.application.campaign
        decided = a.stage in DECIDED_STAGES
        rows.append(
            Offer(
                assessment=a,
                stage_label=Stage.ADMITTED.label if a.admitted_now else Stage(a.stage).label,
                admitted=a.admitted_now,
                decided=decided,
                can_confirm=a.stage == Stage.PROPOSED and a.publicity_open,
                adjustable=(
                    a.application.round == 1
                    and not a.is_adjustment
                    and a.stage == Stage.NOT_ADMITTED
                    and a.application_id not in adjusted
                    and window_is_open(*assessment_window(campaign, 1), moment)
                ),
                notice=getattr(a, "admission", None),
            )
        )
    return rows


def adjustment_quotas(assessment: Assessment):
    """Other specialty bases of the same training base with places left, shortage specialties
    first (调剂, 三(三)2)."""
    campaign_id = assessment.application.campaign_id
    quotas = quotas_with_places_taken(
        Quota.objects.filter(
            campaign_id=campaign_id, specialty_base__training_base_id=assessment.specialty_base.training_base_id
        )
        .exclude(specialty_base_id=assessment.specialty_base_id)
        .select_related("specialty_base__training_base", "specialty_base__specialty")
        .annotate(is_shortage=is_shortage(campaign="campaign_id", specialty="specialty_base__specialty_id"))
        .order_by("-is_shortage", "specialty_base__specialty__code")
    )
    return [quota for quota in quotas if quota.taken < quota.places]


def invitations_of(*, applicant: Applicant, campaign: Campaign):
    """The applicant's round-2 invitations: shortage specialties first, then those awaiting an
    answer, newest first."""
    return (
        Invitation.objects.filter(applicant=applicant, campaign=campaign)
        .select_related("campaign", "specialty_base__training_base", "specialty_base__specialty")
        .annotate(
            is_shortage=is_shortage(campaign="campaign_id", specialty="specialty_base__specialty_id"),
            is_pending=flag(Q(status=InvitationStatus.PENDING)),
        )
        .order_by("-is_shortage", "-is_pending", "-invited_at", "-pk")
    )
