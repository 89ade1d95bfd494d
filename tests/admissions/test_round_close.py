"""Closing round 1 at a training base in bulk (admissions.services.round_close): the same proposals
as deciding one by one from the top of the ranking, never past the quota, with an audit event and
a notification per decision, and nothing new when run again."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from admissions.models import (
    Application,
    ApplicationStatus,
    Assessment,
    DirectEntry,
    PublicityEntry,
    PublicityList,
    Stage,
)
from admissions.selectors.places import places_taken
from admissions.selectors.rounds import candidate_sheet
from admissions.services.assessments import AssessmentClosed, decide_admission
from admissions.services.entries import QuotaFull
from admissions.services.round_close import close_round, propose_ranked
from bases.models import Quota
from bases.services.quotas import do_set_quota
from policy.choices import ApplicantType
from portal.errors import DomainError
from portal.models import AuditEvent, Notification
from tests import factories
from tests.concurrency import run_together
from tests.round_helpers import at, bulk_candidates

ASSESSING = (2026, 4, 27, 9)  # inside Hubei 2026's round-1 assessment window


def proposed_ranks(campaign, specialty_base):
    sheet = candidate_sheet(campaign=campaign, specialty_base=specialty_base, round_number=1)
    return [c.rank for c in sheet.ranking if c.stage == Stage.PROPOSED]


def test_same_proposals_as_deciding_one_by_one_from_the_top(world, people):
    campaign, office = world["hubei_campaign"], people["xiehe_office"]
    bulk_base = world["xiehe_internal"]
    by_hand = factories.specialty_base(world["xiehe"], factories.specialty("0900", "外科"))
    for base in (bulk_base, by_hand):
        do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=4)
        bulk_candidates(campaign, base, 9)
    with at(*ASSESSING):
        sheet = candidate_sheet(campaign=campaign, specialty_base=by_hand, round_number=1)
        with pytest.raises(QuotaFull):
            for candidate in sheet.ranking:
                decide_admission(actor=office, assessment=candidate.assessment, admit=True)
        proposed = propose_ranked(actor=office, campaign=campaign, training_base=world["xiehe"], round_number=1)

    assert proposed_ranks(campaign, bulk_base) == proposed_ranks(campaign, by_hand) == [1, 2, 3, 4]
    assert {a.specialty_base_id for a in proposed} == {bulk_base.pk}  # the other base was full already
    assert all(a.decided_by == office for a in Assessment.objects.filter(pk__in=[a.pk for a in proposed]))


def test_never_past_the_quota_counting_entries_and_earlier_proposals(world, people):
    campaign, office, base = world["hubei_campaign"], people["xiehe_office"], world["xiehe_internal"]
    quota = do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=5)
    DirectEntry.objects.create(
        campaign=campaign,
        quota=quota,
        kind=ApplicantType.PROFESSIONAL_MASTER,
        full_name="硕士甲",
        id_number="420102199901010011",
        school="武汉大学",
        entered_by=office,
    )
    bulk_candidates(campaign, base, 2, stage=Stage.PROPOSED)
    bulk_candidates(campaign, base, 6)
    with at(*ASSESSING):
        proposed = propose_ranked(actor=office, campaign=campaign, training_base=world["xiehe"], round_number=1)

    assert len(proposed) == 2  # 5 places: one master, two proposed earlier
    assert Assessment.objects.filter(specialty_base=base, stage__in=[Stage.PROPOSED, Stage.ADMITTED]).count() == 4


def test_tie_break_exam_then_interview_then_who_chose_first(world, people):
    campaign, office, base = world["hubei_campaign"], people["xiehe_office"], world["xiehe_internal"]
    do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=2)
    late, early, better_exam, better_interview = bulk_candidates(campaign, base, 4)
    scores = {
        late: (80, 80),
        early: (80, 80),
        better_exam: (79, 81),  # same composite 80.0, higher exam
        better_interview: (81, 79),  # same composite, lower exam
    }
    for assessment, (interview, exam) in scores.items():
        assessment.interview_score, assessment.exam_score = Decimal(interview), Decimal(exam)
        assessment.save()
    day = datetime.datetime(2026, 4, 12, 9, tzinfo=datetime.UTC)
    Application.objects.filter(pk=early.application_id).update(submitted_at=day)
    Application.objects.filter(pk=late.application_id).update(submitted_at=day + datetime.timedelta(minutes=1))
    with at(*ASSESSING):
        propose_ranked(actor=office, campaign=campaign, training_base=world["xiehe"], round_number=1)

    proposed = set(Assessment.objects.filter(stage=Stage.PROPOSED).values_list("pk", flat=True))
    assert proposed == {better_exam.pk, early.pk}


def test_each_decision_is_audited_and_notified(world, people):
    campaign, office, base = world["hubei_campaign"], people["xiehe_office"], world["xiehe_internal"]
    do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=3)
    bulk_candidates(campaign, base, 5)
    with at(*ASSESSING):
        proposed = propose_ranked(actor=office, campaign=campaign, training_base=world["xiehe"], round_number=1)

    events = AuditEvent.objects.filter(action="assessment.decision")
    assert sorted(int(e.object_id) for e in events) == sorted(a.pk for a in proposed)
    event = events.first()
    # The proposal names the version of the scoring formula its ranking used.
    assert (event.actor, event.before, event.after) == (
        office,
        {"stage": "qualified"},
        {"stage": "proposed", "formula": 1},
    )
    assert event.training_base_id == world["xiehe"].pk and event.province_id == world["hubei"].pk
    notified = Notification.objects.filter(kind="assessment.scores")
    assert sorted(n.recipient_id for n in notified) == sorted(a.application.applicant.user_id for a in proposed)
    assert "拟录取" in notified.first().subject


def test_close_publishes_the_list_and_a_second_close_changes_nothing(world, people):
    campaign, office, base = world["hubei_campaign"], people["xiehe_office"], world["xiehe_internal"]
    do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=3)
    bulk_candidates(campaign, base, 5)
    with at(*ASSESSING):
        first = close_round(actor=office, campaign=campaign, training_base=world["xiehe"], round_number=1)
        counts = (AuditEvent.objects.count(), Notification.objects.count())
        second = close_round(actor=office, campaign=campaign, training_base=world["xiehe"], round_number=1)

    assert len(first.proposed) == 3
    assert set(first.publicity_list.entries.values_list("assessment_id", flat=True)) == {a.pk for a in first.proposed}
    assert Notification.objects.filter(kind="publicity.started").count() == 3
    assert (second.proposed, second.publicity_list) == ([], None)
    assert (AuditEvent.objects.count(), Notification.objects.count()) == counts
    assert PublicityList.objects.count() == 1 and PublicityEntry.objects.count() == 3


def test_only_qualified_scored_active_candidates_are_proposed(world, people):
    campaign, office, base = world["hubei_campaign"], people["xiehe_office"], world["xiehe_internal"]
    do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=10)
    unscored = bulk_candidates(campaign, base, 1, scored=False)
    pending = bulk_candidates(campaign, base, 1, stage=Stage.PENDING_REVIEW)
    declined = bulk_candidates(campaign, base, 1, stage=Stage.NOT_ADMITTED)
    withdrawn = bulk_candidates(campaign, base, 1)
    Application.objects.filter(pk=withdrawn[0].application_id).update(status=ApplicationStatus.WITHDRAWN)
    eligible = bulk_candidates(campaign, base, 2)
    with at(*ASSESSING):
        proposed = propose_ranked(actor=office, campaign=campaign, training_base=world["xiehe"], round_number=1)

    assert {a.pk for a in proposed} == {a.pk for a in eligible}
    for left_alone in (unscored, pending, declined, withdrawn):
        assert Assessment.objects.get(pk=left_alone[0].pk).stage == left_alone[0].stage


def test_one_specialty_base_only_when_named(world, people):
    campaign, office = world["hubei_campaign"], people["xiehe_office"]
    surgery = factories.specialty_base(world["xiehe"], factories.specialty("0900", "外科"))
    for base in (world["xiehe_internal"], surgery):
        do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=2)
        bulk_candidates(campaign, base, 3)
    with at(*ASSESSING):
        proposed = propose_ranked(
            actor=office, campaign=campaign, training_base=world["xiehe"], round_number=1, specialty_base=surgery
        )

    assert {a.specialty_base_id for a in proposed} == {surgery.pk} and len(proposed) == 2


def test_only_the_base_office_and_only_in_the_assessment_window(world, people):
    campaign, base = world["hubei_campaign"], world["xiehe_internal"]
    do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=2)
    bulk_candidates(campaign, base, 3)
    with at(*ASSESSING):
        for actor in (people["xiehe_staff"], people["tongji_office"]):
            with pytest.raises((DomainError, PermissionDenied)):
                propose_ranked(actor=actor, campaign=campaign, training_base=world["xiehe"], round_number=1)
    with at(2026, 6, 1, 9), pytest.raises(AssessmentClosed):
        propose_ranked(actor=people["xiehe_office"], campaign=campaign, training_base=world["xiehe"], round_number=1)

    assert not Assessment.objects.filter(stage=Stage.PROPOSED).exists()
    assert Quota.objects.get(specialty_base=base).places == 2


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are checked on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_close_racing_single_decisions_never_passes_the_quota(world, people):
    campaign, office, base = world["hubei_campaign"], people["xiehe_office"], world["xiehe_internal"]
    quota = do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=5)
    candidates = bulk_candidates(campaign, base, 20)
    errors = []

    def act(item):
        try:
            if item == "close":
                close_round(actor=office, campaign=campaign, training_base=world["xiehe"], round_number=1)
            else:
                decide_admission(actor=office, assessment=item, admit=True)
        except DomainError:
            pass  # quota full, ranking changed, already proposed, published: each refused cleanly
        except Exception as error:
            errors.append(error)

    for attempt in range(3):
        PublicityEntry.objects.all().delete()
        PublicityList.objects.all().delete()
        Assessment.objects.filter(pk__in=[c.pk for c in candidates]).update(stage=Stage.QUALIFIED)
        with at(*ASSESSING):
            run_together(["close", *candidates[attempt::3][:8]], act)

        assert errors == [], attempt
        assert places_taken(Quota.objects.get(pk=quota.pk)) == 5, attempt


def test_the_office_proposes_in_ranking_order_from_its_page(client, world, people):
    campaign, base = world["hubei_campaign"], world["xiehe_internal"]
    do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=2)
    bulk_candidates(campaign, base, 4)
    page_url = reverse("round-candidates", args=[1]) + f"?specialty_base={base.pk}"
    client.force_login(people["xiehe_office"])
    with at(*ASSESSING):
        assert "Propose in ranking order" in client.get(page_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        response = client.post(reverse("round-propose-ranked", args=[1]), {"specialty_base": base.pk})

    assert response.status_code == 302 and response["Location"] == page_url
    assert [m.message for m in get_messages(response.wsgi_request)] == ["已按排名拟录取。", "本次拟录取 2 人。"]
    assert proposed_ranks(campaign, base) == [1, 2]

    client.force_login(people["xiehe_staff"])
    with at(*ASSESSING):
        assert client.post(reverse("round-propose-ranked", args=[1]), {"specialty_base": base.pk}).status_code == 403


def test_the_api_proposes_in_ranking_order_and_a_second_call_proposes_nobody(api, world, people):
    campaign, base = world["hubei_campaign"], world["xiehe_internal"]
    do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=2)
    bulk_candidates(campaign, base, 3)
    url = reverse("api-specialty-base-propose-ranked", args=[base.pk])
    with at(*ASSESSING):
        first = api(people["xiehe_office"]).post(url, {"round": 1}, format="json")
        second = api(people["xiehe_office"]).post(url, {"round": 1}, format="json")
        refused = api(people["tongji_office"]).post(url, {"round": 1}, format="json")
    with at(2026, 6, 1, 9):
        closed = api(people["xiehe_office"]).post(url, {"round": 1}, format="json")

    assert first.status_code == 200 and [row["stage"] for row in first.json()] == ["proposed", "proposed"]
    assert second.status_code == 200 and second.json() == []
    assert refused.status_code == 403
    assert closed.status_code == 409 and closed.json()["code"] == "assessment_closed"
    assert proposed_ranks(campaign, base) == [1, 2]
