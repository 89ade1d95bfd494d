"""The provincial office enters a year's holidays and make-up workdays and declares the year complete
(policy/calendar.py reads them). Its own province only; the State Council's list, where the
chinese-calendar package has it, is the default every province sees."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from policy.calendar import package_knows
from policy.models import CalendarYear, WorkingDayOverride
from portal.audit import record_event, record_events
from portal.errors import DomainError
from portal.models import Role, User
from portal.permissions import require_role

# Weekday holidays every year has at least (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆 — most of
# several days): a year declared complete with fewer has plainly been left half entered.
MIN_WEEKDAY_HOLIDAYS = 7
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class DayEntry:
    date: datetime.date
    is_working_day: bool
    note: str


class CalendarInvalid(DomainError):
    status = 400
    code = "invalid"


def _province_of(actor):
    require_role(actor, Role.PROVINCIAL_OFFICE)
    if actor.province_id is None:
        raise DomainError(_("账号未关联省份，不能维护工作日安排。"), status=403, code="no_province")
    return actor.province_id


def _check_year(year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarInvalid(_("年度应在 %(first)s 至 %(last)s 之间。") % {"first": FIRST_YEAR, "last": LAST_YEAR})


def _locked_year(province_id, year):
    """The province's CalendarYear of `year`, created if need be, locked."""
    try:
        with transaction.atomic():
            CalendarYear.objects.get_or_create(province_id=province_id, year=year)
    except IntegrityError:
        pass  # created at the same moment by another request: lock that one
    return CalendarYear.objects.select_for_update().get(province_id=province_id, year=year)


def _require_open(calendar):
    if calendar.declared_complete_at:
        raise DomainError(
            _("%(year)s年的工作日安排已确认完整；如需修改，请先撤销确认。") % {"year": calendar.year},
            code="declared_complete",
        )


def enter_calendar_days(*, actor: User, year: int, days: list[DayEntry]):
    """Enter (or correct) days of the actor's province's `year`: holidays on weekdays, make-up
    workdays on weekends. Returns the days saved."""
    province_id = _province_of(actor)
    _check_year(year)
    if not days:
        raise CalendarInvalid(_("请至少填写一天。"))
    problems = []
    for entry in days:
        if entry.date.year != year:
            problems.append(_("%(day)s 不在 %(year)s 年。") % {"day": entry.date.isoformat(), "year": year})
        elif entry.is_working_day == (entry.date.weekday() < 5) and not package_knows(year):
            problems.append(
                _("%(day)s 本来就是%(kind)s，无需录入。")
                % {"day": entry.date.isoformat(), "kind": _("工作日") if entry.is_working_day else _("休息日")}
            )
        elif not entry.note.strip():
            problems.append(_("%(day)s 请写明节日或调休说明。") % {"day": entry.date.isoformat()})
    if len({entry.date for entry in days}) != len(days):
        problems.append(_("同一天填写了不止一次。"))
    if problems:
        raise CalendarInvalid("；".join(problems))
    with transaction.atomic():
        calendar = _locked_year(province_id, year)
        _require_open(calendar)
        existing = {day.date: day for day in calendar.days.select_for_update()}
        changes, saved = [], []
        for entry in days:
            day = existing.get(entry.date) or WorkingDayOverride(calendar_year=calendar, date=entry.date)
            before = None if day.pk is None else {"working": day.is_working_day, "note": day.note}
            day.is_working_day, day.note = entry.is_working_day, entry.note.strip()[:100]
            day.save()
            changes.append(
                (day, before, {"date": entry.date.isoformat(), "working": day.is_working_day, "note": day.note})
            )
            saved.append(day)
        record_events(actor=actor, action="calendar.day", changes=changes)
    return saved


def remove_calendar_day(*, actor: User, day: WorkingDayOverride):
    province_id = _province_of(actor)
    with transaction.atomic():
        calendar = CalendarYear.objects.select_for_update().get(pk=day.calendar_year_id)
        if calendar.province_id != province_id:
            raise PermissionDenied
        _require_open(calendar)
        record_event(
            actor=actor,
            action="calendar.day_removed",
            obj=calendar,
            before={"date": day.date.isoformat(), "working": day.is_working_day, "note": day.note},
        )
        WorkingDayOverride.objects.filter(pk=day.pk).delete()


def declare_year_complete(*, actor: User, year: int):
    """The office confirms that every holiday and make-up workday of `year` is entered: from now
    on the year is known, and what is not entered follows the week."""
    province_id = _province_of(actor)
    _check_year(year)
    if package_knows(year):
        raise DomainError(
            _("%(year)s年已有国务院办公厅公布的安排，无需确认；本省另有调整的日期直接录入即可。") % {"year": year},
            code="published",
        )
    with transaction.atomic():
        calendar = _locked_year(province_id, year)
        _require_open(calendar)
        national = CalendarYear.objects.filter(province__isnull=True, year=year).first()
        entered = list(calendar.days.all()) + (list(national.days.all()) if national else [])
        holidays = {day.date for day in entered if not day.is_working_day and day.date.weekday() < 5}
        if len(holidays) < MIN_WEEKDAY_HOLIDAYS:
            raise DomainError(
                _(
                    "%(year)s年只录入了 %(count)s 个工作日放假的日期，少于法定节假日应有的 %(minimum)s 个："
                    "请先录入元旦、春节、清明、劳动节、端午、中秋、国庆的全部放假和调休上班日期。"
                )
                % {"year": year, "count": len(holidays), "minimum": MIN_WEEKDAY_HOLIDAYS},
                code="incomplete",
            )
        calendar.declared_complete_at, calendar.declared_by = timezone.now(), actor
        calendar.save(update_fields=["declared_complete_at", "declared_by"])
        record_event(
            actor=actor, action="calendar.declared_complete", obj=calendar, after={"year": year, "days": len(entered)}
        )
    return calendar


def reopen_year(*, actor: User, year: int, reason: str):
    province_id = _province_of(actor)
    if not reason.strip():
        raise CalendarInvalid(_("请写明撤销确认的原因。"))
    with transaction.atomic():
        calendar = CalendarYear.objects.select_for_update().filter(province_id=province_id, year=year).first()
        if calendar is None or not calendar.declared_complete_at:
            raise DomainError(_("%(year)s年的工作日安排尚未确认完整。") % {"year": year}, code="not_declared")
        calendar.declared_complete_at = calendar.declared_by = None
        calendar.save(update_fields=["declared_complete_at", "declared_by"])
        record_event(actor=actor, action="calendar.reopened", obj=calendar, reason=reason.strip())
    return calendar
