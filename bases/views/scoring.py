"""The scoring formula pages: the quotas' current formulas (the provincial office's list), and one
specialty base's formula with its versions and the form of a new one."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bases.forms.scoring import FormulaForm
from bases.selectors.plan import quota_by_pk
from bases.selectors.scoring import (
    formula_history,
    formula_quotas,
    may_change_formula,
    scores_entered,
    training_bases_with_quotas,
    with_formulas,
)
from bases.services.scoring import change_formula
from policy.selectors import campaign_or_404
from portal.models import Role
from portal.permissions import CHANGE, require, require_role
from portal.web import parse_id, perform


@login_required
def formula_list(request):
    require_role(request.user, Role.PROVINCIAL_OFFICE, Role.BASE_OFFICE)
    campaign = campaign_or_404(province=request.user.province_id)
    training_base_id = parse_id(request.GET.get("training_base", ""))
    quotas = formula_quotas(user=request.user, campaign=campaign, training_base_id=training_base_id)
    page = Paginator(quotas, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "bases/formula_list.html",
        {
            "campaign": campaign,
            "page": page,
            "quotas": with_formulas(page.object_list),
            "training_bases": training_bases_with_quotas(user=request.user, campaign=campaign),
            "training_base_id": training_base_id,
        },
    )


@login_required
def formula_page(request, pk):
    require_role(request.user, Role.PROVINCIAL_OFFICE, Role.BASE_OFFICE)
    quota = quota_by_pk(pk)
    if quota is None:
        raise Http404
    require(request.user, CHANGE, quota)
    versions = list(formula_history(quota))
    current = versions[0] if versions else None
    initial = {"tie_break": current.tie_break} if current else {}
    if current:
        initial.update(interview_weight=current.interview_weight, exam_weight=current.exam_weight)
    form = FormulaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _formula, error = perform(
            request,
            lambda: change_formula(actor=request.user, quota=quota, **form.cleaned_data),
            success=_("计分公式已保存为新版本。"),
            form=form,
        )
        if error is None:
            return redirect("scoring-formula", pk=quota.pk)
    scored = scores_entered(quota)
    return render(
        request,
        "bases/formula.html",
        {
            "quota": quota,
            "versions": versions,
            "current": current,
            "form": form,
            "scored": scored,
            "may_change": may_change_formula(request.user, scored=scored),
        },
        status=400 if request.method == "POST" else 200,
    )
