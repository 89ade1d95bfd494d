"""Issue 11, item 12: objections (异议) during publicity are limited per user and per listed candidate,
identical repeats are refused, the office closes duplicates in one action, and an open objection
holds back only the admission of its own candidate."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from admissions.models import (
    Admission,
    Applicant,
    Application,
    Assessment,
    Objection,
    ObjectionStatus,
    PublicityEntry,
    PublicityList,
    Stage,
)
from admissions.services.admission import admit_due
from admissions.services.publicity import (
    close_duplicate_objections,
    confirm_offer,
    handle_objection,
    raise_objection,
)
from policy.identity import make_resident_id
from policy.rules.objections import PER_DAY, PER_ENTRY
from portal.errors import DomainError
from portal.models import AuditEvent, Role
from tests import factories
from tests.admissions.test_publicity_pages import build_round1
from tests.concurrency import run_together
from tests.round_helpers import at


@pytest.fixture
def listed(world, people):
    """Xiehe's round-1 list with two proposed candidates, public until 12 May 2026."""
    build_round1(world, people, places=2, candidates=2)
    return list(PublicityEntry.objects.order_by("pk"))


def objection(user, entry, text="学历存疑"):
    return raise_objection(actor=user, entry=entry, contact="13900001111", text=text)


def test_an_identical_repeat_is_refused_even_with_other_spacing(listed, people):
    with at(2026, 5, 6, 9):
        objection(people["other_applicant"], listed[0], "学历证书 存疑")
        with pytest.raises(DomainError) as refused:
            objection(people["other_applicant"], listed[0], "  学历证书\n\n存疑 ")
    assert (refused.value.code, refused.value.status) == ("duplicate", 409)
    assert Objection.objects.count() == 1


def test_one_user_may_object_to_one_candidate_three_times(listed, people):
    with at(2026, 5, 6, 9):
        for n in range(PER_ENTRY):
            objection(people["other_applicant"], listed[0], f"第{n}条理由")
        with pytest.raises(DomainError) as refused:
            objection(people["other_applicant"], listed[0], "又一条理由")
        objection(people["other_applicant"], listed[1], "另一名考生")  # another candidate is fine
        objection(people["applicant"], listed[0], "其他人的异议")  # and so is another user
    assert (refused.value.code, refused.value.status) == ("objection_limit", 429)
    assert "3 次" in refused.value.message


def test_one_user_may_raise_twenty_objections_a_day(listed, people, world):
    entries = [_listed_elsewhere(world, people, n) for n in range(PER_DAY + 1)]
    user = people["other_applicant"]
    with at(2026, 5, 6, 9):
        for n, entry in enumerate(entries[:PER_DAY]):
            objection(user, entry, f"理由{n}")
        with pytest.raises(DomainError) as refused:
            objection(user, entries[-1], "第21条")
    assert refused.value.code == "objection_limit" and "20 条" in refused.value.message
    with at(2026, 5, 7, 9):  # a new day
        objection(user, entries[-1], "第二天")
    assert Objection.objects.filter(raised_by=user).count() == PER_DAY + 1


def _listed_elsewhere(world, people, n):
    """An entry on another training base's round-1 list, public until 12 May 2026."""
    base = factories.training_base(world["hubei"], f"扩展医院{n}")
    specialty_base = factories.specialty_base(base)
    user = factories.user(Role.APPLICANT)
    applicant = Applicant.objects.create(
        user=user, full_name=f"考生{n}", id_number=make_resident_id("420102", datetime.date(1999, 1, 1), 500 + n)
    )
    application = Application.objects.create(
        applicant=applicant, campaign=world["hubei_campaign"], round=1, specialty_base=specialty_base
    )
    assessment = Assessment.objects.create(application=application, specialty_base=specialty_base, stage=Stage.PROPOSED)
    publicity_list = PublicityList.objects.create(
        campaign=world["hubei_campaign"],
        training_base=base,
        round=1,
        last_day=datetime.date(2026, 5, 12),
        published_by=people["xiehe_office"],
    )
    return PublicityEntry.objects.create(publicity_list=publicity_list, assessment=assessment)


