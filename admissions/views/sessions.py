"""The assessment sessions (考核场次): the page where a specialty base's staff and its training
base's office set the round's sessions, seat candidates by hand or evenly and answer move requests;
the candidate's own seats with the notice PDF and the one move request. Thin: they parse input,
call the services and selectors, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from admissions.forms.sessions import MoveDecisionForm, MoveRequestForm, SessionForm
from admissions.models import SeatStatus, SessionPart
from admissions.selectors.assessments import assessment_by_pk
from admissions.selectors.sessions import (
    move_request_by_pk,
    my_seats,
    seat_with_notice_facts,
    session_board,
    session_by_pk,
)
from admissions.services.notice_archive import start_seat_notice_archive
from admissions.services.notices import render_seat_notice
from admissions.services.sessions import (
    assign_balanced,
    assign_seat,
    cancel_seat,
    create_session,
    decide_move,
    delete_session,
    describe,
    request_move,
    where,
)
from admissions.views.applicant import applicant_required
from admissions.views.rounds import check_round, chosen_specialty_base
from policy.selectors import campaign_or_404
from policy.timetable import assessment_state
from portal.models import ASSESSOR_ROLES
from portal.permissions import CHANGE, VIEW, require, require_role
from portal.web import download_response, parse_id, perform


def sessions_url(round_number, specialty_base_id, anchor=""):
    url = reverse("round-sessions", args=[round_number]) + "?" + urlencode({"specialty_base": specialty_base_id})
    return f"{url}#{anchor}" if anchor else url


def _label(session):
    return f"{describe(session)}（{where(session)}）"


def _render_board(request, *, campaign, round_number, specialty_base, form=None, status=200):
    board = (
        session_board(campaign=campaign, round_number=round_number, specialty_base=specialty_base)
        if specialty_base is not None
        else None
    )
    context = {
        "campaign": campaign,
        "round_number": round_number,
        "specialty_base": specialty_base,
        "board": board,
        "parts": SessionPart.choices,
        "form": form or SessionForm(),
        "assessment": assessment_state(campaign, round_number),
        "query": urlencode({"specialty_base": specialty_base.pk}) if specialty_base else "",
        "nav": f"round{round_number}",
        "nav_query": urlencode({"specialty_base": specialty_base.pk}) if specialty_base else "",
    }
    return render(request, "admissions/sessions/board.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def round_sessions(request, round_number):
    """GET: the board; POST: a new session (the form comes back with its errors)."""
    require_role(request.user, *ASSESSOR_ROLES)
    check_round(round_number)
    campaign = campaign_or_404(province=request.user.province_id)
    specialty_base = chosen_specialty_base(request, campaign, round_number)
    if request.method == "GET":
        return _render_board(request, campaign=campaign, round_number=round_number, specialty_base=specialty_base)
    if specialty_base is None:
        raise Http404
    form = SessionForm(request.POST)
    if form.is_valid():
        session, _error = perform(
            request,
            lambda: create_session(
                actor=request.user,
                campaign=campaign,
                round_number=round_number,
                specialty_base=specialty_base,
                **form.service_arguments(),
            ),
            success=_("已添加考核场次。"),
            form=form,
        )
        if session is not None:
            return redirect(sessions_url(round_number, specialty_base.pk, f"session-{session.pk}"))
    return _render_board(
        request, campaign=campaign, round_number=round_number, specialty_base=specialty_base, form=form, status=400
    )


def _session(pk):
    session = session_by_pk(pk)
    if session is None:
        raise Http404
    return session


@login_required
@require_POST
def session_delete(request, pk):
    session = _session(pk)
    perform(request, lambda: delete_session(actor=request.user, session=session), success=_("已删除考核场次。"))
    return redirect(sessions_url(session.round, session.specialty_base_id))


@login_required
@require_POST
def session_notices(request, pk):
    """The session's assessment notices in one archive: a bulk job, followed on its page."""
    session = _session(pk)
    job = start_seat_notice_archive(actor=request.user, session=session)
    messages.success(request, _("考核通知打包已开始，本页显示进度。"))
    return redirect("job", job.pk)


