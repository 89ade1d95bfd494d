"""The admission rounds through the API: staff score and decide, the office publishes, anyone signed
in objects, the applicant confirms, bases invite in round 2; refusals by role and scope, illegal
transitions as 409 with a message, and list queries that stay flat as rows grow."""

import datetime
import itertools
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from admissions.models import (
    Admission,
    Application,
    ApplicationStatus,
    Assessment,
    Confirmation,
    Invitation,
    InvitationStatus,
    Objection,
    PublicityEntry,
    PublicityKind,
    PublicityList,
    Stage,
)
from admissions.services.admission import admit_due
from admissions.services.assessments import decide_admission, record_scores, review_qualification
from admissions.services.choices import submit_choice
from admissions.services.publicity import publish_list, raise_objection
from bases.services.quotas import do_set_quota
from portal.models import Role
from portal.privacy import mask_id_number
from tests import factories
from tests.applicant_helpers import complete_applicant
from tests.round_helpers import bulk_candidates

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
CHOOSING = datetime.datetime(2026, 4, 10, 9, tzinfo=SHANGHAI)
ASSESSING = datetime.datetime(2026, 4, 27, 10, tzinfo=SHANGHAI)
PUBLISHING = datetime.datetime(2026, 4, 29, 16, tzinfo=SHANGHAI)  # the list ends on 2026-05-12 24:00
DURING_PUBLICITY = datetime.datetime(2026, 5, 6, 9, tzinfo=SHANGHAI)
LAST_MINUTE = datetime.datetime(2026, 5, 12, 23, 59, 59, tzinfo=SHANGHAI)
AFTER_PUBLICITY = datetime.datetime(2026, 5, 13, 0, 0, tzinfo=SHANGHAI)
ROUND2 = datetime.datetime(2026, 6, 3, 10, tzinfo=SHANGHAI)

_codes = itertools.count(100)


def at(moment):
    return time_machine.travel(moment, tick=False)


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def rounds(world, people):
    """Xiehe internal medicine (1 place, interview 40 % / exam 60 %), Xiehe surgery (1 place) and
    Tongji internal medicine (2 places)."""
    campaign = world["hubei_campaign"]
    surgery = factories.specialty_base(world["xiehe"], factories.specialty("0900", "外科"), capacity=5)
    for base, places in ((world["xiehe_internal"], 1), (surgery, 1), (world["tongji_internal"], 2)):
        do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=places)
    factories.formula(world["xiehe_internal"], 40, 60)
    return {"campaign": campaign, "internal": world["xiehe_internal"], "surgery": surgery, **world, **people}


def choose(rounds, n, base="internal"):
    applicant = complete_applicant(n)
    with at(CHOOSING):
        return submit_choice(
            actor=applicant.user, applicant=applicant, campaign=rounds["campaign"], specialty_base=rounds[base]
        ).application


def proposed(rounds, n, base="internal"):
    """A candidate scored and proposed by the services (setup for the tests that start later)."""
    application = choose(rounds, n, base)
    with at(ASSESSING):
        assessment = review_qualification(actor=rounds["xiehe_office"], application=application, passed=True)
        record_scores(
            actor=rounds["xiehe_office"],
            assessment=assessment,
            interview_score="85.0",
            exam_score="88.0",
            interview_mode="video",
        )
        return decide_admission(actor=rounds["xiehe_office"], assessment=assessment, admit=True)


def published(rounds, *numbers):
    assessments = [proposed(rounds, n, base) for n, base in zip(numbers, ("internal", "surgery"), strict=False)]
    with at(PUBLISHING):
        publicity = publish_list(
            actor=rounds["xiehe_office"], campaign=rounds["campaign"], training_base=rounds["xiehe"], round_number=1
        )
    return publicity, assessments


# --- The whole way through the API ---------------------------------------------------------------


