"""Round 1 in headless Chromium, through the real pages and the login form: the specialty-base staff
review two candidates' qualification and enter their scores (a score of 101 is refused), the
training-base office sees the ranking with its cut line, proposes one candidate, turns the other
down and publishes the list, and the public publicity page shows it with its last day."""

import re

import pytest
import time_machine
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from admissions.models import Assessment, PublicityList, Stage
from admissions.services.choices import submit_choice
from bases.services.quotas import do_set_quota
from portal.models import Role, User
from tests import factories
from tests.applicant_helpers import complete_applicant
from tests.browser.conftest import DESKTOP
from tests.browser.journeys import (
    enter_scores,
    log_in,
    messages,
    ranking_row,
    review,
    server_clock,
    shanghai,
    sheet,
)

PASSWORD = "Round-office-2026"


@pytest.fixture
def base(transactional_db):
    """协和医院 with internal medicine (one place), its office and the specialty's staff, and two
    applicants who chose it in round 1, committed so that the live server thread sees them."""
    province = factories.province()
    campaign = factories.campaign(province)
    xiehe = factories.training_base(province, "协和医院")
    internal = factories.specialty_base(xiehe, factories.specialty("0100", "内科"))
    do_set_quota(actor=None, campaign=campaign, specialty_base=internal, places=1)
    User.objects.create_user(
        username="xiehe-office", password=PASSWORD, role=Role.BASE_OFFICE, training_base=xiehe, province=province
    )
    User.objects.create_user(
        username="xiehe-office-2", password=PASSWORD, role=Role.BASE_OFFICE, training_base=xiehe, province=province
    )
    User.objects.create_user(
        username="internal-staff",
        password=PASSWORD,
        role=Role.SPECIALTY_BASE_STAFF,
        specialty_base=internal,
        training_base=xiehe,
        province=province,
    )
    applicants = [complete_applicant(n) for n in (1, 2)]
    with time_machine.travel(shanghai(2026, 4, 10, 9), tick=False):
        for applicant in applicants:
            submit_choice(actor=applicant.user, applicant=applicant, campaign=campaign, specialty_base=internal)
    return {"campaign": campaign, "internal": internal, "applicants": applicants}


@pytest.fixture
def assessment_window(browser_cookies):
    """Server clock at 2026-04-27 10:00 in Shanghai, inside round 1's assessment, still ticking."""
    with server_clock(2026, 4, 27, 10, 0):
        yield


