"""A bulk job's page in headless Chromium: the office that started it sees its progress bar move
as the job's state changes (polled by static/js/job-progress.js, served from the app's static
files), then the download link and the button to start it again once it is done."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from playwright.sync_api import expect

from portal.models import BulkJob, JobStatus
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.journeys import log_in

PASSWORD = "Correct-horse-9"  # tests.factories.user


@pytest.fixture
def running_job(transactional_db, world, people):
    return BulkJob.objects.create(
        key="admission-notices:browser",
        title="协和医院录取通知书",
        task="admissions.tasks.build_notice_archive",
        province=world["hubei"],
        training_base=world["xiehe"],
        started_by=people["xiehe_office"],
        status=JobStatus.RUNNING,
        total=120,
        done=50,
    )


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_progress_bar_follows_the_job_to_its_file(
    running_job, people, browser_cookies, live_server, new_page, screenshot, device
):
    page = new_page(device)
    scripts = []
    page.on("request", lambda request: scripts.append(request.url) if request.resource_type == "script" else None)
    url = live_server.url + reverse("job", args=[running_job.pk])
    log_in(page, url, people["xiehe_office"].username, PASSWORD)
    bar = page.locator("progress[data-job-progress]")
    status = page.get_by_test_id("job-status")
    expect(bar).to_have_attribute("value", "50")
    expect(status).to_contain_text("生成中")
    expect(status).to_contain_text("50 / 120")
    expect(page.get_by_test_id("job-result")).to_be_hidden()
    expect(page.get_by_role("button", name="重新生成")).to_be_hidden()
    assert scripts == [live_server.url + "/static/js/job-progress.js"], "the app's own script, no CDN"

    BulkJob.objects.filter(pk=running_job.pk).update(done=100)
    expect(status).to_contain_text("100 / 120")
    expect(status).to_contain_text("83%")
    screenshot(page, "1-running")

    running_job.refresh_from_db()
    running_job.result.save("job.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=False)
    running_job.done, running_job.status = 120, JobStatus.DONE
    running_job.save()
    expect(status).to_contain_text("已完成")
    expect(status).to_contain_text("100%")
    expect(bar).to_have_js_property("value", 120)
    expect(page.get_by_test_id("job-result")).to_be_visible()
    expect(page.get_by_role("button", name="重新生成")).to_be_visible()
    screenshot(page, "2-done")
    with page.expect_download() as download:
        page.get_by_test_id("job-result").click()
    assert download.value.suggested_filename == "协和医院录取通知书.zip"
