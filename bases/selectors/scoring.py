"""Reads of the scoring formulas (计分公式): the version a quota ranks with now or ranked with at a
moment, their history, and whether a specialty base's scores are in (which decides who may add a
version). A quota's formula is its latest version; version 1 comes with the quota."""

import datetime

from django.db.models import OuterRef, QuerySet, Subquery

from bases.models import Quota, ScoringFormula, TrainingBase
from policy.models import Campaign
from portal.models import Role, User
from portal.permissions import CHANGE, visible

# Whether a quota's specialty base has a score in the quota's campaign: the scores are recorded by
# another app, which registers its check when Django starts (AppConfig.ready) — it imports this
# one, so this one cannot import it.
_score_checks = []


def register_scores_entered(check):
    """`check(quota)` answers whether a score of the quota's specialty base is in, in its campaign."""
    _score_checks.append(check)


def scores_entered(quota: Quota) -> bool:
    """Lock the quota first when the answer decides a write: recording a score takes its lock too."""
    return any(check(quota) for check in _score_checks)


def may_change_formula(user: User, *, scored: bool) -> bool:
    """Whether `user` (an office that may change the quota) may add a version: the base office
    until a score of the specialty base is in, the provincial office always."""
    return not scored or user.is_superuser or user.role == Role.PROVINCIAL_OFFICE


def default_formula() -> ScoringFormula:
    """The notice's formula, for a specialty base without a plan: no version of its own."""
    return ScoringFormula(version=None)


def formula_of(quota: Quota | None) -> ScoringFormula:
    """The version the quota ranks with now: its latest."""
    if quota is None:
        return default_formula()
    return ScoringFormula.objects.filter(quota=quota).order_by("-version").first() or default_formula()


def formulas_of(quota_ids) -> dict[int, ScoringFormula]:
    """{quota id: the version it ranks with now}, in one query."""
    latest = {}
    for formula in ScoringFormula.objects.filter(quota_id__in=quota_ids).order_by("quota_id", "version"):
        latest[formula.quota_id] = formula
    return latest


def formula_at(*, quota: Quota, moment: datetime.datetime) -> ScoringFormula:
    """The version in force at `moment`: the latest made by then, or version 1 when every version
    is younger (a plan's first version is as old as the plan, but one copied from the weights
    quotas had before formulas were versioned is dated the day of the copy)."""
    versions = ScoringFormula.objects.filter(quota=quota)
    return (
        versions.filter(created_at__lte=moment).order_by("-version").first()
        or versions.order_by("version").first()
        or default_formula()
    )


def latest_formula(field: str, *, campaign: str, specialty_base: str) -> Subquery:
    """An annotation: `field` of the latest formula of the quota whose campaign and specialty base
    are the outer row's `campaign` and `specialty_base` (lookups); None without a quota."""
    versions = ScoringFormula.objects.filter(
        quota__campaign=OuterRef(campaign), quota__specialty_base=OuterRef(specialty_base)
    ).order_by("-version")
    return Subquery(versions.values(field)[:1])


def formula_history(quota: Quota) -> QuerySet[ScoringFormula]:
    """Every version of the quota's formula, newest first, with who made and approved it."""
    return ScoringFormula.objects.filter(quota=quota).select_related("created_by", "approved_by").order_by("-version")


def with_formulas(quotas) -> list[Quota]:
    """`quotas` as a list, each with `formula`: the version it ranks with now (one more query)."""
    quotas = list(quotas)
    formulas = formulas_of([quota.pk for quota in quotas])
    for quota in quotas:
        quota.formula = formulas.get(quota.pk) or default_formula()
    return quotas


def formula_quotas(*, user: User, campaign: Campaign, training_base_id: int | None = None) -> QuerySet[Quota]:
    """The quotas of the campaign whose formula `user` may change (of one training base, if
    given), by training base and specialty."""
    rows = visible(user, Quota.objects.filter(campaign=campaign), CHANGE).select_related(
        "specialty_base__training_base", "specialty_base__specialty"
    )
    if training_base_id:
        rows = rows.filter(specialty_base__training_base_id=training_base_id)
    return rows.order_by(
        "specialty_base__training_base__sort_order",
        "specialty_base__training_base_id",
        "specialty_base__specialty__code",
    )


def training_bases_with_quotas(*, user: User, campaign: Campaign) -> QuerySet[TrainingBase]:
    """The training bases with a quota in the campaign whose formula `user` may change."""
    quotas = visible(user, Quota.objects.filter(campaign=campaign), CHANGE)
    return TrainingBase.objects.filter(pk__in=quotas.values("specialty_base__training_base_id")).order_by(
        "sort_order", "pk"
    )
