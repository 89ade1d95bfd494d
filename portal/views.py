from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bases.selectors import public_province
from policy.selectors import current_campaign
from policy.timetable import phase_at, steps
from portal.health import broker_state, database_answers
from portal.notifications import mark_read


def home(request):
    province = public_province(request.GET.get("province"))
    campaign = current_campaign(province=province) if province else None
    context = {"province": province, "campaign": campaign}
    if campaign:
        context.update(phase=phase_at(campaign), steps=steps(campaign))
    return render(request, "portal/home.html", context)


@login_required
def notification_list(request):
    page = Paginator(request.user.notifications.all(), 30).get_page(request.GET.get("page"))
    return render(request, "portal/notifications.html", {"page": page})


@login_required
@require_POST
def notification_mark_read(request):
    mark_read(user=request.user, notification_ids=request.POST.getlist("id"))
    return redirect("notifications")


def healthz(request):
    """For the load balancer: 503 when the database does not answer. The broker's state is reported
    and never fails the check — pages and saved choices work without it, and the resend sweep
    queues whatever could not be sent."""
    database = "ok" if database_answers() else "unavailable"
    return JsonResponse(
        {"status": "ok" if database == "ok" else "unavailable", "database": database, "broker": broker_state()},
        status=200 if database == "ok" else 503,
    )
