"""What the clock decides before any sweep writes it: a publicity list is public until 24:00 of its
last day, and a proposed candidate who accepted is admitted once the proposed list's publicity is
over with no open objection. Every page, API and sweep asks here, so they all give one answer."""

import datetime

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from admissions.models import (
    Assessment,
    Confirmation,
    Objection,
    ObjectionStatus,
    PublicityEntry,
    PublicityKind,
    PublicityList,
    Stage,
)
from policy.timetable import end_of_day, local_date


def is_public(publicity_list: PublicityList, moment: datetime.datetime | None = None) -> bool:
    return (moment or timezone.now()) < end_of_day(publicity_list.last_day)


def open_publicity(moment: datetime.datetime | None = None) -> Q:
    """Condition on PublicityList: still public at `moment` (until 24:00 of its last day)."""
    return Q(last_day__gte=local_date(moment))


def due_for_admission(moment: datetime.datetime | None = None) -> QuerySet[Assessment]:
    """Proposed candidates whose publicity is over, with no open objection, who accepted."""
    moment = moment or timezone.now()
    ended_lists = PublicityEntry.objects.filter(
        assessment=OuterRef("pk"),
        publicity_list__kind=PublicityKind.PROPOSED,
        publicity_list__last_day__lt=local_date(moment),
    )
    open_objections = Objection.objects.filter(entry__assessment=OuterRef("pk"), status=ObjectionStatus.OPEN)
    return Assessment.objects.filter(
        Exists(ended_lists), ~Exists(open_objections), stage=Stage.PROPOSED, confirmation=Confirmation.ACCEPTED
    )


def admitted_by_clock(moment: datetime.datetime | None = None) -> Q:
    """Condition on Assessment: admitted, or due to be admitted by the sweep."""
    return Q(stage=Stage.ADMITTED) | Exists(due_for_admission(moment).filter(pk=OuterRef("pk")))


def flag(condition: Q) -> Case:
    """A condition as a boolean annotation."""
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def is_admitted(assessment: Assessment, moment: datetime.datetime | None = None) -> bool:
    """One assessment admitted by the clock, whether or not the sweep has run yet."""
    return Assessment.objects.filter(admitted_by_clock(moment), pk=assessment.pk).exists()
