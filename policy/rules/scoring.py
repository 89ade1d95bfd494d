"""Scores (三(三)2: interview and professional exam, each out of 100) and the ranking a base sees:
the composite under a specialty base's formula (its weights) and the order of the ties (its
tie-break, the notice's default unless the base chose the other)."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_WEIGHTS = (50, 50)  # interview, exam: equal unless the training base weighs them otherwise


class TieBreak(models.TextChoices):
    """Which score decides first between equal composites; the time of the choice decides last."""

    EXAM_FIRST = "exam_first", _("先比专业考试成绩，再比面试成绩")
    INTERVIEW_FIRST = "interview_first", _("先比面试成绩，再比专业考试成绩")


DEFAULT_TIE_BREAK = TieBreak.EXAM_FIRST

TIE_BREAK_RULES = {
    TieBreak.EXAM_FIRST: _(
        "综合成绩相同者，依次按专业考试成绩、面试成绩从高到低排序，仍相同者按志愿填报时间先后排序。"
    ),
    TieBreak.INTERVIEW_FIRST: _(
        "综合成绩相同者，依次按面试成绩、专业考试成绩从高到低排序，仍相同者按志愿填报时间先后排序。"
    ),
}


def weights_refusal(interview_weight, exam_weight):
    """Why these weights cannot make a formula, or "" when they can: whole percentages that add up
    to 100, so that "面试60%" means what it says."""
    if not (0 <= interview_weight <= 100 and 0 <= exam_weight <= 100 and interview_weight + exam_weight == 100):
        return _("面试和专业考试的权重应为 0 到 100 之间的整数，两者之和为 100。")
    return ""


def composite(interview, exam, interview_weight=DEFAULT_WEIGHTS[0], exam_weight=DEFAULT_WEIGHTS[1]):
    """The weighted score, one decimal; None until both scores are in."""
    if interview is None or exam is None:
        return None
    total = Decimal(interview) * interview_weight + Decimal(exam) * exam_weight
    # 四舍五入, as score sheets round, not the banker's rounding Decimal uses by default.
    return (total / Decimal(interview_weight + exam_weight)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rank_key(*, composite_score, exam, interview, submitted_at, tie_break=DEFAULT_TIE_BREAK):
    """Higher composite first; ties broken by the exam and the interview in the `tie_break`'s
    order, then by who chose earlier."""
    missing = composite_score is None
    first, second = (interview, exam) if tie_break == TieBreak.INTERVIEW_FIRST else (exam, interview)
    return (missing, -(composite_score or 0), -(first or 0), -(second or 0), submitted_at)