def test_staff_score_the_office_decides_and_publishes_the_applicant_accepts_and_is_admitted(rounds):
    wang, li = choose(rounds, 1), choose(rounds, 2)
    staff, office = client_for(rounds["xiehe_staff"]), client_for(rounds["xiehe_office"])
    with at(ASSESSING):
        reviewed = staff.post(reverse("api-application-qualification", args=[wang.pk]), {"passed": True}, "json")
        assert reviewed.status_code == 200, reviewed.content
        assessment_id = reviewed.json()["id"]
        assert reviewed.json()["stage"] == "qualified"
        refused = staff.post(reverse("api-application-qualification", args=[li.pk]), {"passed": False}, "json")
        assert refused.status_code == 400 and "原因" in refused.json()["detail"]
        staff.post(
            reverse("api-application-qualification", args=[li.pk]), {"passed": False, "note": "缺学位证书"}, "json"
        )
        scored = staff.post(
            reverse("api-assessment-scores", args=[assessment_id]),
            {
                "interview_score": "80.0",
                "exam_score": 90.5,
                "interview_mode": "video",
                "opinion": "admit",
                "evaluation_overall": "基础扎实",
            },
            format="json",
        )
        assert scored.status_code == 200, scored.content
        row = scored.json()
        # 80.0 × 40 % + 90.5 × 60 % = 86.3, with this specialty base's weights.
        assert (row["interview_score"], row["exam_score"], row["composite"]) == ("80.0", "90.5", "86.3")
        assert (row["formula_version"], row["interview_weight"], row["tie_break"]) == (2, 40, "exam_first")
        assert (row["interview_mode"], row["opinion"], row["evaluation_overall"]) == ("video", "admit", "基础扎实")

        listing = office.get(reverse("api-assessments"), {"specialty_base": rounds["internal"].pk, "round": 1})
        rows = {r["applicant_name"]: r for r in listing.json()["results"]}
        assert rows["申请人1"]["rank"] == 1 and rows["申请人1"]["quota_places"] == 1
        assert rows["申请人2"]["stage"] == "disqualified" and rows["申请人2"]["rank"] is None
        assert rows["申请人2"]["qualification_note"] == "缺学位证书"

        decided = office.post(reverse("api-assessment-decision", args=[assessment_id]), {"admit": True}, "json")
        assert decided.status_code == 200 and decided.json()["stage"] == "proposed"
    with at(PUBLISHING):
        prepared = office.post(reverse("api-publicity-lists"), {"round": 1}, "json")
        assert prepared.status_code == 202, prepared.content
        release = prepared.json()
        assert (release["status"], release["prepared_by"]) == ("pending", rounds["xiehe_office"].username)
        assert [row["name"] for row in release["preview"]["entering"]] == ["申请人1"]
        assert not PublicityList.objects.exists()
        # A second person of the office confirms; the one who prepared it may not.
        alone = office.post(reverse("api-release-confirm", args=[release["id"]]))
        assert (alone.status_code, alone.json()["code"]) == (403, "same_person")
        second = client_for(factories.user(Role.BASE_OFFICE, training_base=rounds["xiehe"]))
        confirmed = second.post(reverse("api-release-confirm", args=[release["id"]]))
        assert confirmed.status_code == 200 and confirmed.json()["status"] == "released"
        publicity = client_for().get(reverse("api-publicity-list", args=[PublicityList.objects.get().pk]))
    body = publicity.json()
    assert (body["last_day"], body["kind"], body["is_public"]) == ("2026-05-12", "proposed", True)
    assert [entry["name"] for entry in body["entries"]] == ["申请人1"]

    applicant = client_for(wang.applicant.user)
    with at(DURING_PUBLICITY):
        mine = applicant.get(reverse("api-my-assessments")).json()["results"]
        assert mine[0]["can_confirm"] and mine[0]["publicity_last_day"] == "2026-05-12"
        confirmed = applicant.post(reverse("api-my-assessment-confirm", args=[assessment_id]), {"accept": True}, "json")
        assert confirmed.status_code == 200 and confirmed.json()["confirmation"] == "accepted"
    with at(LAST_MINUTE):
        assert applicant.get(reverse("api-my-assessments")).json()["results"][0]["stage"] == "proposed"
    with at(AFTER_PUBLICITY):
        # Admitted by the clock before the sweep has run; the notice number comes with the sweep.
        before_sweep = applicant.get(reverse("api-my-assessments")).json()["results"][0]
        assert (before_sweep["stage"], before_sweep["notice_number"]) == ("admitted", None)
        assert office.get(reverse("api-assessments"), {"stage": "admitted"}).json()["count"] == 1
        assert admit_due() == 1
        after_sweep = applicant.get(reverse("api-my-assessments")).json()["results"][0]
    admission = Admission.objects.get()
    assert after_sweep["notice_number"] == admission.notice_number

    anonymous = client_for()
    check = anonymous.get(
        reverse("api-admission-verify"),
        {"notice_number": admission.notice_number, "code": admission.verification_code.lower()},
    )
    assert check.status_code == 200
    assert check.json()["valid"] is True and check.json()["name"] == "申请人1"
    assert "内科" in check.json()["specialty_base"]
    forged = anonymous.get(reverse("api-admission-verify"), {"notice_number": admission.notice_number, "code": "X"})
    assert forged.json() == {"valid": False}


