"""The applicant's own pages (我的报名): registration, the checklist, profile, education, documents,
choosing a specialty base and the history of the choices. Thin: they parse input, call the services
and selectors, and render."""

import functools
import json
import os

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from admissions.forms.applicant import (
    DRAFT_FIELDS,
    ChoiceForm,
    DocumentForm,
    EducationForm,
    ProfileForm,
    RegisterForm,
    WithdrawForm,
)
from admissions.models import ApplicationStatus, DocumentKind
from admissions.selectors.applicants import (
    applicant_of,
    application_by_pk,
    applications_of,
    document_by_pk,
    education_record_by_pk,
)
from admissions.selectors.checklist import missing_items
from admissions.selectors.facts import eligibility_by_quota
from admissions.selectors.identity import identity_frozen
from admissions.services.applicants import (
    add_education,
    delete_document,
    register_applicant,
    remove_education,
    update_profile,
    upload_document,
)
from admissions.services.choices import submit_choice, withdraw_choice
from bases.forms.plan import PlanFilterForm
from bases.selectors.brochures import published_brochures
from bases.selectors.directory import public_campaign
from bases.selectors.plan import plan_rows, quota_by_pk
from policy.timetable import choice_window, open_choice_round, phase_at
from portal.drafts import discard_draft, draft_of, save_draft
from portal.errors import DomainError
from portal.models import Role
from portal.permissions import VIEW, require
from portal.uploads import document_response
from portal.web import perform

CHOICE_PAGE_SIZE = 50


# Where each item of the checklist is put right.
_FIX_AT = {
    "identity": ("applicant-profile", "identity"),
    "contact": ("applicant-profile", "contact"),
    "declares_fit": ("applicant-profile", "declarations"),
    "dispatch": ("applicant-profile", "dispatch"),
    "education": ("applicant-education", ""),
}


