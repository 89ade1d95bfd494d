"""The public publicity pages (拟录取名单公示): masked ID numbers on the page and in its PDF, the last
day, objections from signed-in users during publicity only, and flat query counts."""

import datetime
import io
import zoneinfo
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from admissions.models import (
    Applicant,
    Application,
    Assessment,
    Objection,
    PublicityEntry,
    PublicityList,
    Stage,
)
from admissions.services.assessments import decide_admission, record_scores, review_qualification
from admissions.services.choices import submit_choice
from admissions.services.publicity import publish_list
from bases.services.quotas import do_set_quota
from portal.models import Role, User
from portal.privacy import mask_id_number
from tests import factories
from tests.applicant_helpers import complete_applicant

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=SHANGHAI), tick=False)


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


def build_round1(world, people, *, places=2, candidates=2, publish=True):
    """Round 1 through the services: `candidates` applicants choose Xiehe's internal medicine on
    04-10, are qualified and scored on 04-27; the first `places` are proposed, the rest not
    admitted; the list is published on 04-29 and public until 2026-05-12 24:00 (Labour Day)."""
    campaign, office, staff = world["hubei_campaign"], people["xiehe_office"], people["xiehe_staff"]
    surgery = factories.specialty_base(world["xiehe"], factories.specialty("0900", "外科"), capacity=5)
    do_set_quota(actor=None, campaign=campaign, specialty_base=world["xiehe_internal"], places=places)
    do_set_quota(actor=None, campaign=campaign, specialty_base=surgery, places=1)
    applicants = [complete_applicant(n) for n in range(1, candidates + 1)]
    with at(2026, 4, 10, 9):
        choices = [
            submit_choice(
                actor=a.user, applicant=a, campaign=campaign, specialty_base=world["xiehe_internal"]
            ).application
            for a in applicants
        ]
    with at(2026, 4, 27, 10):
        assessments = [review_qualification(actor=staff, application=c, passed=True) for c in choices]
        for n, assessment in enumerate(assessments):
            score(staff, assessment, f"{90 - n}.0", f"{88 - n}.5")
            decide_admission(actor=office, assessment=assessment, admit=n < places)
    publicity = None
    if publish:
        with at(2026, 4, 29, 16):
            publicity = publish_list(actor=office, campaign=campaign, training_base=world["xiehe"], round_number=1)
    return SimpleNamespace(
        campaign=campaign,
        office=office,
        staff=staff,
        surgery=surgery,
        applicants=applicants,
        assessments=[Assessment.objects.get(pk=a.pk) for a in assessments],
        publicity=publicity,
    )


def pdf_text(content):
    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def round1(world, people):
    return build_round1(world, people)


