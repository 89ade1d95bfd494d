"""The provincial office's dashboard: the plan's fill by specialty and by city, pending quota
increases, brochures to review, and the warning when next year's calendar is unknown. It reads
across bases and admissions, so it lives in the province app."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from admissions.selectors.places import fill_by_specialty
from bases.selectors.brochures import province_review_rows
from bases.selectors.plan import plan_by_city, plan_by_specialty
from bases.selectors.quotas import quota_increases
from policy.selectors import campaign_or_404, next_year_unknown
from policy.timetable import phase_at
from portal.models import Role
from portal.permissions import require_role


@login_required
def province_dashboard(request):
    require_role(request.user, Role.PROVINCIAL_OFFICE)
    campaign = campaign_or_404(province=request.user.province_id)
    filled = fill_by_specialty(campaign=campaign)
    by_specialty = list(plan_by_specialty(campaign=campaign))
    for row in by_specialty:
        row.filled = filled.get(row.pk, 0)
        row.fill_rate = round(100 * row.filled / row.total_places) if row.total_places else 0
    return render(
        request,
        "province/dashboard.html",
        {
            "campaign": campaign,
            "phase": phase_at(campaign),
            "by_specialty": by_specialty,
            "by_city": plan_by_city(campaign=campaign),
            "pending": quota_increases(user=request.user, campaign=campaign, status="pending"),
            "brochures": province_review_rows(user=request.user, campaign=campaign),
            "calendar_unknown": next_year_unknown(province_id=request.user.province_id),
        },
    )
