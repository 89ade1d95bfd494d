"""Assessment day (三(三)2): the office checks candidates in at the door (签到) and marks who did
not come (缺考). Only on the session's own day (Asia/Shanghai), so that a mark cannot be made or
changed afterwards when the scores are being written; the same day a mark may be corrected (a late
arrival, a wrong tap)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from admissions.models import SCORE_FIELDS, AssessmentSession, SeatStatus, SessionSeat
from admissions.selectors.checkin import absence_window, check_in_window
from portal.audit import record_event, record_events
from portal.errors import DomainError
from portal.models import ASSESSOR_ROLES, User
from portal.permissions import CHANGE, require, require_role
from portal.states import advance


class CheckInClosed(DomainError):
    code = "check_in_closed"


class SeatCancelled(DomainError):
    code = "seat_cancelled"


def _require_session_day(session: AssessmentSession, *, started: bool = False):
    window = absence_window(session) if started else check_in_window(session)
    if not window:
        raise CheckInClosed(window.reason)


def _require_access(actor: User, session: AssessmentSession):
    require_role(actor, *ASSESSOR_ROLES)
    require(actor, CHANGE, session)


def _locked_seat(seat: SessionSeat) -> SessionSeat:
    # The assessment's row as well: `record_scores` locks it to refuse a score for an absent part,
    # and a part with a score is not marked absent.
    return (
        SessionSeat.objects.select_for_update(of=("self", "assessment"))
        .select_related("session", "applicant", "assessment")
        .get(pk=seat.pk)
    )


def _mark(*, actor: User, seat: SessionSeat, status: str, started: bool) -> SessionSeat:
    _require_access(actor, seat.session)
    with transaction.atomic():
        seat = _locked_seat(seat)
        _require_session_day(seat.session, started=started)
        if seat.status == SeatStatus.CANCELLED:
            raise SeatCancelled(
                _("%(name)s的这项考核安排已取消，不能签到或标记缺考。") % {"name": seat.applicant.full_name}
            )
        if seat.status == status:
            return seat
        if status == SeatStatus.ABSENT and getattr(seat.assessment, SCORE_FIELDS[seat.part]) is not None:
            raise DomainError(
                _("%(name)s的%(part)s成绩已录入，不能记为缺考；如系误录，请先清除该成绩。")
                % {"name": seat.applicant.full_name, "part": seat.get_part_display()},
                code="scored",
            )
        before = seat.status
        advance(seat, status)
        seat.attendance_marked_by = actor
        seat.attendance_marked_at = timezone.now()
        seat.save(update_fields=["status", "attendance_marked_by", "attendance_marked_at"])
        record_event(
            actor=actor, action=f"seat.{status}", obj=seat, before={"status": before}, after={"status": seat.status}
        )
    return seat


def check_in(*, actor: User, seat: SessionSeat) -> SessionSeat:
    """Marks the candidate present (签到); a candidate marked absent who came late is corrected."""
    return _mark(actor=actor, seat=seat, status=SeatStatus.PRESENT, started=False)


def mark_absent(*, actor: User, seat: SessionSeat) -> SessionSeat:
    """Marks the candidate absent (缺考) once the session has started; corrects a wrong check-in."""
    return _mark(actor=actor, seat=seat, status=SeatStatus.ABSENT, started=True)


def mark_session_absentees(*, actor: User, session: AssessmentSession) -> int:
    """Ends the session's check-in: every seat still only assigned, and without a score for the
    session's part, becomes absent. Returns how many."""
    _require_access(actor, session)
    _require_session_day(session, started=True)
    now = timezone.now()
    with transaction.atomic():
        seats = list(
            SessionSeat.objects.select_for_update(of=("self", "assessment"))
            .select_related(
                "applicant",
                "assessment",
                "session__specialty_base__training_base",
                "session__specialty_base__specialty",
            )
            .filter(session=session, status=SeatStatus.ASSIGNED)
            # A seat whose part already has a score was sat, whoever forgot to check it in.
            .filter(Q(**{f"assessment__{SCORE_FIELDS[session.part]}__isnull": True}))
            .order_by("pk")
        )
        for seat in seats:
            advance(seat, SeatStatus.ABSENT)
            seat.attendance_marked_by = actor
            seat.attendance_marked_at = now
        SessionSeat.objects.bulk_update(seats, ["status", "attendance_marked_by", "attendance_marked_at"])
        record_events(
            actor=actor,
            action="seat.absent",
            changes=[(seat, {"status": SeatStatus.ASSIGNED}, {"status": SeatStatus.ABSENT}) for seat in seats],
            reason=_("结束签到：未到者记为缺考"),
        )
    return len(seats)
