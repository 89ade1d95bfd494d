"""Assessment sessions (三(三)2): a specialty base sets its sittings, seats its qualified candidates
by hand or spread evenly, never two overlapping sessions for one person at any base; a candidate
may ask once to move; the assessment notice PDF carries the seat's code and QR code."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied

from admissions.models import (
    Application,
    ApplicationStatus,
    Assessment,
    MoveStatus,
    SeatStatus,
    SessionSeat,
    Stage,
)
from admissions.selectors.sessions import SEAT_NOTICE_RELATIONS
from admissions.services.assessments import AssessmentClosed
from admissions.services.notices import render_seat_notice
from admissions.services.sessions import (
    SessionClash,
    SessionFull,
    assign_balanced,
    assign_seat,
    cancel_seat,
    create_session,
    decide_move,
    delete_session,
    request_move,
    update_session,
)
from portal.errors import DomainError
from portal.models import AuditEvent, Notification
from tests.admissions.test_publicity_pages import pdf_text
from tests.round_helpers import SHANGHAI, at, bulk_candidates

pytestmark = pytest.mark.django_db

DAY = datetime.datetime(2026, 4, 28, 9, 0, tzinfo=SHANGHAI)
ROUND2_DAY = datetime.datetime(2026, 6, 20, 9, 0, tzinfo=SHANGHAI)


def new_session(actor, world, *, starts_at=DAY, hours=2, base="xiehe_internal", round_number=1, **fields):
    values = {"part": "interview", "mode": "on_site", "place": "门诊楼5楼示教室", "capacity": 10} | fields
    return create_session(
        actor=actor,
        campaign=world["hubei_campaign"],
        round_number=round_number,
        specialty_base=world[base],
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        **values,
    )


def round2_person(world):
    """One person with a qualified round-2 assessment at Xiehe and at Tongji (the second through a
    choice changed after review), so that both offices may seat them."""
    campaign = world["hubei_campaign"]
    [at_xiehe] = bulk_candidates(campaign, world["xiehe_internal"], 1, round_number=2, scored=False)
    application = Application.objects.create(
        applicant_id=at_xiehe.applicant_id,
        campaign=campaign,
        round=2,
        specialty_base=world["tongji_internal"],
        status=ApplicationStatus.CHANGED,
    )
    at_tongji = Assessment.objects.create(
        application=application, specialty_base=world["tongji_internal"], stage=Stage.QUALIFIED
    )
    return at_xiehe, at_tongji


@pytest.fixture
def xiehe(world, people):
    """Three qualified round-1 candidates at Xiehe's internal medicine, and its interview on 28 April."""
    assessments = bulk_candidates(world["hubei_campaign"], world["xiehe_internal"], 3, scored=False)
    with at(2026, 4, 25, 9):
        session = new_session(people["xiehe_office"], world)
    return session, assessments


# --- sessions ---------------------------------------------------------------------------------


def test_staff_and_office_create_sessions_in_the_window(world, people):
    with at(2026, 4, 20, 9):
        interview = new_session(people["xiehe_staff"], world)
        video = new_session(
            people["xiehe_office"], world, mode="video", place="", video_link="https://meeting.example/123", hours=1
        )
    assert interview.place == "门诊楼5楼示教室" and video.video_link.endswith("123") and video.place == ""
    assert AuditEvent.objects.filter(action="session.created").count() == 2


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"starts_at": datetime.datetime(2026, 5, 27, 9, tzinfo=SHANGHAI)}, "starts_at", "考核时间"),
        ({"hours": -1}, "ends_at", "结束时间应晚于开始时间"),
        ({"place": ""}, "place", "请填写考核地点"),
        ({"mode": "video", "place": ""}, "video_link", "视频会议链接"),
        ({"capacity": 0}, "capacity", "容纳人数"),
    ],
)
def test_a_session_is_checked(world, people, fields, field, message):
    with at(2026, 4, 25, 9), pytest.raises(DomainError, match=message) as refused:
        new_session(people["xiehe_office"], world, **fields)
    assert field in refused.value.fields and refused.value.status == 400


@pytest.mark.parametrize("who", ["tongji_office", "province", "applicant"])
def test_only_the_bases_own_staff_set_sessions(world, people, who):
    with at(2026, 4, 25, 9), pytest.raises(PermissionDenied):
        new_session(people[who], world)