def test_a_candidate_not_admitted_asks_for_adjustment_to_a_base_with_places(rounds):
    application = choose(rounds, 1)
    with at(ASSESSING):
        assessment = review_qualification(actor=rounds["xiehe_staff"], application=application, passed=True)
        decide_admission(actor=rounds["xiehe_office"], assessment=assessment, admit=False)
        applicant = client_for(application.applicant.user)
        url = reverse("api-my-assessment-adjustment", args=[assessment.pk])
        elsewhere = applicant.post(url, {"specialty_base": rounds["tongji_internal"].pk}, "json")
        assert elsewhere.status_code == 400 and "同一住培基地" in elsewhere.json()["detail"]
        adjusted = applicant.post(url, {"specialty_base": rounds["surgery"].pk}, "json")
    assert adjusted.status_code == 201, adjusted.content
    assert (adjusted.json()["is_adjustment"], adjusted.json()["specialty"]) == (True, "外科")
    assert Assessment.objects.get(pk=adjusted.json()["id"]).adjustment_consent_at is not None


# --- Refusals by role and scope ------------------------------------------------------------------


def test_a_base_office_cannot_decide_another_bases_candidate(rounds):
    application = choose(rounds, 1)
    with at(ASSESSING):
        assessment = review_qualification(actor=rounds["xiehe_staff"], application=application, passed=True)
        other = client_for(rounds["tongji_office"])
        decided = other.post(reverse("api-assessment-decision", args=[assessment.pk]), {"admit": True}, "json")
        reviewed = other.post(reverse("api-application-qualification", args=[application.pk]), {"passed": True}, "json")
        listed = other.get(reverse("api-assessments")).json()
    assert (decided.status_code, reviewed.status_code) == (403, 403)
    assert listed["count"] == 0
    assert Assessment.objects.get(pk=assessment.pk).stage == Stage.QUALIFIED


def test_specialty_base_staff_cannot_decide_or_publish(rounds):
    application = choose(rounds, 1)
    staff = client_for(rounds["xiehe_staff"])
    with at(ASSESSING):
        assessment = review_qualification(actor=rounds["xiehe_staff"], application=application, passed=True)
        record_scores(
            actor=rounds["xiehe_staff"],
            assessment=assessment,
            interview_score=90,
            exam_score=90,
            interview_mode="video",
        )
        decided = staff.post(reverse("api-assessment-decision", args=[assessment.pk]), {"admit": True}, "json")
        decide_admission(actor=rounds["xiehe_office"], assessment=assessment, admit=True)
    with at(PUBLISHING):
        publishing = staff.post(reverse("api-publicity-lists"), {"round": 1}, "json")
        province = client_for(rounds["province"]).post(reverse("api-publicity-lists"), {"round": 1}, "json")
    assert (decided.status_code, publishing.status_code, province.status_code) == (403, 403, 403)
    assert not PublicityList.objects.exists()


