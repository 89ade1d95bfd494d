import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from admissions.models import Admission, AdmissionStatus
from admissions.services.admission import admit_due
from admissions.services.choices import NotEligible, submit_choice
from admissions.services.publicity import confirm_offer
from admissions.services.reporting import (
    allow_late_reporting,
    cancel_for_fraud,
    decide_integrity_case,
    disqualify_no_shows,
    record_agreement,
    record_reporting,
    withdraw_after_admission,
)
from admissions.tasks import disqualify_no_shows as disqualify_task
from bases.services.quotas import do_set_quota
from policy.models import Sanction
from policy.rules.reporting import agreement_kind
from portal.errors import DomainError
from tests.applicant_helpers import complete_applicant
from tests.round_helpers import at, proposed_in_round1


@pytest.fixture
def admitted(world, people):
    """One resident admitted in round 1 of 2026 to Xiehe's internal medicine."""
    assessment = proposed_in_round1(world, people)
    applicant = assessment.application.applicant
    with at(2026, 5, 6, 9):
        confirm_offer(actor=applicant.user, assessment=assessment, accept=True)
    with at(2026, 5, 13, 9):
        admit_due()
    return Admission.objects.get()


def status(admission):
    admission.refresh_from_db()
    return admission.status


def test_no_show_is_disqualified_on_day_15_not_day_14(admitted):
    # Reporting by 1 September; two weeks later is 15 September; the place is lost from the 16th.
    with at(2026, 9, 15, 23, 59):
        assert disqualify_no_shows() == 0
    assert status(admitted) == AdmissionStatus.ADMITTED
    with at(2026, 9, 16, 0, 0):
        assert disqualify_task.apply().get() == 1
        assert disqualify_no_shows() == 0  # a second sweep changes nothing
    assert status(admitted) == AdmissionStatus.DISQUALIFIED


def test_an_approved_later_date_holds_off_the_sweep(admitted, people):
    with at(2026, 9, 10, 10):
        allow_late_reporting(
            actor=people["xiehe_office"],
            admission=admitted,
            until=datetime.date(2026, 9, 30),
            reason="住院治疗，附医院证明",
        )
    with at(2026, 9, 30, 12):
        assert disqualify_no_shows() == 0
    with at(2026, 10, 1, 0, 0):
        assert disqualify_no_shows() == 1


def test_reporting_and_the_agreement(admitted, people):
    office = people["xiehe_office"]
    with at(2026, 8, 28, 9):
        record_reporting(actor=office, admission=admitted, reported_on=datetime.date(2026, 8, 28))
        with pytest.raises(DomainError, match="不能早于报到日期"):
            record_agreement(actor=office, admission=admitted, signed_on=datetime.date(2026, 8, 20))
        record_agreement(actor=office, admission=admitted, signed_on=datetime.date(2026, 8, 28))
    assert status(admitted) == AdmissionStatus.REPORTED
    with at(2026, 9, 20, 9):
        assert disqualify_no_shows() == 0
    assert str(agreement_kind(admitted.assessment.application.applicant.applicant_type)) == "劳动合同"
    with pytest.raises(PermissionDenied):
        record_reporting(actor=people["tongji_office"], admission=admitted, reported_on=datetime.date(2026, 8, 28))


def test_the_agreement_deadline_is_the_campaigns(admitted, people, client):
    """A campaign giving 3 days, not the default week: signed on day 5 is late, and unsigned on
    day 4 is flagged on the office's page."""
    from policy.models import Campaign
    from portal.models import AuditEvent

    Campaign.objects.filter(pk=admitted.assessment.application.campaign_id).update(agreement_days=3)
    office = people["xiehe_office"]
    with at(2026, 8, 28, 9):
        record_reporting(actor=office, admission=admitted, reported_on=datetime.date(2026, 8, 28))
    client.force_login(office)
    with at(2026, 9, 1, 9):
        assert client.get("/office/reporting/").context["rows"][0]["agreement_overdue"] is True
        record_agreement(actor=office, admission=admitted, signed_on=datetime.date(2026, 9, 1))
    event = AuditEvent.objects.get(action="admission.agreement")
    assert event.after["late"] is True


def test_quitting_without_force_majeure_bars_the_person_for_three_years(admitted, world):
    applicant = admitted.assessment.application.applicant
    withdraw_after_admission(actor=applicant.user, admission=admitted, reason="个人原因")
    sanction = Sanction.objects.get()
    assert (sanction.kind, sanction.campaign_year, sanction.id_number) == ("ban", 2026, applicant.id_number)