def test_once_seated_capacity_cannot_shrink_below_and_time_is_fixed(xiehe, people):
    session, assessments = xiehe
    office = people["xiehe_office"]
    with at(2026, 4, 26, 9):
        for assessment in assessments[:2]:
            assign_seat(actor=office, session=session, assessment=assessment)
        with pytest.raises(DomainError, match="容纳人数不能少于此数"):
            update_session(actor=office, session=session, capacity=1)
        with pytest.raises(DomainError, match="不能修改时间"):
            update_session(actor=office, session=session, starts_at=DAY + datetime.timedelta(hours=1))
        update_session(actor=office, session=session, capacity=2, place="内科楼3楼会议室")
        with pytest.raises(DomainError, match="已安排过考生"):
            delete_session(actor=office, session=session)
    moved = Notification.objects.filter(kind="assessment.session_changed")
    assert moved.count() == 2 and "内科楼3楼会议室" in moved.first().body


def test_an_unused_session_may_be_moved_or_deleted(xiehe, people):
    session, _assessments = xiehe
    with at(2026, 4, 26, 9):
        next_day = DAY + datetime.timedelta(days=1)
        update_session(
            actor=people["xiehe_staff"],
            session=session,
            starts_at=next_day,
            ends_at=next_day + datetime.timedelta(hours=2),
        )
        delete_session(actor=people["xiehe_office"], session=session)
    assert AuditEvent.objects.filter(action__in=["session.updated", "session.deleted"]).count() == 2


# --- seats ------------------------------------------------------------------------------------


def test_assigning_by_hand_tells_the_candidate_with_a_link_to_the_notice(xiehe, people):
    session, assessments = xiehe
    with at(2026, 4, 26, 9):
        seat = assign_seat(actor=people["xiehe_staff"], session=session, assessment=assessments[0])
    assert seat.status == SeatStatus.ASSIGNED and seat.part == "interview"
    assert re.fullmatch(r"[0-9A-F]{12}", seat.verification_code)
    message = Notification.objects.get(kind="assessment.session_assigned")
    assert message.recipient == assessments[0].application.applicant.user
    assert "门诊楼5楼示教室" in message.body and "09:00–11:00" in message.body
    assert f"/seats/{seat.pk}/notice/" in message.body
    assert AuditEvent.objects.filter(action="seat.assigned").count() == 1


def test_codes_are_unique(xiehe, people):
    session, _assessments = xiehe
    with at(2026, 4, 26, 9):
        assign_balanced(
            actor=people["xiehe_office"],
            campaign=session.campaign,
            round_number=1,
            specialty_base=session.specialty_base,
            part="interview",
        )
    codes = list(SessionSeat.objects.values_list("verification_code", flat=True))
    assert len(codes) == 3 == len(set(codes))


def test_a_full_session_refuses(world, people):
    assessments = bulk_candidates(world["hubei_campaign"], world["xiehe_internal"], 2, scored=False)
    with at(2026, 4, 25, 9):
        session = new_session(people["xiehe_office"], world, capacity=1)
        assign_seat(actor=people["xiehe_office"], session=session, assessment=assessments[0])
        with pytest.raises(SessionFull, match="个位置已满"):
            assign_seat(actor=people["xiehe_office"], session=session, assessment=assessments[1])


def test_only_qualified_candidates_once_per_part(xiehe, people, world):
    session, assessments = xiehe
    [waiting] = bulk_candidates(world["hubei_campaign"], world["xiehe_internal"], 1, stage=Stage.PENDING_REVIEW)
    with at(2026, 4, 25, 9):
        later = new_session(people["xiehe_office"], world, starts_at=DAY + datetime.timedelta(days=1))
        with pytest.raises(DomainError, match="资格审核通过"):
            assign_seat(actor=people["xiehe_office"], session=session, assessment=waiting)
        assign_seat(actor=people["xiehe_office"], session=session, assessment=assessments[0])
        with pytest.raises(DomainError, match="已经安排了场次"):
            assign_seat(actor=people["xiehe_office"], session=later, assessment=assessments[0])


def test_seating_only_in_the_assessment_window(xiehe, people):
    session, assessments = xiehe
    with at(2026, 4, 23, 9), pytest.raises(AssessmentClosed, match="第一批次考核 4月24日起"):
        assign_seat(actor=people["xiehe_office"], session=session, assessment=assessments[0])


def test_another_bases_office_cannot_seat(xiehe, people):
    session, assessments = xiehe
    with at(2026, 4, 26, 9), pytest.raises(PermissionDenied):
        assign_seat(actor=people["tongji_office"], session=session, assessment=assessments[0])


def test_a_started_session_takes_nobody(xiehe, people):
    session, assessments = xiehe
    with at(2026, 4, 28, 9, 30), pytest.raises(DomainError, match="已经开始"):
        assign_seat(actor=people["xiehe_office"], session=session, assessment=assessments[0])