def test_an_applicant_cannot_confirm_anothers_offer_nor_read_the_staff_lists(rounds):
    _publicity, (assessment,) = published(rounds, 1)
    intruder = client_for(rounds["applicant"])
    other = complete_applicant(7)
    with at(DURING_PUBLICITY):
        for user in (rounds["applicant"], other.user):
            answer = client_for(user).post(
                reverse("api-my-assessment-confirm", args=[assessment.pk]), {"accept": False}, "json"
            )
            assert answer.status_code in (403, 404)
        assert client_for(other.user).get(reverse("api-my-assessments")).json()["results"] == []
        assert intruder.get(reverse("api-assessments")).status_code == 403
        # Its own assessment, too, is read under me/: the staff view carries the internal evaluations.
        owner = client_for(assessment.application.applicant.user)
        assert owner.get(reverse("api-assessment", args=[assessment.pk])).status_code == 403
        assert (
            client_for(rounds["xiehe_office"]).get(reverse("api-assessment", args=[assessment.pk])).status_code == 200
        )
        assert (
            client_for(rounds["tongji_office"]).get(reverse("api-assessment", args=[assessment.pk])).status_code == 403
        )
    assessment.refresh_from_db()
    assert (assessment.stage, assessment.confirmation) == (Stage.PROPOSED, Confirmation.PENDING)


# --- Illegal transitions: 409 with a message -----------------------------------------------------


def test_deciding_again_after_publication_is_a_conflict(rounds):
    _publicity, (assessment,) = published(rounds, 1)
    office = client_for(rounds["xiehe_office"])
    with at(datetime.datetime(2026, 4, 30, 9, tzinfo=SHANGHAI)):
        again = office.post(reverse("api-assessment-decision", args=[assessment.pk]), {"admit": False}, "json")
        review = client_for(rounds["xiehe_staff"]).post(
            reverse("api-application-qualification", args=[assessment.application_id]), {"passed": True}, "json"
        )
    assert again.status_code == 409 and again.json()["code"] == "published"
    assert "公示" in again.json()["detail"]
    # Proposed → qualified is no transition of the state machine.
    assert review.status_code == 409 and review.json()["code"] == "illegal_transition"
    assert "拟录取" in review.json()["detail"]
    assert Assessment.objects.get(pk=assessment.pk).stage == Stage.PROPOSED


def test_confirming_after_publicity_is_a_conflict_and_a_decline_is_final(rounds):
    _publicity, (first, second) = published(rounds, 1, 2)
    url = reverse("api-my-assessment-confirm", args=[first.pk])
    with at(AFTER_PUBLICITY):
        late = client_for(first.application.applicant.user).post(url, {"accept": True}, "json")
    assert late.status_code == 409 and late.json()["code"] == "publicity_ended"
    assert "公示期已结束" in late.json()["detail"]
    declining = client_for(second.application.applicant.user)
    url = reverse("api-my-assessment-confirm", args=[second.pk])
    with at(DURING_PUBLICITY):
        assert declining.post(url, {"accept": False}, "json").json()["stage"] == "declined"
        again = declining.post(url, {"accept": True}, "json")
    assert again.status_code == 409 and again.json()["detail"]


def test_scores_out_of_range_are_refused_with_400(rounds):
    application = choose(rounds, 1)
    staff = client_for(rounds["xiehe_staff"])
    with at(ASSESSING):
        assessment = review_qualification(actor=rounds["xiehe_staff"], application=application, passed=True)
        url = reverse("api-assessment-scores", args=[assessment.pk])
        for interview, exam in (("100.5", "80"), ("-1", "80"), ("88.55", "80"), ("80", "abc"), ("80", 1000)):
            answer = staff.post(url, {"interview_score": interview, "exam_score": exam}, "json")
            assert answer.status_code == 400, (interview, exam, answer.content)
            field = "interview_score" if interview != "80" else "exam_score"
            assert "0 到 100" in answer.json()[field][0]
        bad_mode = staff.post(url, {"interview_score": 80, "exam_score": 80, "interview_mode": "phone"}, "json")
        assert bad_mode.status_code == 400 and "interview_mode" in bad_mode.json()
        assert staff.post(url, {"interview_score": "100", "exam_score": "0.0"}, "json").status_code == 200
    assessment.refresh_from_db()
    assert (str(assessment.interview_score), str(assessment.exam_score)) == ("100.0", "0.0")


# --- Publicity and objections --------------------------------------------------------------------


