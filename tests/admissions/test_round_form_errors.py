"""A refused score sheet lists all its errors above the sheet's fields, and each beside its field."""

import pytest
from django.urls import reverse

from bases.services.quotas import do_set_quota
from tests.admissions.test_round_pages import at, qualified, score_post
from tests.form_helpers import html_of


@pytest.fixture
def rounds(world, people):
    campaign = world["hubei_campaign"]
    do_set_quota(actor=None, campaign=campaign, specialty_base=world["xiehe_internal"], places=1)
    return {"campaign": campaign, "internal": world["xiehe_internal"], **world, **people}


def test_two_bad_scores_are_both_named_on_the_sheet(client, rounds):
    [assessment] = qualified(rounds, 1)
    client.force_login(rounds["xiehe_staff"])
    with at(2026, 4, 28, 11):
        response = client.post(
            reverse("round-scores", args=[assessment.pk]),
            score_post(assessment, interview_score="101", exam_score="abc"),
        )
    assert response.status_code == 400
    doc = html_of(response)
    (sheet,) = doc.xpath('//form[@data-testid="score-form"]')
    (summary,) = sheet.xpath('.//*[@data-testid="error-summary"]')
    assert [" ".join(item.text_content().split()) for item in summary.xpath(".//li")] == [
        "面试成绩：面试成绩应在 0 到 100 之间，最多一位小数。",
        "专业考试成绩：专业考试成绩应为数字。",
    ]
    for name in ("interview_score", "exam_score"):
        (field,) = sheet.xpath(f'.//input[@name="s-{assessment.pk}-{name}"]')
        assert field.get("aria-invalid") == "true"
        assert f"{field.get('id')}_error" in field.get("aria-describedby").split()
