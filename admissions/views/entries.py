"""Direct entries (直接进入培训): the base offices' list of professional masters and the
provincial office's list of assigned rural order-oriented graduates [二(三)2, 二(三)3], with
cancellation and the supporting document."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from admissions.forms.entries import CancelEntryForm, ProfessionalMasterForm, RuralOrderForm
from admissions.models import DirectEntry
from admissions.selectors.entries import entries
from admissions.selectors.places import entry_quotas
from admissions.services.entries import assign_rural_order_graduate, cancel_entry, enter_professional_master
from policy.choices import ApplicantType
from policy.selectors import campaign_or_404
from portal.models import Role
from portal.permissions import VIEW, require, require_role
from portal.uploads import document_response
from portal.web import perform

# Per kind: who enters, with which form and service, and which quotas they choose from.
_KINDS = {
    ApplicantType.PROFESSIONAL_MASTER: (Role.BASE_OFFICE, ProfessionalMasterForm, enter_professional_master),
    ApplicantType.RURAL_ORDER: (Role.PROVINCIAL_OFFICE, RuralOrderForm, assign_rural_order_graduate),
}


@login_required
def entry_list(request, kind):
    role, form_class, service = _KINDS[kind]
    require_role(request.user, role)
    campaign = campaign_or_404(province=request.user.province_id)
    quotas = entry_quotas(
        campaign=campaign, training_base=request.user.training_base if role == Role.BASE_OFFICE else None
    )
    form = form_class(request.POST or None, request.FILES or None, quotas=quotas)
    if request.method == "POST" and form.is_valid():
        _entry, error = perform(
            request,
            lambda: service(actor=request.user, **form.cleaned_data),
            success="已录入，占用该专业基地招收计划一个名额。",
            form=form,
        )
        if error is None:
            return redirect(request.path)
    listed = entries(campaign=campaign, kind=kind)
    if role == Role.BASE_OFFICE:
        listed = listed.filter(quota__specialty_base__training_base=request.user.training_base)
    return render(
        request,
        "admissions/entries.html",
        {
            "kind": kind,
            "kind_label": ApplicantType(kind).label,
            "campaign": campaign,
            "form": form,
            "entries": listed,
            "cancel_form": CancelEntryForm(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def entry_cancel(request, pk):
    entry = get_object_or_404(DirectEntry, pk=pk)
    form = CancelEntryForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    perform(
        request,
        lambda: cancel_entry(actor=request.user, entry=entry, reason=reason),
        success="已撤销录入，名额已释放。",
    )
    return redirect("masters" if entry.kind == ApplicantType.PROFESSIONAL_MASTER else "rural-orders")


@login_required
def entry_document(request, pk):
    entry = get_object_or_404(DirectEntry, pk=pk)
    require(request.user, VIEW, entry)
    return document_response(entry.approval_document, download_name=f"异地培养同意书-{entry.full_name}")
