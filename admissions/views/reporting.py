"""The training-base office records reporting (报到) and agreements, and allows late reporting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from admissions.forms.reporting import DateForm, DecisionForm, FraudForm, StatementForm
from admissions.models import AdmissionStatus, IntegrityCaseKind
from admissions.selectors.reporting import (
    admission_by_pk,
    integrity_case_by_pk,
    office_admissions,
    pending_integrity_cases,
    visible_admission_by_notice,
)
from admissions.services.notice_archive import start_notice_archive
from admissions.services.reporting import (
    allow_late_reporting,
    cancel_for_fraud,
    decide_integrity_case,
    record_agreement,
    record_reporting,
    record_withdrawal_statement,
    withdraw_after_admission,
)
from policy.rules.reporting import agreement_due, agreement_kind
from policy.timetable import local_date
from portal.models import Role
from portal.permissions import VIEW, require, require_role
from portal.uploads import document_response
from portal.web import perform


@login_required
@require_POST
def notice_archive(request):
    """The base's notices in one archive: a bulk job, followed on its page (a progress bar)."""
    job, error = perform(
        request, lambda: start_notice_archive(actor=request.user), success=_("录取通知书打包已开始，本页显示进度。")
    )
    if error is not None:
        return redirect("reporting")
    return redirect("job", job.pk)


@login_required
def reporting_list(request):
    require_role(request.user, Role.BASE_OFFICE)
    admissions = office_admissions(user=request.user)
    today = local_date()
    rows = []
    for admission in admissions:
        applicant = admission.assessment.application.applicant
        campaign = admission.assessment.application.campaign
        due = agreement_due(admission.reported_on, campaign.agreement_days) if admission.reported_on else None
        rows.append(
            {
                "admission": admission,
                "applicant": applicant,
                "agreement": agreement_kind(applicant.applicant_type),
                "agreement_due": due,
                "agreement_overdue": bool(due and not admission.agreement_signed_on and today > due),
            }
        )
    return render(
        request,
        "admissions/reporting/list.html",
        {"rows": rows, "today": today, "statuses": AdmissionStatus, "statement_form": StatementForm()},
    )


@login_required
@require_POST
def reporting_statement(request, pk):
    """The office files a resident's signed statement of giving up the place, for the province."""
    admission = admission_by_pk(pk)
    form = StatementForm(request.POST, request.FILES)
    data = form.cleaned_data if form.is_valid() else {}
    perform(
        request,
        lambda: record_withdrawal_statement(
            actor=request.user,
            admission=admission,
            statement=data.get("statement", ""),
            document=data.get("document"),
        ),
        success=_("已提交省级管理部门认定；认定前录取不变。"),
    )
    return redirect("reporting")


def _act(request, pk, action, success):
    admission = admission_by_pk(pk)
    form = DateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写有效的日期。"))
        return redirect("reporting")
    perform(
        request, lambda: action(admission, form.cleaned_data["day"], form.cleaned_data["reason"] or ""), success=success
    )
    return redirect("reporting")


@login_required
@require_POST
def reporting_record(request, pk):
    return _act(
        request,
        pk,
        lambda a, day, _r: record_reporting(actor=request.user, admission=a, reported_on=day),
        _("已登记报到。"),
    )


@login_required
@require_POST
def reporting_agreement(request, pk):
    return _act(
        request,
        pk,
        lambda a, day, _r: record_agreement(actor=request.user, admission=a, signed_on=day),
        _("已登记协议或劳动合同。"),
    )


@login_required
@require_POST
def reporting_late(request, pk):
    return _act(
        request,
        pk,
        lambda a, day, reason: allow_late_reporting(actor=request.user, admission=a, until=day, reason=reason),
        _("已准予延期报到。"),
    )


@login_required
def integrity(request):
    """The provincial office decides pending integrity cases and cancels admissions for fraud (四(四))."""
    require_role(request.user, Role.PROVINCIAL_OFFICE)
    cases = pending_integrity_cases(user=request.user)
    fraud_form = FraudForm(request.POST or None)
    if request.method == "POST" and fraud_form.is_valid():
        admission = visible_admission_by_notice(
            user=request.user, notice_number=fraud_form.cleaned_data["notice_number"]
        )
        if admission is None:
            messages.error(request, _("本省没有该录取通知书编号。"))
        else:
            perform(
                request,
                lambda: cancel_for_fraud(
                    actor=request.user, admission=admission, reason=fraud_form.cleaned_data["reason"]
                ),
                success=_("已取消录取，并记入诚信处理。"),
            )
            return redirect("integrity")
    return render(
        request,
        "admissions/reporting/integrity.html",
        {
            "cases": cases,
            "statement_kind": IntegrityCaseKind.WITHDRAWAL_STATEMENT,
            "fraud_form": fraud_form,
            "decision_form": DecisionForm(),
        },
    )


@login_required
@require_POST
def integrity_decide(request, pk):
    admission = admission_by_pk(pk)
    form = DecisionForm(request.POST)
    # An incomplete form is refused by the service with its message ("请写明认定理由").
    data = form.cleaned_data if form.is_valid() else {}
    perform(
        request,
        lambda: decide_integrity_case(
            actor=request.user,
            admission=admission,
            force_majeure=data.get("accepted", False),
            reason=data.get("reason", ""),
            statement_upheld=not data.get("returned", False),
        ),
        success=_("已作出认定。"),
    )
    return redirect("integrity")


@login_required
@require_POST
def admission_withdraw(request, pk):
    """The resident gives up the place (or quits); the rules decide whether a ban follows. Only the
    resident may: an office files the resident's signed statement instead (reporting_statement)."""
    admission = admission_by_pk(pk)
    perform(
        request,
        lambda: withdraw_after_admission(
            actor=request.user,
            admission=admission,
            reason=request.POST.get("reason", ""),
            force_majeure=bool(request.POST.get("force_majeure")),
        ),
        success=_("已放弃录取。"),
    )
    return redirect("offers")


@login_required
def integrity_document(request, pk):
    """A statement an office filed, for that office and the province that decides on it."""
    require_role(request.user, Role.BASE_OFFICE, Role.PROVINCIAL_OFFICE)
    case = integrity_case_by_pk(pk)
    require(request.user, VIEW, case)
    return document_response(case.document, download_name=f"{case.admission.notice_number}-{case.pk}")
