from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bases.models.plan import Quota
from policy.rules.scoring import DEFAULT_TIE_BREAK, DEFAULT_WEIGHTS, TIE_BREAK_RULES, TieBreak
from portal.permissions import scope_via


class ScoringFormula(models.Model):
    """One version of a specialty base's scoring formula in a campaign (计分公式): the weights of the
    interview and the exam and the order of the ties. Versions are added, never changed: the
    quota's formula is its latest version, and every ranking names the version it used. Version 1
    comes with the quota (the notice's default); once a score of the specialty base is in, only the
    provincial office may add a version (`approved_by`), see bases.services.scoring."""

    # Part of the quota: a quota removed before anything held a place of it (an undone plan import)
    # takes its versions along.
    quota = models.ForeignKey(Quota, models.CASCADE, related_name="formulas", verbose_name=_("招收计划"))
    version = models.PositiveSmallIntegerField(_("版本"))
    interview_weight = models.PositiveSmallIntegerField(_("面试成绩权重（%）"), default=DEFAULT_WEIGHTS[0])
    exam_weight = models.PositiveSmallIntegerField(_("专业考试成绩权重（%）"), default=DEFAULT_WEIGHTS[1])
    tie_break = models.CharField(_("并列时的排序"), max_length=16, choices=TieBreak.choices, default=DEFAULT_TIE_BREAK)
    reason = models.TextField(_("修改理由"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修改人"),
        help_text=_("为空：随招收计划生成"),
    )
    created_at = models.DateTimeField(_("生效时间"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("省级审批人"),
        help_text=_("专业基地已录入成绩后的修改，须由省级管理部门进行"),
    )

    scope_paths = scope_via("quota", Quota)

    class Meta:
        verbose_name = _("计分公式")
        verbose_name_plural = _("计分公式")
        ordering = ["quota", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["quota", "version"], name="one_formula_per_version"),
            models.CheckConstraint(
                condition=Q(interview_weight__lte=100, exam_weight__lte=100)
                & (Q(interview_weight__gt=0) | Q(exam_weight__gt=0)),
                name="formula_weights_are_percentages",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """计分公式第2版（面试60%，专业考试40%）: how a ranking names the formula it used."""
        if self.version is None:  # a specialty base without a plan: the notice's default
            return _("默认计分公式（面试%(interview)s%%，专业考试%(exam)s%%）") % {
                "interview": self.interview_weight,
                "exam": self.exam_weight,
            }
        return _("计分公式第%(version)s版（面试%(interview)s%%，专业考试%(exam)s%%）") % {
            "version": self.version,
            "interview": self.interview_weight,
            "exam": self.exam_weight,
        }

    @property
    def tie_break_rule(self):
        return TIE_BREAK_RULES[TieBreak(self.tie_break)]