def test_one_person_is_never_in_two_overlapping_sessions_across_bases(world, people):
    at_xiehe, at_tongji = round2_person(world)
    with at(2026, 6, 16, 9):
        xiehe = new_session(people["xiehe_office"], world, starts_at=ROUND2_DAY, round_number=2)
        tongji = new_session(
            people["tongji_office"],
            world,
            starts_at=ROUND2_DAY + datetime.timedelta(hours=1),
            base="tongji_internal",
            round_number=2,
        )
        tongji_later = new_session(
            people["tongji_office"],
            world,
            starts_at=ROUND2_DAY + datetime.timedelta(hours=2),
            base="tongji_internal",
            round_number=2,
        )
        assign_seat(actor=people["xiehe_office"], session=xiehe, assessment=at_xiehe)
        with pytest.raises(SessionClash, match="同一时间已安排了") as refused:
            assign_seat(actor=people["tongji_office"], session=tongji, assessment=at_tongji)
        assign_seat(actor=people["tongji_office"], session=tongji_later, assessment=at_tongji)
    assert refused.value.status == 409
    assert SessionSeat.objects.filter(applicant_id=at_xiehe.applicant_id).count() == 2


def test_balanced_assignment_spreads_and_reports_clashes(world, people):
    campaign, office = world["hubei_campaign"], people["xiehe_office"]
    assessments = bulk_candidates(campaign, world["xiehe_internal"], 7, scored=False)
    with at(2026, 4, 25, 9):
        first = new_session(office, world, capacity=4)
        second = new_session(office, world, capacity=4, starts_at=DAY + datetime.timedelta(hours=3))
        # One candidate's exam, set at the first interview's time, leaves only the second for them.
        exam = new_session(office, world, part="exam", capacity=1, starts_at=DAY)
        assign_seat(actor=office, session=exam, assessment=assessments[0])
        result = assign_balanced(
            actor=office, campaign=campaign, round_number=1, specialty_base=world["xiehe_internal"], part="interview"
        )
    assert len(result.seated) == 7 and not result.clashed and not result.no_room
    counts = {s.pk: SessionSeat.objects.filter(session=s).count() for s in (first, second)}
    assert sorted(counts.values()) == [3, 4]
    assert SessionSeat.objects.get(assessment=assessments[0], part="interview").session == second
    assert AuditEvent.objects.filter(action="seat.assigned").count() == 8
    assert Notification.objects.filter(kind="assessment.session_assigned").count() == 8
    with at(2026, 4, 25, 10):
        again = assign_balanced(
            actor=office, campaign=campaign, round_number=1, specialty_base=world["xiehe_internal"], part="interview"
        )
    assert not again.seated


def test_balanced_assignment_leaves_those_who_clash_or_find_no_room(world, people):
    campaign, office = world["hubei_campaign"], people["xiehe_office"]
    assessments = bulk_candidates(campaign, world["xiehe_internal"], 3, scored=False)
    with at(2026, 4, 25, 9):
        new_session(office, world, capacity=1)
        exam = new_session(office, world, part="exam", capacity=1)
        assign_seat(actor=office, session=exam, assessment=assessments[0])
        result = assign_balanced(
            actor=office, campaign=campaign, round_number=1, specialty_base=world["xiehe_internal"], part="interview"
        )
    assert result.clashed == [assessments[0]]
    assert len(result.seated) == 1 and len(result.no_room) == 1


def test_adjusted_candidates_are_seated_at_their_new_base(world, people):
    campaign = world["hubei_campaign"]
    [assessment] = bulk_candidates(campaign, world["xiehe_internal"], 1, stage=Stage.NOT_ADMITTED)
    surgery = world["xiehe"].specialty_bases.create(specialty=_surgery(), capacity=5)
    adjusted = Assessment.objects.create(
        application=assessment.application, specialty_base=surgery, is_adjustment=True, stage=Stage.QUALIFIED
    )
    with at(2026, 4, 25, 9):
        create_session(
            actor=people["xiehe_office"],
            campaign=campaign,
            round_number=1,
            specialty_base=surgery,
            part="interview",
            mode="on_site",
            place="外科楼",
            starts_at=DAY,
            ends_at=DAY + datetime.timedelta(hours=1),
            capacity=3,
        )
        result = assign_balanced(
            actor=people["xiehe_office"], campaign=campaign, round_number=1, specialty_base=surgery, part="interview"
        )
    assert [seat.assessment for seat in result.seated] == [adjusted]


def _surgery():
    from tests import factories

    return factories.specialty("0200", "外科")


def test_cancelling_frees_the_place(xiehe, people):
    session, assessments = xiehe
    office = people["xiehe_office"]
    with at(2026, 4, 26, 9):
        update_session(actor=office, session=session, capacity=1)
        seat = assign_seat(actor=office, session=session, assessment=assessments[0])
        cancel_seat(actor=office, seat=seat, reason="本人申请")
        assign_seat(actor=office, session=session, assessment=assessments[1])
    assert SessionSeat.objects.get(pk=seat.pk).status == SeatStatus.CANCELLED
    assert "原考核通知作废" in Notification.objects.get(kind="assessment.session_cancelled").body


