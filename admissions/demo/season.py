"""A season replayed through the services on the days it would have happened, up to the clock.

The story runs at the demo offices' specialty base (协和医院内科) and, for round 2, at the same
hospital's surgery: candidates choose, are reviewed and scored, a list is published across a
publicity period with an objection, offers are accepted and declined, round 2 invites the one left
out, residents report and one does not. Around it, synthetic applicants choose at three other
hospitals and go through round 1 there (reviewed, scored, listed, admitted, reported), so the
province's dashboard has a campaign to show and no base is left behind the calendar.

Each step runs once: the audit log keeps a `demo.step` event per step, so loading again, or on a
later day, adds only the steps that have come due since. Steps run inside `time_machine.travel` at
their own moment, so every service sees the clock it would have seen (windows, deadlines, working
days) and every timestamp fits the story.
"""

import datetime
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from admissions.demo.people import DEMO_PASSWORD, complete_demo_applicant, generate_applicants
from admissions.models import Admission, Application, Assessment, Invitation, PublicityList, Stage
from bases.models import SpecialtyBase
from policy.models import Campaign
from portal.audit import record_event
from portal.models import AuditEvent, Role, User

_SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = datetime.timedelta(days=1)

# (username = mobile, full name, resident-ID sequence). The first five choose in round 1 beside the
# two demo applicants; the last two choose the hospital's surgery in round 2.
ROUND1_CANDIDATES = [
    ("13900000001", "李华", 501),
    ("13900000002", "王芳", 502),
    ("13900000003", "陈静", 503),
    ("13900000004", "刘洋", 504),
    ("13900000005", "赵磊", 505),
]
ROUND2_CANDIDATES = [("13900000011", "孙悦", 511), ("13900000012", "吴迪", 512)]
# Synthetic applicants who file choices at three other hospitals in round 1 (their offices have no
# demo login and act only in the replay), and a few who register only.
OTHER_HOSPITALS = (2, 3, 4)  # sort_order in the annex
OTHER_SPECIALTIES = ("0100", "0200")
OTHER_CHOOSERS = 24
REGISTERED_ONLY = 6
ROUND2_SPECIALTY = "0900"


@dataclass(frozen=True)
class Cast:
    campaign: Campaign
    office: User
    staff: User
    applicant: User
    round2_applicant: User

    @property
    def internal(self):
        return self.staff.specialty_base

    @property
    def surgery(self):
        return SpecialtyBase.objects.get(training_base=self.office.training_base, specialty__code=ROUND2_SPECIALTY)

    def user(self, username):
        return User.objects.get(username=username)

    def assessment(self, user, round_number=1):
        return Assessment.objects.get(
            application__applicant__user=user, application__campaign=self.campaign, application__round=round_number
        )

    def publicity_list(self, round_number):
        return PublicityList.objects.filter(
            campaign=self.campaign, training_base=self.office.training_base, round=round_number
        ).first()


@dataclass(frozen=True)
class Step:
    name: str
    when: Callable[[Cast], datetime.datetime | None]
    run: Callable[[Cast], None]


def at(field, days=0, hour=10):
    """The moment `days` after the campaign's date `field`, at `hour` o'clock Beijing time."""

    def moment(cast):
        day = getattr(cast.campaign, field) + days * DAY
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=_SHANGHAI)

    return moment


def after_publicity(round_number, hour=1):
    """The night after the base's list of `round_number` leaves publicity (when the sweep admits)."""

    def moment(cast):
        listed = cast.publicity_list(round_number)
        if listed is None:
            return None
        return datetime.datetime.combine(listed.last_day + DAY, datetime.time(hour), tzinfo=_SHANGHAI)

    return moment


def after_grace(cast):
    """The night after the no-show grace period that follows the reporting deadline (三(六))."""
    day = cast.campaign.reporting_by + (cast.campaign.no_show_grace_days + 1) * DAY
    return datetime.datetime.combine(day, datetime.time(1), tzinfo=_SHANGHAI)


# --- the steps -------------------------------------------------------------------------------


