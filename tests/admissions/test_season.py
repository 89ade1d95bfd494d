"""A whole season through the services, every state checked on the way."""

import datetime
import zoneinfo

import pytest
import time_machine

from admissions.models import Admission, Application, Assessment, Confirmation, InvitationStatus, Stage
from admissions.selectors.clock import is_admitted
from admissions.services.admission import admit_due
from admissions.services.assessments import decide_admission, record_scores, request_adjustment, review_qualification
from admissions.services.choices import submit_choice
from admissions.services.entries import QuotaFull
from admissions.services.invitations import accept_invitation, invite_applicant
from admissions.services.publicity import confirm_offer, publish_list
from bases.services.quotas import do_set_quota
from portal.errors import DomainError
from portal.models import Notification
from tests import factories
from tests.applicant_helpers import complete_applicant

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def season(world, people):
    campaign = world["hubei_campaign"]
    surgery = factories.specialty_base(world["xiehe"], factories.specialty("0900", "外科"), capacity=5)
    do_set_quota(actor=None, campaign=campaign, specialty_base=world["xiehe_internal"], places=1)
    do_set_quota(actor=None, campaign=campaign, specialty_base=surgery, places=1)
    do_set_quota(actor=None, campaign=campaign, specialty_base=world["tongji_internal"], places=2)
    return {
        "campaign": campaign,
        "internal": world["xiehe_internal"],
        "surgery": surgery,
        "tongji": world["tongji_internal"],
        "xiehe": world["xiehe"],
        **people,
    }


def score(staff, assessment, interview, exam):
    return record_scores(
        actor=staff,
        assessment=assessment,
        interview_score=interview,
        exam_score=exam,
        interview_mode="on_site",
        opinion="admit",
        evaluation_overall="综合表现良好",
    )


def test_a_whole_season(season):
    campaign, office, staff = season["campaign"], season["xiehe_office"], season["xiehe_staff"]
    wang, li = complete_applicant(1), complete_applicant(2)
    with at(2026, 4, 10, 9):
        choices = [
            submit_choice(actor=a.user, applicant=a, campaign=campaign, specialty_base=season["internal"]).application
            for a in (wang, li)
        ]
    with at(2026, 4, 27, 10):
        first = [review_qualification(actor=staff, application=c, passed=True) for c in choices]
        assert [a.stage for a in first] == [Stage.QUALIFIED, Stage.QUALIFIED]
        score(staff, first[0], "88.5", "91.0")
        score(staff, first[1], "80.0", "79.5")
        decide_admission(actor=office, assessment=first[0], admit=True)
        with pytest.raises(QuotaFull):  # one place only
            decide_admission(actor=office, assessment=first[1], admit=True)
        decide_admission(actor=office, assessment=first[1], admit=False)
        adjusted = request_adjustment(actor=li.user, assessment=first[1], specialty_base=season["surgery"])
        assert adjusted.is_adjustment and adjusted.adjustment_consent_at and adjusted.stage == Stage.QUALIFIED
        score(season["xiehe_office"], adjusted, "85.0", "84.0")
        decide_admission(actor=office, assessment=adjusted, admit=True)
    with at(2026, 4, 29, 16):
        publicity = publish_list(actor=office, campaign=campaign, training_base=season["xiehe"], round_number=1)
    # Labour Day 2026 (1–5 May off, Saturday 9 May worked) is inside the 7 working days.
    assert publicity.last_day == datetime.date(2026, 5, 12)
    assert Notification.objects.filter(recipient=wang.user, kind="publicity.started").exists()
    with at(2026, 5, 6, 9):
        confirm_offer(actor=wang.user, assessment=first[0], accept=True)
        confirm_offer(actor=li.user, assessment=adjusted, accept=True)
    with at(2026, 5, 12, 23, 59):
        assert admit_due() == 0 and not is_admitted(Assessment.objects.get(pk=first[0].pk))
    with at(2026, 5, 13, 0, 0):
        assert is_admitted(Assessment.objects.get(pk=first[0].pk))  # by the clock, before the sweep
        assert admit_due() == 2
        assert admit_due() == 0  # the sweep is idempotent
    assert Admission.objects.count() == 2
    assert Assessment.objects.get(pk=first[0].pk).stage == Stage.ADMITTED

    # Round 2: an unadmitted applicant is invited by two bases and accepts one.
    zhao = complete_applicant(3)
    with at(2026, 4, 12, 9):
        late_choice = submit_choice(
            actor=zhao.user, applicant=zhao, campaign=campaign, specialty_base=season["internal"]
        ).application
    with at(2026, 4, 28, 9):
        review_qualification(actor=staff, application=late_choice, passed=False, note="学历证明材料不全")
    with at(2026, 6, 3, 10):
        with pytest.raises(DomainError, match="已被拟录取或录取"):
            invite_applicant(actor=office, applicant=wang, campaign=campaign, specialty_base=season["surgery"])
        xiehe_invite = invite_applicant(
            actor=office, applicant=zhao, campaign=campaign, specialty_base=season["surgery"], message="欢迎参加复试"
        )
        tongji_invite = invite_applicant(
            actor=season["tongji_office"], applicant=zhao, campaign=campaign, specialty_base=season["tongji"]
        )
        accept_invitation(actor=zhao.user, invitation=tongji_invite)
    xiehe_invite.refresh_from_db()
    assert xiehe_invite.status == InvitationStatus.DECLINED
    round2 = Application.objects.get(applicant=zhao, round=2)
    assert round2.specialty_base == season["tongji"]
    tongji_office, tongji_staff = season["tongji_office"], season["tongji_office"]
    with at(2026, 6, 20, 10):
        assessment = review_qualification(actor=tongji_staff, application=round2, passed=True)
        score(tongji_staff, assessment, "90.0", "90.0")
        decide_admission(actor=tongji_office, assessment=assessment, admit=True)
    with at(2026, 6, 26, 10):
        publicity = publish_list(
            actor=tongji_office, campaign=campaign, training_base=season["tongji"].training_base, round_number=2
        )
        confirm_offer(actor=zhao.user, assessment=assessment, accept=True)
    with at(2026, 7, 10, 0, 0):
        assert admit_due() == 1
    assessment.refresh_from_db()
    assert (assessment.stage, assessment.confirmation) == (Stage.ADMITTED, Confirmation.ACCEPTED)