def test_the_public_publicity_list_never_shows_a_full_id_number(rounds):
    publicity, assessments = published(rounds, 1, 2)
    numbers = [a.application.applicant.id_number for a in assessments]
    anonymous = client_for()
    with at(DURING_PUBLICITY):
        listing = anonymous.get(reverse("api-publicity-lists"))
        detail = anonymous.get(reverse("api-publicity-list", args=[publicity.pk]))
    assert listing.status_code == 200 and detail.status_code == 200
    assert listing.json()["results"][0]["entry_count"] == 2 and listing.json()["results"][0]["is_public"]
    shown = {entry["name"]: entry["id_number"] for entry in detail.json()["entries"]}
    assert shown == {"申请人1": mask_id_number(numbers[0]), "申请人2": mask_id_number(numbers[1])}
    for number in numbers:
        assert number not in listing.content.decode() and number not in detail.content.decode()
        assert number[6:14] not in detail.content.decode()  # not even the birth date
    with at(AFTER_PUBLICITY):
        assert anonymous.get(reverse("api-publicity-list", args=[publicity.pk])).json()["is_public"] is False


def test_an_objection_is_raised_signed_in_and_handled_by_the_base(rounds):
    publicity, (assessment,) = published(rounds, 1)
    entry = PublicityEntry.objects.get(publicity_list=publicity)
    url = reverse("api-publicity-entry-objections", args=[entry.pk])
    with at(DURING_PUBLICITY):
        assert client_for().post(url, {"contact": "13900000000", "text": "学历存疑"}, "json").status_code == 403
        assert client_for(rounds["applicant"]).post(url, {"contact": "", "text": "x"}, "json").status_code == 400
        raised = client_for(rounds["applicant"]).post(url, {"contact": "13900000000", "text": "学历存疑"}, "json")
        assert raised.status_code == 201 and raised.json()["status"] == "open"
        objection_id = raised.json()["id"]
        handle = reverse("api-objection-handle", args=[objection_id])
        decision = {"sustained": True, "note": "经核实学历造假"}
        assert client_for(rounds["tongji_office"]).post(handle, decision, "json").status_code == 403
        assert client_for(rounds["xiehe_staff"]).post(handle, decision, "json").status_code == 403
        handled = client_for(rounds["xiehe_office"]).post(handle, decision, "json")
        assert handled.status_code == 200 and handled.json()["status"] == "sustained"
        again = client_for(rounds["xiehe_office"]).post(handle, {"sustained": False, "note": "重复"}, "json")
        assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
        mine = client_for(rounds["applicant"]).get(reverse("api-objections")).json()["results"]
    assert [o["id"] for o in mine] == [objection_id]
    assert Assessment.objects.get(pk=assessment.pk).stage == Stage.REMOVED
    change = PublicityList.objects.get(kind=PublicityKind.CHANGE)
    assert change.last_day > publicity.last_day
    with at(AFTER_PUBLICITY):
        late = client_for(rounds["applicant"]).post(url, {"contact": "13900000000", "text": "再议"}, "json")
    assert late.status_code == 409 and late.json()["code"] == "publicity_ended"


# --- Round 2 invitations -------------------------------------------------------------------------


def test_two_bases_invite_the_applicant_sees_shortage_first_and_accepts_one(rounds):
    rounds["campaign"].shortage_specialties.add(rounds["tongji_internal"].specialty)
    application = choose(rounds, 1)
    with at(ASSESSING):
        assessment = review_qualification(actor=rounds["xiehe_staff"], application=application, passed=True)
        decide_admission(actor=rounds["xiehe_office"], assessment=assessment, admit=False)
    applicant = application.applicant
    with at(ROUND2):
        xiehe = client_for(rounds["xiehe_office"]).post(
            reverse("api-invitations"),
            {"applicant": applicant.pk, "specialty_base": rounds["surgery"].pk, "message": "6月20日复试"},
            format="json",
        )
        assert xiehe.status_code == 201, xiehe.content
        foreign = client_for(rounds["tongji_office"]).post(
            reverse("api-invitations"), {"applicant": applicant.pk, "specialty_base": rounds["surgery"].pk}, "json"
        )
        assert foreign.status_code == 403
        staff = client_for(rounds["xiehe_staff"]).post(
            reverse("api-invitations"), {"applicant": applicant.pk, "specialty_base": rounds["surgery"].pk}, "json"
        )
        assert staff.status_code == 403
        tongji = client_for(rounds["tongji_office"]).post(
            reverse("api-invitations"),
            {"applicant": applicant.pk, "specialty_base": rounds["tongji_internal"].pk},
            format="json",
        )
        assert tongji.status_code == 201
        assert client_for(rounds["xiehe_office"]).get(reverse("api-invitations")).json()["count"] == 1
        me = client_for(applicant.user)
        seen = me.get(reverse("api-my-invitations")).json()["results"]
        assert [(row["training_base_name"], row["is_shortage"]) for row in seen] == [
            ("同济医院", True),
            ("协和医院", False),
        ]
        assert client_for(rounds["applicant"]).post(
            reverse("api-my-invitation-accept", args=[seen[0]["id"]])
        ).status_code in (403, 404)
        accepted = me.post(reverse("api-my-invitation-accept", args=[seen[0]["id"]]))
        assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
        other = me.post(reverse("api-my-invitation-accept", args=[seen[1]["id"]]))
        assert other.status_code == 409
    statuses = dict(Invitation.objects.values_list("specialty_base__training_base__name", "status"))
    assert statuses == {"同济医院": InvitationStatus.ACCEPTED, "协和医院": InvitationStatus.DECLINED}
    assert applicant.applications.get(round=2).specialty_base == rounds["tongji_internal"]


