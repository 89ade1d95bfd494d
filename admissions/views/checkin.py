"""Assessment day at the door: the page a phone opens from the QR code of an assessment notice
(考核通知), and the office's check-in page for today's sessions of its specialty base. Big buttons,
one column: these are used standing, on a phone.

The QR page answers anyone: the office of the candidate's specialty base sees the candidate and
checks them in; everyone else learns only whether the notice is genuine, with the name masked."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from admissions.models import SeatStatus
from admissions.selectors.checkin import (
    absence_window,
    check_in_window,
    current_session,
    may_check_in,
    search_seats,
    seat_by_code,
    seat_by_pk,
    seat_counts,
    sessions_on,
    today,
)
from admissions.services.checkin import check_in, mark_absent, mark_session_absentees
from admissions.views.rounds import ROUNDS
from policy.selectors import campaign_or_404
from portal.models import ASSESSOR_ROLES
from portal.permissions import require_role
from portal.privacy import mask_id_number, mask_name
from portal.throttling import GuessRateThrottle
from portal.web import parse_id, perform


class SeatCodeThrottle(GuessRateThrottle):
    """Shared by this page and the API's check-in: an office checks in at most a candidate every
    few seconds; a guesser needs millions of tries."""

    scope = "seat_code"
    rate = "30/minute"


MARKS = {
    "present": (check_in, gettext_lazy("已签到：%(name)s")),
    "absent": (mark_absent, gettext_lazy("已标记缺考：%(name)s")),
}


def _mark(request, seat):
    action, success = MARKS.get(request.POST.get("action"), (None, None))
    if action is None:
        raise Http404
    perform(
        request,
        lambda: action(actor=request.user, seat=seat),
        success=str(success) % {"name": seat.applicant.full_name},
    )


def _verification(seat):
    session, specialty_base = seat.session, seat.session.specialty_base
    return {
        "masked_name": mask_name(seat.applicant.full_name),
        "training_base": specialty_base.training_base.name,
        "specialty": specialty_base.specialty.name,
        "part": seat.get_part_display(),
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
    }


@require_http_methods(["GET", "POST"])
def seat_check_in(request, code):
    if not SeatCodeThrottle().allow_request(request, None):
        return render(request, "admissions/checkin/seat.html", {"throttled": True}, status=429)
    seat = seat_by_code(code)
    if seat is not None and may_check_in(request.user, seat):
        if request.method == "POST":
            _mark(request, seat)
            return redirect(request.path)
        context = {
            "seat": seat,
            "check_in": check_in_window(seat.session),
            "absence": absence_window(seat.session),
            "masked_id": mask_id_number(seat.applicant.id_number),
            "check_in_url": reverse("round-check-in", args=[seat.session.round])
            + "?"
            + urlencode({"session": seat.session_id}),
        }
        return render(request, "admissions/checkin/seat.html", context)
    if request.method == "POST":
        raise PermissionDenied
    if seat is None or seat.status == SeatStatus.CANCELLED:
        return render(request, "admissions/checkin/seat.html", {"not_found": True}, status=404)
    return render(request, "admissions/checkin/seat.html", {"verification": _verification(seat)})


def _page_url(round_number, session_id, query=""):
    params = {"session": session_id, **({"q": query} if query else {})}
    return reverse("round-check-in", args=[round_number]) + "?" + urlencode(params)


@login_required
@require_http_methods(["GET", "POST"])
def round_check_in(request, round_number):
    require_role(request.user, *ASSESSOR_ROLES)
    if round_number not in ROUNDS:
        raise Http404
    campaign = campaign_or_404(province=request.user.province_id)
    sessions = sessions_on(user=request.user, campaign=campaign, round_number=round_number, day=today())
    chosen = parse_id(request.GET.get("session", ""))
    session = next((s for s in sessions if s.pk == chosen), None) or current_session(sessions)
    query = request.GET.get("q", "").strip()[:40]
    if request.method == "POST":
        if session is None:
            raise Http404
        if request.POST.get("action") == "end":
            perform(
                request,
                lambda: mark_session_absentees(actor=request.user, session=session),
                success=_("已结束签到：未到者已记为缺考。"),
            )
        else:
            seat = seat_by_pk(parse_id(request.POST.get("seat", "")) or 0)
            if seat is None or seat.session_id != session.pk:
                raise Http404
            _mark(request, seat)
        return redirect(_page_url(round_number, session.pk, query))
    seats, more = search_seats(session=session, query=query) if session else ([], False)
    context = {
        "round_number": round_number,
        "sessions": sessions,
        "session": session,
        "query": query,
        "counts": seat_counts(session) if session else None,
        "check_in": check_in_window(session) if session else None,
        "absence": absence_window(session) if session else None,
        "seats": seats,
        "more": more,
        "action_url": _page_url(round_number, session.pk, query) if session else "",
        "nav": f"round{round_number}",
    }
    return render(request, "admissions/checkin/page.html", context)
