"""Reads of the assessment sessions (考核场次): a specialty base's sessions of a round with their
fill, seats and move requests for the office's page and the API, and a candidate's own seats with
the sessions it may ask to move to. A fixed number of queries whatever the number of rows."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from admissions.models import (
    ACTIVE_SEAT_STATUSES,
    Assessment,
    AssessmentSession,
    MoveRequest,
    MoveStatus,
    SeatStatus,
    SessionPart,
    SessionSeat,
    Stage,
)
from bases.models import SpecialtyBase
from policy.models import Campaign
from portal.models import User
from portal.permissions import CHANGE, VIEW, visible

SESSION_RELATIONS = ("campaign", "specialty_base__training_base", "specialty_base__specialty")
# What the assessment notice (admissions.services.notices.render_seat_notice) reads of a seat.
SEAT_NOTICE_RELATIONS = ("applicant", "assessment__application", *(f"session__{r}" for r in SESSION_RELATIONS))


def with_taken(sessions: QuerySet[AssessmentSession]) -> QuerySet[AssessmentSession]:
    """`sessions` annotated with `taken`: the seats that hold a place."""
    return sessions.annotate(taken=Count("seats", filter=Q(seats__status__in=ACTIVE_SEAT_STATUSES)))


def sessions_of(*, campaign: Campaign, round_number: int, specialty_base: SpecialtyBase):
    return with_taken(
        AssessmentSession.objects.filter(campaign=campaign, round=round_number, specialty_base=specialty_base)
    ).select_related(*SESSION_RELATIONS)


def session_by_pk(pk: int) -> AssessmentSession | None:
    return AssessmentSession.objects.select_related(*SESSION_RELATIONS).filter(pk=pk).first()


def session_with_taken(pk: int) -> AssessmentSession:
    """One session as its API row shows it: with `taken`."""
    return with_taken(AssessmentSession.objects.filter(pk=pk)).select_related(*SESSION_RELATIONS).get()


def seat_with_notice_facts(pk: int) -> SessionSeat | None:
    """A seat with what its notice prints and its candidate's account (for messages)."""
    return SessionSeat.objects.select_related(*SEAT_NOTICE_RELATIONS, "applicant__user").filter(pk=pk).first()


def move_request_by_pk(pk: int) -> MoveRequest | None:
    return (
        MoveRequest.objects.select_related("seat__applicant", "seat__session__specialty_base__training_base")
        .filter(pk=pk)
        .first()
    )


def active_seats() -> QuerySet[SessionSeat]:
    return (
        SessionSeat.objects.filter(status__in=ACTIVE_SEAT_STATUSES)
        .select_related("applicant", "session")
        .order_by("applicant__full_name", "pk")
    )


def session_seats(session: AssessmentSession) -> QuerySet[SessionSeat]:
    return active_seats().filter(session=session)


def seats_by_name(seats: list[SessionSeat]) -> QuerySet[SessionSeat]:
    """`seats` (just made) as the staff's rows show them."""
    return active_seats().filter(pk__in=[seat.pk for seat in seats])


@dataclass
class SessionBoard:
    """A specialty base's sessions of a round, each with `seat_list`, the candidates still without a
    seat per part, and the pending move requests."""

    sessions: list
    unseated: dict = field(default_factory=dict)
    moves: list = field(default_factory=list)

    @property
    def parts(self):
        """Per part (interview, exam): its value, label, sessions and candidates without a seat."""
        return [
            {
                "value": value,
                "label": label,
                "sessions": [s for s in self.sessions if s.part == value],
                "unseated": self.unseated.get(value, []),
            }
            for value, label in SessionPart.choices
        ]


