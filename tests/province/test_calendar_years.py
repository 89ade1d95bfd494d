"""Issue 11, items 6–8: a year the State Council's published list does not cover is known only once
the provincial office has entered its holidays and make-up workdays and declared it complete; the
office does so on its own page or through the API, for its own province; the dashboard warns from
1 December; and an unknown year is a clear refusal to whoever acts, never a 500."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from admissions.services.publicity import publish_list
from policy.calendar import UnknownCalendarYear, add_working_days, is_working_day, publicity_last_day
from policy.models import CalendarYear, WorkingDayOverride
from policy.services.calendar import DayEntry, declare_year_complete, enter_calendar_days, reopen_year
from portal.errors import DomainError
from portal.models import AuditEvent
from tests import factories
from tests.admissions.test_publicity_pages import build_round1
from tests.round_helpers import at

D = datetime.date

# The 2027 holidays a provincial office would copy from the State Council's notice (weekdays off
# and weekend make-up workdays); eight weekday holidays, more than the seven a year needs at least.
HOLIDAYS_2027 = [
    DayEntry(D(2027, 1, 1), False, "元旦"),
    DayEntry(D(2027, 2, 8), False, "春节"),
    DayEntry(D(2027, 2, 9), False, "春节"),
    DayEntry(D(2027, 2, 10), False, "春节"),
    DayEntry(D(2027, 2, 11), False, "春节"),
    DayEntry(D(2027, 2, 13), True, "春节调休上班"),
    DayEntry(D(2027, 4, 5), False, "清明"),
    DayEntry(D(2027, 5, 3), False, "劳动节"),
    DayEntry(D(2027, 10, 1), False, "国庆节"),
]


def test_one_entered_day_does_not_make_the_rest_of_the_year_known(world):
    national = CalendarYear.objects.create(year=2027)
    WorkingDayOverride.objects.create(calendar_year=national, date=D(2027, 1, 1), is_working_day=False, note="元旦")
    with pytest.raises(UnknownCalendarYear):
        is_working_day(D(2027, 10, 1))  # would have been guessed a Friday at work
    with pytest.raises(UnknownCalendarYear):
        is_working_day(D(2027, 1, 1))


def test_a_province_declares_its_year_complete_and_only_it_knows_it(people, world):
    province = people["province"]
    enter_calendar_days(actor=province, year=2027, days=HOLIDAYS_2027)
    with pytest.raises(UnknownCalendarYear):
        is_working_day(D(2027, 10, 1), province_id=world["hubei"].pk)  # entered, not yet declared
    declare_year_complete(actor=province, year=2027)
    hubei = world["hubei"].pk
    assert is_working_day(D(2027, 10, 1), province_id=hubei) is False
    assert is_working_day(D(2027, 2, 13), province_id=hubei) is True  # a Saturday worked
    assert is_working_day(D(2027, 10, 4), province_id=hubei) is True  # not entered: the week decides
    # Hubei's 2027 is not Hunan's.
    with pytest.raises(UnknownCalendarYear):
        is_working_day(D(2027, 10, 1), province_id=world["hunan"].pk)
    assert AuditEvent.objects.filter(action="calendar.declared_complete").count() == 1


def test_a_province_entry_overrides_the_state_councils_day(people, world):
    enter_calendar_days(actor=people["province"], year=2026, days=[DayEntry(D(2026, 6, 3), False, "本省安排")])
    assert is_working_day(D(2026, 6, 3), province_id=world["hubei"].pk) is False
    assert is_working_day(D(2026, 6, 3), province_id=world["hunan"].pk) is True
    assert is_working_day(D(2026, 10, 1), province_id=world["hubei"].pk) is False  # the package's holidays stay


def test_declaring_a_plainly_incomplete_year_is_refused(people):
    enter_calendar_days(actor=people["province"], year=2027, days=HOLIDAYS_2027[:3])
    with pytest.raises(DomainError) as refused:
        declare_year_complete(actor=people["province"], year=2027)
    assert refused.value.code == "incomplete" and "3 个" in refused.value.message


def test_a_declared_year_is_changed_only_after_reopening(people):
    province = people["province"]
    enter_calendar_days(actor=province, year=2027, days=HOLIDAYS_2027)
    declare_year_complete(actor=province, year=2027)
    extra = [DayEntry(D(2027, 10, 4), False, "国庆节")]
    with pytest.raises(DomainError):
        enter_calendar_days(actor=province, year=2027, days=extra)
    reopen_year(actor=province, year=2027, reason="补录国庆假期")
    enter_calendar_days(actor=province, year=2027, days=extra)
    with pytest.raises(UnknownCalendarYear):
        is_working_day(D(2027, 10, 4), province_id=province.province_id)


def test_entries_are_checked(people):
    province = people["province"]
    with pytest.raises(DomainError) as refused:
        enter_calendar_days(
            actor=province,
            year=2027,
            days=[DayEntry(D(2027, 10, 2), False, "国庆节"), DayEntry(D(2026, 10, 1), False, "国庆节")],
        )
    assert "2027-10-02 本来就是休息日" in refused.value.message and "2026-10-01 不在 2027 年" in refused.value.message


def test_only_a_provincial_office_enters_a_calendar(people):
    for who in ("xiehe_office", "applicant"):
        with pytest.raises(PermissionDenied):
            enter_calendar_days(actor=people[who], year=2027, days=HOLIDAYS_2027)


def test_the_page_enters_lines_and_declares(client, people, world):
    client.force_login(people["province"])
    url = reverse("province-calendar") + "?year=2027"
    lines = "\n".join(f"{e.date} {'班' if e.is_working_day else '休'} {e.note}" for e in HOLIDAYS_2027)
    with at(2026, 12, 3, 10):
        page = client.get(url).content.decode()
        assert "未知" in page
        bad = client.post(url, {"year": 2027, "lines": "2027-13-01 休 国庆"})
        assert bad.status_code == 400 and "第1行格式不对" in bad.content.decode()
        client.post(url, {"year": 2027, "lines": lines})
        client.post(reverse("province-calendar-declare"), {"year": 2027})
        page = client.get(url).content.decode()
    assert "已录入并确认完整" in page and "春节调休上班" in page
    assert CalendarYear.objects.get(province=world["hubei"], year=2027).declared_complete_at is not None
    client.force_login(people["xiehe_office"])
    assert client.get(url).status_code == 403


def test_the_page_shows_the_state_councils_list_by_default(client, people):
    client.force_login(people["province"])
    page = client.get(reverse("province-calendar") + "?year=2026").content.decode()
    assert "国务院办公厅已公布" in page and "国庆节" in page and "2026-10-01" in page


def test_the_api_enters_declares_and_reads_the_year(people, world):
    api = factories.api_client(people["province"])
    days = [{"date": e.date.isoformat(), "is_working_day": e.is_working_day, "note": e.note} for e in HOLIDAYS_2027]
    entered = api.post(reverse("api-calendar-days", args=[2027]), {"days": days}, format="json")
    assert entered.status_code == 200 and entered.json()["known"] is False
    declared = api.post(reverse("api-calendar-complete", args=[2027]))
    assert declared.status_code == 200 and declared.json()["source"] == "declared"
    again = api.post(reverse("api-calendar-days", args=[2027]), {"days": days[:1]}, format="json")
    assert again.status_code == 409
    hunan = factories.api_client(people["hunan_province"]).get(reverse("api-calendar-year", args=[2027]))
    assert hunan.json()["known"] is False  # Hubei's declaration is Hubei's
    office = factories.api_client(people["xiehe_office"]).get(reverse("api-calendar-year", args=[2027]))
    assert office.status_code == 403


def test_the_dashboard_warns_from_1_december_when_next_year_is_unknown(client, people, world):
    client.force_login(people["province"])
    with at(2026, 11, 30, 10):
        assert 'data-testid="calendar-warning"' not in client.get(reverse("province-dashboard")).content.decode()
    with at(2026, 12, 1, 9):
        page = client.get(reverse("province-dashboard")).content.decode()
    assert 'data-testid="calendar-warning"' in page and "2027年的法定节假日和调休安排尚未录入" in page
    enter_calendar_days(actor=people["province"], year=2027, days=HOLIDAYS_2027)
    declare_year_complete(actor=people["province"], year=2027)
    with at(2026, 12, 1, 9):
        assert 'data-testid="calendar-warning"' not in client.get(reverse("province-dashboard")).content.decode()


# 8. An unknown year is a clear message to whoever acts ---------------------------------------------


def test_publishing_on_28_december_into_an_unknown_year_is_refused_clearly(world, people, client):
    round1 = build_round1(world, people, places=1, candidates=1, publish=False)
    campaign = world["hubei_campaign"]
    # A late round (the dates moved to December) whose 7 working days run into 2027.
    type(campaign).objects.filter(pk=campaign.pk).update(
        round1_publicity_by=D(2026, 12, 31), round2_publicity_by=D(2026, 12, 31)
    )
    campaign.refresh_from_db()
    with at(2026, 12, 28, 10):
        with pytest.raises(DomainError) as refused:
            publish_list(actor=round1.office, campaign=campaign, training_base=world["xiehe"], round_number=1)
        assert refused.value.code == "calendar_unknown" and "2027年" in refused.value.message
        client.force_login(round1.office)
        page = client.post(reverse("round-publish", args=[1]), follow=True)
        api = factories.api_client(round1.office).post(reverse("api-publicity-lists"), {"round": 1}, format="json")
    assert page.status_code == 200 and "2027年的法定节假日和调休安排尚未录入" in page.content.decode()
    assert api.status_code == 409 and api.json()["code"] == "calendar_unknown"
    # Once Hubei's 2027 is entered and declared, the same list is published.
    enter_calendar_days(actor=people["province"], year=2027, days=HOLIDAYS_2027)
    declare_year_complete(actor=people["province"], year=2027)
    with at(2026, 12, 28, 10):
        listed = publish_list(actor=round1.office, campaign=campaign, training_base=world["xiehe"], round_number=1)
    assert listed.last_day == add_working_days(D(2026, 12, 28), 7, province_id=world["hubei"].pk) == D(2027, 1, 7)


def test_the_package_years_still_need_nothing_entered(db):
    assert publicity_last_day(D(2026, 4, 29)) == D(2026, 5, 12)
