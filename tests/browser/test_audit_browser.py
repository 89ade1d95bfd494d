"""The provincial office, in headless Chromium, opens the audit browser from its dashboard, filters
by a training base and a kind, and sees only the matching events."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from portal.audit import record_event
from tests.browser.journeys import SHANGHAI, log_in

OFFICE_PASSWORD = "Correct-horse-9"  # tests.factories.user


@pytest.fixture
def events(world, people):
    """Events of both Hubei bases and of Hunan, a day apart each; committed for the live server."""
    happenings = [
        (people["province"], "quota.set", world["xiehe_internal"]),
        (people["xiehe_office"], "brochure.submit", world["xiehe_internal"]),
        (people["tongji_office"], "brochure.submit", world["tongji_internal"]),
        (people["province"], "quota.set", world["tongji_internal"]),
        (people["tongji_office"], "quota_increase.request", world["tongji_internal"]),
        (people["hunan_province"], "brochure.submit", world["changsha_internal"]),
    ]
    for day, (actor, action, obj) in enumerate(happenings, start=1):
        with time_machine.travel(datetime.datetime(2026, 3, day, 9, tzinfo=SHANGHAI), tick=False):
            record_event(actor=actor, action=action, obj=obj, before={"n": day}, after={"n": day + 1})


def test_the_province_filters_the_audit_log_by_base_and_kind(events, people, world, live_server, desktop, screenshot):
    page = desktop
    dashboard = live_server.url + reverse("province-dashboard")
    log_in(page, dashboard, people["province"].username, OFFICE_PASSWORD)

    page.get_by_role("link", name="审计日志").click()
    page.wait_for_url(live_server.url + reverse("audit-events"))
    rows = page.get_by_test_id("audit-row")
    expect(rows).to_have_count(5)  # Hubei's five, none of Hunan's
    expect(page.get_by_test_id("audit-table")).not_to_contain_text("湘雅医院")
    screenshot(page, "1-all")

    filters = page.get_by_test_id("audit-filters")
    filters.get_by_label("住培基地").select_option(label="同济医院")
    filters.get_by_label("操作类别").select_option(value="quota")
    filters.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(rf"training_base={world['tongji'].pk}.*kind=quota"))

    expect(rows).to_have_count(1)
    expect(rows.get_by_test_id("audit-base")).to_have_text("同济医院")
    expect(rows.get_by_test_id("audit-action")).to_have_text("quota.set")  # not quota_increase.request
    expect(rows).to_contain_text("2026-03-04 09:00:00")
    expect(rows).to_contain_text("n: 4 → 5")
    expect(page.get_by_test_id("audit-count")).to_have_text("共 1 条记录")
    expect(page.get_by_test_id("audit-export")).to_have_attribute("href", re.compile(r"export\.csv\?.*kind=quota"))
    screenshot(page, "2-tongji-quota")

    # The kind of the other base narrows the other way.
    filters.get_by_label("住培基地").select_option(label="协和医院")
    filters.get_by_label("操作类别").select_option(value="brochure")
    filters.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(rf"training_base={world['xiehe'].pk}.*kind=brochure"))
    expect(rows).to_have_count(1)
    expect(rows.get_by_test_id("audit-actor")).to_have_text(people["xiehe_office"].username)
