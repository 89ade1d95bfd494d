import datetime

import pytest
from django.utils import timezone

from policy.calendar import UnknownCalendarYear, add_working_days, is_working_day, publicity_last_day
from policy.models import CalendarYear, WorkingDayOverride

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # National Day and Mid-Autumn 2025: 1–8 October off, Sunday 28 Sep and Saturday 11 Oct worked.
        (D(2025, 9, 27), False),
        (D(2025, 9, 28), True),
        (D(2025, 10, 1), False),
        (D(2025, 10, 6), False),
        (D(2025, 10, 8), False),
        (D(2025, 10, 9), True),
        (D(2025, 10, 11), True),
        (D(2025, 10, 12), False),
        # Spring Festival 2026: 15–23 February off, Saturdays 14 and 28 February worked.
        (D(2026, 2, 13), True),
        (D(2026, 2, 14), True),
        (D(2026, 2, 16), False),
        (D(2026, 2, 23), False),
        (D(2026, 2, 24), True),
        (D(2026, 2, 28), True),
        (D(2026, 3, 1), False),
        # National Day 2026: 1–7 October off, Sunday 20 Sep and Saturday 10 Oct worked.
        (D(2026, 9, 19), False),
        (D(2026, 9, 20), True),
        (D(2026, 10, 1), False),
        (D(2026, 10, 7), False),
        (D(2026, 10, 8), True),
        (D(2026, 10, 10), True),
        (D(2026, 10, 11), False),
    ],
)
def test_holidays_and_make_up_workdays(day, working):
    assert is_working_day(day) is working


def test_publicity_across_national_day_2025_counts_the_make_up_days():
    # Published Friday 26 Sep: 28 Sep (Sun, worked), 29, 30 Sep, 9, 10 Oct, 11 Oct (Sat, worked), 13 Oct.
    assert publicity_last_day(D(2025, 9, 26)) == D(2025, 10, 13)


def test_publicity_across_national_day_2026():
    # Published Friday 25 Sep: 28, 29, 30 Sep, 8, 9 Oct, 10 Oct (Sat, worked), 12 Oct.
    assert publicity_last_day(D(2026, 9, 25)) == D(2026, 10, 12)


def test_publicity_across_spring_festival_2026():
    # Published Thursday 12 Feb: 13, 14 (Sat, worked), 24, 25, 26, 27 Feb and 28 Feb (Sat, worked).
    assert publicity_last_day(D(2026, 2, 12)) == D(2026, 2, 28)


def test_ordinary_week_skips_the_weekend():
    assert add_working_days(D(2026, 5, 29), 7) == D(2026, 6, 9)
    assert add_working_days(D(2026, 5, 29), 0) == D(2026, 5, 29)


def test_a_year_nobody_knows_is_an_error_not_a_guess():
    with pytest.raises(UnknownCalendarYear) as error:
        is_working_day(D(2030, 3, 4))
    assert "2030" in str(error.value)
    with pytest.raises(UnknownCalendarYear):
        publicity_last_day(D(2026, 12, 28))


def test_a_year_declared_complete_is_known():
    national = CalendarYear.objects.create(year=2030, declared_complete_at=timezone.now())
    WorkingDayOverride.objects.create(calendar_year=national, date=D(2030, 1, 1), is_working_day=False, note="元旦")
    WorkingDayOverride.objects.create(calendar_year=national, date=D(2030, 1, 5), is_working_day=True, note="调休上班")
    assert is_working_day(D(2030, 1, 1)) is False
    assert is_working_day(D(2030, 1, 5)) is True  # a Saturday
    assert is_working_day(D(2030, 1, 6)) is False  # an ordinary Sunday
    assert add_working_days(D(2030, 1, 4), 1) == D(2030, 1, 5)
    assert add_working_days(D(2030, 1, 5), 1) == D(2030, 1, 7)


def test_an_override_corrects_a_known_year():
    national = CalendarYear.objects.create(year=2026)
    WorkingDayOverride.objects.create(calendar_year=national, date=D(2026, 6, 1), is_working_day=False, note="临时调整")
    assert is_working_day(D(2026, 6, 1)) is False
