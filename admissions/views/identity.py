"""Identity after selection: the applicant's corrections and claims, the offices' queue, and the
correction's supporting document (issue 11, item 9)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from admissions.forms.applicant import IdentityClaimForm, IdentityCorrectionForm, ReviewForm
from admissions.models import IdentityClaim, IdentityCorrection
from admissions.selectors.identity import identity_frozen, identity_queue, identity_requests_of
from admissions.services.identity import (
    claim_identity_number,
    handle_identity_claim,
    request_identity_correction,
    review_identity_correction,
)
from admissions.views.applicant import applicant_required
from portal.models import Role
from portal.permissions import VIEW, require, require_role
from portal.uploads import document_response
from portal.web import perform


@applicant_required
@require_http_methods(["GET", "POST"])
def applicant_identity(request, applicant):
    correction_form = IdentityCorrectionForm(
        request.POST if "correction" in request.POST else None,
        request.FILES if "correction" in request.POST else None,
        initial={"full_name": applicant.full_name, "id_type": applicant.id_type, "id_number": applicant.id_number},
    )
    claim_form = IdentityClaimForm(request.POST if "claim" in request.POST else None)
    status = 200
    if request.method == "POST":
        form, action, success = (
            (correction_form, _correct, _("更正申请已提交，培训基地审核后报省级管理部门审核。"))
            if "correction" in request.POST
            else (claim_form, _claim, _("申诉已提交，请携带证件原件到所选培训基地招收办公室核验。"))
        )
        status = 400
        if form.is_valid():
            _result, error = perform(
                request, lambda: action(request, applicant, form.cleaned_data), success=success, form=form
            )
            if error is None:
                return redirect("applicant-identity")
            status = error.status
    corrections, claims = identity_requests_of(applicant)
    context = {
        "applicant": applicant,
        "frozen": identity_frozen(applicant),
        "correction_form": correction_form,
        "claim_form": claim_form,
        "corrections": corrections,
        "claims": claims,
    }
    return render(request, "admissions/applicant/identity.html", context, status=status)


def _correct(request, applicant, data):
    return request_identity_correction(actor=request.user, applicant=applicant, **data)


def _claim(request, applicant, data):
    return claim_identity_number(actor=request.user, applicant=applicant, **data)


@login_required
def identity_requests(request):
    """The offices' queue: a base office checks its corrections and claims, the province decides."""
    require_role(request.user, Role.BASE_OFFICE, Role.PROVINCIAL_OFFICE)
    corrections, claims = identity_queue(user=request.user)
    return render(
        request,
        "admissions/identity_requests.html",
        {"corrections": corrections, "claims": claims, "review_form": ReviewForm()},
    )


def _review(request, decide, success):
    """Apply the office's ReviewForm answer with `decide(approve, note)`; an incomplete form is
    refused by the service with its own message."""
    form = ReviewForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    perform(request, lambda: decide(data.get("approve", False), data.get("note", "")), success=success)
    return redirect("identity-requests")


@login_required
@require_POST
def identity_correction_review(request, pk):
    correction = get_object_or_404(IdentityCorrection, pk=pk)
    return _review(
        request,
        lambda approve, note: review_identity_correction(
            actor=request.user, correction=correction, approve=approve, note=note
        ),
        _("已审核。"),
    )


@login_required
@require_POST
def identity_claim_handle(request, pk):
    claim = get_object_or_404(IdentityClaim, pk=pk)
    return _review(
        request,
        lambda approve, note: handle_identity_claim(actor=request.user, claim=claim, upheld=approve, note=note),
        _("已处理。"),
    )


@login_required
def identity_correction_document(request, pk):
    correction = get_object_or_404(IdentityCorrection, pk=pk)
    require(request.user, VIEW, correction)
    return document_response(correction.document, download_name=f"identity-correction-{correction.pk}")