def applicant_required(view):
    """Sign-in required; the signed-in user must be an applicant (another role: 403). The view
    receives the applicant's record."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        applicant = applicant_of(request.user) if request.user.role == Role.APPLICANT else None
        if applicant is None:
            raise PermissionDenied
        return view(request, applicant, *args, **kwargs)

    return wrapped


def _windows(campaign):
    return {
        "round1": (campaign.round1_opens, campaign.round1_closes),
        "round2": (campaign.round2_opens, campaign.round2_closes),
    }


def _active_choice(applicant, campaign):
    if campaign is None:
        return None
    return applications_of(applicant).filter(campaign=campaign, status=ApplicationStatus.ACTIVE).first()


def register(request):
    if request.user.is_authenticated and request.user.role == Role.APPLICANT:
        return redirect("applicant-home")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        applicant, error = perform(
            request,
            lambda: register_applicant(
                login=form.cleaned_data["login"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
            ),
            success=_("注册成功。请按清单完善个人信息、学历和报名材料。"),
            form=form,
        )
        if error is None:
            login(request, applicant.user)
            return redirect("applicant-home")
    return render(
        request,
        "admissions/applicant/register.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@applicant_required
def applicant_home(request, applicant):
    campaign = public_campaign(request.GET.get("province"))
    checklist = []
    for item in missing_items(applicant):
        url_name, anchor = _FIX_AT.get(item.key, ("applicant-documents", ""))
        checklist.append((item, reverse(url_name) + (f"#{anchor}" if anchor else "")))
    context = {"applicant": applicant, "campaign": campaign, "checklist": checklist}
    if campaign:
        context.update(
            phase=phase_at(campaign),
            open_round=open_choice_round(campaign),
            choosing=choice_window(campaign),
            windows=_windows(campaign),
            active=_active_choice(applicant, campaign),
        )
    return render(request, "admissions/applicant/home.html", context)


@applicant_required
def applicant_profile(request, applicant):
    form = ProfileForm(request.POST or None, applicant=applicant, identity_frozen=identity_frozen(applicant))
    if request.method == "POST" and form.is_valid():
        _saved, error = perform(
            request,
            lambda: update_profile(actor=request.user, applicant=applicant, **form.cleaned_data),
            success=_("个人信息已保存。"),
            form=form,
        )
        if error is None:
            discard_draft(user=request.user, form_key="profile")
            return redirect("applicant-home")
    return render(
        request,
        "admissions/applicant/profile.html",
        {"applicant": applicant, "form": form, "draft": _draft_on_get(request, "profile")},
        status=400 if request.method == "POST" else 200,
    )


@applicant_required
def applicant_education(request, applicant):
    form = EducationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _record, error = perform(
            request,
            lambda: add_education(actor=request.user, applicant=applicant, **form.cleaned_data),
            success=_("学历已添加。"),
        )
        if error is None:
            discard_draft(user=request.user, form_key="education")
            return redirect("applicant-education")
    return render(
        request,
        "admissions/applicant/education.html",
        {
            "applicant": applicant,
            "form": form,
            "records": applicant.educations.all(),
            "draft": _draft_on_get(request, "education"),
        },
        status=400 if request.method == "POST" else 200,
    )


# Where each autosaved form is shown (admissions.forms.applicant.DRAFT_FIELDS).
_DRAFT_PAGES = {"profile": "applicant-profile", "education": "applicant-education"}


def _draft_on_get(request, form_key):
    """The draft a form page restores (static/js/autosave.js): on a fresh visit only, since a
    page shown again after a refused save already holds what was sent."""
    return draft_of(user=request.user, form_key=form_key) if request.method == "GET" else None


@applicant_required
@require_POST
def applicant_form_draft(request, applicant, form_key):
    """Autosave: the form's fields as a JSON object, kept as the signed-in applicant's draft."""
    if form_key not in DRAFT_FIELDS:
        raise Http404
    try:
        data = json.loads(request.body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return JsonResponse({"detail": _("草稿须为 JSON 对象。"), "code": "invalid"}, status=400)
    try:
        draft = save_draft(user=request.user, form_key=form_key, data=data, fields=DRAFT_FIELDS[form_key])
    except DomainError as error:
        return JsonResponse({"detail": error.message, "code": error.code}, status=error.status)
    return JsonResponse({"saved_at": draft.updated_at.isoformat()})


@applicant_required
@require_POST
def applicant_form_draft_discard(request, applicant, form_key):
    if form_key not in DRAFT_FIELDS:
        raise Http404
    discard_draft(user=request.user, form_key=form_key)
    messages.success(request, _("草稿已放弃。"))
    return redirect(_DRAFT_PAGES[form_key])


@applicant_required
@require_POST
def applicant_education_remove(request, applicant, pk):
    record = education_record_by_pk(pk)
    perform(request, lambda: remove_education(actor=request.user, record=record), success=_("学历已删除。"))
    return redirect("applicant-education")


@applicant_required
def applicant_documents(request, applicant):
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        _document, error = perform(
            request,
            lambda: upload_document(
                actor=request.user, applicant=applicant, kind=form.cleaned_data["kind"], file=form.cleaned_data["file"]
            ),
            success=_("材料已上传。"),
        )
        if error is None:
            return redirect("applicant-documents")
    required = [DocumentKind.ID_FRONT, DocumentKind.ID_BACK, DocumentKind.DIPLOMA]
    return render(
        request,
        "admissions/applicant/documents.html",
        {
            "applicant": applicant,
            "form": form,
            "documents": applicant.documents.all(),
            "required": required,
        },
        status=400 if request.method == "POST" else 200,
    )


@applicant_required
@require_POST
def applicant_document_delete(request, applicant, pk):
    document = document_by_pk(pk)
    perform(request, lambda: delete_document(actor=request.user, document=document), success=_("材料已删除。"))
    return redirect("applicant-documents")


@login_required
def applicant_document(request, pk):
    """The file itself, for the applicant, the offices of the bases it chose and their province."""
    document = document_by_pk(pk)
    require(request.user, VIEW, document)
    stem = os.path.splitext(document.original_name)[0]
    return document_response(
        document.file, download_name=f"{document.applicant.full_name}-{document.get_kind_display()}-{stem}"
    )


@applicant_required
def applicant_choose(request, applicant):
    if request.method == "POST":
        return _choose(request, applicant)
    campaign = public_campaign(request.GET.get("province"), cached=True)
    context = {"applicant": applicant, "campaign": campaign}
    if campaign is None:
        return render(request, "admissions/applicant/choose.html", context)
    filters_form = PlanFilterForm.for_campaign(campaign, request.GET)
    rows = plan_rows(campaign=campaign, **filters_form.filters())
    page = Paginator(rows, CHOICE_PAGE_SIZE).get_page(request.GET.get("page"))
    quotas = list(page.object_list)
    decisions = eligibility_by_quota(applicant=applicant, campaign=campaign, quotas=quotas)
    brochures = dict(published_brochures(campaign=campaign).values_list("brochure__training_base_id", "brochure_id"))
    active = _active_choice(applicant, campaign)
    missing = missing_items(applicant)
    open_round = open_choice_round(campaign)
    context.update(
        form=filters_form,
        page=page,
        rows=[
            {
                "quota": quota,
                "decision": decisions[quota.pk],
                "brochure_id": brochures.get(quota.specialty_base.training_base_id),
                "chosen": active is not None and active.specialty_base_id == quota.specialty_base_id,
            }
            for quota in quotas
        ],
        active=active,
        missing=missing,
        open_round=open_round,
        choosing=choice_window(campaign),
        windows=_windows(campaign),
    )
    return render(request, "admissions/applicant/choose.html", context)


def _choose(request, applicant):
    form = ChoiceForm(request.POST)
    quota = None
    if form.is_valid():
        quota = quota_by_pk(form.cleaned_data["quota"])
    if quota is None:
        messages.error(request, _("请从招收计划表中选择一个专业基地。"))
    else:
        base = quota.specialty_base
        perform(
            request,
            lambda: submit_choice(
                actor=request.user, applicant=applicant, campaign=quota.campaign, specialty_base=base
            ),
            success=_("已填报志愿：%(base)s。填报截止前可以修改或撤回。") % {"base": base},
        )
    return redirect(request.get_full_path())


@applicant_required
@require_POST
def applicant_withdraw(request, applicant):
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return redirect("applicant-choose")
    application = application_by_pk(form.cleaned_data["application"])
    perform(
        request,
        lambda: withdraw_choice(actor=request.user, application=application),
        success=_("志愿已撤回。填报截止前可以重新选择。"),
    )
    return redirect("applicant-choose")


@applicant_required
def applicant_status(request, applicant):
    return render(
        request,
        "admissions/applicant/status.html",
        {"applicant": applicant, "applications": applications_of(applicant)},
    )