def test_the_public_page_masks_the_id_number_and_shows_the_last_day(client, round1):
    wang = round1.applicants[0]
    url = reverse("publicity-public", args=[round1.publicity.pk])
    with at(2026, 5, 6, 9):
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert round1.publicity.last_day == datetime.date(2026, 5, 12)
    assert "公示至2026年5月12日24时" in page
    assert "公示中" in page
    assert wang.full_name in page and "协和医院 · 内科" in page
    for applicant in round1.applicants:
        assert applicant.id_number not in page
        assert mask_id_number(applicant.id_number) in page
    assert wang.id_number[:6] not in page, "no more than the first three digits show"

    with at(2026, 5, 6, 9):
        response = client.get(reverse("publicity-pdf", args=[round1.publicity.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert wang.full_name in text and "内科" in text and "公示至2026年5月12日24时" in text
    for applicant in round1.applicants:
        assert applicant.id_number not in text
        assert mask_id_number(applicant.id_number) in text


def test_anonymous_visitors_get_a_login_link_and_cannot_object(client, round1):
    url = reverse("publicity-public", args=[round1.publicity.pk])
    entry = PublicityEntry.objects.filter(publicity_list=round1.publicity).first()
    with at(2026, 5, 6, 9):
        page = client.get(url).content.decode()
        response = client.post(url, {"entry": entry.pk, "contact": "13900001111", "text": "学历造假"})
    assert 'data-testid="objection-login"' in page and 'data-testid="objection-form"' not in page
    assert f"{reverse('login')}?next={url}" in page
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Objection.objects.exists()


def test_a_signed_in_user_raises_an_objection_during_publicity(client, round1, people):
    url = reverse("publicity-public", args=[round1.publicity.pk])
    entry = PublicityEntry.objects.get(publicity_list=round1.publicity, assessment=round1.assessments[1])
    client.force_login(people["other_applicant"])
    with at(2026, 5, 6, 9):
        page = client.get(url).content.decode()
        assert 'data-testid="objection-form"' in page
        incomplete = client.post(url, {"entry": entry.pk, "contact": "13900001111", "text": ""})
        stranger = client.post(url, {"entry": 999999, "contact": "13900001111", "text": "学历造假"})
        response = client.post(
            url, {"entry": entry.pk, "contact": "13900001111", "text": "该考生的规培经历与事实不符。"}, follow=True
        )
    assert incomplete.status_code == 400 and stranger.status_code == 400
    assert "异议已提交" in response.content.decode()
    objection = Objection.objects.get()
    assert (objection.entry, objection.raised_by) == (entry, people["other_applicant"])
    assert (objection.contact, objection.text) == ("13900001111", "该考生的规培经历与事实不符。")


def test_after_the_last_day_the_form_is_gone_and_an_objection_is_refused(client, round1, people):
    url = reverse("publicity-public", args=[round1.publicity.pk])
    entry = PublicityEntry.objects.filter(publicity_list=round1.publicity).first()
    client.force_login(people["employer"])
    with at(2026, 5, 12, 23, 59):
        assert 'data-testid="objection-form"' in client.get(url).content.decode()
    with at(2026, 5, 13, 0, 0):
        page = client.get(url).content.decode()
        response = client.post(url, {"entry": entry.pk, "contact": "13900001111", "text": "学历造假"})
    assert 'data-testid="objection-form"' not in page and "公示期已结束，不再受理异议" in page
    assert "已结束" in page
    assert response.status_code == 409 and "公示期已结束" in response.content.decode()
    assert not Objection.objects.exists()


def test_the_list_shows_the_province_lists_with_their_state_by_the_clock(client, world, people, round1):
    hunan_office = factories.user(Role.BASE_OFFICE, training_base=world["changsha"])
    PublicityList.objects.create(
        campaign=world["hunan_campaign"],
        training_base=world["changsha"],
        round=1,
        last_day=datetime.date(2026, 5, 12),
        published_by=hunan_office,
    )
    with at(2026, 5, 12, 12):
        response = client.get(reverse("publicity-list-public"))
    page = response.content.decode()
    assert [item.pk for item in response.context["page"].object_list] == [round1.publicity.pk]
    assert "湘雅医院" not in page
    assert "协和医院" in page and "2026年度第1批次" in page and "拟录取名单公示" in page
    assert "2026年5月12日24时" in page and 'data-testid="publicity-state">公示中<' in page
    assert reverse("publicity-public", args=[round1.publicity.pk]) in page
    with at(2026, 5, 13, 0, 0):
        page = client.get(reverse("publicity-list-public")).content.decode()
    assert 'data-testid="publicity-state">已结束<' in page
    hunan = client.get(reverse("publicity-list-public"), {"province": "430000"}).content.decode()
    assert "湘雅医院" in hunan and "协和医院" not in hunan


def test_a_change_list_shows_the_removed_candidate(client, round1, people):
    from admissions.services.publicity import handle_objection, raise_objection

    entry = PublicityEntry.objects.get(publicity_list=round1.publicity, assessment=round1.assessments[0])
    with at(2026, 5, 6, 9):
        objection = raise_objection(actor=people["employer"], entry=entry, contact="027-1", text="学历造假")
        handle_objection(actor=round1.office, objection=objection, sustained=True, note="经核实学历证书系伪造")
    change = PublicityList.objects.get(kind="change")
    with at(2026, 5, 6, 10):
        original = client.get(reverse("publicity-public", args=[round1.publicity.pk])).content.decode()
        page = client.get(reverse("publicity-public", args=[change.pk])).content.decode()
    assert "已取消拟录取（见变更公示）" in original
    assert "拟录取名单变更公示" in page and "经核实学历证书系伪造" in page and "取消拟录取" in page
    assert round1.applicants[0].full_name in page
    assert round1.applicants[0].id_number not in page


# --- query counts ---------------------------------------------------------------------------------


def _grow_entries(publicity_list, specialty_base, count):
    start = User.objects.count()
    users = User.objects.bulk_create([User(username=f"bulk{start + n}", role=Role.APPLICANT) for n in range(count)])
    applicants = Applicant.objects.bulk_create(
        [
            Applicant(user=user, full_name=f"考生{user.username}", id_number=f"42010220010101{n:04d}")
            for n, user in enumerate(users, start=start)
        ]
    )
    applications = Application.objects.bulk_create(
        [
            Application(applicant=a, campaign=publicity_list.campaign, round=1, specialty_base=specialty_base)
            for a in applicants
        ]
    )
    assessments = Assessment.objects.bulk_create(
        [Assessment(application=a, specialty_base=specialty_base, stage=Stage.PROPOSED) for a in applications]
    )
    PublicityEntry.objects.bulk_create(
        [PublicityEntry(publicity_list=publicity_list, assessment=a) for a in assessments]
    )


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_public_page_and_its_queries_stay_flat_as_the_list_grows(client, world, people, signed_in):
    round1 = build_round1(world, people, candidates=1, places=1)
    if signed_in:
        client.force_login(people["employer"])
    url = reverse("publicity-public", args=[round1.publicity.pk])
    with at(2026, 5, 6, 9):
        small = _queries(client, url)
        _grow_entries(round1.publicity, world["xiehe_internal"], 60)
        assert _queries(client, url) == small
        page = client.get(url).content.decode()
    assert page.count("<tr") == 61 + 1


def test_the_list_page_queries_stay_flat_as_lists_grow(client, world, people):
    office = people["xiehe_office"]

    def add(count):
        PublicityList.objects.bulk_create(
            [
                PublicityList(
                    campaign=world["hubei_campaign"],
                    training_base=world["xiehe" if n % 2 else "tongji"],
                    round=1,
                    last_day=datetime.date(2026, 5, 12),
                    published_by=office,
                )
                for n in range(count)
            ]
        )

    add(2)
    with at(2026, 5, 6, 9):
        small = _queries(client, reverse("publicity-list-public"))
        add(120)
        assert _queries(client, reverse("publicity-list-public")) == small
        assert _queries(client, reverse("publicity-list-public"), {"page": 2}) == small
