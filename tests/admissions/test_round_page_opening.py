"""The office's round page opens on the specialty base whose candidates wait for it, and its picker
counts them per specialty base (issue 13, item 5)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from admissions.models import Application, Assessment, Stage
from admissions.services.assessments import decide_admission, request_adjustment, review_qualification
from bases.services.quotas import do_set_quota
from tests import factories
from tests.admissions import test_round_pages
from tests.admissions.test_round_pages import _bare_applicants, _queries, at, choose, score

rounds = test_round_pages.rounds  # the fixture: Xiehe's and Tongji's internal medicine with a plan

OPTION = re.compile(r'<option value="(\d+)"( selected)?>([^<]*)</option>')


@pytest.fixture
def paediatrics(rounds, world):
    specialty_base = factories.specialty_base(world["xiehe"], factories.specialty("0200", "儿科"))
    do_set_quota(actor=None, campaign=rounds["campaign"], specialty_base=specialty_base, places=2)
    return specialty_base


def picker(response):
    """{specialty base id: option label} of the page's specialty-base picker, and the selected id."""
    html = response.content.decode().split('data-testid="specialty-base-picker"')[1].split("</form>")[0]
    options = OPTION.findall(html)
    return {int(pk): label for pk, _selected, label in options}, next(int(pk) for pk, sel, _ in options if sel)


def test_the_page_opens_on_the_specialty_base_with_candidates_waiting(client, rounds, paediatrics):
    internal = rounds["internal"]
    # Internal medicine, first in the list, has decided everyone: one not admitted, who consents to
    # an adjustment to paediatrics; paediatrics has a choice to review and a qualified one to score.
    [declined] = choose(rounds, 1)
    unreviewed, to_score = choose(rounds, 2, 3, specialty_base=paediatrics)
    with at(2026, 4, 27, 10):
        first = review_qualification(actor=rounds["xiehe_office"], application=declined, passed=True)
        review_qualification(actor=rounds["xiehe_office"], application=to_score, passed=True)
    score(rounds, first, "60", "60")
    with at(2026, 4, 29, 10):
        decide_admission(actor=rounds["xiehe_office"], assessment=first, admit=False)
        request_adjustment(actor=declined.applicant.user, assessment=first, specialty_base=paediatrics)
    client.force_login(rounds["xiehe_office"])
    with at(2026, 4, 30, 10):
        response = client.get(reverse("round-candidates", args=[1]))
        labels, selected = picker(response)
        assert response.context["specialty_base"] == paediatrics and selected == paediatrics.pk
        assert labels == {internal.pk: "内科", paediatrics.pk: "儿科（待处理 3）"}
        assert "待处理：待资格审核，或资格审核通过、尚未决定录取的考生。" in response.content.decode()

        # Asked for explicitly, internal medicine stays the page's subject.
        response = client.get(reverse("round-candidates", args=[1]), {"specialty_base": internal.pk})
        assert response.context["specialty_base"] == internal and picker(response)[1] == internal.pk

        # The counts are the round's: nobody waits in round 2, so its page opens on the first.
        response = client.get(reverse("round-candidates", args=[2]))
        labels, selected = picker(response)
        assert selected == internal.pk and labels == {internal.pk: "内科", paediatrics.pk: "儿科"}

        # Once the candidates are decided, nothing waits and the page opens on the first again.
        Assessment.objects.filter(specialty_base=paediatrics).update(stage=Stage.NOT_ADMITTED)
        Application.objects.filter(pk=unreviewed.pk).update(status="withdrawn")
        response = client.get(reverse("round-candidates", args=[1]))
        assert picker(response) == ({internal.pk: "内科", paediatrics.pk: "儿科"}, internal.pk)


def test_the_specialty_base_staff_still_opens_on_its_own(client, rounds, paediatrics):
    choose(rounds, 1, specialty_base=paediatrics)
    client.force_login(rounds["xiehe_staff"])
    with at(2026, 4, 28, 10):
        response = client.get(reverse("round-candidates", args=[1]))
    assert response.context["specialty_base"] == rounds["internal"]
    assert 'data-testid="specialty-base-picker"' not in response.content.decode()


def _grow(rounds, world, count, start):
    """`count` more specialty bases at Xiehe with a plan, each with a choice waiting for review and a
    qualified candidate with both scores waiting for the decision."""
    specialty_bases = []
    for n in range(start, start + count):
        specialty_base = factories.specialty_base(world["xiehe"], factories.specialty(f"8{n:03d}", f"专业{n}"))
        do_set_quota(actor=None, campaign=rounds["campaign"], specialty_base=specialty_base, places=1)
        specialty_bases.append(specialty_base)
    applicants = _bare_applicants(2 * count, 10000 + 2 * start)
    applications = Application.objects.bulk_create(
        [
            Application(applicant=a, campaign=rounds["campaign"], round=1, specialty_base=specialty_bases[n // 2])
            for n, a in enumerate(applicants)
        ]
    )
    Assessment.objects.bulk_create(
        [
            Assessment(
                application=a,
                specialty_base=a.specialty_base,
                stage=Stage.QUALIFIED,
                interview_score=Decimal(80),
                exam_score=Decimal(80),
            )
            for a in applications[1::2]
        ]
    )
    return specialty_bases


def test_the_waiting_counts_take_the_same_queries_however_many(client, rounds, world):
    client.force_login(rounds["xiehe_office"])
    url = reverse("round-candidates", args=[1])
    [first] = _grow(rounds, world, 1, 0)
    with at(2026, 4, 28, 10):
        small = _queries(client, url)
        assert client.get(url).context["specialty_base"] == first
        _grow(rounds, world, 12, 1)
        assert _queries(client, url) == small
        quotas = client.get(url).context["quotas"]
    assert [quota.waiting for quota in quotas] == [0] + [2] * 13
