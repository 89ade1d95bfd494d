"""China's working days: public holidays and make-up workdays (调休) as the State Council sets them,
and where a province sets its own.

A year is known when the chinese-calendar package has it (the State Council's published years) or
when its office has entered every holiday and make-up workday and declared the year complete
(CalendarYear). Days a province enters override the national answer for that province. A year
neither knows is an error, never a guess: a publicity period computed from a guessed calendar could
end a day early.
"""

import datetime

import chinese_calendar
from django.db.models import Q
from django.utils.translation import gettext as _

from policy.models import CalendarYear


class UnknownCalendarYear(Exception):
    def __init__(self, year):
        self.year = year
        super().__init__(
            _(
                "%(year)s年的法定节假日和调休安排尚未录入：请省级管理部门在“工作日安排”页面录入该年全部节假日"
                "与调休上班日，并确认该年安排完整。"
            )
            % {"year": year}
        )


def package_knows(year):
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _years(year, province_id):
    """The national and (if any) the province's CalendarYear of `year`."""
    scope = Q(province__isnull=True) | Q(province_id=province_id) if province_id else Q(province__isnull=True)
    return CalendarYear.objects.filter(scope, year=year)


def year_is_known(year, *, province_id=None):
    return package_knows(year) or _years(year, province_id).filter(declared_complete_at__isnull=False).exists()


class WorkingDayCalendar:
    """Answers working-day questions for one province (or the country), reading each year once."""

    def __init__(self, province_id=None):
        self.province_id = province_id
        self._known = {}

    def _year(self, year):
        if year not in self._known:
            entered = sorted(
                _years(year, self.province_id).prefetch_related("days"), key=lambda y: y.province_id is not None
            )
            # National entries first, so that the province's own entry for a day wins.
            days = {day.date: day.is_working_day for calendar in entered for day in calendar.days.all()}
            known = package_knows(year) or any(calendar.declared_complete_at for calendar in entered)
            self._known[year] = (days, known)
        return self._known[year]

    def is_working_day(self, day):
        days, known = self._year(day.year)
        if not known:
            raise UnknownCalendarYear(day.year)
        if day in days:
            return days[day]
        if package_knows(day.year):
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def add_working_days(self, start, count):
        """The date that is `count` working days after `start` (`start` itself not counted)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day = start
        while count:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day


def is_working_day(day, *, province_id=None):
    return WorkingDayCalendar(province_id).is_working_day(day)


def add_working_days(start, count, *, province_id=None):
    return WorkingDayCalendar(province_id).add_working_days(start, count)


def publicity_last_day(published_on, working_days=7, *, province_id=None):
    """Last day (open until 24:00) of a publicity period published on `published_on`.

    The publication day is not counted, since it is rarely a whole day: a list published on a
    Friday afternoon is public for 7 full working days after it.
    """
    return add_working_days(published_on, working_days, province_id=province_id)


def state_council_days(year):
    """The package's holidays on weekdays and make-up workdays on weekends of `year`, as
    (date, is working day, name) — the default a province sees before entering its own."""
    if not package_knows(year):
        return []
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows = []
    day = first
    while day <= last:
        working = chinese_calendar.is_workday(day)
        if working != (day.weekday() < 5):
            _holiday, name = chinese_calendar.get_holiday_detail(day)
            festival = chinese_calendar.Holiday(name).chinese if name else ""
            rows.append((day, working, f"{festival}调休上班" if working and festival else festival))
        day += datetime.timedelta(days=1)
    return rows
