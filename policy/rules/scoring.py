"""Scores (三(三)2: interview and professional exam, each out of 100) and the ranking a base sees."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _


def composite(interview, exam, interview_weight=50, exam_weight=50):
    """The weighted score, one decimal; None until both scores are in."""
    if interview is None or exam is None:
        return None
    total = Decimal(interview) * interview_weight + Decimal(exam) * exam_weight
    # 四舍五入, as score sheets round, not the banker's rounding Decimal uses by default.
    return (total / Decimal(interview_weight + exam_weight)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rank_key(*, composite_score, exam, interview, submitted_at):
    """Higher composite first; ties broken by the exam, then the interview, then who chose earlier."""
    missing = composite_score is None
    return (missing, -(composite_score or 0), -(exam or 0), -(interview or 0), submitted_at)


TIE_BREAK = _("综合成绩相同者，依次按专业考试成绩、面试成绩从高到低排序，仍相同者按志愿填报时间先后排序。")