def brochures(cast):
    from bases.demo.loading import load_brochures

    load_brochures(campaign=cast.campaign, actor=User.objects.get(username="admin"))


def _register(username, full_name, number):
    from admissions.services.applicants import register_applicant

    user = User.objects.filter(username=username).first()
    if user is None:
        user = register_applicant(login=username, password=DEMO_PASSWORD, full_name=full_name).user
    complete_demo_applicant(user, full_name=full_name, number=number, mobile=username)
    return user


def _choose(cast, user, specialty_base):
    from admissions.services.choices import submit_choice

    submit_choice(actor=user, applicant=user.applicant, campaign=cast.campaign, specialty_base=specialty_base)


def round1_choices(cast):
    for username, full_name, number in ROUND1_CANDIDATES:
        _choose(cast, _register(username, full_name, number), cast.internal)
    _choose(cast, cast.round2_applicant, cast.internal)
    others = list(
        SpecialtyBase.objects.filter(
            training_base__province=cast.campaign.province,
            training_base__sort_order__in=OTHER_HOSPITALS,
            specialty__code__in=OTHER_SPECIALTIES,
        ).order_by("training_base__sort_order", "specialty__code")
    )
    generate_applicants(count=OTHER_CHOOSERS + REGISTERED_ONLY, password=DEMO_PASSWORD)
    synthetic = User.objects.filter(username__startswith="synthetic-").order_by("username")[:OTHER_CHOOSERS]
    for index, user in enumerate(synthetic):
        complete_demo_applicant(user)
        _choose(cast, user, others[index % len(others)])


def _other_office(training_base):
    user, created = User.objects.get_or_create(
        username=f"demo-office-{training_base.sort_order:02d}",
        defaults={"role": Role.BASE_OFFICE, "province": training_base.province, "training_base": training_base},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _other_applications(cast):
    """The other hospitals' round-1 choices with the office that handles each, best scores first."""
    applications = (
        Application.objects.filter(campaign=cast.campaign, round=1, applicant__user__username__startswith="synthetic-")
        .select_related("specialty_base__training_base", "applicant__user")
        .order_by("specialty_base_id", "applicant__user__username")
    )
    return [(_other_office(application.specialty_base.training_base), application) for application in applications]


def _other_scores(user):
    """Scores for those outside the story: synthetic applicants in order of their number, so each
    specialty base ranks them as they were generated."""
    if not user.username.startswith("synthetic-"):
        return 84, 82
    number = int(user.username.removeprefix("synthetic-"))
    return 95 - number, 92 - number


def demo_applicant_chooses(cast):
    _choose(cast, cast.applicant, cast.internal)


def first_reviews(cast):
    from admissions.services.assessments import review_qualification

    for username, _name, _number in ROUND1_CANDIDATES:
        application = Application.objects.get(applicant__user__username=username, campaign=cast.campaign, round=1)
        passed = username != ROUND1_CANDIDATES[-1][0]
        note = "" if passed else "上传的毕业证书与学历信息不一致，且未在审核期内补正。"
        review_qualification(actor=cast.staff, application=application, passed=passed, note=note)
    for office, application in _other_applications(cast):
        review_qualification(actor=office, application=application, passed=True)


# The internal medicine's round-1 sittings (考核场次): (part, mode, days after the assessment
# opens, hour, hours, place or video link, capacity).
SESSIONS = [
    ("interview", "on_site", 6, 9, 2, "内科楼5楼示教室", 3),
    ("interview", "video", 6, 14, 2, "https://meeting.example.cn/xiehe-internal-2", 3),
    ("exam", "on_site", 7, 9, 2, "医学教育中心2楼考场", 6),
]


def assessment_sessions(cast):
    """The internal medicine sets its sessions and seats the qualified candidates evenly; they get
    their notices."""
    from admissions.services.sessions import assign_balanced, create_session

    first_day = cast.campaign.round1_assessment_starts
    for part, mode, days, hour, hours, where, capacity in SESSIONS:
        starts_at = datetime.datetime.combine(first_day + days * DAY, datetime.time(hour), tzinfo=_SHANGHAI)
        create_session(
            actor=cast.office,
            campaign=cast.campaign,
            round_number=1,
            specialty_base=cast.internal,
            part=part,
            mode=mode,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=hours),
            capacity=capacity,
            place=where if mode == "on_site" else "",
            video_link=where if mode == "video" else "",
            note="请提前30分钟到场（或进入视频会议），携带身份证和考核通知。",
        )
    for part in ("interview", "exam"):
        assign_balanced(
            actor=cast.staff, campaign=cast.campaign, round_number=1, specialty_base=cast.internal, part=part
        )


