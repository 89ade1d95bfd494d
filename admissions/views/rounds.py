"""The assessment pages of the specialty-base staff and the training-base office: a specialty
base's candidates with their score sheets, ranking and cut line; qualification, scores, decisions,
proposing by rank and publishing the list; Excel export and import of the scores. Thin: they parse
input, call the services and selectors, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from admissions.forms.rounds import (
    DecisionForm,
    QualificationForm,
    ScoreForm,
    ScoreImportForm,
)
from admissions.selectors.applicants import application_by_pk
from admissions.selectors.assessments import assessment_by_pk
from admissions.selectors.rounds import (
    candidate_sheet,
    opening_specialty_base,
    round_quotas,
    specialty_base_of,
    unpublished_proposals,
)
from admissions.services.assessments import decide_admission, record_scores, review_qualification
from admissions.services.publicity import prepare_list_release
from admissions.services.round_close import propose_ranked
from admissions.services.score_excel import (
    MAX_FILE_BYTES,
    SCORE_RELEASE,
    ScoreImportError,
    export_scores,
    file_name,
    prepare_score_release,
)
from policy.selectors import campaign_or_404
from policy.timetable import assessment_state, assessment_window, publication_state, publicity_deadline
from portal.errors import DomainError
from portal.models import ASSESSOR_ROLES, Role
from portal.permissions import CHANGE, require, require_role
from portal.releases import releases
from portal.spreadsheets import XLSX_CONTENT_TYPE
from portal.web import download_response, parse_id, perform

ROUNDS = (1, 2)


def check_round(round_number):
    if round_number not in ROUNDS:
        raise Http404


def _is_office(user):
    return user.is_superuser or user.role == Role.BASE_OFFICE


def chosen_specialty_base(request, campaign, round_number):
    """The specialty base a page is about: the one asked for with `?specialty_base=` (which the
    user must be allowed to work on), else the staff member's own, else the office's first
    specialty base with candidates waiting in the round, else its first with a plan (shortage
    specialties first); None when there is none."""
    user = request.user
    raw = request.GET.get("specialty_base", "")
    if raw:
        specialty_base_id = parse_id(raw)
        specialty_base = specialty_base_of(specialty_base_id) if specialty_base_id is not None else None
        if specialty_base is None:
            raise Http404
    elif user.role == Role.SPECIALTY_BASE_STAFF and user.specialty_base_id:
        specialty_base = specialty_base_of(user.specialty_base_id)
    elif user.training_base_id:
        quotas = round_quotas(campaign=campaign, training_base=user.training_base_id, round_number=round_number)
        specialty_base = opening_specialty_base(list(quotas))
    else:
        specialty_base = None
    if specialty_base is not None:
        require(user, CHANGE, specialty_base)
    return specialty_base


def candidates_url(round_number, specialty_base_id, anchor=""):
    url = reverse("round-candidates", args=[round_number]) + "?" + urlencode({"specialty_base": specialty_base_id})
    return f"{url}#{anchor}" if anchor else url


def _render_candidates(request, *, campaign, round_number, specialty_base, bound=None, status=200):
    """The page; `bound` maps an assessment id to a score form that came back with an error."""
    user, bound = request.user, bound or {}
    office = _is_office(user)
    quotas = (
        list(round_quotas(campaign=campaign, training_base=specialty_base.training_base_id, round_number=round_number))
        if office and specialty_base is not None
        else []
    )
    sheet, rows = None, []
    if specialty_base is not None:
        sheet = candidate_sheet(campaign=campaign, specialty_base=specialty_base, round_number=round_number)
        for candidate in sheet.candidates:
            qualification = score = None
            if candidate.can_review:
                initial = {}
                if candidate.assessment is not None:
                    passed = candidate.stage != "disqualified"
                    initial = {"passed": "1" if passed else "0", "note": candidate.assessment.qualification_note}
                qualification = QualificationForm(prefix=f"q-{candidate.key}", initial=initial)
            if candidate.can_score:
                pk = candidate.assessment.pk
                score = bound.get(pk) or ScoreForm(prefix=f"s-{pk}", initial=ScoreForm.initial_of(candidate.assessment))
            rows.append({"candidate": candidate, "qualification": qualification, "score": score})
    first, last = assessment_window(campaign, round_number)
    context = {
        "campaign": campaign,
        "round_number": round_number,
        "other_round": 2 if round_number == 1 else 1,
        "specialty_base": specialty_base,
        "quotas": quotas,
        "sheet": sheet,
        "rows": rows,
        "office": office,
        "window_first": first,
        "window_last": last,
        "assessment": assessment_state(campaign, round_number),
        "publication": publication_state(campaign, round_number),
        "publicity_deadline": publicity_deadline(campaign, round_number),
        "unpublished": (
            unpublished_proposals(
                campaign=campaign, training_base=specialty_base.training_base_id, round_number=round_number
            )
            if office and specialty_base is not None
            else 0
        ),
        "query": urlencode({"specialty_base": specialty_base.pk}) if specialty_base else "",
        "nav": f"round{round_number}",
        "nav_query": urlencode({"specialty_base": specialty_base.pk}) if specialty_base else "",
    }
    return render(request, "admissions/rounds/candidates.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def round_candidates(request, round_number):
    require_role(request.user, *ASSESSOR_ROLES)
    check_round(round_number)
    campaign = campaign_or_404(province=request.user.province_id)
    return _render_candidates(
        request,
        campaign=campaign,
        round_number=round_number,
        specialty_base=chosen_specialty_base(request, campaign, round_number),
    )


def _assessment(request, pk):
    # The page re-renders this base's candidates when the form is refused, so it needs the scope
    # before the service is reached.
    assessment = assessment_by_pk(pk)
    require(request.user, CHANGE, assessment)
    return assessment


@login_required
@require_POST
def round_qualification(request, pk):
    require_role(request.user, *ASSESSOR_ROLES)
    application = application_by_pk(pk)
    require(request.user, CHANGE, application)
    form = QualificationForm(request.POST, prefix=f"q-{request.POST.get('key', '')}")
    anchor = f"candidate-{request.POST.get('key', '')}"
    if form.is_valid():
        assessment, _error = perform(
            request,
            lambda: review_qualification(
                actor=request.user,
                application=application,
                passed=form.cleaned_data["passed"],
                note=form.cleaned_data["note"],
            ),
            success=_("已保存%(name)s的资格审核结果。") % {"name": application.applicant.full_name},
        )
        if assessment is not None:
            anchor = f"candidate-a{assessment.pk}"
    else:
        messages.error(request, _first_error(form))
    return redirect(candidates_url(application.round, application.specialty_base_id, anchor))


def _first_error(form):
    for errors in form.errors.values():
        return errors[0]
    return _("输入有误。")


@login_required
@require_POST
def round_scores(request, pk):
    require_role(request.user, *ASSESSOR_ROLES)
    assessment = _assessment(request, pk)
    application = assessment.application
    form = ScoreForm(request.POST, prefix=f"s-{pk}")
    if form.is_valid():
        _result, error = perform(
            request,
            lambda: record_scores(actor=request.user, assessment=assessment, **form.cleaned_data),
            success=_("已保存%(name)s的成绩和评价。") % {"name": application.applicant.full_name},
            form=form,
        )
        if error is None:
            return redirect(candidates_url(application.round, assessment.specialty_base_id, f"candidate-a{pk}"))
    if form.errors:
        # The sheet may be far down a long page: its top says what is wrong too.
        messages.error(request, _first_error(form))
    # Keep what was typed: the page comes back with this candidate's sheet as it was sent.
    return _render_candidates(
        request,
        campaign=application.campaign,
        round_number=application.round,
        specialty_base=assessment.specialty_base,
        bound={assessment.pk: form},
        status=400,
    )


@login_required
@require_POST
def round_decision(request, pk):
    require_role(request.user, Role.BASE_OFFICE)
    assessment = _assessment(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        admit = form.cleaned_data["admit"]
        name = assessment.application.applicant.full_name
        perform(
            request,
            lambda: decide_admission(
                actor=request.user, assessment=assessment, admit=admit, reason=form.cleaned_data["reason"]
            ),
            success=(_("已将%(name)s列为拟录取。") if admit else _("已决定不录取%(name)s。")) % {"name": name},
        )
    else:
        messages.error(request, _first_error(form))
    return redirect(
        candidates_url(assessment.application.round, assessment.specialty_base_id, f"candidate-a{assessment.pk}")
    )


@login_required
@require_POST
def round_publish(request, round_number):
    require_role(request.user, Role.BASE_OFFICE)
    check_round(round_number)
    user = request.user
    if user.training_base_id is None:
        raise Http404
    campaign = campaign_or_404(province=user.province_id)
    release, _error = perform(
        request,
        lambda: prepare_list_release(
            actor=user, campaign=campaign, training_base=user.training_base, round_number=round_number
        ),
        success=_("已准备发布拟录取名单公示：请本办公室另一名工作人员核对预览并确认发布。"),
    )
    if release is not None:
        return redirect("release", release.pk)
    specialty_base_id = parse_id(request.POST.get("specialty_base", ""))
    if specialty_base_id is not None:
        return redirect(candidates_url(round_number, specialty_base_id))
    return redirect("round-candidates", round_number)


@login_required
@require_POST
def round_propose_ranked(request, round_number):
    """The office's "propose everyone above the cut line" of one specialty base."""
    require_role(request.user, Role.BASE_OFFICE)
    check_round(round_number)
    user = request.user
    specialty_base = specialty_base_of(parse_id(request.POST.get("specialty_base", "")) or 0)
    if user.training_base_id is None or specialty_base is None:
        raise Http404
    campaign = campaign_or_404(province=user.province_id)
    proposed, _error = perform(
        request,
        lambda: propose_ranked(
            actor=user,
            campaign=campaign,
            training_base=user.training_base,
            round_number=round_number,
            specialty_base=specialty_base,
        ),
        success=_("已按排名拟录取。"),
    )
    if proposed is not None:
        messages.info(request, _("本次拟录取 %(count)s 人。") % {"count": len(proposed)})
    return redirect(candidates_url(round_number, specialty_base.pk))


