"""Changing a specialty base's scoring formula (计分公式): every change is a new version, and once
a score of the specialty base is in, only the provincial office may make it."""

from django.db import transaction
from django.utils.translation import gettext as _

from bases.models import Quota, ScoringFormula
from bases.selectors.scoring import formula_of, may_change_formula, scores_entered
from policy.rules.scoring import TieBreak, weights_refusal
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Role, User
from portal.notifications import notify_offices
from portal.permissions import CHANGE, require, require_role


class FormulaNeedsProvince(DomainError):
    status = 403
    code = "formula_needs_province"


def _state(formula):
    return {
        "version": formula.version,
        "interview": formula.interview_weight,
        "exam": formula.exam_weight,
        "tie_break": formula.tie_break,
    }


def change_formula(
    *, actor: User, quota: Quota, interview_weight: int, exam_weight: int, tie_break: str, reason: str = ""
) -> ScoringFormula:
    """Add a version of the quota's formula. The base office may until the first score of the
    specialty base in the campaign is in; after that only the provincial office may, with a
    reason, and is recorded as having approved the version (the base office is told). Takes the
    quota's row lock, which recording a score takes too, so a score cannot slip in unseen."""
    require_role(actor, Role.BASE_OFFICE, Role.PROVINCIAL_OFFICE)
    require(actor, CHANGE, quota)
    problems = {}
    refusal = weights_refusal(interview_weight, exam_weight)
    if refusal:
        problems["weights"] = [str(refusal)]  # of the pair, so of no single field
    if tie_break not in TieBreak.values:
        problems["tie_break"] = [_("请选择综合成绩相同时的排序规则。")]
    if problems:
        raise DomainError.of_inputs(problems, status=400, code="invalid")
    reason = reason.strip()
    with transaction.atomic():
        quota = (
            Quota.objects.select_for_update(of=("self",))
            .select_related("specialty_base__training_base", "specialty_base__specialty")
            .get(pk=quota.pk)
        )
        current = formula_of(quota)
        if (current.interview_weight, current.exam_weight, current.tie_break) == (
            interview_weight,
            exam_weight,
            tie_break,
        ):
            raise DomainError(_("与现行计分公式相同，没有修改。"), status=400, code="unchanged")
        scored = scores_entered(quota)
        if not may_change_formula(actor, scored=scored):
            raise FormulaNeedsProvince(
                _(
                    "%(base)s已录入考核成绩，计分公式不能再由培训基地修改；确需修改的，"
                    "请联系省毕业后医学教育委员会办公室，由其修改并形成新版本。"
                )
                % {"base": quota.specialty_base}
            )
        if scored and not reason:
            raise DomainError.of_inputs(
                {"reason": [_("已录入考核成绩后修改计分公式，请写明理由。")]}, status=400, code="invalid"
            )
        formula = ScoringFormula.objects.create(
            quota=quota,
            version=(current.version or 0) + 1,
            interview_weight=interview_weight,
            exam_weight=exam_weight,
            tie_break=tie_break,
            reason=reason,
            created_by=actor,
            approved_by=actor if scored else None,
        )
        record_event(
            actor=actor,
            action="scoring_formula.change",
            obj=formula,
            before=_state(current),
            after={**_state(formula), "after_scoring": scored},
            reason=reason,
        )
        if scored:
            notify_offices(
                training_base=quota.specialty_base.training_base,
                kind="scoring_formula.changed",
                subject=_("计分公式已由省级管理部门修改：%(base)s") % {"base": quota.specialty_base},
                body=_("%(formula)s。%(rule)s理由：%(reason)s")
                % {"formula": formula.label, "rule": formula.tie_break_rule, "reason": reason},
            )
    return formula
