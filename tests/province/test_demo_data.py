import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from admissions.demo.people import generate_applicants
from admissions.models import (
    Admission,
    Applicant,
    Application,
    Assessment,
    AssessmentSession,
    IntegrityCase,
    Invitation,
    MoveRequest,
    Objection,
    PublicityList,
    RegistrationRoster,
    SessionSeat,
)
from bases.models import BrochureVersion, Quota, Specialty, SpecialtyBase, TrainingBase
from policy.identity import parse_resident_id
from policy.models import Campaign
from policy.timetable import Phase, phase_at
from portal.models import AuditEvent, Role, User

pytestmark = pytest.mark.django_db

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


def on(day, hour=10):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=BEIJING), tick=False)


def load_before_the_season():
    with on(datetime.date(2026, 3, 1)):
        call_command("load_demo", year=2026, stdout=io.StringIO())


def snapshot():
    return {
        "bases": list(
            TrainingBase.objects.order_by("id").values_list(
                "name", "city", "contact_person", "phone_numbers", "qq_groups"
            )
        ),
        "specialty_bases": list(
            SpecialtyBase.objects.order_by("id").values_list("training_base__name", "specialty__code", "capacity")
        ),
        "quotas": list(Quota.objects.order_by("id").values_list("specialty_base_id", "places", "capacity")),
        "campaigns": list(Campaign.objects.values_list("year", "round1_opens", "round1_closes", "reporting_by")),
        "users": list(User.objects.order_by("username").values_list("username", "role")),
        "brochures": list(
            BrochureVersion.objects.order_by("id").values_list("brochure__training_base__name", "status")
        ),
        "events": AuditEvent.objects.count(),
    }


def test_loading_twice_gives_the_same_data():
    load_before_the_season()
    first = snapshot()
    load_before_the_season()
    assert snapshot() == first
    assert len(first["bases"]) == 37
    assert first["campaigns"][0][1].isoformat() == "2026-04-08"


def test_the_annex_contacts_and_inferred_cities():
    load_before_the_season()
    xiehe = TrainingBase.objects.get(name="华中科技大学同济医学院附属协和医院")
    assert (xiehe.city, xiehe.contact_person, xiehe.phone_numbers, xiehe.qq_groups) == (
        "武汉市",
        "何老师",
        "027-85726935",
        "340728617 410365317",
    )
    assert TrainingBase.objects.get(name="国药东风总医院（湖北医药学院附属东风医院）").city == "十堰市"
    assert TrainingBase.objects.filter(city="武汉市").count() == 17
    cities = set(TrainingBase.objects.values_list("city", flat=True))
    assert cities == {
        "武汉市",
        "黄石市",
        "十堰市",
        "宜昌市",
        "襄阳市",
        "荆门市",
        "孝感市",
        "荆州市",
        "黄冈市",
        "恩施州",
        "鄂州市",
        "咸宁市",
        "随州市",
        "天门市",
    }


def test_plan_respects_capacity_and_specialised_hospitals():
    load_before_the_season()
    assert all(places <= capacity for places, capacity in Quota.objects.values_list("places", "capacity"))
    stomatology = set(
        SpecialtyBase.objects.filter(training_base__name="襄阳市口腔医院").values_list("specialty__category", flat=True)
    )
    assert stomatology == {"stomatology"}
    assert Specialty.objects.count() == 35
    campaign = Campaign.objects.get()
    assert set(campaign.shortage_specialties.values_list("name", flat=True)) == {
        "全科",
        "儿科",
        "儿外科",
        "精神科",
        "麻醉科",
        "妇产科",
        "急诊科",
        "临床病理科",
        "重症医学科",
    }


def test_one_demo_user_per_role():
    load_before_the_season()
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    staff = User.objects.get(username="xiehe-internal")
    assert staff.specialty_base.training_base == staff.training_base
    from admissions.selectors.checklist import missing_items

    assert missing_items(User.objects.get(username="applicant-demo").applicant) == []


def test_synthetic_applicants_have_valid_unique_ids_and_top_up_idempotently():
    assert generate_applicants(count=1500, password="x-Password-1", batch_size=400) == 1500
    assert generate_applicants(count=1600, password="x-Password-1", batch_size=400) == 100
    applicants = list(Applicant.objects.all())
    assert len(applicants) == 1600
    assert len({a.id_number for a in applicants}) == 1600
    for applicant in applicants:
        parsed = parse_resident_id(applicant.id_number)
        assert (parsed.birth_date, parsed.sex) == (applicant.birth_date, applicant.sex)


def load(phase, today, **options):
    out = io.StringIO()
    with on(today):
        call_command("load_demo", phase=phase, stdout=out, **options)
    return out.getvalue()


def demo_user(username):
    return User.objects.get(username=username)


def stage_of(username, round_number=1):
    return Assessment.objects.get(application__applicant__user__username=username, application__round=round_number)


TODAY = datetime.date(2026, 12, 4)


