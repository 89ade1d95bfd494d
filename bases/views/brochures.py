"""Brochure (招生简章) pages: the base office's editor, the province's review, the public page and PDF.

Every write goes through bases.services.brochures; a refusal becomes a page message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bases.forms.brochures import REVIEW_EXTRA_TARGETS, BrochureForm, BrochureReviewForm, comment_field_name
from bases.models import OPEN_STATUSES, BrochureStatus
from bases.selectors.brochures import (
    brochure_of,
    brochure_plan,
    campaign_version,
    comments_to_address,
    lateness_of,
    open_version,
    previous_version,
    province_review_rows,
    published_brochures,
    published_version,
    version_for_review,
    versions_of,
)
from bases.selectors.campaigns import provincial_campaign
from bases.selectors.directory import public_province
from bases.services.brochures import (
    IncompleteBrochure,
    approve_brochure,
    gaps_of,
    publish_brochure,
    return_brochure,
    save_brochure_draft,
    start_brochure_draft,
    submit_brochure,
)
from policy.rules.brochures import SECTIONS, TWO_EQUAL_TREATMENTS
from policy.selectors import current_campaign
from portal.models import Role
from portal.pdf import render_pdf
from portal.permissions import CHANGE, require, require_role
from portal.web import download_response, parse_id, perform

# --- the training-base office ---------------------------------------------------------------------


def _office_training_base(user):
    require_role(user, Role.BASE_OFFICE)
    if not user.training_base_id:
        raise PermissionDenied
    return user.training_base


def _posted_pk(request, name):
    value = parse_id(request.POST.get(name, ""))
    if value is None:
        raise Http404
    return value


def _office_version(request, campaign):
    """The version a POST acts on: one of this campaign's, and the user's to change (else 403)."""
    version = campaign_version(campaign=campaign, pk=_posted_pk(request, "version"))
    if version is None:
        raise Http404
    require(request.user, CHANGE, version)
    return version


def _section_rows(version, form, comments, gaps):
    gaps_by_key = {gap.key: gap for gap in gaps}
    return [
        {
            "section": section,
            "field": form[section.key] if form is not None else None,
            "text": (version.sections.get(section.key, "") if version else ""),
            "comments": comments.get(section.key, []),
            "gap": gaps_by_key.get(section.key),
        }
        for section in SECTIONS
    ]


def _target_labels():
    return {"": _("总体"), **dict(REVIEW_EXTRA_TARGETS), **{section.key: section.label for section in SECTIONS}}


def _history(versions):
    labels = _target_labels()
    return [
        {"version": v, "comments": [(labels.get(c.section, c.section), c) for c in v.comments.all()]} for v in versions
    ]


def _office_page(request, campaign, training_base, *, form=None, gaps=None, status=200):
    brochure = brochure_of(campaign=campaign, training_base=training_base)
    versions = versions_of(brochure)
    current = open_version(versions) or (versions[0] if versions else None)
    editable = bool(current and current.is_editable)
    if editable and form is None:
        form = BrochureForm.for_version(current)
    if not editable:
        form = None
    if gaps is None:
        gaps = gaps_of(current) if editable else []
    returned, comments = comments_to_address(versions)
    published = next((v for v in versions if v.status == BrochureStatus.PUBLISHED), None)
    context = {
        "campaign": campaign,
        "training_base": training_base,
        "brochure": brochure,
        "versions": versions,
        "history": _history(versions),
        "current": current,
        "editable": editable,
        "form": form,
        "gaps": gaps,
        "gap_keys": {gap.key for gap in gaps},
        "rows": _section_rows(current, form, comments, gaps),
        "returned": returned,
        "general_comments": comments.get("", []),
        "type_comments": comments.get("applicant_types", []),
        "plan_comments": comments.get("plan", []),
        "plan": brochure_plan(campaign=campaign, training_base=training_base),
        "lateness": lateness_of(campaign, versions),
        "can_start": current is None or current.status not in OPEN_STATUSES,
        "can_publish": bool(current and current.status == BrochureStatus.APPROVED),
        "published": published,
        "statement": TWO_EQUAL_TREATMENTS,
    }
    return render(request, "bases/brochures/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def brochure_edit(request):
    training_base = _office_training_base(request.user)
    campaign = current_campaign(province=request.user.province)
    if campaign is None:
        return render(request, "bases/brochures/no_campaign.html", status=404)
    if request.method == "GET":
        return _office_page(request, campaign, training_base)

    action, user = request.POST.get("action"), request.user
    if action == "start":
        perform(
            request,
            lambda: start_brochure_draft(actor=user, campaign=campaign, training_base=training_base),
            success=_("已建立可编辑的版本。"),
        )
        return redirect("brochure-edit")
    if action not in ("save", "submit", "publish"):
        return HttpResponseBadRequest(_("未知的操作。"))
    version = _office_version(request, campaign)
    if action == "publish":
        perform(request, lambda: publish_brochure(actor=user, version=version), success=_("招生简章已发布。"))
        return redirect("brochure-edit")

    form = BrochureForm(request.POST)
    if not form.is_valid():
        return _office_page(request, campaign, training_base, form=form, status=400)

    def save():
        return save_brochure_draft(
            actor=user,
            version=version,
            applicant_types=form.cleaned_data["applicant_types"],
            sections=form.sections(),
        )

    def save_and_submit():
        # One transaction: an incomplete brochure is refused and nothing at all is written.
        with transaction.atomic():
            return submit_brochure(actor=user, version=save())

    if action == "save":
        _result, error = perform(request, save, success=_("草稿已保存。"))
    else:
        _result, error = perform(request, save_and_submit, success=_("招生简章已提交，等待省级审核。"))
    if error is None:
        return redirect("brochure-edit")
    gaps = error.gaps if isinstance(error, IncompleteBrochure) else None
    return _office_page(request, campaign, training_base, form=form, gaps=gaps, status=error.status)


# --- the provincial office ------------------------------------------------------------------------


def _provincial_office(user):
    require_role(user, Role.PROVINCIAL_OFFICE)


@login_required
def brochure_review_list(request):
    campaign = provincial_campaign(user=request.user, campaign_id=request.GET.get("campaign", ""))
    rows = province_review_rows(user=request.user, campaign=campaign) if campaign else []
    return render(
        request,
        "bases/brochures/review_list.html",
        {"campaign": campaign, "rows": rows, "late_count": sum(1 for row in rows if row.lateness.is_late)},
    )


def _review_targets(version, form, previous):
    """One entry per thing the province may comment on: its text, comment field, earlier comments."""
    earlier = {}
    if previous is not None and previous.status == BrochureStatus.RETURNED:
        for comment in previous.comments.all():
            earlier.setdefault(comment.section, []).append(comment)
    current = {}
    for comment in version.comments.all():
        current.setdefault(comment.section, []).append(comment)
    previous_sections = previous.sections if previous is not None else None
    rows = []
    for section in SECTIONS:
        text = version.sections.get(section.key, "")
        rows.append(
            {
                "key": section.key,
                "label": section.label,
                "text": text,
                "changed": previous_sections is not None and previous_sections.get(section.key, "") != text,
                "field": form[comment_field_name(section.key)] if form is not None else None,
                "earlier": earlier.get(section.key, []),
                "comments": current.get(section.key, []),
            }
        )
    extras = {
        key: {
            "field": form[comment_field_name(key)] if form is not None else None,
            "earlier": earlier.get(key, []),
            "comments": current.get(key, []),
        }
        for key, _label in REVIEW_EXTRA_TARGETS
    }
    return rows, extras, earlier.get("", []), current.get("", [])


def _review_page(request, version, *, form=None, status=200):
    can_decide = version.status == BrochureStatus.SUBMITTED
    if can_decide and form is None:
        form = BrochureReviewForm()
    if not can_decide:
        form = None
    previous = previous_version(version)
    rows, extras, earlier_general, general = _review_targets(version, form, previous)
    brochure = version.brochure
    return render(
        request,
        "bases/brochures/review.html",
        {
            "version": version,
            "brochure": brochure,
            "training_base": brochure.training_base,
            "campaign": brochure.campaign,
            "previous": previous,
            "rows": rows,
            "extras": extras,
            "earlier_general": earlier_general,
            "general_comments": general,
            "form": form,
            "can_decide": can_decide,
            "statement": TWO_EQUAL_TREATMENTS,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def brochure_review(request, version_pk):
    _provincial_office(request.user)
    version = version_for_review(version_pk)
    if version is None:
        raise Http404
    require(request.user, CHANGE, version)
    if request.method == "GET":
        return _review_page(request, version)

    form = BrochureReviewForm(request.POST)
    decision = request.POST.get("decision")
    if decision not in ("approve", "return"):
        return HttpResponseBadRequest(_("未知的操作。"))
    if not form.is_valid():
        return _review_page(request, version, form=form, status=400)
    note = form.cleaned_data["note"]
    if decision == "approve" and form.comments():
        messages.error(request, _("已填写栏目意见：如需基地修改，请点击“退回修改”；审核通过时只填写总体意见。"))
        return _review_page(request, version, form=form, status=400)
    if decision == "approve":
        action, success = (
            lambda: approve_brochure(actor=request.user, version=version, note=note),
            _("已审核通过，基地可以发布。"),
        )
    else:
        action, success = (
            lambda: return_brochure(actor=request.user, version=version, comments=form.comments(), note=note),
            _("已退回修改，基地将收到审核意见。"),
        )
    _result, error = perform(request, action, success=success)
    if error is None:
        return redirect("brochure-review-list")
    return _review_page(request, version_for_review(version.pk), form=form, status=error.status)


# --- public pages ---------------------------------------------------------------------------------

# A published brochure's PDF is written once per content (about a second of font subsetting).
PDF_CACHE_SECONDS = 24 * 3600


def brochure_public_list(request):
    province = public_province(request.GET.get("province"))
    campaign = current_campaign(province=province) if province else None
    versions = list(published_brochures(campaign=campaign)) if campaign else []
    return render(
        request,
        "bases/brochures/public_list.html",
        {"province": province, "campaign": campaign, "versions": versions},
    )


def _public_context(brochure_pk):
    version = published_version(brochure_pk=brochure_pk)
    if version is None:
        raise Http404
    brochure = version.brochure
    return {
        "version": version,
        "brochure": brochure,
        "training_base": brochure.training_base,
        "campaign": brochure.campaign,
        "statement": TWO_EQUAL_TREATMENTS,
        "sections": [(section, version.sections.get(section.key, "")) for section in SECTIONS],
        "plan": list(brochure_plan(campaign=brochure.campaign, training_base=brochure.training_base)),
    }


def brochure_public(request, brochure_pk):
    context = _public_context(brochure_pk)
    context["pdf_url"] = reverse("brochure-pdf", args=[brochure_pk])
    return render(request, "bases/brochures/public.html", context)


def brochure_pdf(request, brochure_pk):
    context = _public_context(brochure_pk)
    content = render_pdf(
        "bases/brochures/pdf.html",
        context,
        request=request,
        stylesheets=["css/brochure.css"],
        cache_timeout=PDF_CACHE_SECONDS,
    )
    filename = _("%(base)s%(year)s年招生简章.pdf") % {
        "base": context["training_base"].name,
        "year": context["campaign"].year,
    }
    return download_response(content, filename=filename, content_type="application/pdf", inline=True)