def test_a_force_majeure_claim_waits_for_the_province(admitted, people):
    applicant = admitted.assessment.application.applicant
    withdraw_after_admission(actor=applicant.user, admission=admitted, reason="家乡遭遇洪灾", force_majeure=True)
    assert not Sanction.objects.exists()
    with pytest.raises(PermissionDenied):
        decide_integrity_case(actor=people["xiehe_office"], admission=admitted, force_majeure=True, reason="同意")
    decide_integrity_case(actor=people["province"], admission=admitted, force_majeure=False, reason="证明材料不能证实")
    assert Sanction.objects.get().kind == "ban"
    with pytest.raises(DomainError):
        decide_integrity_case(actor=people["province"], admission=admitted, force_majeure=True, reason="再次认定")


def test_fraud_cancels_the_admission(admitted, people):
    cancel_for_fraud(actor=people["province"], admission=admitted, reason="学历证书系伪造")
    assert status(admitted) == AdmissionStatus.CANCELLED
    assert Sanction.objects.get().kind == "cancellation"


def test_a_ban_from_2025_refuses_a_2026_choice_with_its_reason(world, hubei):
    applicant = complete_applicant(7)
    Sanction.objects.create(
        province=hubei,
        id_type=applicant.id_type,
        id_number=applicant.id_number,
        full_name=applicant.full_name,
        kind="ban",
        campaign_year=2025,
        reason="2025年录取后无故未报到",
    )
    do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=world["xiehe_internal"], places=2)
    with at(2026, 4, 10, 9), pytest.raises(NotEligible) as error:
        submit_choice(
            actor=applicant.user,
            applicant=applicant,
            campaign=world["hubei_campaign"],
            specialty_base=world["xiehe_internal"],
        )
    assert "四(四)" in error.value.message and "2025年度" in error.value.message and "2028年度" in error.value.message


def test_the_office_records_reporting_and_agreement_on_its_page(client, admitted, people):
    client.force_login(people["tongji_office"])
    assert "申请人1" not in client.get(reverse("reporting")).content.decode()
    client.force_login(people["xiehe_office"])
    with at(2026, 8, 30, 9):
        page = client.get(reverse("reporting")).content.decode()
        assert "申请人1" in page and "劳动合同" in page
        client.post(reverse("reporting-record", args=[admitted.pk]), {"day": "2026-08-30"})
        refused = client.post(reverse("reporting-agreement", args=[admitted.pk]), {"day": "2026-08-01"}, follow=True)
        assert "不能早于报到日期" in refused.content.decode()
    with at(2026, 9, 8, 9):
        assert "已超过一周" in client.get(reverse("reporting")).content.decode()
    assert status(admitted) == AdmissionStatus.REPORTED
    client.force_login(people["applicant"])
    assert client.get(reverse("reporting")).status_code == 403


def test_the_reporting_page_queries_stay_flat(client, admitted, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["xiehe_office"])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reporting"))
    assessment = admitted.assessment
    for n in range(5):
        clone = complete_applicant(20 + n)
        application = type(assessment.application).objects.create(
            applicant=clone, campaign=assessment.application.campaign, round=1, specialty_base=assessment.specialty_base
        )
        copy = type(assessment).objects.create(
            application=application, specialty_base=assessment.specialty_base, stage="admitted"
        )
        Admission.objects.create(assessment=copy, notice_number=f"N{n}", verification_code=f"C{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("reporting"))
    assert len(many) == len(few)


def test_the_province_decides_claims_and_cancels_for_fraud_on_its_page(client, admitted, people):
    applicant = admitted.assessment.application.applicant
    withdraw_after_admission(actor=applicant.user, admission=admitted, reason="家乡遭遇洪灾", force_majeure=True)
    client.force_login(people["xiehe_office"])
    assert client.get(reverse("integrity")).status_code == 403
    client.force_login(people["province"])
    assert "家乡遭遇洪灾" in client.get(reverse("integrity")).content.decode()
    client.post(reverse("integrity-decide", args=[admitted.pk]), {"accepted": "on", "reason": "灾情属实"})
    assert not Sanction.objects.exists()
    unknown = client.post(reverse("integrity"), {"notice_number": "NOPE", "reason": "伪造"}, follow=True)
    assert "没有该录取通知书编号" in unknown.content.decode()


def test_the_applicant_gives_up_the_place_on_the_offers_page(client, admitted):
    from portal.models import Notification

    applicant = admitted.assessment.application.applicant
    assert Notification.objects.filter(recipient=applicant.user, kind="assessment.scores").exists()
    client.force_login(applicant.user)
    with at(2026, 6, 1, 9):
        assert "放弃录取或退出培训" in client.get(reverse("offers")).content.decode()
        empty = client.post(reverse("admission-withdraw", args=[admitted.pk]), {"reason": ""}, follow=True)
        assert "请写明原因" in empty.content.decode()
        client.post(reverse("admission-withdraw", args=[admitted.pk]), {"reason": "已被其他单位录用"})
    assert status(admitted) == AdmissionStatus.WITHDRAWN
    assert Sanction.objects.get().kind == "ban"
