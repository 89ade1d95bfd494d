"""The provincial office's working-day calendar (工作日安排): a year's holidays and make-up workdays,
the State Council's list as the default, and the declaration that a year is complete."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from policy.selectors import calendar_day_by_pk, calendar_year_view
from policy.services.calendar import declare_year_complete, enter_calendar_days, remove_calendar_day, reopen_year
from policy.timetable import local_date
from portal.models import Role
from portal.permissions import require_role
from portal.web import parse_id, perform
from province.forms.calendar import CalendarDaysForm, ReopenForm


def _year(request):
    today = local_date()
    # From December on, the office's work is next year's calendar.
    default = today.year + 1 if today.month == 12 else today.year
    year = parse_id(request.GET.get("year", "") or request.POST.get("year", ""))
    return year if year and 2000 <= year <= 2100 else default


def _back(year):
    return redirect(f"{reverse('province-calendar')}?year={year}")


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request):
    require_role(request.user, Role.PROVINCIAL_OFFICE)
    year = _year(request)
    form = CalendarDaysForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _saved, error = perform(
                request,
                lambda: enter_calendar_days(actor=request.user, year=year, days=form.cleaned_data["lines"]),
                success=_("已保存 %(count)s 天。") % {"count": len(form.cleaned_data["lines"])},
            )
            if error is None:
                return _back(year)
            status = error.status
        else:
            status = 400
    context = {
        "view": calendar_year_view(province_id=request.user.province_id, year=year),
        "year": year,
        "form": form,
        "reopen_form": ReopenForm(),
        "years": [year - 1, year, year + 1],
    }
    return render(request, "province/calendar.html", context, status=status)


@login_required
@require_POST
def calendar_day_remove(request, pk):
    day = calendar_day_by_pk(pk)
    perform(request, lambda: remove_calendar_day(actor=request.user, day=day), success=_("已删除。"))
    return _back(day.calendar_year.year)


@login_required
@require_POST
def calendar_declare(request):
    year = _year(request)
    perform(
        request,
        lambda: declare_year_complete(actor=request.user, year=year),
        success=_("已确认 %(year)s 年工作日安排完整。") % {"year": year},
    )
    return _back(year)


@login_required
@require_POST
def calendar_reopen(request):
    year = _year(request)
    form = ReopenForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    perform(request, lambda: reopen_year(actor=request.user, year=year, reason=reason), success=_("已撤销确认。"))
    return _back(year)
