"""Issue 11, items 1–5 and 13: the rules of notice 004 that a provincial office checks first — a ban
takes effect at once (四(四)), round 2 is for those not admitted and one person holds one place
(三(四)1), a no-show is sanctioned like a withdrawal (四(四)), assigned rural order-oriented
graduates stay out of the rounds (二(三)3), the lists' deadlines (三(三)3, 三(四)3), and only the
applicant or the province ends an admission."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from admissions.models import (
    Admission,
    AdmissionStatus,
    Application,
    Assessment,
    DirectEntry,
    IntegrityCase,
    IntegrityCaseKind,
    IntegrityCaseStatus,
    Invitation,
    Stage,
)
from admissions.services.admission import admit_due
from admissions.services.applicants import InvalidInput, update_profile
from admissions.services.assessments import decide_admission, record_scores, review_qualification
from admissions.services.choices import NotEligible, submit_choice
from admissions.services.entries import assign_rural_order_graduate
from admissions.services.invitations import accept_invitation, invite_applicant
from admissions.services.publicity import confirm_offer, publish_list
from admissions.services.reporting import (
    decide_integrity_case,
    disqualify_no_shows,
    record_withdrawal_statement,
    withdraw_after_admission,
)
from admissions.services.round_close import propose_ranked
from bases.services.quotas import do_set_quota
from policy.identity import make_resident_id
from policy.models import Sanction
from portal.errors import DomainError
from portal.models import Role
from tests import factories
from tests.applicant_helpers import PDF, complete_applicant
from tests.concurrency import run_together
from tests.round_helpers import at, proposed_in_round1


@pytest.fixture
def admitted(world, people):
    """申请人1, admitted in round 1 of 2026 to Xiehe's internal medicine."""
    assessment = proposed_in_round1(world, people)
    with at(2026, 5, 6, 9):
        confirm_offer(actor=assessment.application.applicant.user, assessment=assessment, accept=True)
    with at(2026, 5, 13, 9):
        admit_due()
    return Admission.objects.get()


@pytest.fixture
def plan(world):
    campaign = world["hubei_campaign"]
    for base in ("xiehe_internal", "tongji_internal"):
        do_set_quota(actor=None, campaign=campaign, specialty_base=world[base], places=3)
    return campaign


def choose(applicant, campaign, specialty_base):
    return submit_choice(
        actor=applicant.user, applicant=applicant, campaign=campaign, specialty_base=specialty_base
    ).application


def scored_round2_candidate(applicant, campaign, specialty_base, staff):
    """A round-2 choice at `specialty_base`, qualified and scored on 16 June."""
    with at(2026, 6, 2, 9):
        application = choose(applicant, campaign, specialty_base)
    with at(2026, 6, 16, 9):
        assessment = review_qualification(actor=staff, application=application, passed=True)
        return record_scores(
            actor=staff, assessment=assessment, interview_score=80, exam_score=80, interview_mode="video"
        )


# 1. 四(四): a ban takes effect at once ------------------------------------------------------------


def test_a_resident_who_gives_up_a_round1_place_cannot_file_a_round2_choice(admitted, world, plan):
    applicant = admitted.assessment.application.applicant
    with at(2026, 6, 8, 10):
        withdraw_after_admission(actor=applicant.user, admission=admitted, reason="个人原因")
    with at(2026, 6, 9, 10), pytest.raises(NotEligible) as refused:
        choose(applicant, plan, world["tongji_internal"])
    clauses = {reason.clause for reason in refused.value.reasons}
    assert "四(四)" in clauses
    assert "2026年度" in refused.value.message and "2029年度" in refused.value.message


def test_the_same_ban_bars_another_account_of_the_person_in_the_same_campaign(admitted, world, plan, hubei):
    """The ban is matched by identity document: a new registration in round 2 is refused too."""
    applicant = admitted.assessment.application.applicant
    with at(2026, 6, 8, 10):
        withdraw_after_admission(actor=applicant.user, admission=admitted, reason="个人原因")
    # The person's ID moves to a fresh account (as after an approved recovery); the ban follows it.
    number = applicant.id_number
    Applicant = type(applicant)
    Applicant.objects.filter(pk=applicant.pk).update(id_number="")
    fresh = complete_applicant(42)
    Applicant.objects.filter(pk=fresh.pk).update(id_number=number)
    fresh.refresh_from_db()
    with at(2026, 6, 9, 10), pytest.raises(NotEligible) as refused:
        choose(fresh, plan, world["tongji_internal"])
    assert [reason.clause for reason in refused.value.reasons] == ["四(四)"]


# 2. 三(四)1: round 2 is for those not admitted; one person, one place ---------------------------