def test_the_limits_answer_on_the_page_and_in_the_api(listed, people, client):
    user = people["other_applicant"]
    entry = listed[0]
    with at(2026, 5, 6, 9):
        for n in range(PER_ENTRY):
            objection(user, entry, f"理由{n}")
        client.force_login(user)
        page = client.post(
            reverse("publicity-public", args=[entry.publicity_list_id]),
            {"entry": entry.pk, "contact": "13900001111", "text": "第四条"},
        )
        api = factories.api_client(user).post(
            reverse("api-publicity-entry-objections", args=[entry.pk]),
            {"contact": "13900001111", "text": "第四条"},
            format="json",
        )
    assert page.status_code == 429 and "最多提出 3 次异议" in page.content.decode()
    assert api.status_code == 429 and api.json()["code"] == "objection_limit"


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are checked on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_objections_at_the_limit_let_one_through(listed, people):
    user = people["other_applicant"]
    with at(2026, 5, 6, 9):
        for n in range(PER_ENTRY - 1):
            objection(user, listed[0], f"理由{n}")
    outcomes = []

    def race(n):
        with at(2026, 5, 6, 10):
            try:
                objection(user, listed[0], f"同时提交{n}")
                outcomes.append("raised")
            except DomainError as error:
                outcomes.append(error.code)

    run_together(list(range(8)), race)
    assert sorted(outcomes) == ["objection_limit"] * 7 + ["raised"]
    assert Objection.objects.filter(raised_by=user, entry=listed[0]).count() == PER_ENTRY


def test_the_office_closes_duplicates_in_one_action(listed, people, client):
    entry = listed[0]
    others = [factories.user(Role.APPLICANT) for _ in range(3)]
    with at(2026, 5, 6, 9):
        first = objection(people["other_applicant"], entry, "学历存疑")
        copies = [objection(user, entry, "学历存疑（转发）") for user in others]
        elsewhere = objection(people["other_applicant"], listed[1], "另一名考生")
    office = people["xiehe_office"]
    with at(2026, 5, 7, 9):
        handle_objection(actor=office, objection=first, sustained=False, note="经核实学历真实")
        client.force_login(office)
        page = client.get(reverse("publicity-manage")).content.decode()
        assert 'data-testid="duplicates-form"' in page
        client.post(
            reverse("objection-duplicates", args=[first.pk]),
            {"duplicate": [c.pk for c in copies], "note": "内容相同，已核实"},
        )
    for copy in copies:
        copy.refresh_from_db()
        assert (copy.status, copy.duplicate_of_id) == (ObjectionStatus.DISMISSED, first.pk)
        assert copy.handling_note.startswith(f"与第{first.pk}号异议重复")
    assert AuditEvent.objects.filter(action="objection.dismissed").count() == 1 + len(copies)
    with pytest.raises(DomainError):  # another candidate's objection is not a duplicate of this one
        close_duplicate_objections(actor=office, original=first, duplicates=[elsewhere], note="重复")
    with pytest.raises(DomainError):  # already closed
        close_duplicate_objections(actor=office, original=first, duplicates=copies[:1], note="重复")
    elsewhere.refresh_from_db()
    assert elsewhere.status == ObjectionStatus.OPEN


def test_another_office_cannot_close_duplicates(listed, people):
    from django.core.exceptions import PermissionDenied

    with at(2026, 5, 6, 9):
        first = objection(people["other_applicant"], listed[0])
        copy = objection(people["applicant"], listed[0])
    handle_objection(actor=people["xiehe_office"], objection=first, sustained=False, note="不成立")
    with pytest.raises(PermissionDenied):
        close_duplicate_objections(actor=people["tongji_office"], original=first, duplicates=[copy], note="重复")


def test_an_open_objection_holds_back_only_its_own_candidate(listed, people):
    with at(2026, 5, 6, 9):
        for entry in listed:
            confirm_offer(actor=entry.assessment.application.applicant.user, assessment=entry.assessment, accept=True)
        objection(people["other_applicant"], listed[0])
    with at(2026, 5, 13, 9):
        assert admit_due() == 1
    admitted = Admission.objects.get()
    assert admitted.assessment_id == listed[1].assessment_id
