"""The score explained (成绩说明): every ranking names the version of the scoring formula it used;
once the list is published an applicant sees its own components, that version, its rank and the
cut line of its specialty base — on the page and in the API — and nobody else's score or name."""

import datetime
import io
import json
import zoneinfo
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from admissions.services.assessments import decide_admission, record_scores, review_qualification
from admissions.services.choices import submit_choice
from admissions.services.publicity import confirm_offer, publish_list
from bases.models import Quota
from bases.services.quotas import do_set_quota
from bases.services.scoring import change_formula
from tests.applicant_helpers import complete_applicant
from tests.round_helpers import bulk_candidates

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

# Interview, exam; under 60 % / 40 %: 88.3, 86.3, 80.7, 75.1. Two places: the cut line is 86.3.
SCORES = (("91.5", "83.5"), ("87.5", "84.5"), ("81.5", "79.5"), ("73.5", "77.5"))
FORMULA = "计分公式第2版（面试60%，专业考试40%）"


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=SHANGHAI), tick=False)


def build(world, people, *, publish=True):
    """Four applicants choose Xiehe's internal medicine (two places); before any score the office
    weighs the interview 60 % and breaks ties by the interview first (version 2); the first two
    are proposed, the others not admitted; the list is published on 04-29."""
    campaign, office, staff = world["hubei_campaign"], people["xiehe_office"], people["xiehe_staff"]
    quota = do_set_quota(actor=None, campaign=campaign, specialty_base=world["xiehe_internal"], places=2)
    with at(2026, 4, 1, 9):
        change_formula(actor=office, quota=quota, interview_weight=60, exam_weight=40, tie_break="interview_first")
    applicants = [complete_applicant(n) for n in range(1, len(SCORES) + 1)]
    with at(2026, 4, 10, 9):
        choices = [
            submit_choice(
                actor=a.user, applicant=a, campaign=campaign, specialty_base=world["xiehe_internal"]
            ).application
            for a in applicants
        ]
    with at(2026, 4, 27, 10):
        assessments = [review_qualification(actor=staff, application=c, passed=True) for c in choices]
        for n, (assessment, (interview, exam)) in enumerate(zip(assessments, SCORES, strict=True)):
            record_scores(
                actor=staff, assessment=assessment, interview_score=interview, exam_score=exam, interview_mode="on_site"
            )
            decide_admission(actor=office, assessment=assessment, admit=n < 2)
    if publish:
        with at(2026, 4, 29, 16):
            publish_list(actor=office, campaign=campaign, training_base=world["xiehe"], round_number=1)
    return SimpleNamespace(quota=quota, applicants=applicants, assessments=assessments, office=office)


@pytest.fixture
def season(world, people):
    return build(world, people)


def offers_page(client, applicant):
    client.force_login(applicant.user)
    with at(2026, 5, 6, 9):
        return client.get(reverse("offers")).content.decode()


def score_api(api, applicant, assessment):
    with at(2026, 5, 6, 9):
        return api(applicant.user).get(reverse("api-my-assessment-score", args=[assessment.pk]))


def others_of(season, n):
    """What belongs to the other applicants than the n-th: names, components and composites."""
    composites = ("88.3", "86.3", "80.7", "75.1")
    others = [i for i in range(len(SCORES)) if i != n]
    names = [season.applicants[i].full_name for i in others]
    scores = [value for i in others for value in SCORES[i]] + [composites[i] for i in others]
    return names, scores