@pytest.mark.parametrize(
    ("phase", "expected"),
    [
        ("brochures", Phase.PREPARATION),
        ("registration", Phase.ROUND1_REGISTRATION),
        ("assessment", Phase.ROUND1_ASSESSMENT),
        ("publicity", Phase.ROUND1_PUBLICITY),
        ("round2", Phase.ROUND2_REGISTRATION),
        ("reporting", Phase.REPORTING),
        ("done", Phase.REGISTRATION_ROSTER),
    ],
)
def test_each_phase_puts_today_in_it_and_prints_the_logins_last(phase, expected):
    out = load(phase, TODAY)
    campaign = Campaign.objects.get()
    with on(TODAY):
        assert phase_at(campaign) == expected
    assert str(Phase(expected).label) in out
    assert out.rstrip().splitlines()[-1].split()[0] == "applicant-round2"
    assert len(out.splitlines()) < 15 and "base64" not in out.lower()


def test_registration_has_applicants_at_every_step_and_the_demo_applicant_still_to_choose():
    load("registration", TODAY)
    assert Application.objects.filter(round=1).count() == 5 + 1 + 24
    assert not Application.objects.filter(applicant__user__username="applicant-demo").exists()
    assert User.objects.filter(username__startswith="synthetic-", applicant__applications__isnull=True).count() == 6
    assert not Assessment.objects.exclude(stage="pending_review").exists()


def test_assessment_has_reviewed_scored_and_waiting_candidates():
    load("assessment", TODAY)
    assert stage_of("13900000001").interview_score == 93
    assert stage_of("13900000005").stage == "disqualified"
    assert stage_of("13900000004").stage == "qualified" and stage_of("13900000004").interview_score is None
    waiting = Application.objects.get(applicant__user__username="applicant-demo")
    assert not waiting.assessments.exists()  # filed, not yet reviewed
    # The internal medicine's three sessions, the four qualified seated evenly, one move agreed.
    assert AssessmentSession.objects.count() == 3
    assert sorted(SessionSeat.objects.values_list("part", flat=True)) == ["exam"] * 4 + ["interview"] * 4
    assert MoveRequest.objects.get().status == "approved"
    # On the assessment days every one of them was checked in (one wrong 缺考 tap corrected the same day).
    assert set(SessionSeat.objects.values_list("status", flat=True)) == {"present"}
    assert AuditEvent.objects.filter(action="seat.absent").count() == 1


def test_publicity_has_a_public_list_an_open_objection_and_the_demo_applicants_offer_waiting():
    load("publicity", TODAY)
    listed = PublicityList.objects.get(training_base__sort_order=1, round=1)
    assert listed.published_at.date() < TODAY <= listed.last_day
    assert Objection.objects.filter(handled_at__isnull=True).count() == 1
    offer = stage_of("applicant-demo")
    assert offer.stage == "proposed" and offer.confirmed_at is None
    assert stage_of("13900000003").stage == "declined"


def test_round2_has_round1_admitted_and_an_invitation_waiting():
    load("round2", TODAY)
    assert stage_of("applicant-demo").stage == "admitted"
    assert Invitation.objects.get().status == "pending"
    assert Invitation.objects.get().applicant.user.username == "applicant-round2"


def test_reporting_has_residents_reported_and_the_demo_applicant_to_report():
    load("reporting", TODAY)
    assert Admission.objects.get(assessment__application__applicant__user__username="applicant-demo").status == (
        "admitted"
    )
    # 李华, the two who chose surgery in round 2, and three of the four at each of six other specialty bases
    assert Admission.objects.filter(status="reported").count() == 1 + 2 + 6 * 3
    assert stage_of("applicant-round2", 2).stage == "admitted"


def test_done_has_a_no_show_waiting_for_the_province_and_no_roster_yet():
    load("done", TODAY)
    assert IntegrityCase.objects.get().status == "pending"
    assert not RegistrationRoster.objects.exists()
    assert Admission.objects.get(assessment__application__applicant__user__username="13900000002").status == (
        "disqualified"
    )


def test_loading_a_phase_again_changes_nothing_and_a_later_day_adds_only_what_came_due():
    load("publicity", TODAY)
    first = snapshot()
    load("publicity", TODAY)
    assert snapshot() == first
    out = load("publicity", TODAY + datetime.timedelta(days=1))
    assert "1 步" in out  # the demo applicant's acceptance, due the next day
    assert stage_of("applicant-demo").confirmed_at is not None


@pytest.mark.django_db(transaction=True)  # --reset flushes the database, which cannot happen inside a transaction
def test_another_phase_needs_a_reset(settings):
    load("registration", TODAY)
    with pytest.raises(CommandError, match="--reset"):
        load("round2", TODAY)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        load("round2", TODAY, reset=True)
    settings.DEBUG = True
    load("round2", TODAY, reset=True)
    with on(TODAY):
        assert phase_at(Campaign.objects.get()) == Phase.ROUND2_REGISTRATION