def session_move(cast):
    """One candidate asks to sit the other interview, and the specialty base agrees."""
    from admissions.models import SessionSeat
    from admissions.services.sessions import decide_move, request_move

    user = cast.user("13900000003")
    seat = SessionSeat.objects.get(applicant__user=user, part="interview", status="assigned")
    other = (
        seat.session.specialty_base.assessment_sessions.filter(round=1, part="interview")
        .exclude(pk=seat.session_id)
        .get()
    )
    move = request_move(
        actor=user, seat=seat, to_session=other, reason="当天上午有毕业论文答辩，申请调换到另一场面试。"
    )
    decide_move(actor=cast.staff, move_request=move, approve=True, note="同意。")


def _check_in_day(cast, part):
    """The day's sessions of `part`: the staff check every candidate in at the door, then end the
    check-in (nobody is left to mark absent)."""
    from admissions.models import AssessmentSession
    from admissions.services.checkin import check_in, mark_session_absentees

    for session in AssessmentSession.objects.filter(specialty_base=cast.internal, round=1, part=part):
        for seat in session.seats.filter(status="assigned"):
            check_in(actor=cast.staff, seat=seat)
        mark_session_absentees(actor=cast.staff, session=session)


def interview_day(cast):
    """Both interviews: one candidate is first tapped 缺考 by mistake, then corrected to 签到."""
    from admissions.models import SessionSeat
    from admissions.services.checkin import check_in, mark_absent

    seat = SessionSeat.objects.get(applicant__user=cast.user("13900000002"), part="interview", status="assigned")
    mark_absent(actor=cast.staff, seat=seat)
    check_in(actor=cast.staff, seat=seat)
    _check_in_day(cast, "interview")


def exam_day(cast):
    _check_in_day(cast, "exam")


SCORES = {  # interview, exam, opinion
    "13900000001": (93, 91, "admit"),
    "13900000002": (90, 88, "admit"),
    "13900000003": (88, 86, "admit"),
    "applicant-demo": (86, 85, "admit"),
    "13900000004": (80, 79, "reserve"),
    "applicant-round2": (78, 75, "reserve"),
}


def _score(cast, user, round_number=1, assessor=None):
    from admissions.services.assessments import record_scores

    interview, exam, opinion = SCORES.get(user.username) or (*_other_scores(user), "admit")
    record_scores(
        actor=assessor or cast.staff,
        assessment=cast.assessment(user, round_number),
        interview_score=interview,
        exam_score=exam,
        interview_mode="on_site",
        opinion=opinion,
        evaluation_overall="基础扎实，临床思维清晰。" if opinion == "admit" else "基础尚可，临床经验不足。",
    )


def first_scores(cast):
    for username, _name, _number in ROUND1_CANDIDATES[:3]:
        _score(cast, cast.user(username))
    for office, application in _other_applications(cast):
        _score(cast, application.applicant.user, assessor=office)


def later_reviews_and_scores(cast):
    from admissions.services.assessments import review_qualification

    for user in (cast.applicant, cast.round2_applicant):
        application = Application.objects.get(applicant__user=user, campaign=cast.campaign, round=1)
        review_qualification(actor=cast.staff, application=application, passed=True)
    for user in (cast.user(ROUND1_CANDIDATES[3][0]), cast.applicant, cast.round2_applicant):
        _score(cast, user)