def session_board(*, campaign: Campaign, round_number: int, specialty_base: SpecialtyBase) -> SessionBoard:
    sessions = list(
        sessions_of(campaign=campaign, round_number=round_number, specialty_base=specialty_base)
        .prefetch_related(Prefetch("seats", queryset=active_seats(), to_attr="seat_list"))
        .order_by("starts_at", "pk")
    )
    candidates = (
        Assessment.objects.filter(
            campaign=campaign, application__round=round_number, specialty_base=specialty_base, stage=Stage.QUALIFIED
        )
        .select_related("application__applicant")
        .annotate(
            **{
                f"{part}_seated": Exists(
                    SessionSeat.objects.filter(assessment=OuterRef("pk"), part=part, status__in=ACTIVE_SEAT_STATUSES)
                )
                for part in SessionPart.values
            }
        )
        .order_by("application__applicant__full_name", "pk")
    )
    candidates = list(candidates)
    unseated = {part: [a for a in candidates if not getattr(a, f"{part}_seated")] for part in SessionPart.values}
    moves = list(
        MoveRequest.objects.filter(
            status=MoveStatus.PENDING,
            seat__session__campaign=campaign,
            seat__session__round=round_number,
            seat__session__specialty_base=specialty_base,
        )
        .select_related("seat__applicant", "from_session", "to_session")
        .annotate(to_taken=Count("to_session__seats", filter=Q(to_session__seats__status__in=ACTIVE_SEAT_STATUSES)))
        .order_by("requested_at", "pk")
    )
    return SessionBoard(sessions=sessions, unseated=unseated, moves=moves)


def staff_sessions(*, user: User, campaign: Campaign, round_number: int | None, specialty_base_id: int | None):
    """The sessions `user` may see, newest campaign's, optionally of one round and specialty base."""
    sessions = AssessmentSession.objects.filter(campaign=campaign)
    if round_number is not None:
        sessions = sessions.filter(round=round_number)
    if specialty_base_id is not None:
        sessions = sessions.filter(specialty_base_id=specialty_base_id)
    return with_taken(visible(user, sessions, VIEW)).select_related(*SESSION_RELATIONS).order_by("starts_at", "pk")


def may_manage(user: User, session: AssessmentSession) -> bool:
    return visible(user, AssessmentSession.objects.filter(pk=session.pk), CHANGE).exists()


@dataclass
class MySeat:
    seat: SessionSeat
    alternatives: list


def my_seats(user: User) -> list[MySeat]:
    """The candidate's seats (cancelled ones too, so it sees what changed), newest campaign first,
    each with the sessions it may ask to move to: same base, round and part, not started, with room."""
    seats = list(
        SessionSeat.objects.filter(applicant__user=user)
        .select_related(*SEAT_NOTICE_RELATIONS, "move_request__to_session")
        .order_by("-session__campaign__year", "session__starts_at", "pk")
    )
    keys = {(s.session.campaign_id, s.session.round, s.session.specialty_base_id, s.part) for s in seats}
    alternatives = {}
    if keys:
        match = Q(pk__in=[])
        for campaign_id, round_number, specialty_base_id, part in keys:
            match |= Q(campaign_id=campaign_id, round=round_number, specialty_base_id=specialty_base_id, part=part)
        for session in with_taken(AssessmentSession.objects.filter(match, starts_at__gt=timezone.now())).order_by(
            "starts_at", "pk"
        ):
            key = (session.campaign_id, session.round, session.specialty_base_id, session.part)
            if session.taken < session.capacity:
                alternatives.setdefault(key, []).append(session)
    return [
        MySeat(
            seat=seat,
            alternatives=[
                s
                for s in alternatives.get(
                    (seat.session.campaign_id, seat.session.round, seat.session.specialty_base_id, seat.part), []
                )
                if s.pk != seat.session_id
            ],
        )
        for seat in seats
    ]


def seat_rows() -> QuerySet[SessionSeat]:
    """Seats with what the candidate's API rows show: the session and the move request."""
    return SessionSeat.objects.select_related(*SEAT_NOTICE_RELATIONS, "move_request").order_by(
        "session__starts_at", "pk"
    )


def seats_with_notice_facts(*, session_pk: int) -> QuerySet[SessionSeat]:
    """The seats of the session `session_pk` whose notice holds (not cancelled), in order, with
    what their notices print."""
    return (
        SessionSeat.objects.select_related(*SEAT_NOTICE_RELATIONS)
        .filter(session_id=session_pk)
        .exclude(status=SeatStatus.CANCELLED)
        .order_by("pk")
    )
