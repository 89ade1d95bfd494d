"""The open statistics of a campaign (公开统计), as pure functions over plain figures.

Each row counts, for one specialty, city or applicant type: the plan (places), the applicants
(distinct people who filed a choice) and the admitted (as the KPIs count them), and the fill rate
= admitted / plan (`kpis.completion_rate`).

Small cells: a count of people below SMALL_CELL (zero included) is published as "<5" (SUPPRESSED_COUNT), so that no
one can be picked out of a small group; the fill rate worked out from a suppressed count is
published as "*". Planned places count no people and are always published. Page, exports and API
publish the same `PublicRow`s, so the rule is applied in one place.
"""

from dataclasses import dataclass
from decimal import Decimal

from policy.rules.kpis import completion_rate

SMALL_CELL = 5
SUPPRESSED_COUNT = f"<{SMALL_CELL}"
SUPPRESSED_RATE = "*"


@dataclass(frozen=True)
class GroupFigures:
    """The true figures of one group; `places` is None where the plan is not split that way."""

    key: str
    label: str
    is_shortage: bool
    places: int | None
    applicants: int
    admitted: int


@dataclass(frozen=True)
class PublicRow:
    """A group's figures as published: a count is an int or SUPPRESSED_COUNT, the rate a Decimal
    percentage, SUPPRESSED_RATE, or None when there is no plan to fill."""

    key: str
    label: str
    is_shortage: bool
    places: int | None
    applicants: int | str
    admitted: int | str
    fill_rate: Decimal | str | None


def published_count(count: int) -> int | str:
    """`count` people as it may be published: the number, or SUPPRESSED_COUNT below SMALL_CELL."""
    return count if count >= SMALL_CELL else SUPPRESSED_COUNT


def public_row(figures: GroupFigures) -> PublicRow:
    admitted = published_count(figures.admitted)
    rate = completion_rate(admitted=figures.admitted, places=figures.places)
    if rate is not None and admitted == SUPPRESSED_COUNT:
        rate = SUPPRESSED_RATE
    return PublicRow(
        key=figures.key,
        label=figures.label,
        is_shortage=figures.is_shortage,
        places=figures.places,
        applicants=published_count(figures.applicants),
        admitted=admitted,
        fill_rate=rate,
    )


def public_rows(groups):
    return [public_row(figures) for figures in groups]
