"""The public vacancy board (空余名额): for each specialty base of a campaign its plan, the places held
by proposed candidates awaiting admission, those admitted (the entries outside the rounds included)
and those left, with the plan table's filters (city, specialty, shortage). It is public while
`policy.timetable.vacancy_board_state` says so: from round-1 assessment to the end of round-2
publicity.

Everybody looks at it as a deadline nears, so the board — the campaign a page shows, its filter
choices and its rows for each filter — is kept in the cache for at most `BOARD_SECONDS`: with a warm
cache a page or an API call asks the database nothing, and what it shows is at most that old. A
recorded change of an assessment, an entry outside the rounds, a quota or the plan moves its
campaign's board to a new generation once the change commits (`forget_changed_boards`, registered
with `portal.audit`), so a decision shows at once wherever the cache is shared (Redis in
production; the per-process memory cache of the embedded setup catches up within `BOARD_SECONDS`).

What is personal — where the signed-in applicant may choose or ask for adjustment — is never
cached: `applicant_actions` works it out per request."""

import datetime
import hashlib
import logging
import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from admissions.models import Applicant, Assessment, DirectEntry
from admissions.selectors.facts import eligibility_by_quota
from admissions.selectors.offers import adjustment_quotas, offer_rows, offers_of
from admissions.selectors.places import quotas_with_vacancies
from bases.models import Quota
from bases.selectors.directory import public_province
from bases.selectors.plan import plan_filter_choices, plan_rows
from policy.models import Campaign
from policy.selectors import current_campaign
from policy.timetable import open_choice_round
from portal.throttling import CACHE_ERRORS

logger = logging.getLogger(__name__)

BOARD_SECONDS = 60

CHOOSE, ADJUST = "choose", "adjust"


@dataclass(frozen=True)
class VacancyRow:
    """One specialty base on the board: no person, only counts."""

    quota_id: int
    specialty_base_id: int
    training_base: str
    city: str
    specialty_id: int
    specialty_code: str
    specialty: str
    is_shortage: bool
    plan: int
    held: int
    admitted: int
    left: int


@dataclass(frozen=True)
class VacancyBoard:
    rows: tuple
    plan: int
    held: int
    admitted: int
    left: int
    counted_at: datetime.datetime


def _cached(key, compute):
    """`compute()`, kept under `key` for `BOARD_SECONDS`; with the cache down, computed every time
    (an outage costs queries, not the page)."""
    try:
        kept = cache.get(key)
    except CACHE_ERRORS as error:
        logger.warning("Vacancy board cache unavailable: %s", type(error).__name__)
        return compute()
    if kept is not None:
        return kept[0]
    value = compute()
    try:
        cache.set(key, (value,), BOARD_SECONDS)  # wrapped: None is a value too (no campaign)
    except CACHE_ERRORS as error:
        logger.warning("Vacancy board cache unavailable: %s", type(error).__name__)
    return value


def _generation_key(campaign_id):
    return f"vacancies:{campaign_id}:generation"


def _generation(campaign_id):
    try:
        return cache.get(_generation_key(campaign_id), "0")
    except CACHE_ERRORS:
        return "0"


def board_campaign(province_code: str | None = None) -> Campaign | None:
    """The campaign the public board shows (`bases.selectors.directory.public_campaign`), with its
    province loaded, cached."""
    code = province_code if province_code and province_code.isdecimal() and len(province_code) <= 12 else ""

    def find():
        province = public_province(code)
        campaign = current_campaign(province=province) if province else None
        if campaign is not None:
            campaign.province = province
        return campaign

    return _cached(f"vacancies:campaign:{code}", find)


def board_filter_choices(campaign: Campaign):
    """`plan_filter_choices` of the campaign, cached with its board."""
    key = f"vacancies:{campaign.pk}:{_generation(campaign.pk)}:choices"
    return _cached(key, lambda: plan_filter_choices(campaign=campaign))


def vacancy_board(*, campaign: Campaign, city: str = "", specialty_id: int | None = None, shortage_only=False):
    """The board of `campaign` for `plan_rows`' filters, cached: its rows in the plan table's order
    and their totals, counted in one query."""
    filters = {"city": city, "specialty_id": specialty_id, "shortage_only": bool(shortage_only)}
    digest = hashlib.sha256(repr(sorted(filters.items())).encode()).hexdigest()[:32]
    key = f"vacancies:{campaign.pk}:{_generation(campaign.pk)}:rows:{digest}"
    return _cached(key, lambda: _count(campaign, filters))


def _count(campaign, filters):
    rows = tuple(
        VacancyRow(
            quota_id=quota.pk,
            specialty_base_id=quota.specialty_base_id,
            training_base=quota.specialty_base.training_base.name,
            city=quota.specialty_base.training_base.city,
            specialty_id=quota.specialty_base.specialty_id,
            specialty_code=quota.specialty_base.specialty.code,
            specialty=quota.specialty_base.specialty.name,
            is_shortage=quota.is_shortage,
            plan=quota.places,
            held=quota.held,
            admitted=quota.admitted,
            left=quota.left,
        )
        for quota in quotas_with_vacancies(plan_rows(campaign=campaign, **filters))
    )
    return VacancyBoard(
        rows=rows,
        plan=sum(row.plan for row in rows),
        held=sum(row.held for row in rows),
        admitted=sum(row.admitted for row in rows),
        left=sum(row.left for row in rows),
        counted_at=timezone.now(),
    )


def forget_changed_boards(objects):
    """Registered with `portal.audit`: once a change of an assessment, an entry outside the rounds,
    a quota or a campaign (its plan imported) commits, its campaign's board is counted afresh."""
    campaign_ids = set()
    for obj in objects:
        if isinstance(obj, (Assessment, DirectEntry, Quota)):
            campaign_ids.add(obj.campaign_id)
        elif isinstance(obj, Campaign):
            campaign_ids.add(obj.pk)
    if campaign_ids:
        transaction.on_commit(lambda: _next_generation(campaign_ids))


def _next_generation(campaign_ids):
    try:
        # A random token, never a counter that could come back to a value still cached.
        cache.set_many({_generation_key(pk): secrets.token_hex(8) for pk in campaign_ids}, None)
    except CACHE_ERRORS as error:
        logger.warning("Vacancy board not refreshed, cache unavailable: %s", type(error).__name__)


def applicant_actions(*, applicant: Applicant, campaign: Campaign, rows):
    """{specialty base id: CHOOSE or ADJUST} among the board rows `rows` that have places left:
    CHOOSE while a round's choice window is open and the applicant is eligible (the choice page's
    rule); ADJUST for the specialty bases its round-1 first choice, not admitted, may be adjusted
    to (the offers page's options, eligible ones only)."""
    with_places = {row.quota_id for row in rows if row.left > 0}
    if not with_places:
        return {}
    actions = {}
    if open_choice_round(campaign) is not None:
        quotas = list(plan_rows(campaign=campaign).filter(pk__in=with_places))
        decisions = eligibility_by_quota(applicant=applicant, campaign=campaign, quotas=quotas)
        actions.update({quota.specialty_base_id: CHOOSE for quota in quotas if decisions[quota.pk]})
    for offer in offer_rows(offers_of(applicant=applicant, campaign=campaign)):
        if offer.adjustable:
            quotas = [quota for quota in adjustment_quotas(offer.assessment) if quota.pk in with_places]
            decisions = eligibility_by_quota(applicant=applicant, campaign=campaign, quotas=quotas)
            actions.update({quota.specialty_base_id: ADJUST for quota in quotas if decisions[quota.pk]})
    return actions