def test_declining_an_invitation(rounds):
    application = choose(rounds, 1)
    with at(ASSESSING):
        assessment = review_qualification(actor=rounds["xiehe_staff"], application=application, passed=True)
        decide_admission(actor=rounds["xiehe_office"], assessment=assessment, admit=False)
    with at(ROUND2):
        invited = client_for(rounds["xiehe_office"]).post(
            reverse("api-invitations"),
            {"applicant": application.applicant_id, "specialty_base": rounds["surgery"].pk},
            format="json",
        )
        me = client_for(application.applicant.user)
        declined = me.post(reverse("api-my-invitation-decline", args=[invited.json()["id"]]))
        again = me.post(reverse("api-my-invitation-accept", args=[invited.json()["id"]]))
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    missing = client_for(rounds["xiehe_office"]).post(
        reverse("api-invitations"), {"applicant": 999999, "specialty_base": rounds["surgery"].pk}, "json"
    )
    assert missing.status_code == 400 and "applicant" in missing.json()


# --- Query counts --------------------------------------------------------------------------------


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return len(queries)


def test_assessment_list_queries_stay_flat_and_the_ranking_follows_the_composite(rounds):
    office = client_for(rounds["xiehe_office"])
    bulk_candidates(rounds["campaign"], rounds["internal"], 5)
    bulk_candidates(rounds["campaign"], rounds["surgery"], 5, scored=False)
    small = _queries(office, reverse("api-assessments"))
    bulk_candidates(rounds["campaign"], rounds["internal"], 150)
    bulk_candidates(rounds["campaign"], rounds["surgery"], 40, scored=False)
    assert _queries(office, reverse("api-assessments")) == small
    assert _queries(office, reverse("api-assessments"), {"page": 2}) == small
    body = office.get(reverse("api-assessments"), {"specialty_base": rounds["internal"].pk}).json()
    assert body["count"] == 155
    composites = [row["composite"] for row in body["results"]]
    assert [row["rank"] for row in body["results"]] == list(range(1, 101))
    assert composites == sorted(composites, key=float, reverse=True)
    surgery = office.get(reverse("api-assessments"), {"specialty_base": rounds["surgery"].pk}).json()
    assert {row["rank"] for row in surgery["results"]} == {None}
    assert office.get(reverse("api-assessments"), {"stage": "flying"}).status_code == 400
    assert office.get(reverse("api-assessments"), {"round": "3"}).status_code == 400
    assert client_for(rounds["tongji_office"]).get(reverse("api-assessments")).json()["count"] == 0


def test_publicity_lists_and_their_entries_stay_flat(rounds):
    anonymous = client_for()
    campaign, office = rounds["campaign"], rounds["xiehe_office"]

    def publish(count):
        with at(PUBLISHING):
            bulk_candidates(campaign, rounds["internal"], count, stage=Stage.PROPOSED)
            return publish_list(actor=office, campaign=campaign, training_base=rounds["xiehe"], round_number=1)

    first = publish(3)
    lists_small = _queries(anonymous, reverse("api-publicity-lists"))
    detail_small = _queries(anonymous, reverse("api-publicity-list", args=[first.pk]))
    for _ in range(5):
        last = publish(40)
    assert _queries(anonymous, reverse("api-publicity-lists")) == lists_small
    assert _queries(anonymous, reverse("api-publicity-list", args=[last.pk])) == detail_small


