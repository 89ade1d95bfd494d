"""The applicant's round pages (录取确认): its assessments with the state the clock gives them,
acceptance or refusal during publicity, consent to adjustment (调剂), round-2 invitations, and the
admission notice PDF (also for the offices that may see the admission)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from admissions.selectors.assessments import assessment_by_pk
from admissions.selectors.facts import eligibility_by_quota
from admissions.selectors.invitations import invitation_by_pk
from admissions.selectors.offers import (
    adjustment_quotas,
    admission_for_notice,
    invitations_of,
    offer_campaign,
    offer_rows,
    offers_of,
)
from admissions.selectors.rounds import specialty_base_of
from admissions.selectors.scores import score_breakdown
from admissions.services.admission import store_notice
from admissions.services.assessments import request_adjustment
from admissions.services.invitations import accept_invitation, decline_invitation
from admissions.services.publicity import confirm_offer
from admissions.views.applicant import applicant_required
from policy.timetable import invitation_state
from portal.permissions import VIEW, require
from portal.web import download_response, parse_id, perform


@applicant_required
def offers(request, applicant):
    campaign = offer_campaign(applicant)
    context = {"applicant": applicant, "campaign": campaign, "offers": [], "invitations": []}
    if campaign is not None:
        rows = offer_rows(offers_of(applicant=applicant, campaign=campaign))
        for row in rows:
            row.breakdown = score_breakdown(applicant=applicant, assessment=row.assessment)
            if row.adjustable:
                quotas = adjustment_quotas(row.assessment)
                decisions = eligibility_by_quota(applicant=applicant, campaign=campaign, quotas=quotas)
                row.adjustment_options = [(quota, decisions[quota.pk]) for quota in quotas]
        context.update(
            offers=rows,
            invitations=list(invitations_of(applicant=applicant, campaign=campaign)),
            round2=invitation_state(campaign),
        )
    return render(request, "admissions/offer/offers.html", context)


@applicant_required
@require_POST
def offer_confirm(request, applicant, pk):
    assessment = assessment_by_pk(pk)
    decision = request.POST.get("decision")
    if decision == "accept":
        perform(
            request,
            lambda: confirm_offer(actor=request.user, assessment=assessment, accept=True),
            success=_("您已确认接受录取。公示期结束且无异议后即正式录取。"),
        )
    elif decision == "decline" and request.POST.get("confirm_decline"):
        perform(
            request,
            lambda: confirm_offer(actor=request.user, assessment=assessment, accept=False),
            success=_("您已放弃本次拟录取，名额已释放。"),
        )
    elif decision == "decline":
        messages.error(request, _("放弃录取前，请勾选确认框。放弃后不能恢复。"))
    else:
        messages.error(request, _("请选择接受或放弃录取。"))
    return redirect("offers")


@applicant_required
@require_POST
def offer_adjust(request, applicant, pk):
    assessment = assessment_by_pk(pk)
    target_id = parse_id(request.POST.get("specialty_base", ""))
    target = specialty_base_of(target_id) if target_id is not None else None
    if target is None:
        messages.error(request, _("请选择一个调剂专业基地。"))
    else:
        perform(
            request,
            lambda: request_adjustment(actor=request.user, assessment=assessment, specialty_base=target),
            success=_("已记录您同意调剂到%(base)s，请等待该专业基地考核。") % {"base": target},
        )
    return redirect("offers")


@applicant_required
@require_POST
def invitation_accept(request, applicant, pk):
    invitation = invitation_by_pk(pk)
    perform(
        request,
        lambda: accept_invitation(actor=request.user, invitation=invitation),
        success=_("您已接受%(base)s的复试邀请，其他邀请已自动谢绝；该邀请已作为您的第二批次志愿。")
        % {"base": invitation.specialty_base},
    )
    return redirect("offers")


@applicant_required
@require_POST
def invitation_decline(request, applicant, pk):
    invitation = invitation_by_pk(pk)
    perform(
        request,
        lambda: decline_invitation(actor=request.user, invitation=invitation),
        success=_("您已谢绝%(base)s的复试邀请。") % {"base": invitation.specialty_base},
    )
    return redirect("offers")


@login_required
def admission_notice(request, admission_pk):
    """The notice PDF: for the applicant (its full ID number is its own), the offices of the base
    and the province — whoever may see the assessment it admits. The file is the kept version of
    the notice; one still missing, or printing a fact that has changed since (its task not run
    yet), is rendered and kept now."""
    admission = admission_for_notice(admission_pk)
    require(request.user, VIEW, admission.assessment)
    admission = store_notice(admission_pk=admission.pk)
    with admission.notice_file.open("rb") as file:
        content = file.read()
    filename = _("录取通知书-%(name)s-%(number)s.pdf") % {
        "name": admission.assessment.application.applicant.full_name,
        "number": admission.notice_number,
    }
    return download_response(content, filename=filename, content_type="application/pdf", inline=True)
