"""Objections in headless Chromium: the office handles one objection and closes the open copies
about the same candidate in one action (issue 11, item 12)."""

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from admissions.models import Objection, ObjectionStatus, PublicityEntry
from admissions.services.publicity import raise_objection
from portal.models import Role, User
from tests import factories
from tests.admissions.test_publicity_pages import build_round1
from tests.browser.journeys import log_in, messages, server_clock, shanghai

PASSWORD = "Objection-office-2026"


@pytest.fixture
def objections(transactional_db):
    world_province = factories.province()
    campaign = factories.campaign(world_province)
    xiehe = factories.training_base(world_province, "协和医院")
    internal = factories.specialty_base(xiehe, factories.specialty("0100", "内科"))
    office = User.objects.create_user(
        username="xiehe-office", password=PASSWORD, role=Role.BASE_OFFICE, training_base=xiehe, province=world_province
    )
    staff = factories.user(Role.SPECIALTY_BASE_STAFF, specialty_base=internal)
    world = {"hubei_campaign": campaign, "xiehe": xiehe, "xiehe_internal": internal}
    build_round1(world, {"xiehe_office": office, "xiehe_staff": staff}, places=1, candidates=1)
    entry = PublicityEntry.objects.get()
    with time_machine.travel(shanghai(2026, 5, 6, 9), tick=False):
        return [
            raise_objection(actor=factories.user(Role.APPLICANT), entry=entry, contact="139000011", text=f"学历存疑{n}")
            for n in range(3)
        ]


def test_the_office_closes_copies_of_a_handled_objection_at_once(objections, browser_cookies, live_server, desktop):
    first, *copies = objections
    url = live_server.url + reverse("publicity-manage")
    with server_clock(2026, 5, 7, 9, 0):
        log_in(desktop, url, "xiehe-office", PASSWORD)
        handled = desktop.locator(f"#objection-{first.pk}")
        handled.get_by_label("异议不成立").check()
        handled.get_by_label("处理情况").fill("经核实学历真实")
        handled.get_by_role("button", name="记录处理结果").click()
        expect(messages(desktop)).to_contain_text("已记录：异议不成立。")

        form = desktop.locator(f"#objection-{first.pk}").get_by_test_id("duplicates-form")
        for copy in copies:
            expect(form.get_by_label(f"第{copy.pk}号", exact=False)).to_be_checked()
        form.get_by_label("处理情况").fill("内容相同，已一并核实")
        form.get_by_role("button", name="一并处理所选异议").click()
        expect(messages(desktop)).to_contain_text("已将 2 条重复异议一并处理。")
        expect(desktop.get_by_test_id("duplicates-form")).to_have_count(0)
    assert set(Objection.objects.values_list("status", flat=True)) == {ObjectionStatus.DISMISSED}
    assert {o.duplicate_of_id for o in Objection.objects.exclude(pk=first.pk)} == {first.pk}
