"""Public pages of the rounds: the publicity lists (拟录取名单公示) with their PDF and the
objection form, and the check of an admission notice by its number and verification code.

Nobody but the applicant and the offices sees a full ID number: these pages get masked rows only."""

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from admissions.forms.public import ObjectionForm, VerifyForm
from admissions.selectors.offers import (
    public_publicity_list,
    public_publicity_lists,
    public_rows,
    publicity_entry,
    verified_admission,
)
from admissions.services.publicity import raise_objection
from bases.selectors.directory import public_province
from portal.pdf import render_pdf
from portal.privacy import mask_id_number
from portal.web import download_response, perform

LIST_PAGE_SIZE = 50


# A list's PDF is written once per content (about a second of font subsetting); any change of the
# list (a candidate removed, the period over) changes the HTML and so the cache key.
PDF_CACHE_SECONDS = 24 * 3600


def publicity_list_public(request):
    province = public_province(request.GET.get("province"))
    lists = public_publicity_lists(province=province) if province else []
    page = Paginator(lists, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "admissions/public/publicity_list.html", {"province": province, "page": page})


def _publicity_context(publicity_list):
    return {
        "publicity_list": publicity_list,
        "training_base": publicity_list.training_base,
        "campaign": publicity_list.campaign,
        "rows": public_rows(publicity_list),
    }


def publicity_public(request, pk):
    publicity_list = public_publicity_list(pk)
    context = _publicity_context(publicity_list)
    form = ObjectionForm(request.POST or None, rows=context["rows"])
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        status = 400
        if form.is_valid():
            entry = publicity_entry(publicity_list=publicity_list, entry_id=form.cleaned_data["entry"])
            _objection, error = perform(
                request,
                lambda: raise_objection(
                    actor=request.user,
                    entry=entry,
                    contact=form.cleaned_data["contact"],
                    text=form.cleaned_data["text"],
                ),
                success=_("异议已提交。培训基地将核实处理，并通过您留下的联系方式回复。"),
            )
            if error is None:
                return redirect("publicity-public", pk=pk)
            status = error.status
    context.update(form=form, login_url=f"{reverse('login')}?next={request.path}")
    return render(request, "admissions/public/publicity.html", context, status=status)


def publicity_pdf(request, pk):
    publicity_list = public_publicity_list(pk)
    content = render_pdf(
        "admissions/public/publicity_pdf.html",
        _publicity_context(publicity_list),
        request=request,
        stylesheets=["css/publicity.css"],
        cache_timeout=PDF_CACHE_SECONDS,
    )
    filename = _("%(base)s第%(round)s批次%(kind)s.pdf") % {
        "base": publicity_list.training_base.name,
        "round": publicity_list.round,
        "kind": publicity_list.get_kind_display(),
    }
    return download_response(content, filename=filename, content_type="application/pdf", inline=True)


def admission_verify(request):
    """Anyone may check a notice: both its number and its verification code must match, and a
    miss says only that nothing was found. The code of an earlier version says when it was superseded."""
    if "code" in request.GET:
        form = VerifyForm(request.GET)
    else:  # the link printed on the notice brings its number only
        form = VerifyForm(initial={"notice": request.GET.get("notice", "")})
    context = {"form": form, "searched": False}
    if form.is_valid():
        admission = verified_admission(
            notice_number=form.cleaned_data["notice"], verification_code=form.cleaned_data["code"]
        )
        context["searched"] = True
        if admission is not None:
            assessment = admission.assessment
            applicant = assessment.application.applicant
            context["result"] = {
                "full_name": applicant.full_name,
                "masked_id": mask_id_number(applicant.id_number),
                "training_base": assessment.specialty_base.training_base.name,
                "specialty": assessment.specialty_base.specialty.name,
                "round": assessment.application.get_round_display(),
                "year": assessment.application.campaign.year,
                "admitted_at": admission.admitted_at,
                "notice_number": admission.notice_number,
                "corrected_at": admission.identity_corrected_at,
                "superseded_at": admission.superseded_at,
            }
    return render(request, "admissions/public/verify.html", context)
