"""Assessment sessions (考核场次, 三(三)2): a specialty base sets the sittings of its interview and
exam, on site or by video, and seats its qualified candidates in them — by hand or spread evenly;
a candidate may once ask to sit another session of the same part.

Locks, always in this order so that two services never wait on each other: the applicants' rows
(by id), then the sessions' rows (by id). The applicant's row guards the clash check — one person
is never seated in two sessions that overlap in time, at any base — and the session's row guards
its capacity."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from admissions.models import (
    ACTIVE_SEAT_STATUSES,
    Applicant,
    Assessment,
    AssessmentMode,
    AssessmentSession,
    MoveRequest,
    MoveStatus,
    SeatStatus,
    SessionPart,
    SessionSeat,
    Stage,
)
from admissions.services.admission import new_verification_code
from admissions.services.applicants import require_owner
from admissions.services.assessments import AssessmentClosed
from bases.models import SpecialtyBase
from policy.models import Campaign
from policy.timetable import assessment_state, assessment_window, local_date
from portal.audit import record_event, record_events
from portal.errors import DomainError
from portal.links import absolute_url
from portal.models import ASSESSOR_ROLES, User
from portal.notifications import notify, notify_many
from portal.permissions import CHANGE, require, require_role
from portal.states import advance

# What a session's seats, audit events and messages read, for `select_related`.
SEAT_RELATIONS = (
    "applicant__user",
    "session__specialty_base__training_base",
    "session__specialty_base__specialty",
)
EDITABLE = ("mode", "starts_at", "ends_at", "place", "video_link", "capacity", "note")


class SessionClash(DomainError):
    code = "session_clash"


class SessionFull(DomainError):
    code = "session_full"


class SessionStarted(DomainError):
    code = "session_started"


# --- checks -----------------------------------------------------------------------------------


def _require_staff(actor: User, obj):
    require_role(actor, *ASSESSOR_ROLES)
    require(actor, CHANGE, obj)


def _require_open(campaign: Campaign, round_number: int):
    state = assessment_state(campaign, round_number)
    if not state:
        raise AssessmentClosed(_("考核场次的安排和调换只能在考核时间内进行（%(reason)s）。") % {"reason": state.reason})


def _require_not_started(session: AssessmentSession):
    if session.starts_at <= timezone.now():
        raise SessionStarted(_("%(session)s已经开始，不能再安排或调换。") % {"session": describe(session)})


def describe(session: AssessmentSession) -> str:
    """A session in a sentence: "面试 5月6日 09:00–11:00"."""
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return _("%(part)s %(day)s %(start)s–%(end)s") % {
        "part": SessionPart(session.part).label,
        "day": _("%(month)d月%(day)d日") % {"month": starts.month, "day": starts.day},
        "start": f"{starts:%H:%M}",
        "end": f"{ends:%H:%M}",
    }


def where(session: AssessmentSession) -> str:
    """The place, or the video link, of a session."""
    if session.mode == AssessmentMode.VIDEO:
        return _("网络视频：%(link)s") % {"link": session.video_link}
    return session.place


def _overlapping(applicant_id: int, session: AssessmentSession):
    """The applicant's active seats that overlap `session` in time, at any base."""
    return SessionSeat.objects.filter(
        applicant_id=applicant_id,
        status__in=ACTIVE_SEAT_STATUSES,
        session__starts_at__lt=session.ends_at,
        session__ends_at__gt=session.starts_at,
    ).select_related(*SEAT_RELATIONS)


def _clash_message(name: str, other: SessionSeat) -> str:
    return _("%(name)s在同一时间已安排了%(base)s的%(session)s，一人不能同时参加两个场次。") % {
        "name": name,
        "base": other.session.specialty_base,
        "session": describe(other.session),
    }


def _taken(session: AssessmentSession) -> int:
    return SessionSeat.objects.filter(session=session, status__in=ACTIVE_SEAT_STATUSES).count()