# --- moves ------------------------------------------------------------------------------------


@pytest.fixture
def seated(xiehe, people, world):
    """The first candidate seated in the 28 April interview; a second interview on 29 April."""
    session, assessments = xiehe
    with at(2026, 4, 25, 10):
        later = new_session(people["xiehe_office"], world, starts_at=DAY + datetime.timedelta(days=1), capacity=1)
        seat = assign_seat(actor=people["xiehe_office"], session=session, assessment=assessments[0])
    return seat, later


def test_the_candidate_asks_once_and_the_base_approves(seated, people):
    seat, later = seated
    user = seat.applicant.user
    with at(2026, 4, 26, 9):
        move = request_move(actor=user, seat=seat, to_session=later, reason="28日有毕业答辩")
        with pytest.raises(DomainError, match="只能申请调换一次"):
            request_move(actor=user, seat=seat, to_session=later, reason="再申请")
        decide_move(actor=people["xiehe_staff"], move_request=move, approve=True, note="")
    moved = SessionSeat.objects.get(pk=seat.pk)
    assert moved.session == later and moved.verification_code == seat.verification_code
    assert type(move).objects.get(pk=move.pk).status == MoveStatus.APPROVED
    message = Notification.objects.get(kind="assessment.session_moved")
    assert "4月29日" in message.body
    assert AuditEvent.objects.filter(action__in=["seat.move_requested", "seat.moved"]).count() == 2


def test_a_refusal_says_why_and_leaves_the_seat(seated, people):
    seat, later = seated
    with at(2026, 4, 26, 9):
        move = request_move(actor=seat.applicant.user, seat=seat, to_session=later, reason="时间冲突")
        with pytest.raises(DomainError, match="写明考生能看到的原因"):
            decide_move(actor=people["xiehe_office"], move_request=move, approve=False, note="")
        decide_move(actor=people["xiehe_office"], move_request=move, approve=False, note="该场次为外科专场")
    assert SessionSeat.objects.get(pk=seat.pk).session == seat.session
    assert "该场次为外科专场" in Notification.objects.get(kind="assessment.move_refused").body


def test_someone_elses_seat_cannot_be_moved(seated, people):
    seat, later = seated
    for who in ("other_applicant", "applicant"):
        with at(2026, 4, 26, 9), pytest.raises(PermissionDenied):
            request_move(actor=people[who], seat=seat, to_session=later, reason="x")


def test_another_bases_office_cannot_decide(seated, people):
    seat, later = seated
    with at(2026, 4, 26, 9):
        move = request_move(actor=seat.applicant.user, seat=seat, to_session=later, reason="x")
        with pytest.raises(PermissionDenied):
            decide_move(actor=people["tongji_office"], move_request=move, approve=True)


def test_only_to_a_later_session_of_the_same_part_with_room(seated, people, world, xiehe):
    seat, later = seated
    _session, assessments = xiehe
    user = seat.applicant.user
    with at(2026, 4, 25, 11):
        exam = new_session(people["xiehe_office"], world, part="exam", starts_at=DAY + datetime.timedelta(days=2))
        assign_seat(actor=people["xiehe_office"], session=later, assessment=assessments[1])
    with at(2026, 4, 26, 9):
        with pytest.raises(DomainError, match="同一考核内容"):
            request_move(actor=user, seat=seat, to_session=exam, reason="x")
        with pytest.raises(SessionFull):
            request_move(actor=user, seat=seat, to_session=later, reason="x")
    with at(2026, 4, 28, 9, 30), pytest.raises(DomainError, match="已经开始"):
        request_move(actor=user, seat=seat, to_session=later, reason="x")


def test_approval_checks_room_again(seated, people, xiehe):
    seat, later = seated
    _session, assessments = xiehe
    with at(2026, 4, 26, 9):
        move = request_move(actor=seat.applicant.user, seat=seat, to_session=later, reason="x")
        assign_seat(actor=people["xiehe_office"], session=later, assessment=assessments[1])
        with pytest.raises(SessionFull):
            decide_move(actor=people["xiehe_office"], move_request=move, approve=True)
    assert type(move).objects.get(pk=move.pk).status == MoveStatus.PENDING


# --- the notice -------------------------------------------------------------------------------


def test_the_notice_prints_the_session_and_the_code(seated, world):
    seat, _later = seated
    world["xiehe"].contact_person = "李老师"
    world["xiehe"].save()
    seat = SessionSeat.objects.select_related(*SEAT_NOTICE_RELATIONS).get(pk=seat.pk)
    content = render_seat_notice(seat)
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert seat.verification_code in text
    assert "面试通知" in text and "门诊楼5楼示教室" in text and "李老师" in text
    assert seat.applicant.id_number not in text
    assert f"/check-in/{seat.verification_code}/" in text