def round1_decisions(cast):
    from admissions.services.assessments import decide_admission

    for username, (_interview, _exam, opinion) in SCORES.items():
        decide_admission(actor=cast.office, assessment=cast.assessment(cast.user(username)), admit=opinion == "admit")
    # Each of the other specialty bases admits its best candidates but the last, within its places.
    by_base = {}
    for office, application in _other_applications(cast):
        by_base.setdefault(application.specialty_base, []).append((office, application))
    for specialty_base, candidates in by_base.items():
        places = specialty_base.quotas.get(campaign=cast.campaign).places
        for rank, (office, application) in enumerate(candidates):
            admit = rank < min(places, len(candidates) - 1)
            decide_admission(actor=office, assessment=application.assessments.get(), admit=admit)


def _publish(cast, round_number):
    from admissions.services.publicity import publish_list

    publish_list(
        actor=cast.office, campaign=cast.campaign, training_base=cast.office.training_base, round_number=round_number
    )


def round1_list(cast):
    from admissions.services.publicity import publish_list

    _publish(cast, 1)
    for office in {office for office, _application in _other_applications(cast)}:
        publish_list(actor=office, campaign=cast.campaign, training_base=office.training_base, round_number=1)


def objection(cast):
    from admissions.services.publicity import raise_objection

    entry = cast.assessment(cast.user("13900000002")).publicity_entries.get()
    raise_objection(
        actor=cast.user("synthetic-000030"),
        entry=entry,
        contact="13911112222",
        text="据了解该考生为本院在职人员，报考类型可能填写有误，请核实。",
    )


def first_confirmations(cast):
    from admissions.services.publicity import confirm_offer

    for username, accept in (("13900000001", True), ("13900000002", True), ("13900000003", False)):
        user = cast.user(username)
        confirm_offer(actor=user, assessment=cast.assessment(user), accept=accept)
    for _office, application in _other_applications(cast):
        if application.assessments.get().stage == Stage.PROPOSED:
            confirm_offer(actor=application.applicant.user, assessment=application.assessments.get(), accept=True)


def demo_applicant_accepts(cast):
    from admissions.services.publicity import confirm_offer, handle_objection

    confirm_offer(actor=cast.applicant, assessment=cast.assessment(cast.applicant), accept=True)
    for pending in (
        cast.assessment(cast.user("13900000002")).publicity_entries.get().objections.filter(handled_at__isnull=True)
    ):
        handle_objection(
            actor=cast.office,
            objection=pending,
            sustained=False,
            note="经核实，该考生为应届毕业生，非本院在职人员，报考类型填写无误。",
        )


def admit(cast):
    from admissions.services.admission import admit_due

    admit_due()


def round2_choices(cast):
    for username, full_name, number in ROUND2_CANDIDATES:
        _choose(cast, _register(username, full_name, number), cast.surgery)


def invitation(cast):
    from admissions.services.invitations import invite_applicant

    invite_applicant(
        actor=cast.office,
        applicant=cast.round2_applicant.applicant,
        campaign=cast.campaign,
        specialty_base=cast.surgery,
        message="您在第一批次考核中表现良好，外科专业基地尚有空余计划。",
    )


def invitation_accepted(cast):
    from admissions.services.invitations import accept_invitation

    accept_invitation(
        actor=cast.round2_applicant,
        invitation=Invitation.objects.get(applicant__user=cast.round2_applicant, campaign=cast.campaign),
    )


def round2_assessment(cast):
    from admissions.services.assessments import decide_admission, review_qualification

    users = [cast.user(username) for username, _name, _number in ROUND2_CANDIDATES] + [cast.round2_applicant]
    for user in users:
        application = Application.objects.get(applicant__user=user, campaign=cast.campaign, round=2)
        # The surgery's own staff have no demo login: the hospital's office assesses for them.
        review_qualification(actor=cast.office, application=application, passed=True)
        _score(cast, user, round_number=2, assessor=cast.office)
    for user in users:
        decide_admission(actor=cast.office, assessment=cast.assessment(user, 2), admit=True)


def round2_list(cast):
    _publish(cast, 2)


def round2_confirmations(cast):
    from admissions.services.publicity import confirm_offer

    for username, _name, _number in ROUND2_CANDIDATES:
        user = cast.user(username)
        confirm_offer(actor=user, assessment=cast.assessment(user, 2), accept=True)
    confirm_offer(actor=cast.round2_applicant, assessment=cast.assessment(cast.round2_applicant, 2), accept=True)


