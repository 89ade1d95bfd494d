"""Reads of the assessment day: a seat by the code on the candidate's notice, the sessions a
specialty base holds today, and a session's seats and counts for the phone check-in page."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from admissions.models import Assessment, AssessmentSession, SeatStatus, SessionPart, SessionSeat
from policy.models import Campaign
from policy.timetable import Window, end_of_day, local_date, start_of_day
from portal.models import ASSESSOR_ROLES, User
from portal.permissions import CHANGE, may, visible

# Codes are printed in capitals; anything longer than the column is no code at all.
CODE_LENGTH = SessionSeat._meta.get_field("verification_code").max_length
# The rows the page shows at once: a session seats a few dozen; past that, the search narrows it.
SEARCH_LIMIT = 100


def normalize_code(code: str) -> str:
    return (code or "").strip().upper()


def _seats() -> QuerySet[SessionSeat]:
    return SessionSeat.objects.select_related(
        "applicant",
        "session__specialty_base__training_base",
        "session__specialty_base__specialty",
    )


def seat_by_code(code: str) -> SessionSeat | None:
    code = normalize_code(code)
    if not code or len(code) > CODE_LENGTH or not code.isalnum():
        return None
    return _seats().filter(verification_code=code).first()


def seat_by_pk(pk: int) -> SessionSeat | None:
    return _seats().filter(pk=pk).first()


def may_check_in(user: User, seat: SessionSeat) -> bool:
    """Whether `user` checks candidates in for the seat's session: its specialty base's staff or
    its training base's office (not the candidate, whom the seat's own scope lets change it)."""
    return (
        user.is_authenticated and (user.is_superuser or user.role in ASSESSOR_ROLES) and may(user, CHANGE, seat.session)
    )


def checkable_seat(*, user: User, code: str = "", pk: int | None = None) -> SessionSeat | None:
    """The seat of `code` (or `pk`) if `user` may check its candidate in, else None: to anyone
    else an existing seat and a missing one look the same."""
    seat = seat_by_pk(pk) if pk is not None else seat_by_code(code)
    return seat if seat is not None and may_check_in(user, seat) else None


def checkable_session(*, user: User, pk: int) -> AssessmentSession | None:
    """The session if `user` checks its candidates in, else None."""
    if not (user.is_authenticated and (user.is_superuser or user.role in ASSESSOR_ROLES)):
        return None
    return visible(user, AssessmentSession.objects.filter(pk=pk), CHANGE).first()


def sessions_on(*, user: User, campaign: Campaign, round_number: int, day: datetime.date) -> list[AssessmentSession]:
    """The round's sessions on `day` that `user` may check candidates in for: a specialty base's
    staff its own, a training-base office all of its specialty bases'."""
    sessions = AssessmentSession.objects.filter(
        campaign=campaign, round=round_number, starts_at__gte=start_of_day(day), starts_at__lt=end_of_day(day)
    )
    return list(
        visible(user, sessions, CHANGE)
        .select_related("specialty_base__training_base", "specialty_base__specialty")
        .order_by("starts_at", "pk")
    )


def current_session(sessions: list[AssessmentSession], moment: datetime.datetime | None = None):
    """The session running at `moment`, else the next one to start, else the last one of the day."""
    moment = moment or timezone.now()
    running = [s for s in sessions if s.starts_at <= moment < s.ends_at]
    upcoming = [s for s in sessions if s.starts_at > moment]
    return (running or upcoming or sessions[-1:] or [None])[0]


def check_in_window(session: AssessmentSession, moment: datetime.datetime | None = None) -> Window:
    """Checking a candidate in (签到), or correcting a mark: on the session's day (Shanghai) only."""
    day = local_date(session.starts_at)
    if local_date(moment) == day:
        return Window(True)
    reason = _("该场次在%(day)s举行，只能在当天签到或标记缺考。") % {
        "day": date_format(timezone.localtime(session.starts_at), _("m月d日"))
    }
    return Window(False, reason, opens_on=day if local_date(moment) < day else None)


def absence_window(session: AssessmentSession, moment: datetime.datetime | None = None) -> Window:
    """Marking absent (缺考), one by one or all who have not come: on the day, once it has started."""
    window = check_in_window(session, moment)
    if window and (moment or timezone.now()) < session.starts_at:
        reason = _("该场次%(time)s开始，开始后才能标记缺考。") % {
            "time": f"{timezone.localtime(session.starts_at):%H:%M}"
        }
        return Window(False, reason, opens_on=local_date(session.starts_at))
    return window


def today(moment: datetime.datetime | None = None) -> datetime.date:
    return local_date(moment)


@dataclass(frozen=True)
class SeatCounts:
    seated: int
    present: int
    absent: int

    @property
    def waiting(self):
        return self.seated - self.present - self.absent


def seat_counts(session: AssessmentSession) -> SeatCounts:
    counts = SessionSeat.objects.filter(session=session).aggregate(
        seated=Count("pk", filter=~Q(status=SeatStatus.CANCELLED)),
        present=Count("pk", filter=Q(status=SeatStatus.PRESENT)),
        absent=Count("pk", filter=Q(status=SeatStatus.ABSENT)),
    )
    return SeatCounts(**counts)


def search_seats(*, session: AssessmentSession, query: str = "") -> tuple[list[SessionSeat], bool]:
    """The session's seats (not the cancelled ones) whose candidate's name contains `query`, whose
    ID number ends with it (four characters: the last digits, or three and the X), or whose code it
    is — all of them without a query — by name, at most SEARCH_LIMIT; and whether there are more."""
    seats = _seats().filter(session=session).exclude(status=SeatStatus.CANCELLED)
    query = query.strip()
    if query:
        match = Q(applicant__full_name__icontains=query) | Q(verification_code=normalize_code(query))
        if len(query) == 4:
            match |= Q(applicant__id_number__iendswith=query)
        seats = seats.filter(match)
    found = list(seats.order_by("applicant__full_name", "pk")[: SEARCH_LIMIT + 1])
    return found[:SEARCH_LIMIT], len(found) > SEARCH_LIMIT


def absence_flags() -> dict:
    """Annotations of an Assessment queryset: `interview_absent`, `exam_absent` — the candidate was
    marked absent (缺考) from that part's session. Score sheets show 缺考 for the part instead of a
    score; one subquery each, whatever the number of rows."""
    absent = SessionSeat.objects.filter(assessment=OuterRef("pk"), status=SeatStatus.ABSENT)
    return {f"{part}_absent": Exists(absent.filter(part=part)) for part in SessionPart.values}


def absent_parts(assessment: Assessment) -> list[str]:
    """The parts (SessionPart) the candidate was marked absent from."""
    return list(
        SessionSeat.objects.filter(assessment=assessment, status=SeatStatus.ABSENT)
        .order_by("part")
        .values_list("part", flat=True)
    )