def _lock_applicants(applicant_ids):
    return list(
        Applicant.objects.select_for_update(of=("self",)).filter(pk__in=set(applicant_ids)).order_by("pk").values("pk")
    )


def _lock_session(session: AssessmentSession) -> AssessmentSession:
    return (
        AssessmentSession.objects.select_for_update(of=("self",))
        .select_related("campaign", "specialty_base__training_base", "specialty_base__specialty")
        .get(pk=session.pk)
    )


# --- sessions ---------------------------------------------------------------------------------


def _check_fields(campaign: Campaign, round_number: int, values: dict):
    """The problems of a session's fields, by field name, as `DomainError.of_inputs` takes them."""
    problems = {}
    starts_at, ends_at = values["starts_at"], values["ends_at"]
    first, last = assessment_window(campaign, round_number)
    if ends_at <= starts_at:
        problems["ends_at"] = [_("结束时间应晚于开始时间。")]
    elif not first <= local_date(starts_at) <= last or local_date(ends_at - datetime.timedelta(seconds=1)) > last:
        problems["starts_at"] = [
            _("场次应在第%(round)s批次考核时间（%(first)s至%(last)s）内。")
            % {"round": round_number, "first": f"{first:%m月%d日}", "last": f"{last:%m月%d日}"}
        ]
    elif starts_at <= timezone.now():
        problems["starts_at"] = [_("开始时间应晚于现在。")]
    if values["mode"] not in AssessmentMode.values:
        problems["mode"] = [_("考核形式无效。")]
    elif values["mode"] == AssessmentMode.ON_SITE and not values["place"].strip():
        problems["place"] = [_("现场考核请填写考核地点。")]
    elif values["mode"] == AssessmentMode.VIDEO and not values["video_link"].strip():
        problems["video_link"] = [_("网络视频考核请填写视频会议链接。")]
    if not 1 <= values["capacity"] <= 999:
        problems["capacity"] = [_("容纳人数应在 1 到 999 之间。")]
    return problems


def create_session(
    *,
    actor: User,
    campaign: Campaign,
    round_number: int,
    specialty_base: SpecialtyBase,
    part: str,
    mode: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int,
    place: str = "",
    video_link: str = "",
    note: str = "",
) -> AssessmentSession:
    """A new session of `specialty_base` in the round, within the round's assessment window."""
    _require_staff(actor, specialty_base)
    if specialty_base.training_base.province_id != campaign.province_id or round_number not in (1, 2):
        raise PermissionDenied
    values = {
        "mode": mode,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "capacity": capacity,
        "place": place,
        "video_link": video_link,
    }
    problems = _check_fields(campaign, round_number, values)
    if part not in SessionPart.values:
        problems["part"] = [_("考核内容无效。")]
    if problems:
        raise DomainError.of_inputs(problems, status=400, code="invalid")
    with transaction.atomic():
        session = AssessmentSession.objects.create(
            campaign=campaign,
            round=round_number,
            specialty_base=specialty_base,
            part=part,
            mode=mode,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            place=place.strip() if mode == AssessmentMode.ON_SITE else "",
            video_link=video_link.strip() if mode == AssessmentMode.VIDEO else "",
            note=note.strip(),
            created_by=actor,
        )
        record_event(actor=actor, action="session.created", obj=session, after=_facts(session))
    return session


def _facts(session: AssessmentSession) -> dict:
    return {
        "part": session.part,
        "mode": session.mode,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "place": session.place,
        "video_link": session.video_link,
        "capacity": session.capacity,
    }