def test_a_candidate_proposed_in_round1_cannot_file_a_round2_choice(world, people, plan):
    assessment = proposed_in_round1(world, people)
    applicant = assessment.application.applicant
    with at(2026, 6, 2, 9), pytest.raises(NotEligible) as refused:
        choose(applicant, plan, world["tongji_internal"])
    assert "三(四)1" in {reason.clause for reason in refused.value.reasons}
    assert not Application.objects.filter(applicant=applicant, round=2).exists()


def test_an_admitted_candidate_cannot_accept_a_round2_invitation(admitted, world, people):
    applicant = admitted.assessment.application.applicant
    invitation = Invitation.objects.create(
        campaign=world["hubei_campaign"],
        specialty_base=world["tongji_internal"],
        applicant=applicant,
        invited_by=people["tongji_office"],
    )
    with at(2026, 6, 3, 9), pytest.raises(DomainError):
        accept_invitation(actor=applicant.user, invitation=invitation)
    assert not Application.objects.filter(applicant=applicant, round=2).exists()


def _second_place_candidate(world, people, plan):
    """A round-1 proposal at Xiehe and — filed before the rule existed — a scored round-2
    assessment of the same person at Tongji."""
    first = proposed_in_round1(world, people)
    applicant = first.application.applicant
    application = Application.objects.create(
        applicant=applicant, campaign=plan, round=2, specialty_base=world["tongji_internal"]
    )
    return Assessment.objects.create(
        application=application,
        specialty_base=world["tongji_internal"],
        stage=Stage.QUALIFIED,
        interview_score=88,
        exam_score=88,
    )


def test_a_round2_candidate_holding_a_round1_place_is_not_proposed(world, people, plan):
    second = _second_place_candidate(world, people, plan)
    with at(2026, 6, 20, 9):
        with pytest.raises(DomainError) as refused:
            decide_admission(actor=people["tongji_office"], assessment=second, admit=True)
        assert "三(四)1" in refused.value.message
        assert (
            propose_ranked(actor=people["tongji_office"], campaign=plan, training_base=world["tongji"], round_number=2)
            == []
        )
    second.refresh_from_db()
    assert second.stage == Stage.QUALIFIED


def test_the_database_refuses_a_second_place_for_one_person(world, people, plan):
    second = _second_place_candidate(world, people, plan)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=second.pk).update(stage=Stage.PROPOSED)


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are checked on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_bases_proposing_one_person_at_once_give_one_place(world, people, plan):
    applicant = complete_applicant(5)
    assessments = []
    for n, base in enumerate((world["xiehe_internal"], world["tongji_internal"])):
        application = Application.objects.create(
            applicant=applicant, campaign=plan, round=2, specialty_base=base, status="active" if n else "changed"
        )
        assessments.append(
            Assessment.objects.create(
                application=application, specialty_base=base, stage=Stage.QUALIFIED, interview_score=80, exam_score=80
            )
        )
    offices = [people["xiehe_office"], people["tongji_office"]]
    outcomes = []

    def propose(index):
        with at(2026, 6, 20, 9):
            try:
                decide_admission(actor=offices[index], assessment=assessments[index], admit=True)
                outcomes.append("proposed")
            except DomainError as error:
                outcomes.append(error.code)

    run_together([0, 1], propose)
    assert sorted(outcomes) == ["not_placeable", "proposed"]
    assert Assessment.objects.filter(applicant=applicant, stage=Stage.PROPOSED).count() == 1


# 3. 四(四): a no-show is sanctioned like a withdrawal ---------------------------------------------


def test_a_no_show_waits_for_the_province_and_is_banned_unless_force_majeure(admitted, people, client):
    with at(2026, 9, 16, 0, 30):
        assert disqualify_no_shows() == 1
    case = IntegrityCase.objects.get(admission=admitted)
    assert (case.kind, case.status) == (IntegrityCaseKind.NO_SHOW, IntegrityCaseStatus.PENDING)
    client.force_login(people["province"])
    page = client.get(reverse("integrity")).content.decode()
    assert "申请人1" in page and "无故逾期未报到" in page
    client.post(reverse("integrity-decide", args=[admitted.pk]), {"reason": "未提供任何不可抗力证明"})
    case.refresh_from_db()
    assert case.status == IntegrityCaseStatus.BANNED
    sanction = Sanction.objects.get()
    assert (sanction.kind, sanction.id_number) == ("ban", admitted.assessment.application.applicant.id_number)


def test_a_no_show_with_force_majeure_accepted_is_not_banned(admitted, people):
    with at(2026, 9, 16, 0, 30):
        disqualify_no_shows()
    decide_integrity_case(actor=people["province"], admission=admitted, force_majeure=True, reason="地震灾区，属实")
    assert IntegrityCase.objects.get().status == IntegrityCaseStatus.FORCE_MAJEURE
    assert not Sanction.objects.exists()
    with pytest.raises(DomainError):  # decided once
        decide_integrity_case(actor=people["province"], admission=admitted, force_majeure=False, reason="再议")