def _report(office, users, agreement=True):
    """The office records that each of `users` (those admitted) reported today, and signed."""
    from admissions.services.reporting import record_agreement, record_reporting

    today = timezone.localdate()
    for admission in Admission.objects.filter(assessment__application__applicant__user__in=users):
        record_reporting(actor=office, admission=admission, reported_on=today)
        if agreement:
            record_agreement(actor=office, admission=admission, signed_on=today)


def first_reporting(cast):
    _report(cast.office, [cast.user("13900000001")] + [cast.user(username) for username, _n, _s in ROUND2_CANDIDATES])
    for office, application in _other_applications(cast):
        _report(office, [application.applicant.user])


def demo_applicants_report(cast):
    _report(cast.office, [cast.applicant, cast.round2_applicant], agreement=False)


def no_shows(cast):
    from admissions.services.reporting import disqualify_no_shows

    disqualify_no_shows()


STEPS = [
    Step("brochures", at("brochure_submit_by", -2), brochures),
    Step("round1_choices", at("round1_opens", 2), round1_choices),
    Step("demo_applicant_chooses", at("round1_opens", 8), demo_applicant_chooses),
    Step("first_reviews", at("round1_assessment_starts", 4), first_reviews),
    Step("assessment_sessions", at("round1_assessment_starts", 4, hour=11), assessment_sessions),
    Step("session_move", at("round1_assessment_starts", 5), session_move),
    Step("interview_day", at("round1_assessment_starts", 6, hour=17), interview_day),
    Step("exam_day", at("round1_assessment_starts", 7, hour=12), exam_day),
    Step("first_scores", at("round1_assessment_starts", 8), first_scores),
    Step("later_reviews_and_scores", at("round1_assessment_starts", 16), later_reviews_and_scores),
    Step("round1_decisions", at("round1_assessment_ends", -6), round1_decisions),
    Step("round1_list", at("round1_assessment_ends", -1, hour=16), round1_list),
    Step("objection", at("round1_assessment_ends", 1, hour=20), objection),
    Step("first_confirmations", at("round1_assessment_ends", 2, hour=9), first_confirmations),
    Step("demo_applicant_accepts", at("round1_assessment_ends", 4), demo_applicant_accepts),
    Step("round1_admission", after_publicity(1), admit),
    Step("round2_choices", at("round2_opens", 2), round2_choices),
    Step("invitation", at("round2_opens", 4), invitation),
    Step("invitation_accepted", at("round2_opens", 10), invitation_accepted),
    Step("round2_assessment", at("round2_closes", 2), round2_assessment),
    Step("round2_list", at("round2_closes", 4, hour=16), round2_list),
    Step("round2_confirmations", at("round2_closes", 6, hour=9), round2_confirmations),
    Step("round2_admission", after_publicity(2), admit),
    Step("first_reporting", at("round2_publicity_by", 10), first_reporting),
    Step("demo_applicants_report", at("round2_publicity_by", 25), demo_applicants_report),
    Step("no_shows", after_grace, no_shows),
]


def _done(cast):
    return set(
        AuditEvent.objects.filter(
            action="demo.step",
            content_type=ContentType.objects.get_for_model(Campaign),
            object_id=str(cast.campaign.pk),
        ).values_list("after__step", flat=True)
    )


def replay_season(*, cast: Cast) -> list[str]:
    """Run, in order, the steps whose moment has passed and that have not run yet; returns their
    names. Stops at the first step still in the future, so the story never skips ahead."""
    import time_machine

    done = _done(cast)
    ran = []
    for step in STEPS:
        if step.name in done:
            continue
        moment = step.when(cast)
        if moment is None or moment > timezone.now():
            break
        with time_machine.travel(moment, tick=False), transaction.atomic():
            step.run(cast)
            record_event(
                actor=None, action="demo.step", obj=cast.campaign, after={"step": step.name}, reason="demo data"
            )
        ran.append(step.name)
    return ran
