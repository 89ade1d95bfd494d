"""What an applicant typed into the profile form survives a reload (a dropped connection, a
session that timed out): it is autosaved as a draft and put back with a notice, until it is
saved or the draft is discarded."""

from django.urls import reverse
from playwright.sync_api import expect

from admissions.models import Applicant
from admissions.services.applicants import register_applicant
from tests.browser.journeys import log_in

PASSWORD = "Residency-2026!"


def test_a_half_filled_profile_is_restored_after_a_reload(transactional_db, live_server, phone, screenshot):
    applicant = register_applicant(login="13800000001", password=PASSWORD, full_name="申请人")
    page = phone
    log_in(page, live_server.url + reverse("applicant-profile"), "13800000001", PASSWORD)
    form = page.get_by_test_id("profile-form")
    form.locator("#id_mobile").fill("13912345678")
    form.locator("#id_employer_city").fill("武汉市")
    form.locator("#id_declares_fit").check()
    expect(form).to_have_attribute("data-autosaved", "true")

    page.reload()
    expect(page.get_by_test_id("draft-notice")).to_contain_text("已恢复您上次未提交的内容")
    expect(form.locator("#id_mobile")).to_have_value("13912345678")
    expect(form.locator("#id_employer_city")).to_have_value("武汉市")
    expect(form.locator("#id_declares_fit")).to_be_checked()
    screenshot(page, "restored")
    # Restored, not submitted: the record is unchanged until the applicant saves.
    assert Applicant.objects.get(pk=applicant.pk).employer_city == ""

    page.get_by_test_id("discard-draft").click()
    expect(page.get_by_test_id("draft-notice")).to_have_count(0)
    expect(form.locator("#id_employer_city")).to_have_value("")