def test_office_scores_decides_and_publishes(base, assessment_window, live_server, desktop, new_page, screenshot):
    staff, office = desktop, new_page(DESKTOP)
    internal = base["internal"]
    candidates_url = f"{live_server.url}{reverse('round-candidates', args=[1])}?specialty_base={internal.pk}"

    # The specialty's staff review both candidates' qualification.
    log_in(staff, live_server.url + reverse("round-candidates", args=[1]), "internal-staff", PASSWORD)
    expect(staff.locator("h1")).to_contain_text("协和医院 · 内科")
    expect(staff.get_by_test_id("sheet")).to_have_count(2)
    expect(ranking_row(staff, "申请人1").locator(".qualification")).to_have_text("待审核")
    screenshot(staff, "1-staff-candidates")
    review(staff, "申请人1")
    review(staff, "申请人2")
    expect(ranking_row(staff, "申请人2").locator(".qualification")).to_have_text("通过")

    # They enter the scores; 101 is refused with a message and the sheet keeps what was typed.
    enter_scores(staff, "申请人1", "101", "90.5", "基础扎实，临床思维清晰", "建议录取")
    expect(messages(staff)).to_contain_text("面试成绩应在 0 到 100 之间，最多一位小数。")
    expect(sheet(staff, "申请人1").get_by_label("整体意见", exact=True)).to_have_value("基础扎实，临床思维清晰")
    enter_scores(staff, "申请人1", "88.5", "90.5", "基础扎实，临床思维清晰", "建议录取")
    expect(messages(staff)).to_contain_text("已保存申请人1的成绩和评价。")
    enter_scores(staff, "申请人2", "80", "79", "表现尚可", "建议备选")
    expect(messages(staff)).to_contain_text("已保存申请人2的成绩和评价。")
    expect(ranking_row(staff, "申请人1").locator(".composite")).to_have_text("89.5")
    expect(ranking_row(staff, "申请人2").locator(".composite")).to_have_text("79.5")
    expect(ranking_row(staff, "申请人1").get_by_role("button", name="拟录取")).to_have_count(0)
    screenshot(staff, "2-staff-scored")

    # The office sees the ranking, the tie-break and the cut line after its one place.
    log_in(office, candidates_url, "xiehe-office", PASSWORD)
    ranking = office.get_by_test_id("ranking")
    expect(ranking_row(office, "申请人1").locator(".rank")).to_have_text("1")
    expect(ranking_row(office, "申请人2").locator(".rank")).to_have_text("2")
    expect(ranking.get_by_test_id("cut-line")).to_contain_text("录取线：招收计划 1 人")
    expect(office.get_by_test_id("tie-break")).to_contain_text("依次按专业考试成绩、面试成绩从高到低排序")
    screenshot(office, "3-office-ranking")

    # It proposes the first, turns the second down, and publishes the list.
    ranking_row(office, "申请人1").get_by_role("button", name="拟录取").click()
    expect(messages(office)).to_contain_text("已将申请人1列为拟录取。")
    ranking_row(office, "申请人2").get_by_role("button", name="不录取").click()
    expect(messages(office)).to_contain_text("已决定不录取申请人2。")
    expect(ranking_row(office, "申请人1").locator(".stage")).to_contain_text("拟录取")
    expect(office.get_by_test_id("places")).to_have_text("1")
    expect(office.get_by_test_id("taken")).to_have_text("1")
    office.get_by_test_id("publish").get_by_role("button", name="预览发布").click()
    office.wait_for_url(re.compile(r"/releases/\d+/$"))
    expect(office.get_by_test_id("preview-entering")).to_contain_text("申请人1")
    expect(office.get_by_role("button", name="确认发布")).to_be_disabled()

    # A second person of the office publishes what the preview shows.
    colleague = new_page(DESKTOP)
    log_in(colleague, office.url, "xiehe-office-2", PASSWORD)
    colleague.get_by_role("button", name="确认发布").click()
    expect(messages(colleague)).to_contain_text("已确认发布。")
    office.goto(live_server.url + reverse("publicity-manage"))

    publicity = PublicityList.objects.get()
    last_day = f"{publicity.last_day.year}年{publicity.last_day.month}月{publicity.last_day.day}日"
    listed = office.get_by_test_id("publicity-list")
    expect(listed.get_by_test_id("last-day")).to_have_text(f"{last_day}24时")
    expect(listed.get_by_test_id("publicity-entry")).to_have_count(1)
    expect(listed).to_contain_text("申请人1")
    screenshot(office, "4-office-published")

    # The public page (for anyone) shows the list and when it ends.
    try:
        public_url = live_server.url + reverse("publicity-public", args=[publicity.pk])
    except NoReverseMatch:  # the public page is not there: the office's page above has shown it
        public_url = None
    if public_url:
        office.goto(public_url)
        expect(office.locator("main")).to_contain_text("申请人1")
        expect(office.locator("main")).not_to_contain_text("申请人2")
        expect(office.locator("main")).to_contain_text(f"{last_day}24时")
        screenshot(office, "5-public")

    first, second = (Assessment.objects.get(application__applicant=a) for a in base["applicants"])
    assert (first.stage, second.stage) == (Stage.PROPOSED, Stage.NOT_ADMITTED)
    assert first.interview_score == 88.5 and first.opinion == "admit"
    assert publicity.entries.get().assessment == first