def update_session(*, actor: User, session: AssessmentSession, **changes) -> AssessmentSession:
    """Changes the mode, place or link, capacity, note or — while nobody is seated — the time of a
    session that has not started. Seated candidates are told of a new place or link."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(_("未知字段：%(fields)s") % {"fields": "、".join(sorted(unknown))}, status=400)
    _require_staff(actor, session)
    with transaction.atomic():
        session = _lock_session(session)
        _require_not_started(session)
        before = _facts(session)
        values = {name: getattr(session, name) for name in EDITABLE} | changes
        problems = _check_fields(session.campaign, session.round, values)
        taken = _taken(session)
        timed = values["starts_at"] != session.starts_at or values["ends_at"] != session.ends_at
        if taken and timed:
            problems["starts_at"] = [
                _("已有 %(count)s 名考生安排在该场次，不能修改时间；请新建场次，再为考生调换。") % {"count": taken}
            ]
        if values["capacity"] < taken:
            problems["capacity"] = [_("已有 %(count)s 名考生安排在该场次，容纳人数不能少于此数。") % {"count": taken}]
        if problems:
            raise DomainError.of_inputs(problems, status=400, code="invalid")
        for name in EDITABLE:
            setattr(session, name, values[name].strip() if isinstance(values[name], str) else values[name])
        if session.mode == AssessmentMode.ON_SITE:
            session.video_link = ""
        else:
            session.place = ""
        session.save(update_fields=list(EDITABLE))
        after = _facts(session)
        record_event(actor=actor, action="session.updated", obj=session, before=before, after=after)
        if taken and (before["place"], before["video_link"]) != (after["place"], after["video_link"]):
            seats = SessionSeat.objects.filter(session=session, status__in=ACTIVE_SEAT_STATUSES).select_related(
                *SEAT_RELATIONS
            )
            notify_many([_message(seat, "assessment.session_changed", _("考核场次地点变更")) for seat in seats])
    return session


def delete_session(*, actor: User, session: AssessmentSession) -> None:
    """Removes a session nobody was ever seated in or asked to move to."""
    _require_staff(actor, session)
    with transaction.atomic():
        session = _lock_session(session)
        used = (
            SessionSeat.objects.filter(session=session).exists()
            or MoveRequest.objects.filter(Q(to_session=session) | Q(from_session=session)).exists()
        )
        if used:
            raise DomainError(
                _("该场次已安排过考生，不能删除；可以修改地点或人数，或为考生调换到其他场次。"), code="session_used"
            )
        record_event(actor=actor, action="session.deleted", obj=session, before=_facts(session))
        session.delete()


# --- seats ------------------------------------------------------------------------------------


def _message(seat: SessionSeat, kind: str, subject: str, lead: str = "") -> dict:
    """`notify`'s keyword arguments for a message to the candidate about its seat."""
    session = seat.session
    body = _("%(lead)s%(base)s %(session)s，%(where)s。考核通知（含验证码和二维码）：%(link)s") % {
        "lead": lead,
        "base": session.specialty_base,
        "session": describe(session),
        "where": where(session),
        "link": absolute_url("seat-notice", seat.pk),
    }
    return {"recipient": seat.applicant.user, "kind": kind, "subject": subject, "body": body}


def _check_seatable(assessment: Assessment, session: AssessmentSession):
    if assessment.specialty_base_id != session.specialty_base_id:
        raise DomainError(_("只能安排在本专业基地考核的考生。"), status=400, code="invalid")
    if assessment.campaign_id != session.campaign_id or assessment.application.round != session.round:
        raise DomainError(_("考生和场次不属于同一批次。"), status=400, code="invalid")
    if assessment.stage != Stage.QUALIFIED:
        raise DomainError(_("只有资格审核通过、尚未决定录取的考生可以安排考核场次。"), code="wrong_stage")


