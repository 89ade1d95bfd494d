import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from bases.models import Province
from policy.calendar import package_knows, state_council_days, year_is_known
from policy.models import CalendarYear, Campaign, WorkingDayOverride
from policy.timetable import local_date
from portal.caching import forget, read_through


def current_campaign(*, province: Province, cached: bool = False) -> Campaign | None:
    """This year's campaign of the province (an instance or an id), else its most recent one, else
    None. `cached` for the applicants' busiest requests: a campaign saved or deleted forgets the
    copy (`forget_current_campaign`), at once in every process with a shared cache (CACHE_URL),
    within `CURRENT_CAMPAIGN_SECONDS` with a per-process one."""
    this_year = local_date().year

    def read():
        campaigns = Campaign.objects.filter(province=province)
        return campaigns.filter(year__lte=this_year).order_by("-year").first() or campaigns.order_by("-year").first()

    if not cached:
        return read()
    return read_through(
        _current_campaign_key(getattr(province, "pk", province), this_year), CURRENT_CAMPAIGN_SECONDS, read
    )


CURRENT_CAMPAIGN_SECONDS = 60


def _current_campaign_key(province_id, year):
    return f"current-campaign:{province_id}:{year}"


def forget_current_campaign(sender, instance, **kwargs):
    """post_save / post_delete of a Campaign. Only this year's answer can be cached: other years'
    keys are asked for only once the clock reaches them."""
    key = _current_campaign_key(instance.province_id, local_date().year)
    forget(key)
    # Again once the change is visible: a request reading between the save and the commit would
    # have cached the old row.
    transaction.on_commit(lambda: forget(key))


def campaign_or_404(*, province: Province, cached: bool = False) -> Campaign:
    """The province's current campaign; a 404 in one wording, on pages and in the API alike, when it
    has none (or when there is no province: a user outside every province)."""
    campaign = current_campaign(province=province, cached=cached) if province else None
    if campaign is None:
        raise Http404(_("本省尚无年度招录。"))
    return campaign


def is_shortage(*, campaign: Campaign, specialty: str) -> Exists:
    """An annotation: whether the row's specialty (the outer field named `specialty`) is one of the
    campaign's shortage specialties (紧缺专业). `campaign` is a Campaign, or the name of the outer
    field that holds the campaign's id."""
    campaign_id = OuterRef(campaign) if isinstance(campaign, str) else campaign.pk
    return Exists(
        Campaign.shortage_specialties.through.objects.filter(campaign_id=campaign_id, specialty_id=OuterRef(specialty))
    )


@dataclass(frozen=True)
class CalendarDay:
    date: datetime.date
    is_working_day: bool
    note: str
    source: str  # "state_council" (the package), "national" (entered for every province) or "province"
    pk: int | None = None


@dataclass(frozen=True)
class CalendarYearView:
    year: int
    source: str  # "package", "declared" or "unknown"
    declared: object  # the province's CalendarYear, or None
    days: list  # CalendarDay, by date; a province's own entry replaces the default for its day


def calendar_year_view(*, province_id: int, year: int):
    """What the provincial office sees of `year`: whether it is known and from where, the State
    Council's days (when the package has them) and what was entered, nationally and by it."""
    entered = {
        c.province_id: c
        for c in CalendarYear.objects.filter(year=year)
        .filter(Q(province__isnull=True) | Q(province_id=province_id))
        .prefetch_related("days")
    }
    days = {day: CalendarDay(day, working, note, "state_council") for day, working, note in state_council_days(year)}
    for owner, source in ((None, "national"), (province_id, "province")):
        if owner in entered:
            for row in entered[owner].days.all():
                days[row.date] = CalendarDay(row.date, row.is_working_day, row.note, source, row.pk)
    own = entered.get(province_id)
    if package_knows(year):
        source = "package"
    elif any(calendar.declared_complete_at for calendar in entered.values()):
        source = "declared"
    else:
        source = "unknown"
    return CalendarYearView(year=year, source=source, declared=own, days=sorted(days.values(), key=lambda d: d.date))


def next_year_unknown(*, province_id: int, today: datetime.date | None = None):
    """From 1 December, the coming year if nobody has made it known yet (else None)."""
    today = today or local_date()
    if today.month != 12 or year_is_known(today.year + 1, province_id=province_id):
        return None
    return today.year + 1


def calendar_day_by_pk(pk: int) -> WorkingDayOverride:
    """One entered day with its year (404 when there is none); the services check who may change it."""
    return get_object_or_404(WorkingDayOverride.objects.select_related("calendar_year"), pk=pk)


def campaign_by_pk(pk: int) -> Campaign | None:
    return Campaign.objects.filter(pk=pk).first()