# 4. 二(三)3: assigned rural order-oriented graduates take no part in the rounds -----------------


RURAL_ID = make_resident_id("421002", datetime.date(2002, 8, 8), 11)


def assign(people, world):
    with at(2026, 3, 30, 9):
        return assign_rural_order_graduate(
            actor=people["province"],
            quota=do_set_quota(
                actor=None, campaign=world["hubei_campaign"], specialty_base=world["xiehe_internal"], places=3
            ),
            full_name="订单甲",
            id_type="resident_id",
            id_number=RURAL_ID,
            school="湖北医药学院",
            agreement_region="荆州市",
        )


def test_an_assigned_graduate_cannot_register_as_another_type(world, people):
    applicant = complete_applicant(9)
    assign(people, world)
    with at(2026, 4, 9, 9), pytest.raises(InvalidInput) as refused:
        update_profile(actor=applicant.user, applicant=applicant, id_type="resident_id", id_number=RURAL_ID)
    assert "二(三)3" in refused.value.message


def test_an_assigned_graduate_cannot_choose(world, people, plan):
    applicant = complete_applicant(9)
    type(applicant).objects.filter(pk=applicant.pk).update(id_number=RURAL_ID)  # registered before the assignment
    applicant.refresh_from_db()
    assign(people, world)
    with at(2026, 4, 10, 9), pytest.raises(NotEligible) as refused:
        choose(applicant, plan, world["tongji_internal"])
    assert "二(三)3" in {reason.clause for reason in refused.value.reasons}


def test_an_assignment_withdraws_the_choice_and_the_graduate_cannot_be_proposed(world, people, plan):
    applicant = complete_applicant(9)
    type(applicant).objects.filter(pk=applicant.pk).update(id_number=RURAL_ID)
    applicant.refresh_from_db()
    with at(2026, 4, 10, 9):
        application = choose(applicant, plan, world["tongji_internal"])
    staff = factories.user(Role.SPECIALTY_BASE_STAFF, specialty_base=world["tongji_internal"])
    with at(2026, 4, 27, 9):
        assessment = review_qualification(actor=staff, application=application, passed=True)
        record_scores(actor=staff, assessment=assessment, interview_score=90, exam_score=90, interview_mode="on_site")
    assign(people, world)
    application.refresh_from_db()
    assert application.status == "withdrawn"
    with at(2026, 4, 28, 9):
        with pytest.raises(DomainError) as refused:
            decide_admission(actor=people["tongji_office"], assessment=assessment, admit=True)
        assert "二(三)3" in refused.value.message
    assert DirectEntry.objects.get().full_name == "订单甲"


def test_a_person_holding_a_place_in_the_rounds_cannot_be_assigned(world, people):
    assessment = proposed_in_round1(world, people)
    applicant = assessment.application.applicant
    with at(2026, 5, 2, 9), pytest.raises(DomainError) as refused:
        assign_rural_order_graduate(
            actor=people["province"],
            quota=do_set_quota(
                actor=None, campaign=world["hubei_campaign"], specialty_base=world["tongji_internal"], places=2
            ),
            full_name=applicant.full_name,
            id_type=applicant.id_type,
            id_number=applicant.id_number,
            school="湖北医药学院",
            agreement_region="荆州市",
        )
    assert refused.value.code == "holds_place"
    assert not DirectEntry.objects.exists()


# 5. 三(三)3 / 三(四)3: the lists' deadlines, and invitations through the round-2 assessment ----------


def test_a_round1_list_cannot_be_first_published_after_its_date(world, people, client, plan):
    applicant = complete_applicant(3)
    with at(2026, 4, 10, 9):
        application = choose(applicant, plan, world["xiehe_internal"])
    with at(2026, 5, 20, 9):
        assessment = review_qualification(actor=people["xiehe_staff"], application=application, passed=True)
        record_scores(
            actor=people["xiehe_staff"],
            assessment=assessment,
            interview_score=90,
            exam_score=90,
            interview_mode="video",
        )
        decide_admission(actor=people["xiehe_office"], assessment=assessment, admit=True)
    office = people["xiehe_office"]
    with at(2026, 6, 1, 9):
        with pytest.raises(DomainError) as refused:
            publish_list(actor=office, campaign=plan, training_base=world["xiehe"], round_number=1)
        assert "2026年05月31日" in refused.value.message
        client.force_login(office)
        page = client.get(reverse("round-candidates", args=[1]), {"specialty_base": world["xiehe_internal"].pk})
        assert "第一批次拟录取名单发布已于5月31日 24时结束，不能再发布。" in page.content.decode()
    with at(2026, 5, 31, 23, 50):
        assert publish_list(actor=office, campaign=plan, training_base=world["xiehe"], round_number=1)


