"""Issue 11, item 9 and the identity part of item 10: once proposed, listed or admitted, an applicant's
name and identity document change only through a correction the base office and the province approve,
with the full before and after kept in a restricted record, and public lists and notice checks say
so; a number held by another account is no oracle and has a recovery path through a base office."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from admissions.models import (
    Admission,
    Applicant,
    ClaimStatus,
    CorrectionStatus,
    IdentityClaim,
    IdentityCorrection,
    PublicityEntry,
)
from admissions.services.admission import admit_due
from admissions.services.applicants import IDENTITY_ATTEMPTS_PER_DAY, update_profile
from admissions.services.identity import (
    claim_identity_number,
    handle_identity_claim,
    request_identity_correction,
    review_identity_correction,
)
from admissions.services.publicity import confirm_offer
from policy.identity import make_resident_id
from portal.errors import DomainError
from portal.models import AuditEvent
from tests import factories
from tests.applicant_helpers import complete_applicant
from tests.round_helpers import at, proposed_in_round1

NEW_ID = make_resident_id("420102", datetime.date(2001, 3, 9), 77)


@pytest.fixture
def listed(world, people):
    """申请人1, proposed by Xiehe and on its round-1 list (published 29 April 2026)."""
    return proposed_in_round1(world, people).application.applicant


def correct(applicant, **changes):
    values = {"full_name": applicant.full_name, "id_type": applicant.id_type, "id_number": applicant.id_number}
    return request_identity_correction(
        actor=applicant.user, applicant=applicant, reason="身份证号码录入错误", **{**values, **changes}
    )


def test_identity_is_frozen_once_listed_on_the_page_and_the_api(listed, client):
    with pytest.raises(DomainError) as refused:
        update_profile(actor=listed.user, applicant=listed, full_name="王大明")
    assert refused.value.code == "identity_frozen"
    api = factories.api_client(listed.user).patch(reverse("api-me"), {"id_number": NEW_ID}, format="json")
    assert api.status_code == 409 and api.json()["code"] == "identity_frozen"
    # The page shows the fields but ignores what is posted for them; other facts still save.
    client.force_login(listed.user)
    page = client.get(reverse("applicant-profile")).content.decode()
    assert "不能自行修改" in page
    listed.refresh_from_db()
    assert listed.full_name == "申请人1"
    update_profile(actor=listed.user, applicant=listed, employer="武汉市第一医院")  # not identity: allowed


def test_before_selection_the_applicant_changes_its_own_identity(world):
    applicant = complete_applicant(5)
    update_profile(actor=applicant.user, applicant=applicant, full_name="王大明")
    applicant.refresh_from_db()
    assert applicant.full_name == "王大明"
    with pytest.raises(DomainError) as refused:
        correct(applicant, full_name="王二明")
    assert refused.value.code == "not_frozen"


def test_a_correction_needs_the_base_and_then_the_province(listed, people):
    correction = correct(listed, id_number=NEW_ID, full_name="申请人壹")
    assert correction.status == CorrectionStatus.PENDING_BASE
    assert correction.training_base == people["xiehe_office"].training_base
    assert correction.before["id_number"] == listed.id_number and correction.after["id_number"] == NEW_ID
    with pytest.raises(DomainError) as refused:  # the province cannot skip the base
        review_identity_correction(actor=people["province"], correction=correction, approve=True, note="同意")
    assert refused.value.code == "not_your_step"
    with pytest.raises(PermissionDenied):  # another base's office cannot review it
        review_identity_correction(actor=people["tongji_office"], correction=correction, approve=True, note="同意")
    review_identity_correction(actor=people["xiehe_office"], correction=correction, approve=True, note="证件核实")
    listed.refresh_from_db()
    assert listed.full_name == "申请人1"  # the base's yes changes nothing yet
    with pytest.raises(PermissionDenied):
        review_identity_correction(actor=people["hunan_province"], correction=correction, approve=True, note="同意")
    review_identity_correction(actor=people["province"], correction=correction, approve=True, note="同意更正")
    listed.refresh_from_db()
    assert (listed.full_name, listed.id_number) == ("申请人壹", NEW_ID)
    assert listed.birth_date == datetime.date(2001, 3, 9)
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.APPROVED
    # The audit log keeps the numbers masked; the correction keeps them whole.
    event = AuditEvent.objects.get(action="applicant.identity_corrected")
    assert NEW_ID not in str(event.after) and "****" in event.after["id_number"]


def test_a_refusal_at_either_step_ends_the_request(listed, people):
    correction = correct(listed, full_name="申请人贰")
    review_identity_correction(actor=people["xiehe_office"], correction=correction, approve=False, note="无证明")
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.REJECTED
    with pytest.raises(DomainError):
        review_identity_correction(actor=people["province"], correction=correction, approve=True, note="同意")
    listed.refresh_from_db()
    assert listed.full_name == "申请人1"
    correct(listed, full_name="申请人贰")  # a new request may follow


def test_only_the_applicant_its_base_office_and_the_province_see_the_correction(listed, people):
    correct(listed, id_number=NEW_ID)
    for who, sees in (
        ("applicant", True),
        ("xiehe_office", True),
        ("province", True),
        ("xiehe_staff", False),
        ("tongji_office", False),
        ("hunan_province", False),
        ("other_applicant", False),
    ):
        user = listed.user if who == "applicant" else people[who]
        rows = factories.api_client(user).get(reverse("api-identity-corrections")).json()["results"]
        assert (len(rows) == 1) is sees, who
        if sees:
            assert rows[0]["after"]["id_number"] == NEW_ID


def test_the_public_list_and_the_notice_check_say_that_the_name_was_corrected(
    listed, people, world, client, django_capture_on_commit_callbacks
):
    assessment = listed.assessments.get()
    with at(2026, 5, 6, 9):
        confirm_offer(actor=listed.user, assessment=assessment, accept=True)
    with at(2026, 5, 13, 9), django_capture_on_commit_callbacks(execute=True):
        admit_due()
    admission = Admission.objects.get()
    assert admission.notice_file  # kept at admission
    with at(2026, 5, 20, 9), django_capture_on_commit_callbacks(execute=True):
        correction = correct(listed, full_name="申请人壹")
        review_identity_correction(actor=people["xiehe_office"], correction=correction, approve=True, note="核实")
        review_identity_correction(actor=people["province"], correction=correction, approve=True, note="同意")
    entry = PublicityEntry.objects.get()
    page = client.get(reverse("publicity-public", args=[entry.publicity_list_id])).content.decode()
    assert "申请人壹" in page and "5月20日经审核更正姓名或证件号码" in page
    verify = client.get(
        reverse("admission-verify"), {"notice": admission.notice_number, "code": admission.verification_code}
    ).content.decode()
    assert "申请人壹" in verify and "2026年5月20日经培训基地和省级管理部门审核更正" in verify
    api = client.get(
        reverse("api-admission-verify"),
        {"notice_number": admission.notice_number, "code": admission.verification_code},
    ).json()
    assert api["name"] == "申请人壹" and api["identity_corrected_at"]
    assert api["valid"] is False and api["superseded_at"], "the notice with the old name is superseded"
    admission.refresh_from_db()
    assert admission.notice_version == 2
    with admission.notice_file.open("rb") as notice:  # issued again with the corrected name
        from tests.admissions.test_publicity_pages import pdf_text

        assert "申请人壹" in pdf_text(notice.read())
    current = client.get(
        reverse("api-admission-verify"),
        {"notice_number": admission.notice_number, "code": admission.verification_code},
    ).json()
    assert current["valid"] is True and current["name"] == "申请人壹"


def test_the_applicant_files_a_correction_on_its_page(listed, client):
    client.force_login(listed.user)
    response = client.post(
        reverse("applicant-identity"),
        {
            "correction": "1",
            "full_name": "申请人壹",
            "id_type": "resident_id",
            "id_number": NEW_ID,
            "reason": "更名",
        },
        follow=True,
    )
    assert "更正申请已提交" in response.content.decode()
    assert IdentityCorrection.objects.get().after["full_name"] == "申请人壹"


# A number someone else holds --------------------------------------------------------------------


def test_a_number_in_use_is_refused_without_saying_so_and_tries_are_limited(world):
    me, other = complete_applicant(1), complete_applicant(2)
    with pytest.raises(DomainError) as refused:
        update_profile(actor=me.user, applicant=me, id_number=other.id_number)
    assert refused.value.code == "identity_unavailable" and "其他账号" not in refused.value.message
    # Setting the number at registration and the refused try count: three more are left today.
    for n in range(IDENTITY_ATTEMPTS_PER_DAY - 2):
        update_profile(actor=me.user, applicant=me, id_number=make_resident_id("420102", datetime.date(1990, 1, 1), n))
    with pytest.raises(DomainError) as limited:
        update_profile(actor=me.user, applicant=me, id_number=make_resident_id("420102", datetime.date(1990, 1, 2), 9))
    assert limited.value.status == 429


def test_a_squatted_number_moves_to_the_claimant_after_the_base_checks(world, people):
    squatter, owner = complete_applicant(1), complete_applicant(2)
    number = squatter.id_number
    claim = claim_identity_number(
        actor=owner.user,
        applicant=owner,
        training_base=world["xiehe"],
        id_type="resident_id",
        id_number=number,
        reason="我的身份证号被他人注册",
    )
    with pytest.raises(PermissionDenied):
        handle_identity_claim(actor=people["tongji_office"], claim=claim, upheld=True, note="核实")
    handle_identity_claim(actor=people["xiehe_office"], claim=claim, upheld=True, note="当面核对身份证原件属实")
    squatter.refresh_from_db()
    owner.refresh_from_db()
    assert (squatter.id_number, owner.id_number) == ("", number)
    assert IdentityClaim.objects.get().status == ClaimStatus.UPHELD
    assert Applicant.objects.filter(id_number=number).count() == 1


def test_a_claim_against_a_selected_account_goes_to_the_province(listed, world, people):
    owner = complete_applicant(9)
    claim = claim_identity_number(
        actor=owner.user,
        applicant=owner,
        training_base=world["xiehe"],
        id_type="resident_id",
        id_number=listed.id_number,
        reason="被占用",
    )
    with pytest.raises(DomainError) as refused:
        handle_identity_claim(actor=people["xiehe_office"], claim=claim, upheld=True, note="属实")
    assert refused.value.code == "selected"
    listed.refresh_from_db()
    assert listed.id_number


def test_the_offices_queue_shows_their_own_requests_only(listed, people, client):
    correct(listed, full_name="申请人壹")
    client.force_login(people["xiehe_office"])
    assert "申请人壹" in client.get(reverse("identity-requests")).content.decode()
    client.force_login(people["tongji_office"])
    assert "申请人壹" not in client.get(reverse("identity-requests")).content.decode()
    client.force_login(people["applicant"])
    assert client.get(reverse("identity-requests")).status_code == 403
