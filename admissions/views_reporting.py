"""The training-base office records reporting (报到) and agreements, and allows late reporting."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from admissions.models import Admission, AdmissionStatus
from admissions.services.reporting import allow_late_reporting, record_agreement, record_reporting
from policy.reporting import agreement_due, agreement_kind
from policy.timetable import local_date
from portal.models import Role
from portal.permissions import require_role, visible
from portal.web import perform


class DateForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("日期"))
    reason = forms.CharField(label=gettext_lazy("理由"), required=False, max_length=500)


@login_required
def reporting_list(request):
    require_role(request.user, Role.BASE_OFFICE)
    admissions = (
        visible(request.user, Admission.objects.all())
        .select_related(
            "assessment__application__applicant",
            "assessment__application__campaign",
            "assessment__specialty_base__specialty",
        )
        .order_by("status", "assessment__specialty_base__specialty__code", "pk")
    )
    today = local_date()
    rows = []
    for admission in admissions:
        applicant = admission.assessment.application.applicant
        due = agreement_due(admission.reported_on) if admission.reported_on else None
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
        request, "admissions/reporting/list.html", {"rows": rows, "today": today, "statuses": AdmissionStatus}
    )


def _act(request, pk, action, success):
    admission = get_object_or_404(Admission, pk=pk)
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
