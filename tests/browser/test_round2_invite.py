"""Round 2 in headless Chromium, through the login form on both sides: Tongji's training-base office
searches the unadmitted applicants for its internal medicine, sees one refused by Xiehe in round 1
(ID number masked), invites it with a message and sees the invitation pending; the applicant, on a
phone, sees the invitation with the base's name and accepts it, which files its round-2 choice."""

import re

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from admissions.models import Application, Invitation, InvitationStatus
from admissions.services.assessments import review_qualification
from admissions.services.choices import submit_choice
from bases.services.quotas import do_set_quota
from portal.privacy import mask_id_number
from tests.applicant_helpers import complete_applicant
from tests.browser.conftest import PHONE
from tests.browser.journeys import assert_no_horizontal_scroll, log_in, messages, server_clock, shanghai

OFFICE_PASSWORD = "Correct-horse-9"  # tests.factories.user
APPLICANT_PASSWORD = "Residency-2026!"  # tests.applicant_helpers.complete_applicant


def at(*args):
    return time_machine.travel(shanghai(*args), tick=False)


@pytest.fixture
def refused(world, people):
    """Zhao chose Xiehe's internal medicine in round 1 and failed the qualification review; Tongji's
    internal medicine has two places in the plan. Committed, so the live server thread sees it all."""
    campaign = world["hubei_campaign"]
    for specialty_base in (world["xiehe_internal"], world["tongji_internal"]):
        do_set_quota(actor=None, campaign=campaign, specialty_base=specialty_base, places=2)
    zhao = complete_applicant(3)
    with at(2026, 4, 12, 9):
        choice = submit_choice(
            actor=zhao.user, applicant=zhao, campaign=campaign, specialty_base=world["xiehe_internal"]
        ).application
    with at(2026, 4, 28, 9):
        review_qualification(actor=people["xiehe_staff"], application=choice, passed=False, note="学历证明材料不全")
    return {"zhao": zhao, "tongji_internal": world["tongji_internal"], "office": people["tongji_office"]}


@pytest.fixture
def round2_window(browser_cookies):
    """Server clock at 2026-06-03 10:00 in Shanghai, inside the round-2 window, still ticking."""
    with server_clock(2026, 6, 3, 10, 0):
        yield


def test_a_base_invites_in_round_two_and_the_applicant_accepts(
    refused, round2_window, live_server, desktop, new_page, screenshot
):
    # The applicant's phone has a context of its own, so that the office's session stays open.
    office, phone = desktop, new_page(PHONE)
    zhao, tongji_internal = refused["zhao"], refused["tongji_internal"]
    invite_url = live_server.url + reverse("round2-invite")

    # The office opens the invitation page and searches for candidates for its internal medicine.
    log_in(office, invite_url, refused["office"].username, OFFICE_PASSWORD)
    expect(office.locator("h1")).to_have_text("第二批次复试邀请")
    expect(office.get_by_test_id("invite-window")).not_to_contain_text("现在不能发出邀请")
    search = office.get_by_test_id("invite-search")
    search.get_by_label("邀请专业基地").select_option(label="内科")
    search.get_by_role("button", name="搜索").click()
    office.wait_for_url(re.compile(rf"specialty_base={tongji_internal.pk}"))

    row = office.get_by_test_id("invite-row").filter(has_text=zhao.full_name)
    expect(office.get_by_test_id("invite-row")).to_have_count(1)
    expect(row.locator(".id-number")).to_have_text(mask_id_number(zhao.id_number))
    expect(office.locator("body")).not_to_contain_text(zhao.id_number)
    assert zhao.id_number not in office.content()
    expect(row.locator(".verdict-yes")).to_have_text("符合")
    expect(office.get_by_test_id("sent-invitations")).to_contain_text("还没有发出邀请。")
    screenshot(office, "1-office-search")

    # It invites Zhao with a message; the row and the list of sent invitations show it pending.
    row.get_by_label("邀请说明").fill("欢迎参加内科复试")
    row.get_by_role("button", name="邀请", exact=True).click()
    expect(messages(office)).to_contain_text(f"已向{zhao.full_name}发出复试邀请（内科）。")
    row = office.get_by_test_id("invite-row").filter(has_text=zhao.full_name)
    expect(row).to_contain_text("已邀请，待回复")
    expect(row.get_by_role("button", name="邀请", exact=True)).to_have_count(0)
    sent = office.get_by_test_id("sent-invitation")
    expect(sent).to_have_count(1)
    expect(sent).to_contain_text(zhao.full_name)
    expect(sent).to_contain_text("内科")
    expect(sent.locator(".status")).to_have_text("待回复")
    assert zhao.id_number not in office.content()
    screenshot(office, "2-office-invited")

    # The applicant, on a phone, sees the invitation with the base's name, the message, pending.
    log_in(phone, live_server.url + reverse("offers"), zhao.user.username, APPLICANT_PASSWORD)
    expect(phone.get_by_test_id("offer").get_by_test_id("stage")).to_have_text("资格审核未通过")
    card = phone.get_by_test_id("invitation")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("同济医院 · 内科")
    expect(card).to_contain_text("欢迎参加内科复试")
    expect(card.get_by_test_id("invitation-status")).to_have_text("待回复")
    assert_no_horizontal_scroll(phone)
    screenshot(phone, "3-applicant-invited")

    # It accepts; the invitation shows accepted and nothing is left to answer.
    card.get_by_role("button", name="接受", exact=True).click()
    expect(messages(phone)).to_contain_text("您已接受同济医院 · 内科的复试邀请")
    card = phone.get_by_test_id("invitation")
    expect(card.get_by_test_id("invitation-status")).to_have_text("已接受")
    expect(phone.get_by_test_id("invitations").get_by_role("button")).to_have_count(0)
    assert_no_horizontal_scroll(phone)
    screenshot(phone, "4-applicant-accepted")

    # Back at the office, the invitation is accepted and Zhao is no longer in the search.
    office.reload()
    expect(office.get_by_test_id("sent-invitation").locator(".status")).to_have_text("已接受")
    expect(office.get_by_test_id("invite-row")).to_have_count(0)
    screenshot(office, "5-office-accepted")

    invitation = Invitation.objects.get()
    assert (invitation.status, invitation.specialty_base, invitation.applicant) == (
        InvitationStatus.ACCEPTED,
        tongji_internal,
        zhao,
    )
    assert invitation.message == "欢迎参加内科复试"
    assert invitation.invited_by == refused["office"]
    round2 = Application.objects.get(applicant=zhao, round=2)
    assert round2.specialty_base == tongji_internal
