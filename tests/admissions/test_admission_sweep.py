"""The admission sweep (Celery beat): it admits exactly the candidates whose publicity has ended
(24:00 of its last day) with no open objection and who accepted; run twice, it changes nothing the
second time."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings

from admissions.models import Admission, Assessment, Confirmation, Objection, PublicityEntry, Stage
from admissions.selectors.clock import is_admitted
from admissions.services.admission import admit_due
from admissions.services.assessments import decide_admission, record_scores, review_qualification
from admissions.services.choices import submit_choice
from admissions.services.publicity import confirm_offer, handle_objection, publish_list, raise_objection
from admissions.tasks import admit_due_candidates
from bases.services.quotas import do_set_quota
from portal.models import AuditEvent, Notification
from tests.applicant_helpers import complete_applicant

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
LAST_DAY = datetime.date(2026, 5, 12)  # a list published on 2026-04-29: 7 working days around Labour Day
LAST_SECOND = datetime.datetime(2026, 5, 12, 23, 59, 59, tzinfo=SHANGHAI)
MIDNIGHT = datetime.datetime(2026, 5, 13, 0, 0, tzinfo=SHANGHAI)


def at(year, month, day, hour=0, minute=0, second=0):
    return time_machine.travel(datetime.datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def listed(world, people):
    """Four candidates of Xiehe internal medicine on a list published 2026-04-29 (ends 05-12 24:00);
    during publicity 甲 and 乙 accept, 丙 declines, 丁 does not answer."""
    campaign, office = world["hubei_campaign"], people["xiehe_office"]
    do_set_quota(actor=None, campaign=campaign, specialty_base=world["xiehe_internal"], places=4)
    assessments = {}
    for n, name in enumerate(("甲", "乙", "丙", "丁"), start=1):
        applicant = complete_applicant(n)
        with at(2026, 4, 10, 9):
            application = submit_choice(
                actor=applicant.user, applicant=applicant, campaign=campaign, specialty_base=world["xiehe_internal"]
            ).application
        with at(2026, 4, 27, 10):
            assessment = review_qualification(actor=office, application=application, passed=True)
            record_scores(
                actor=office, assessment=assessment, interview_score=80 + n, exam_score=85, interview_mode="on_site"
            )
            assessments[name] = decide_admission(actor=office, assessment=assessment, admit=True)
    with at(2026, 4, 29, 16):
        publicity = publish_list(actor=office, campaign=campaign, training_base=world["xiehe"], round_number=1)
    assert publicity.last_day == LAST_DAY
    with at(2026, 5, 6, 9):
        for name, accept in (("甲", True), ("乙", True), ("丙", False)):
            assessment = assessments[name]
            confirm_offer(actor=assessment.application.applicant.user, assessment=assessment, accept=accept)
    return {"publicity": publicity, "office": office, **{name: a.pk for name, a in assessments.items()}}


def _state():
    """Everything the sweep may touch, to compare before and after a run."""
    return {
        "admissions": list(
            Admission.objects.order_by("pk").values_list(
                "pk", "assessment_id", "admitted_at", "notice_number", "verification_code"
            )
        ),
        "stages": dict(Assessment.objects.values_list("pk", "stage")),
        "confirmations": dict(Assessment.objects.values_list("pk", "confirmation")),
        "notifications": Notification.objects.count(),
        "audit_events": AuditEvent.objects.count(),
    }


def _stage(pk):
    return Assessment.objects.get(pk=pk).stage


def test_a_second_sweep_changes_nothing(listed):
    with at(2026, 5, 13, 9):
        assert admit_due() == 2
        first = _state()
    with at(2026, 5, 13, 9, 15):  # the next beat
        assert admit_due() == 0
        assert _state() == first
    with at(2026, 7, 1, 9):  # and much later
        assert admit_due() == 0
        assert _state() == first
    assert len(first["admissions"]) == 2
    assert first["stages"][listed["甲"]] == first["stages"][listed["乙"]] == Stage.ADMITTED
    assert Notification.objects.filter(kind="admission.admitted").count() == 2
    assert AuditEvent.objects.filter(action="assessment.admitted").count() == 2


def test_nobody_is_admitted_before_24_00_of_the_last_day_and_everyone_due_at_00_00(listed):
    accepted = [listed["甲"], listed["乙"]]
    with time_machine.travel(LAST_SECOND, tick=False):
        assert [is_admitted(Assessment.objects.get(pk=pk)) for pk in accepted] == [False, False]
        assert admit_due() == 0
        assert not Admission.objects.exists()
    with time_machine.travel(MIDNIGHT, tick=False):
        # By the clock both are admitted already, before the sweep writes anything.
        assert [is_admitted(Assessment.objects.get(pk=pk)) for pk in accepted] == [True, True]
        assert {_stage(pk) for pk in accepted} == {Stage.PROPOSED}
        assert admit_due() == 2
    assert {_stage(pk) for pk in accepted} == {Stage.ADMITTED}
    assert set(Admission.objects.values_list("assessment_id", flat=True)) == set(accepted)


def test_an_open_objection_holds_a_candidate_back_until_it_is_handled(listed, people):
    entry = PublicityEntry.objects.get(publicity_list=listed["publicity"], assessment_id=listed["甲"])
    with at(2026, 5, 11, 15):
        objection = raise_objection(actor=people["applicant"], entry=entry, contact="13900000000", text="学历存疑")
    with time_machine.travel(MIDNIGHT, tick=False):
        assert not is_admitted(Assessment.objects.get(pk=listed["甲"]))
        assert admit_due() == 1  # 乙 only
    with at(2026, 5, 14, 9):
        assert admit_due() == 0 and _stage(listed["甲"]) == Stage.PROPOSED
        handle_objection(actor=listed["office"], objection=objection, sustained=False, note="经核实学历属实")
        assert is_admitted(Assessment.objects.get(pk=listed["甲"]))
        assert admit_due() == 1
    assert _stage(listed["甲"]) == Stage.ADMITTED
    assert Objection.objects.get(pk=objection.pk).status == "dismissed"


def test_a_sustained_objection_removes_the_candidate_for_good(listed, people):
    entry = PublicityEntry.objects.get(publicity_list=listed["publicity"], assessment_id=listed["乙"])
    with at(2026, 5, 8, 15):
        objection = raise_objection(actor=people["applicant"], entry=entry, contact="13900000000", text="学历造假")
        handle_objection(actor=listed["office"], objection=objection, sustained=True, note="经核实学历造假")
    with at(2026, 6, 1, 9):
        assert admit_due() == 1  # 甲 only
    assert _stage(listed["乙"]) == Stage.REMOVED
    assert not Admission.objects.filter(assessment_id=listed["乙"]).exists()


def test_a_declined_or_unanswered_candidate_is_never_admitted(listed):
    with at(2026, 5, 13, 0):
        assert admit_due() == 2
    with at(2026, 8, 1, 9):
        assert admit_due() == 0
    declined, silent = Assessment.objects.get(pk=listed["丙"]), Assessment.objects.get(pk=listed["丁"])
    assert (declined.stage, declined.confirmation) == (Stage.DECLINED, Confirmation.DECLINED)
    assert (silent.stage, silent.confirmation) == (Stage.PROPOSED, Confirmation.PENDING)
    with at(2026, 8, 1, 9):
        assert not is_admitted(declined) and not is_admitted(silent)
    assert not Admission.objects.filter(assessment_id__in=[declined.pk, silent.pk]).exists()


def test_the_celery_task_run_eagerly_returns_how_many_it_admitted(listed):
    assert any(
        entry["task"] == "admissions.tasks.admit_due_candidates" for entry in settings.CELERY_BEAT_SCHEDULE.values()
    )
    with at(2026, 5, 12, 12):
        assert admit_due_candidates.apply().get() == 0
    with at(2026, 5, 13, 1):
        assert admit_due_candidates.apply().get() == 2
        assert admit_due_candidates.apply().get() == 0
    assert Admission.objects.count() == 2