def test_every_ranking_names_the_formula_version_it_used(client, api, season, people):
    client.force_login(people["xiehe_office"])
    url = reverse("round-candidates", args=[1]) + f"?specialty_base={season.quota.specialty_base_id}"
    with at(2026, 4, 29, 17):
        page = client.get(url).content.decode()
        listing = api(people["xiehe_office"]).get(reverse("api-assessments"), {"round": 1}).json()["results"]
        export = client.get(
            reverse("round-scores-export", args=[1]) + f"?specialty_base={season.quota.specialty_base_id}"
        )
    assert f'data-testid="formula">{FORMULA}<' in page
    assert "综合成绩相同者，依次按面试成绩、专业考试成绩从高到低排序" in page
    assert {(row["formula_version"], row["interview_weight"], row["tie_break"]) for row in listing} == {
        (2, 60, "interview_first")
    }
    sheet = load_workbook(io.BytesIO(export.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[-3:] == ["综合成绩", "排名", "计分公式"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [(row[-3], row[-2], row[-1]) for row in rows] == [
        (88.3, 1, FORMULA),
        (86.3, 2, FORMULA),
        (80.7, 3, FORMULA),
        (75.1, 4, FORMULA),
    ]


def test_nothing_is_explained_before_the_list_is_published(client, api, world, people):
    season = build(world, people, publish=False)
    first = season.applicants[0]
    page = offers_page(client, first)
    assert 'data-testid="score-explained"' not in page and 'data-testid="composite"' not in page
    assert 'data-testid="rank"' not in page and FORMULA not in page
    response = score_api(api, first, season.assessments[0])
    assert response.status_code == 404
    assert response.json() == {"detail": "本专业基地的考核结果公示后，才能查看成绩说明。", "code": "not_published"}


def test_after_publication_an_applicant_below_the_line_sees_its_components_rank_and_the_cut_line(client, api, season):
    third = season.applicants[2]
    page = offers_page(client, third)
    assert 'data-testid="composite">80.7 ' in page and FORMULA in page
    assert "81.5" in page and "79.5" in page
    assert "第 3 名（共 4 人参加排名）" in page
    assert "86.3 分（本次公示拟录取 2 人中的最低综合成绩）" in page
    assert "综合成绩 =（面试成绩 × 60 + 专业考试成绩 × 40）÷（60 + 40）" in page

    body = score_api(api, third, season.assessments[2]).json()
    assert body == {
        "assessment": season.assessments[2].pk,
        "interview_score": "81.5",
        "exam_score": "79.5",
        "formula_version": 2,
        "formula": FORMULA,
        "interview_weight": 60,
        "exam_weight": 40,
        "tie_break": "interview_first",
        "tie_break_rule": "综合成绩相同者，依次按面试成绩、专业考试成绩从高到低排序，仍相同者按志愿填报时间先后排序。",
        "composite": "80.7",
        "rank": 3,
        "ranked": 4,
        "proposed": 2,
        "cut_line": "86.3",
        "published_at": body["published_at"],
    }
    assert body["published_at"].startswith("2026-04-29T16:00:00")

    # A proposed applicant sees its own place above the line.
    second = score_api(api, season.applicants[1], season.assessments[1]).json()
    assert (second["composite"], second["rank"], second["cut_line"]) == ("86.3", 2, "86.3")


@pytest.mark.parametrize("n", [0, 2, 3])
def test_the_breakdown_shows_no_other_applicants_score_or_name(client, api, season, n):
    applicant = season.applicants[n]
    names, scores = others_of(season, n)
    cut_line = "86.3"  # the line itself is public to every candidate of the specialty base
    page = offers_page(client, applicant).split("<main", 1)[1]
    body = json.dumps(score_api(api, applicant, season.assessments[n]).json(), ensure_ascii=False)
    for text in (page, body):
        for name in names:
            assert name not in text
        for value in scores:
            if value != cut_line:
                assert value not in text


def test_another_applicant_cannot_read_it(client, api, season):
    first, third = season.applicants[0], season.applicants[2]
    assert score_api(api, first, season.assessments[2]).status_code == 404
    anonymous = api(None).get(reverse("api-my-assessment-score", args=[season.assessments[2].pk]))
    assert anonymous.status_code in (401, 403)
    page = offers_page(client, first)
    assert "80.7" not in page and f'data-assessment="{season.assessments[2].pk}"' not in page
    assert score_api(api, third, season.assessments[2]).status_code == 200


def test_the_published_version_and_rank_hold_after_a_later_change_and_a_decline(client, api, season, people):
    with at(2026, 5, 6, 9):
        confirm_offer(actor=season.applicants[0].user, assessment=season.assessments[0], accept=False)
        change_formula(
            actor=people["province"],
            quota=season.quota,
            interview_weight=50,
            exam_weight=50,
            tie_break="exam_first",
            reason="全省统一",
        )
    body = score_api(api, season.applicants[2], season.assessments[2]).json()
    assert (body["formula_version"], body["composite"], body["rank"], body["cut_line"]) == (2, "80.7", 3, "86.3")
    # The office's ranking now uses version 3 and leaves out the applicant who declined.
    client.force_login(people["xiehe_office"])
    url = reverse("round-candidates", args=[1]) + f"?specialty_base={season.quota.specialty_base_id}"
    with at(2026, 5, 6, 10):
        sheet = client.get(url).context["sheet"]
    assert sheet.formula.version == 3
    assert [(c.applicant.full_name, c.composite) for c in sheet.ranking] == [
        ("申请人2", Decimal("86.0")),
        ("申请人3", Decimal("80.5")),
        ("申请人4", Decimal("75.5")),
    ]


def test_the_offers_page_asks_the_same_queries_however_many_candidates_were_ranked(client, world, season):
    third = season.applicants[2]
    client.force_login(third.user)

    def count():
        with CaptureQueriesContext(connection) as queries, at(2026, 5, 6, 9):
            page = client.get(reverse("offers")).content.decode()
        return len(queries), page

    count()  # the first request caches the applicant's records (educations, documents)
    few, page = count()
    assert "共 4 人参加排名" in page
    bulk_candidates(world["hubei_campaign"], Quota.objects.get(pk=season.quota.pk).specialty_base, 30)
    many, page = count()
    assert "共 34 人参加排名" in page
    assert many == few
