"""China's working days: public holidays and make-up workdays (调休) as the State Council sets them.

The chinese-calendar package knows the published years; the provincial office enters a year it
does not know yet as WorkingDayOverride rows. A year neither knows is an error, never a guess:
a publicity period computed from a guessed calendar could end a day early.
"""

import datetime

import chinese_calendar
from django.utils.translation import gettext as _

from policy.models import WorkingDayOverride


class UnknownCalendarYear(Exception):
    def __init__(self, year):
        self.year = year
        super().__init__(
            _("%(year)s年的法定节假日和调休安排尚未录入：请省级管理员在“工作日调整”中录入该年全部节假日与调休上班日。")
            % {"year": year}
        )


class WorkingDayCalendar:
    """Answers working-day questions, reading the override table once per year it is asked about."""

    def __init__(self):
        self._overrides = {}

    def _overrides_for(self, year):
        if year not in self._overrides:
            self._overrides[year] = dict(
                WorkingDayOverride.objects.filter(date__year=year).values_list("date", "is_working_day")
            )
        return self._overrides[year]

    def is_working_day(self, day):
        overrides = self._overrides_for(day.year)
        if day in overrides:
            return overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if overrides:
                return day.weekday() < 5
            raise UnknownCalendarYear(day.year) from None

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


def is_working_day(day):
    return WorkingDayCalendar().is_working_day(day)


def add_working_days(start, count):
    return WorkingDayCalendar().add_working_days(start, count)


def publicity_last_day(published_on, working_days=7):
    """Last day (open until 24:00) of a publicity period published on `published_on`.

    The publication day is not counted, since it is rarely a whole day: a list published on a
    Friday afternoon is public for 7 full working days after it.
    """
    return add_working_days(published_on, working_days)