@login_required
@require_POST
def session_assign(request, pk):
    session = _session(pk)
    require(request.user, CHANGE, session)
    assessment = assessment_by_pk(parse_id(request.POST.get("assessment", "")) or 0)
    if assessment is None:
        messages.error(request, _("请选择考生。"))
    else:
        perform(
            request,
            lambda: assign_seat(actor=request.user, session=session, assessment=assessment),
            success=_("已安排%(name)s参加%(session)s。")
            % {"name": assessment.application.applicant.full_name, "session": describe(session)},
        )
    return redirect(sessions_url(session.round, session.specialty_base_id, f"session-{session.pk}"))


@login_required
@require_POST
def round_sessions_balance(request, round_number):
    require_role(request.user, *ASSESSOR_ROLES)
    check_round(round_number)
    campaign = campaign_or_404(province=request.user.province_id)
    specialty_base = chosen_specialty_base(request, campaign, round_number)
    part = request.POST.get("part", "")
    if specialty_base is None or part not in SessionPart.values:
        raise Http404
    result, _error = perform(
        request,
        lambda: assign_balanced(
            actor=request.user, campaign=campaign, round_number=round_number, specialty_base=specialty_base, part=part
        ),
        success=_("均衡安排完成。"),
    )
    if result is not None:
        messages.info(
            request,
            _("本次安排 %(seated)s 人；因时间冲突未安排 %(clashed)s 人，因场次已满未安排 %(no_room)s 人。")
            % {"seated": len(result.seated), "clashed": len(result.clashed), "no_room": len(result.no_room)},
        )
        for assessment in result.clashed:
            messages.warning(
                request,
                _("%(name)s：所有有空位的场次都与其已安排的其他场次时间冲突，请手工安排。")
                % {"name": assessment.application.applicant.full_name},
            )
    return redirect(sessions_url(round_number, specialty_base.pk))


def _seat(pk):
    seat = seat_with_notice_facts(pk)
    if seat is None:
        raise Http404
    return seat


@login_required
@require_POST
def seat_cancel(request, pk):
    seat = _seat(pk)
    perform(
        request,
        lambda: cancel_seat(actor=request.user, seat=seat, reason=request.POST.get("reason", "")),
        success=_("已取消%(name)s的考核安排。") % {"name": seat.applicant.full_name},
    )
    return redirect(sessions_url(seat.session.round, seat.session.specialty_base_id, f"session-{seat.session_id}"))


@login_required
@require_POST
def move_decide(request, pk):
    move = move_request_by_pk(pk)
    if move is None:
        raise Http404
    session = move.seat.session
    form = MoveDecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["approve"]
        perform(
            request,
            lambda: decide_move(actor=request.user, move_request=move, approve=approve, note=form.cleaned_data["note"]),
            success=_("已同意调换。") if approve else _("已答复：不同意调换。"),
        )
    else:
        messages.error(request, _("请选择同意或不同意。"))
    return redirect(sessions_url(session.round, session.specialty_base_id, "moves"))


# --- the candidate ----------------------------------------------------------------------------


def _move_form(entry, data=None):
    return MoveRequestForm(data, prefix=f"m-{entry.seat.pk}", choices=[(s.pk, _label(s)) for s in entry.alternatives])


@applicant_required
@require_GET
def my_seats_page(request, applicant):
    entries = [(entry, _move_form(entry)) for entry in my_seats(request.user)]
    return render(request, "admissions/sessions/mine.html", {"entries": entries, "applicant": applicant})


@applicant_required
@require_POST
def seat_move(request, applicant, pk):
    entry = next((e for e in my_seats(request.user) if e.seat.pk == pk), None)
    if entry is None:
        raise Http404
    form = _move_form(entry, request.POST)
    if form.is_valid():
        target = session_by_pk(form.cleaned_data["to_session"])
        perform(
            request,
            lambda: request_move(
                actor=request.user, seat=entry.seat, to_session=target, reason=form.cleaned_data["reason"]
            ),
            success=_("调换场次申请已提交，请等待培训基地答复。"),
        )
    else:
        messages.error(request, _("请选择要调换的场次并写明理由。"))
    return redirect(reverse("my-seats") + f"#seat-{pk}")


@login_required
@require_GET
def seat_notice(request, pk):
    """The assessment notice PDF: for the candidate and the staff of the seat's specialty base."""
    seat = _seat(pk)
    require(request.user, VIEW, seat)
    if seat.status == SeatStatus.CANCELLED:
        raise Http404
    filename = _("考核通知-%(name)s-%(code)s.pdf") % {"name": seat.applicant.full_name, "code": seat.verification_code}
    return download_response(render_seat_notice(seat), filename=filename, content_type="application/pdf", inline=True)