def test_a_round2_list_cannot_be_published_after_30_june(world, people, plan):
    applicant = complete_applicant(4)
    assessment = scored_round2_candidate(applicant, plan, world["xiehe_internal"], people["xiehe_staff"])
    with at(2026, 6, 20, 9):
        decide_admission(actor=people["xiehe_office"], assessment=assessment, admit=True)
    with at(2026, 7, 1, 0, 0), pytest.raises(DomainError) as refused:
        publish_list(actor=people["xiehe_office"], campaign=plan, training_base=world["xiehe"], round_number=2)
    assert refused.value.code == "publicity_deadline_passed"
    with at(2026, 6, 30, 23, 59):
        publish_list(actor=people["xiehe_office"], campaign=plan, training_base=world["xiehe"], round_number=2)


def test_invitations_run_until_the_round2_publicity_date(world, people, plan):
    applicant = complete_applicant(6)
    with at(2026, 4, 10, 9):
        choose(applicant, plan, world["tongji_internal"])  # took part in round 1, not admitted
    office = people["xiehe_office"]
    with at(2026, 6, 20, 9):
        invitation = invite_applicant(
            actor=office, applicant=applicant, campaign=plan, specialty_base=world["xiehe_internal"]
        )
        accept_invitation(actor=applicant.user, invitation=invitation)
    assert Application.objects.get(applicant=applicant, round=2).specialty_base == world["xiehe_internal"]
    other = complete_applicant(7)
    with at(2026, 4, 10, 9):
        choose(other, plan, world["tongji_internal"])
    with at(2026, 7, 1, 9), pytest.raises(DomainError) as refused:
        invite_applicant(actor=office, applicant=other, campaign=plan, specialty_base=world["xiehe_internal"])
    assert "06月30日" in refused.value.message


# 13. Only the applicant, or the province, ends an admission ---------------------------------------


def test_an_office_cannot_give_up_a_place_for_the_applicant(admitted, people, client):
    with pytest.raises(PermissionDenied):
        withdraw_after_admission(actor=people["xiehe_office"], admission=admitted, reason="学员电话告知放弃")
    client.force_login(people["xiehe_office"])
    response = client.post(reverse("admission-withdraw", args=[admitted.pk]), {"reason": "学员电话告知放弃"})
    assert response.status_code == 403
    admitted.refresh_from_db()
    assert admitted.status == AdmissionStatus.ADMITTED


def statement_pdf():
    return SimpleUploadedFile("声明.pdf", PDF)


def test_an_offices_statement_goes_to_the_province_which_decides(admitted, people, client):
    client.force_login(people["xiehe_office"])
    with at(2026, 6, 10, 9):
        client.post(
            reverse("reporting-statement", args=[admitted.pk]),
            {"statement": "学员书面声明放弃录取", "document": statement_pdf()},
        )
        assert "待省级认定" in client.get(reverse("reporting")).content.decode()
    admitted.refresh_from_db()
    assert admitted.status == AdmissionStatus.ADMITTED  # the office ended nothing
    case = IntegrityCase.objects.get()
    assert (case.kind, case.opened_by) == (IntegrityCaseKind.WITHDRAWAL_STATEMENT, people["xiehe_office"])
    client.force_login(people["province"])
    assert client.get(reverse("integrity-document", args=[case.pk])).status_code == 200
    client.post(reverse("integrity-decide", args=[admitted.pk]), {"reason": "本人签字属实，非不可抗力"})
    admitted.refresh_from_db()
    assert admitted.status == AdmissionStatus.WITHDRAWN
    assert Sanction.objects.get().kind == "ban"


def test_the_province_may_return_a_statement_and_the_admission_stands(admitted, people):
    record_withdrawal_statement(
        actor=people["xiehe_office"], admission=admitted, statement="学员书面声明放弃", document=statement_pdf()
    )
    decide_integrity_case(
        actor=people["province"],
        admission=admitted,
        force_majeure=False,
        reason="声明非本人签字",
        statement_upheld=False,
    )
    admitted.refresh_from_db()
    assert admitted.status == AdmissionStatus.ADMITTED
    assert IntegrityCase.objects.get().status == IntegrityCaseStatus.RETURNED
    assert not Sanction.objects.exists()


def test_a_statement_needs_the_signed_document_and_another_office_cannot_file_it(admitted, people):
    with pytest.raises(DomainError) as refused:
        record_withdrawal_statement(
            actor=people["xiehe_office"], admission=admitted, statement="学员放弃", document=None
        )
    assert refused.value.status == 400
    with pytest.raises(PermissionDenied):
        record_withdrawal_statement(
            actor=people["tongji_office"], admission=admitted, statement="学员放弃", document=statement_pdf()
        )
    assert not IntegrityCase.objects.exists()
