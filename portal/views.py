from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.forms import ResetCodeRequestForm, ResetWithCodeForm
from portal.health import broker_state, database_answers
from portal.jobs import ACTIVE, job_for, job_state, start_job
from portal.models import JobStatus
from portal.notifications import mark_read
from portal.password_reset import CODE_MINUTES, request_reset_code, reset_password
from portal.receipts import copy_states, messages_of
from portal.releases import (
    cancel_release,
    confirm_release,
    confirm_window,
    kind_of,
    minutes_left,
    release_by_pk,
    undo_release,
    undo_window,
)
from portal.throttling import client_address
from portal.uploads import document_response
from portal.web import perform


@login_required
def notification_list(request):
    """The user's messages, each with when it was sent and what became of its copies."""
    page = Paginator(messages_of(request.user), 30).get_page(request.GET.get("page"))
    rows = [(notification, copy_states(notification)) for notification in page]
    return render(request, "portal/notifications.html", {"page": page, "rows": rows})


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


@require_http_methods(["GET", "POST"])
def password_reset_sms(request):
    """Ask for a code by text message; the answer is the same whether or not the number has an account."""
    form = ResetCodeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mobile = form.cleaned_data["mobile"]
        _result, error = perform(
            request,
            lambda: request_reset_code(mobile=mobile, address=client_address(request)),
            success=_("如果该手机号码已注册，验证码已发送，%(minutes)s分钟内有效。") % {"minutes": CODE_MINUTES},
            form=form,
        )
        if error is None:
            request.session["reset_mobile"] = mobile
            return redirect("password-reset-sms-code")
    return render(request, "registration/password_reset_sms.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_reset_sms_code(request):
    form = ResetWithCodeForm(request.POST or None, initial={"mobile": request.session.get("reset_mobile", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _user, error = perform(
            request,
            lambda: reset_password(
                mobile=data["mobile"],
                code=data["code"],
                password=data["new_password1"],
                address=client_address(request),
            ),
            success=_("密码已重设，请用新密码登录。"),
            form=form,
        )
        if error is None:
            request.session.pop("reset_mobile", None)
            return redirect("login")
    return render(request, "registration/password_reset_sms_code.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def release_detail(request, pk):
    """A prepared, released or closed release: its preview and the buttons its reviewers have."""
    release = release_by_pk(user=request.user, pk=pk)
    kind = kind_of(release)
    kind.require_reviewer(request.user, release)
    return render(
        request,
        "portal/release.html",
        {
            "release": release,
            "preview": release.preview,
            "preview_template": kind.preview_template,
            "back_url": kind.back_url(release),
            "confirm": confirm_window(release, request.user),
            "undo": undo_window(release),
            "minutes_left": minutes_left(release),
        },
    )


@login_required
@require_POST
def release_confirm(request, pk):
    release = release_by_pk(user=request.user, pk=pk)
    perform(request, lambda: confirm_release(actor=request.user, release=release), success=_("已确认发布。"))
    return redirect("release", pk)


@login_required
@require_POST
def release_undo(request, pk):
    release = release_by_pk(user=request.user, pk=pk)
    perform(
        request,
        lambda: undo_release(actor=request.user, release=release, reason=request.POST.get("reason", "")),
        success=_("已撤回，恢复到发布前的状态，并已通知此前收到消息的人。"),
    )
    return redirect("release", pk)


@login_required
@require_POST
def release_cancel(request, pk):
    release = release_by_pk(user=request.user, pk=pk)
    perform(
        request,
        lambda: cancel_release(actor=request.user, release=release, reason=request.POST.get("reason", "")),
        success=_("已取消这次发布。"),
    )
    return redirect("release", pk)


@login_required
@require_GET
def job_detail(request, pk):
    """A bulk job's page: its progress bar (static/js/job-progress.js polls `job_state_view`), the
    file once made, and a button to start it again once it has ended."""
    job = job_for(user=request.user, pk=pk)
    return render(request, "portal/job.html", {"job": job, "active": job.status in ACTIVE})


@login_required
@require_GET
def job_state_view(request, pk):
    job = job_for(user=request.user, pk=pk)
    return JsonResponse(job_state(job, result_url=reverse("job-result", args=[job.pk])))


@login_required
@require_POST
def job_restart(request, pk):
    job = job_for(user=request.user, pk=pk)
    start_job(actor=request.user, key=job.key, title=job.title, task=job.task)
    return redirect("job", pk)


@login_required
@require_GET
def job_result(request, pk):
    job = job_for(user=request.user, pk=pk)
    if job.status != JobStatus.DONE:
        raise Http404
    return document_response(job.result, download_name=job.title)
