"""The public vacancy board (空余名额): for each specialty base of a campaign its plan, the places held
by proposed candidates awaiting admission, those admitted (the entries outside the rounds included)
and those left, with the plan table's filters (city, specialty, shortage). It is public while
`policy.timetable.vacancy_board_state` says so: from round-1 assessment to the end of round-2
publicity.

Everybody looks at it as a deadline nears, so everything the board is made of — the campaign a page
shows, the filter choices, the counts for each filter and what the page and the API make of them
(`PublicBoard.derived`) — is kept for at most `BOARD_SECONDS` after it was counted: with a warm
cache a page or an API call asks the database nothing, and what it shows is at most that old. It is
kept in the shared cache (Redis in production) and, so that a view does not fetch a rendered table
from there every time, in a copy of this process that expires with it. All of it belongs to the
board's generation, read from the shared cache with the campaign, in one round trip, once per view
(`public_board`): a recorded change of an assessment, an entry outside the rounds, a quota or the
plan moves the board to a new generation once the change commits (`forget_changed_boards`,
registered with `portal.audit`), so a decision shows at once wherever the cache is shared (the
per-process memory cache of the embedded setup catches up within `BOARD_SECONDS`).

What is personal — where the signed-in applicant may choose or ask for adjustment — is never
cached: `applicant_actions` works it out per request."""

import datetime
import hashlib
import logging
import secrets
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
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
_GENERATION = "vacancies:generation"
# This process's copies of the shared entries (see above); a few hundred at most, most of them small.
_copies = LocMemCache("vacancy-board", {"OPTIONS": {"MAX_ENTRIES": 300}})

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


@dataclass(frozen=True)
class PublicBoard:
    """The board as one view sees it: the campaign a public page shows and the board's generation,
    read from the shared cache once (`public_board`); what the view asks of it next comes from the
    same generation."""

    campaign: Campaign | None
    generation: str | None  # None when the shared cache is down: nothing is kept

    def filter_choices(self):
        """`plan_filter_choices` of the campaign, kept."""
        return self._kept("choices", lambda: (plan_filter_choices(campaign=self.campaign), BOARD_SECONDS))

    def counts(self, *, city: str = "", specialty_id: int | None = None, shortage_only=False) -> VacancyBoard:
        """The board for `plan_rows`' filters, kept: its rows in the plan table's order and their
        totals, counted in one query."""
        filters = {"city": city, "specialty_id": specialty_id, "shortage_only": bool(shortage_only)}
        return self._kept(
            f"counts:{sorted(filters.items())!r}", lambda: (_count(self.campaign, filters), BOARD_SECONDS)
        )

    def derived(self, name: str, make):
        """What a page or the API makes of the board — a rendered table, JSON — kept under `name`,
        which says everything it depends on (the filters as asked, the page, the language): a warm
        one costs neither the counts nor making it again.

        `make()` returns the value and the count time of the board it was made from, or None for a
        value not to keep (made for a refused filter, or for one person); a value is kept only as
        long as its board has left, so it is never older than `BOARD_SECONDS` either."""

        def derive():
            value, counted_at = make()
            if counted_at is None:
                return value, 0
            return value, BOARD_SECONDS - (timezone.now() - counted_at).total_seconds()

        return self._kept(f"made:{name}", derive)

    def _kept(self, name, make):
        """The value kept under `name`, else `make()`'s, which returns the value and the seconds it
        may be kept (0: not at all) — first in this process's copy, then in the shared cache."""
        if self.generation is None:
            return make()[0]
        key = f"vacancies:{self.generation}:{self.campaign.pk}:{_digest(name)}"
        entry = _copies.get(key)
        if entry is None:
            entry = _shared(cache.get, key)
            if entry is not None and entry[1] > time.time():
                _copies.set(key, entry, entry[1] - time.time())
        if entry is not None:
            return entry[0]
        value, seconds = make()
        if seconds > 0:
            entry = (value, time.time() + seconds)
            _copies.set(key, entry, seconds)
            _shared(cache.set, key, entry, seconds)
        return value


def public_board(province_code: str | None = None) -> PublicBoard:
    """The board of the campaign a public page shows (`bases.selectors.directory.public_campaign`,
    with its province loaded): the campaign and the board's generation in one read of the shared
    cache, the generation made on first use (and again once the cache was emptied)."""
    code = province_code if province_code and province_code.isdecimal() and len(province_code) <= 12 else ""
    campaign_key = f"vacancies:campaign:{code}"
    found = _shared(cache.get_many, [_GENERATION, campaign_key])
    if found is None:
        return PublicBoard(_public_campaign(code), None)
    generation = found.get(_GENERATION) or _shared(cache.get_or_set, _GENERATION, secrets.token_hex(8), None)
    if campaign_key in found:
        campaign = found[campaign_key][0]
    else:
        campaign = _public_campaign(code)
        _shared(cache.set, campaign_key, (campaign,), BOARD_SECONDS)  # wrapped: None is an answer too
    return PublicBoard(campaign, generation)


def _public_campaign(code):
    province = public_province(code)
    campaign = current_campaign(province=province) if province else None
    if campaign is not None:
        campaign.province = province
    return campaign


def _shared(method, *args):
    try:
        return method(*args)
    except CACHE_ERRORS as error:
        logger.warning("Vacancy board cache unavailable: %s", type(error).__name__)
        return None


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()[:32]


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
    a quota or a campaign (its plan imported) commits, the board is counted afresh."""
    if any(isinstance(obj, (Assessment, DirectEntry, Quota, Campaign)) for obj in objects):
        transaction.on_commit(_next_generation)


def _next_generation():
    # A random token, never a counter that could come back to a value still kept somewhere.
    _shared(cache.set, _GENERATION, secrets.token_hex(8), None)


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
