"""Reads of publicity lists (拟录取名单公示) and their objections for the offices and the API."""

import datetime

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from admissions.models import (
    HOLDING_STAGES,
    Assessment,
    Objection,
    ObjectionStatus,
    PublicityEntry,
    PublicityKind,
    PublicityList,
)
from admissions.selectors.rounds import candidate_sheet
from policy.models import Campaign
from portal.models import User
from portal.permissions import CHANGE, visible


def office_publicity_lists(*, user: User, campaign: Campaign):
    """The publicity lists the user may see in the campaign, newest first, with their entries
    and every entry's objections."""
    entries = PublicityEntry.objects.select_related(
        "assessment__application__applicant", "assessment__specialty_base__specialty"
    ).prefetch_related(
        Prefetch(
            "objections", queryset=Objection.objects.select_related("raised_by", "handled_by").order_by("raised_at")
        )
    )
    return (
        visible(user, PublicityList.objects.filter(campaign=campaign))
        .select_related("training_base", "published_by")
        .prefetch_related(Prefetch("entries", queryset=entries.order_by("assessment__specialty_base__specialty__code")))
        .order_by("-published_at", "-pk")
    )


def open_objections_of_entry(*, user: User, objection: Objection):
    """The open objections, other than `objection`, about the same listed candidate (on any of its
    lists) that `user` may handle: those that may be closed as its repeats."""
    return list(
        visible(
            user,
            Objection.objects.filter(entry__assessment_id=objection.entry.assessment_id, status=ObjectionStatus.OPEN),
            CHANGE,
        )
        .exclude(pk=objection.pk)
        .order_by("raised_at", "pk")
    )


def publicity_list_rows() -> QuerySet[PublicityList]:
    """Publicity lists with their entry count."""
    return PublicityList.objects.select_related("campaign", "training_base").annotate(entry_count=Count("entries"))


def publicity_list_details() -> QuerySet[PublicityList]:
    """Publicity lists with their entries (name, specialty) in the order the list prints them."""
    entries = PublicityEntry.objects.select_related(
        "assessment__application__applicant", "assessment__specialty_base__specialty"
    ).order_by("assessment__specialty_base__specialty__code", "id")
    return publicity_list_rows().prefetch_related(Prefetch("entries", queryset=entries))


def objection_rows() -> QuerySet[Objection]:
    """Objections with the list, the candidate and the specialty their rows show."""
    return Objection.objects.select_related(
        "entry__publicity_list__training_base",
        "entry__assessment__application__applicant",
        "entry__assessment__specialty_base__specialty",
    )


def publicity_entry_by_pk(pk: int) -> PublicityEntry:
    """One entry of a publicity list (404 when there is none)."""
    return get_object_or_404(PublicityEntry.objects.select_related("publicity_list"), pk=pk)


def published_lists(*, training_base_id: int | None = None, round_number: int | None = None) -> QuerySet[PublicityList]:
    """Every publicity list, newest first, of one training base or round if given."""
    rows = publicity_list_rows().order_by("-published_at", "-id")
    if training_base_id:
        rows = rows.filter(training_base_id=training_base_id)
    if round_number:
        rows = rows.filter(round=round_number)
    return rows


def visible_objections(*, user: User, status: str = "") -> QuerySet[Objection]:
    """The objections `user` may see, newest first, with `status` if given."""
    rows = visible(user, objection_rows()).order_by("-raised_at", "-id")
    return rows.filter(status=status) if status else rows


def list_release_preview(
    *, campaign: Campaign, round_number: int, assessments: list[Assessment], last_day: datetime.date
) -> dict:
    """What publishing `assessments` (proposals of one base and round on no list yet, loaded with
    their applicant and specialty) changes, as the JSON a release keeps: who enters the public list
    with their rank and composite score, and per specialty base its places and how many of them the
    public lists show before and after."""
    by_base = {}
    for assessment in assessments:
        by_base.setdefault(assessment.specialty_base, []).append(assessment)
    listed = dict(
        Assessment.objects.filter(
            application__campaign=campaign,
            application__round=round_number,
            specialty_base__in=list(by_base),
            stage__in=HOLDING_STAGES,
            publicity_entries__publicity_list__kind=PublicityKind.PROPOSED,
        )
        .values("specialty_base")
        .annotate(n=Count("pk", distinct=True))
        .values_list("specialty_base", "n")
    )
    entering, bases = [], []
    for specialty_base in sorted(by_base, key=lambda base: base.specialty.code):
        sheet = candidate_sheet(campaign=campaign, specialty_base=specialty_base, round_number=round_number)
        standing = {c.assessment.pk: c for c in sheet.candidates if c.assessment is not None}
        new = by_base[specialty_base]
        for assessment in sorted(new, key=lambda a: (standing[a.pk].rank or len(standing) + 1, a.pk)):
            candidate = standing[assessment.pk]
            entering.append(
                {
                    "name": assessment.application.applicant.full_name,
                    "specialty": specialty_base.specialty.name,
                    "rank": candidate.rank,
                    "composite": None if candidate.composite is None else str(candidate.composite),
                    "adjustment": assessment.is_adjustment,
                }
            )
        before = listed.get(specialty_base.pk, 0)
        bases.append(
            {
                "specialty": specialty_base.specialty.name,
                "places": sheet.places,
                "listed_before": before,
                "listed_after": before + len(new),
            }
        )
    return {"last_day": last_day.isoformat(), "entering": entering, "bases": bases}