def do_seat(*, actor: User, session: AssessmentSession, assessment: Assessment) -> SessionSeat:
    """Seats `assessment`'s candidate in `session`. Expects the candidate's Applicant row and the
    session's row locked (in that order) in the caller's transaction."""
    if _taken(session) >= session.capacity:
        raise SessionFull(
            _("%(session)s的 %(capacity)s 个位置已满。") % {"session": describe(session), "capacity": session.capacity}
        )
    if SessionSeat.objects.filter(assessment=assessment, part=session.part, status__in=ACTIVE_SEAT_STATUSES).exists():
        raise DomainError(
            _("%(name)s的%(part)s已经安排了场次。")
            % {"name": assessment.application.applicant.full_name, "part": SessionPart(session.part).label},
            code="already_seated",
        )
    other = _overlapping(assessment.applicant_id, session).first()
    if other is not None:
        raise SessionClash(_clash_message(assessment.application.applicant.full_name, other))
    seat = SessionSeat.objects.create(
        session=session, assessment=assessment, verification_code=new_verification_code(), assigned_by=actor
    )
    return seat


def _fresh(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_related("application__applicant__user").get(pk=assessment.pk)


def assign_seat(*, actor: User, session: AssessmentSession, assessment: Assessment) -> SessionSeat:
    """Seats one candidate in a session by hand; the candidate is told and gets a notice."""
    _require_staff(actor, session)
    with transaction.atomic():
        _lock_applicants([assessment.applicant_id])
        session = _lock_session(session)
        assessment = _fresh(assessment)
        _require_open(session.campaign, session.round)
        _check_seatable(assessment, session)
        _require_not_started(session)
        seat = do_seat(actor=actor, session=session, assessment=assessment)
        record_event(actor=actor, action="seat.assigned", obj=seat, after={"session": session.pk})
        notify(
            **_message(seat, "assessment.session_assigned", _("考核安排：%(base)s") % {"base": session.specialty_base})
        )
    return seat


@dataclass
class BalancedResult:
    """What a balanced assignment did: the seats made, and the candidates left unseated because
    every session with room clashed with another of theirs, or because no session had room."""

    seated: list = field(default_factory=list)
    clashed: list = field(default_factory=list)
    no_room: list = field(default_factory=list)


def _unseated(*, campaign: Campaign, round_number: int, specialty_base: SpecialtyBase, part: str):
    """The qualified assessments of the round at `specialty_base` without an active seat for `part`."""
    return Assessment.objects.filter(
        campaign=campaign, application__round=round_number, specialty_base=specialty_base, stage=Stage.QUALIFIED
    ).exclude(Exists(SessionSeat.objects.filter(assessment=OuterRef("pk"), part=part, status__in=ACTIVE_SEAT_STATUSES)))


def assign_balanced(
    *, actor: User, campaign: Campaign, round_number: int, specialty_base: SpecialtyBase, part: str
) -> BalancedResult:
    """Seats every qualified candidate of the round at `specialty_base` (adjusted ones included)
    who has no seat for `part` yet, each in the least-filled session of that part that has not
    started, has room and does not overlap another seat of the candidate."""
    _require_staff(actor, specialty_base)
    if part not in SessionPart.values:
        raise DomainError(_("考核内容无效。"), status=400, code="invalid")
    _require_open(campaign, round_number)
    result = BalancedResult()
    with transaction.atomic():
        unseated = _unseated(campaign=campaign, round_number=round_number, specialty_base=specialty_base, part=part)
        candidates = {row["applicant"] for row in unseated.values("applicant")}
        if not candidates:
            return result
        _lock_applicants(candidates)
        # Read again under the locks: a balanced assignment running at the same time may have
        # seated some of them, a review may have changed a stage.
        pending = [
            assessment
            for assessment in unseated.select_related("application__applicant__user").order_by(
                "application__applicant__full_name", "pk"
            )
            if assessment.applicant_id in candidates
        ]
        sessions = list(
            AssessmentSession.objects.select_for_update(of=("self",))
            .select_related("specialty_base__training_base", "specialty_base__specialty")
            .filter(
                campaign=campaign,
                round=round_number,
                specialty_base=specialty_base,
                part=part,
                starts_at__gt=timezone.now(),
            )
            .order_by("pk")
        )
        counts = dict(
            SessionSeat.objects.filter(session__in=sessions, status__in=ACTIVE_SEAT_STATUSES)
            .values_list("session")
            .annotate(n=Count("pk"))
        )
        busy = {}
        for other in SessionSeat.objects.filter(
            applicant__in={a.applicant_id for a in pending}, status__in=ACTIVE_SEAT_STATUSES
        ).select_related("session"):
            busy.setdefault(other.applicant_id, []).append(other.session)
        for assessment in pending:
            with_room = [s for s in sessions if counts.get(s.pk, 0) < s.capacity]
            if not with_room:
                result.no_room.append(assessment)
                continue
            free = [
                s
                for s in with_room
                if not any(
                    o.starts_at < s.ends_at and s.starts_at < o.ends_at for o in busy.get(assessment.applicant_id, [])
                )
            ]
            if not free:
                result.clashed.append(assessment)
                continue
            session = min(
                free, key=lambda s: (counts.get(s.pk, 0) / s.capacity, counts.get(s.pk, 0), s.starts_at, s.pk)
            )
            result.seated.append(
                SessionSeat(
                    session=session,
                    assessment=assessment,
                    applicant_id=assessment.applicant_id,
                    part=part,
                    verification_code=new_verification_code(),
                    assigned_by=actor,
                )
            )
            counts[session.pk] = counts.get(session.pk, 0) + 1
            busy.setdefault(assessment.applicant_id, []).append(session)
        SessionSeat.objects.bulk_create(result.seated)
        for seat in result.seated:
            seat.applicant = seat.assessment.application.applicant
        record_events(
            actor=actor,
            action="seat.assigned",
            changes=[(seat, None, {"session": seat.session_id}) for seat in result.seated],
            reason=_("均衡安排"),
        )
        notify_many(
            [
                _message(seat, "assessment.session_assigned", _("考核安排：%(base)s") % {"base": specialty_base})
                for seat in result.seated
            ]
        )
    return result


def cancel_seat(*, actor: User, seat: SessionSeat, reason: str = "") -> SessionSeat:
    """Frees a seat that has not been checked in; a pending move request of it is refused, and the
    candidate is told that the notice no longer holds."""
    _require_staff(actor, seat.session)
    with transaction.atomic():
        seat = SessionSeat.objects.select_for_update(of=("self",)).select_related(*SEAT_RELATIONS).get(pk=seat.pk)
        before = seat.status
        advance(seat, SeatStatus.CANCELLED)
        seat.save(update_fields=["status"])
        record_event(
            actor=actor,
            action="seat.cancelled",
            obj=seat,
            before={"status": before},
            after={"status": seat.status},
            reason=reason,
        )
        move = MoveRequest.objects.select_for_update().filter(seat=seat, status=MoveStatus.PENDING).first()
        if move is not None:
            _close_move(actor, move, MoveStatus.REFUSED, _("考核安排已取消"))
        notify(
            recipient=seat.applicant.user,
            kind="assessment.session_cancelled",
            subject=_("考核安排已取消"),
            body=_("您在%(base)s的%(session)s安排已取消，原考核通知作废，请留意新的安排。%(reason)s")
            % {"base": seat.session.specialty_base, "session": describe(seat.session), "reason": reason.strip()},
        )
    return seat


# --- moves ------------------------------------------------------------------------------------


def request_move(*, actor: User, seat: SessionSeat, to_session: AssessmentSession, reason: str) -> MoveRequest:
    """The candidate asks, once per seat, to sit another session of the same part at the same base
    and round that has not started and has room, before its own session starts."""
    require_owner(actor, seat.applicant)
    if not reason.strip():
        raise DomainError.of_inputs({"reason": [_("请写明调换场次的理由。")]}, status=400, code="invalid")
    with transaction.atomic():
        seat = SessionSeat.objects.select_for_update(of=("self",)).select_related(*SEAT_RELATIONS).get(pk=seat.pk)
        session = seat.session
        _require_open(session.campaign, session.round)
        if seat.status != SeatStatus.ASSIGNED:
            raise DomainError(_("该考核安排不能再调换。"), code="not_movable")
        if MoveRequest.objects.filter(seat=seat).exists():
            raise DomainError(_("每项考核安排只能申请调换一次。"), code="already_requested")
        _require_not_started(session)
        if (
            to_session.pk == session.pk
            or to_session.specialty_base_id != session.specialty_base_id
            or to_session.campaign_id != session.campaign_id
            or to_session.round != session.round
            or to_session.part != session.part
        ):
            raise DomainError.of_inputs(
                {"to_session": [_("只能调换到本专业基地同一批次同一考核内容的其他场次。")]}, status=400, code="invalid"
            )
        _require_not_started(to_session)
        if _taken(to_session) >= to_session.capacity:
            raise SessionFull(_("%(session)s已满，请选择其他场次。") % {"session": describe(to_session)})
        move = MoveRequest.objects.create(seat=seat, from_session=session, to_session=to_session, reason=reason.strip())
        record_event(
            actor=actor, action="seat.move_requested", obj=seat, after={"to_session": to_session.pk}, reason=reason
        )
    return move


def _close_move(actor: User, move: MoveRequest, status: str, note: str):
    advance(move, status)
    move.decided_by, move.decided_at, move.decision_note = actor, timezone.now(), note.strip()
    move.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


def decide_move(*, actor: User, move_request: MoveRequest, approve: bool, note: str = "") -> MoveRequest:
    """The base approves a move — the seat moves to the requested session and keeps its code, if
    that session still has room and does not overlap another seat of the candidate — or refuses it.
    The candidate is told either way."""
    move = move_request
    _require_staff(actor, move.seat.session)
    if not approve and not note.strip():
        raise DomainError.of_inputs({"note": [_("不同意调换时，请写明考生能看到的原因。")]}, status=400, code="invalid")
    with transaction.atomic():
        _lock_applicants([move.seat.applicant_id])
        move = MoveRequest.objects.select_for_update(of=("self",)).get(pk=move.pk)
        seat = SessionSeat.objects.select_for_update(of=("self",)).select_related(*SEAT_RELATIONS).get(pk=move.seat_id)
        if move.status != MoveStatus.PENDING:
            raise DomainError(_("该调换申请已处理。"), code="decided")
        before = {"session": seat.session_id}
        if approve:
            target = _lock_session(move.to_session)
            _require_open(target.campaign, target.round)
            _require_not_started(seat.session)
            _require_not_started(target)
            if seat.status != SeatStatus.ASSIGNED:
                raise DomainError(_("该考核安排不能再调换。"), code="not_movable")
            if _taken(target) >= target.capacity:
                raise SessionFull(_("%(session)s已满，不能调换。") % {"session": describe(target)})
            other = _overlapping(seat.applicant_id, target).exclude(pk=seat.pk).first()
            if other is not None:
                raise SessionClash(_clash_message(seat.applicant.full_name, other))
            seat.session = target
            seat.save(update_fields=["session"])
            _close_move(actor, move, MoveStatus.APPROVED, note)
            record_event(
                actor=actor, action="seat.moved", obj=seat, before=before, after={"session": target.pk}, reason=note
            )
            notify(**_message(seat, "assessment.session_moved", _("调换场次申请已同意"), _("您的考核场次已调换为：")))
        else:
            _close_move(actor, move, MoveStatus.REFUSED, note)
            record_event(actor=actor, action="seat.move_refused", obj=seat, before=before, after=before, reason=note)
            notify(
                **_message(
                    seat,
                    "assessment.move_refused",
                    _("调换场次申请未同意"),
                    _("未同意调换（%(note)s），考核场次不变：") % {"note": note.strip()},
                )
            )
    return move
