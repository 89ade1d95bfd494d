"""Workspaces of the training-base office and the provincial office, and quota-increase requests."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from bases.forms.quotas import QuotaDecisionForm, QuotaIncreaseRequestForm
from bases.models import QuotaIncrease
from bases.selectors.plan import base_plan, plan_totals
from bases.selectors.quotas import quota_increases
from bases.selectors.scoring import with_formulas
from bases.services.quotas import (
    approve_quota_increase,
    reject_quota_increase,
    request_quota_increase,
    withdraw_quota_increase,
)
from policy.selectors import campaign_or_404
from policy.timetable import phase_at
from portal.models import Role
from portal.permissions import require_role
from portal.web import perform


@login_required
def workspace(request):
    destinations = {
        Role.BASE_OFFICE: "office-home",
        Role.PROVINCIAL_OFFICE: "province-dashboard",
        Role.APPLICANT: "applicant-home",
    }
    if request.user.role == Role.SPECIALTY_BASE_STAFF:
        return redirect("round-candidates", round_number=1)
    return redirect(destinations.get(request.user.role, "home"))


@login_required
def office_home(request):
    require_role(request.user, Role.BASE_OFFICE)
    campaign = campaign_or_404(province=request.user.province_id)
    quotas = base_plan(campaign=campaign, training_base=request.user.training_base)
    form = QuotaIncreaseRequestForm(request.POST or None, quotas=quotas)
    if request.method == "POST" and form.is_valid():
        _increase, error = perform(
            request,
            lambda: request_quota_increase(actor=request.user, **form.cleaned_data),
            success="已提交招收计划调整申请，等待省级审批。",
        )
        if error is None:
            return redirect("office-home")
    return render(
        request,
        "bases/office_home.html",
        {
            "campaign": campaign,
            "phase": phase_at(campaign),
            "quotas": with_formulas(quotas),
            "totals": plan_totals(quotas),
            "form": form,
            "increases": quota_increases(user=request.user, campaign=campaign)[:20],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def quota_increase_list(request):
    require_role(request.user, Role.BASE_OFFICE, Role.PROVINCIAL_OFFICE)
    campaign = campaign_or_404(province=request.user.province_id)
    return render(
        request,
        "bases/quota_increases.html",
        {
            "campaign": campaign,
            "page": Paginator(quota_increases(user=request.user, campaign=campaign), 50).get_page(
                request.GET.get("page")
            ),
        },
    )


def _decide(request, pk, action, success):
    increase = get_object_or_404(QuotaIncrease, pk=pk)
    form = QuotaDecisionForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {"places": None, "reason": ""}
    perform(request, lambda: action(increase, data), success=success)
    return redirect("quota-increases")


@login_required
@require_POST
def quota_increase_approve(request, pk):
    return _decide(
        request,
        pk,
        lambda increase, data: approve_quota_increase(
            actor=request.user, increase=increase, places=data["places"], reason=data["reason"] or ""
        ),
        "已批准，招收计划已相应增加。",
    )


@login_required
@require_POST
def quota_increase_reject(request, pk):
    return _decide(
        request,
        pk,
        lambda increase, data: reject_quota_increase(
            actor=request.user, increase=increase, reason=data["reason"] or ""
        ),
        "已不予批准，并通知了培训基地。",
    )


@login_required
@require_POST
def quota_increase_withdraw(request, pk):
    return _decide(
        request,
        pk,
        lambda increase, data: withdraw_quota_increase(actor=request.user, increase=increase),
        "已撤回申请。",
    )