def test_invitation_and_objection_lists_stay_flat(rounds):
    applicant = complete_applicant(1)
    campaign, office = rounds["campaign"], rounds["xiehe_office"]

    def invite(count):
        specialties = [factories.specialty(f"2{next(_codes)}") for _ in range(count)]
        bases = [factories.specialty_base(rounds["xiehe"], specialty) for specialty in specialties]
        Invitation.objects.bulk_create(
            [
                Invitation(campaign=campaign, specialty_base=base, applicant=applicant, invited_by=office)
                for base in bases
            ]
        )

    invite(2)
    me, xiehe = client_for(applicant.user), client_for(office)
    small = (_queries(me, reverse("api-my-invitations")), _queries(xiehe, reverse("api-invitations")))
    invite(30)
    assert (_queries(me, reverse("api-my-invitations")), _queries(xiehe, reverse("api-invitations"))) == small

    publicity, _assessments = published(rounds, 2)
    entry = publicity.entries.get()
    with at(DURING_PUBLICITY):
        raise_objection(actor=rounds["applicant"], entry=entry, contact="13900000000", text="异议")
        small = _queries(xiehe, reverse("api-objections"))
        # Thirty more, from thirty people (one person may object to one candidate only three times).
        Objection.objects.bulk_create(
            Objection(entry=entry, raised_by=factories.user(Role.APPLICANT), contact="13900000000", text=f"异议{n}")
            for n in range(30)
        )
        assert _queries(xiehe, reverse("api-objections")) == small
    assert Objection.objects.count() == 31


def test_the_schema_documents_the_round_endpoints(client, db):
    schema = client.get(reverse("api-schema")).content.decode()
    for path in (
        "/api/v1/assessments/",
        "/api/v1/assessments/{id}/decision/",
        "/api/v1/publicity-lists/{id}/",
        "/api/v1/me/assessments/{id}/confirm/",
        "/api/v1/me/invitations/{id}/accept/",
        "/api/v1/admissions/verify/",
    ):
        assert path in schema


def test_roles_see_their_own_scope_of_assessments(rounds):
    choose(rounds, 1)
    application = choose(rounds, 2, base="surgery")
    with at(ASSESSING):
        review_qualification(actor=rounds["xiehe_office"], application=application, passed=True)
    internal_staff = rounds["xiehe_staff"]
    assert internal_staff.role == Role.SPECIALTY_BASE_STAFF
    assert client_for(internal_staff).get(reverse("api-assessments")).json()["count"] == 0  # surgery is not its base
    assert client_for(rounds["xiehe_office"]).get(reverse("api-assessments")).json()["count"] == 1
    assert client_for(rounds["province"]).get(reverse("api-assessments")).json()["count"] == 1
    assert client_for(rounds["hunan_province"]).get(reverse("api-assessments")).json()["count"] == 0


def test_my_assessments_stay_flat(rounds):
    (first,) = bulk_candidates(rounds["campaign"], rounds["internal"], 1)
    applicant = first.application.applicant

    def more(count):
        bases = [
            factories.specialty_base(rounds["xiehe"], factories.specialty(f"3{next(_codes)}")) for _ in range(count)
        ]
        applications = Application.objects.bulk_create(
            [
                Application(
                    applicant=applicant,
                    campaign=rounds["campaign"],
                    round=1,
                    specialty_base=base,
                    status=ApplicationStatus.CHANGED,
                )
                for base in bases
            ]
        )
        Assessment.objects.bulk_create(
            [Assessment(application=a, specialty_base=a.specialty_base, stage=Stage.DISQUALIFIED) for a in applications]
        )

    me = client_for(applicant.user)
    small = _queries(me, reverse("api-my-assessments"))
    more(12)
    assert _queries(me, reverse("api-my-assessments")) == small
    assert me.get(reverse("api-my-assessments")).json()["count"] == 13