def _excel_target(request, round_number):
    require_role(request.user, *ASSESSOR_ROLES)
    check_round(round_number)
    campaign = campaign_or_404(province=request.user.province_id)
    specialty_base = chosen_specialty_base(request, campaign, round_number)
    if specialty_base is None:
        raise Http404
    return campaign, specialty_base


@login_required
@require_http_methods(["GET"])
def round_scores_export(request, round_number):
    campaign, specialty_base = _excel_target(request, round_number)
    content = export_scores(
        actor=request.user, campaign=campaign, specialty_base=specialty_base, round_number=round_number
    )
    return download_response(content, filename=file_name(specialty_base, round_number), content_type=XLSX_CONTENT_TYPE)


@login_required
@require_http_methods(["GET", "POST"])
def round_scores_import(request, round_number):
    campaign, specialty_base = _excel_target(request, round_number)
    form = ScoreImportForm(request.POST or None, request.FILES or None)
    errors, status = [], 200
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ScoreImportError.of_file(_first_error(form))
            prepared = prepare_score_release(
                actor=request.user,
                campaign=campaign,
                specialty_base=specialty_base,
                round_number=round_number,
                file=form.cleaned_data["file"],
            )
        except DomainError as error:
            messages.error(request, error.message)
            errors, status = getattr(error, "errors", []), error.status
        else:
            if prepared.release is None:
                messages.info(
                    request,
                    _("文件共 %(rows)s 行，与现有记录相同，没有需要导入的成绩。") % {"rows": prepared.rows},
                )
                return redirect(candidates_url(round_number, specialty_base.pk))
            messages.success(
                request,
                _(
                    "已检查 %(rows)s 行：%(changed)s 名考生的成绩有变化，%(unchanged)s 行与现有记录相同。"
                    "请本专业基地另一名工作人员或培训基地招收办公室核对预览并确认导入。"
                )
                % {"rows": prepared.rows, "changed": prepared.changed, "unchanged": prepared.unchanged},
            )
            return redirect("release", prepared.release.pk)
    context = {
        "campaign": campaign,
        "round_number": round_number,
        "specialty_base": specialty_base,
        "form": form,
        "errors": errors,
        "assessment": assessment_state(campaign, round_number),
        "query": urlencode({"specialty_base": specialty_base.pk}),
        "max_megabytes": MAX_FILE_BYTES // (1024 * 1024),
        "releases": releases(user=request.user, kinds=(SCORE_RELEASE,), specialty_base_id=specialty_base.pk),
        "nav": f"round{round_number}",
        "nav_query": urlencode({"specialty_base": specialty_base.pk}) if specialty_base else "",
    }
    return render(request, "admissions/rounds/scores_import.html", context, status=status)
