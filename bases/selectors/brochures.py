"""Reads for the brochure pages: the office's versions, the province's review list, the public pages."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bases.models import OPEN_STATUSES, Brochure, BrochureComment, BrochureStatus, BrochureVersion, TrainingBase
from bases.selectors.plan import plan_rows
from policy.models import Campaign
from policy.rules.brochures import campaign_brochure_lateness
from portal.models import User
from portal.permissions import VIEW, require, visible

# Decisions after which an older return no longer asks the base for anything.
_SETTLED = {BrochureStatus.APPROVED, BrochureStatus.PUBLISHED, BrochureStatus.SUPERSEDED}


def brochure_plan(*, campaign: Campaign, training_base: TrainingBase):
    """The base's plan per specialty base, live from the quotas, with the shortage flag."""
    return plan_rows(campaign=campaign).filter(specialty_base__training_base=training_base)


def brochure_of(*, campaign: Campaign, training_base: TrainingBase):
    return (
        Brochure.objects.filter(campaign=campaign, training_base=training_base)
        .select_related("campaign", "training_base")
        .first()
    )


def versions_of(brochure: Brochure | None):
    """Every version of a brochure, newest first, with its deciding user and its comments."""
    if brochure is None:
        return []
    return list(
        brochure.versions.select_related("decided_by", "created_by").prefetch_related(
            Prefetch("comments", queryset=BrochureComment.objects.select_related("author"))
        )
    )


def open_version(versions: list[BrochureVersion]):
    return next((v for v in versions if v.status in OPEN_STATUSES), None)


def comments_to_address(versions: list[BrochureVersion]):
    """The latest returned version the base still has to answer, and its comments by section key.

    A later approval or publication settles it; a later draft or submission does not."""
    for version in versions:
        if version.status == BrochureStatus.RETURNED:
            by_section = {}
            for comment in version.comments.all():
                by_section.setdefault(comment.section, []).append(comment)
            return version, by_section
        if version.status in _SETTLED:
            break
    return None, {}


def lateness_of(campaign: Campaign, versions: list[BrochureVersion], now: datetime.datetime | None = None):
    submitted = [v.submitted_at for v in versions if v.submitted_at]
    published = [v.published_at for v in versions if v.published_at]
    return campaign_brochure_lateness(
        campaign,
        first_submitted_at=min(submitted, default=None),
        first_published_at=min(published, default=None),
        now=now,
    )


@dataclass
class ReviewRow:
    training_base: TrainingBase
    status: str
    status_label: str
    version_number: int | None
    review_version_pk: int | None
    first_submitted_at: object
    first_published_at: object
    lateness: object


def province_review_rows(*, user: User, campaign: Campaign, now: datetime.datetime | None = None):
    """Every training base of the campaign's province the user may see, with its brochure's
    latest version, first submission and publication and whether it is late; late ones first.

    One query, however many bases."""
    now = now or timezone.now()
    versions = BrochureVersion.objects.filter(brochure__campaign=campaign, brochure__training_base=OuterRef("pk"))
    latest = versions.order_by("-number")
    reviewable = latest.exclude(status=BrochureStatus.DRAFT)
    bases = (
        visible(user, TrainingBase.objects.filter(province_id=campaign.province_id))
        .annotate(
            latest_status=Subquery(latest.values("status")[:1]),
            latest_number=Subquery(latest.values("number")[:1]),
            review_pk=Subquery(reviewable.values("pk")[:1]),
            first_submitted_at=Subquery(
                versions.filter(submitted_at__isnull=False).order_by("submitted_at").values("submitted_at")[:1]
            ),
            first_published_at=Subquery(
                versions.filter(published_at__isnull=False).order_by("published_at").values("published_at")[:1]
            ),
        )
        .order_by("sort_order", "id")
    )
    labels = dict(BrochureStatus.choices)
    rows = [
        ReviewRow(
            training_base=base,
            status=base.latest_status or "",
            status_label=labels.get(base.latest_status, "") if base.latest_status else "",
            version_number=base.latest_number,
            review_version_pk=base.review_pk,
            first_submitted_at=base.first_submitted_at,
            first_published_at=base.first_published_at,
            lateness=campaign_brochure_lateness(
                campaign,
                first_submitted_at=base.first_submitted_at,
                first_published_at=base.first_published_at,
                now=now,
            ),
        )
        for base in bases
    ]
    rows.sort(key=lambda row: not row.lateness.is_late)  # stable: the directory order within each group
    return rows


def version_for_review(pk: int):
    return (
        BrochureVersion.objects.select_related(
            "brochure__training_base__province", "brochure__campaign", "decided_by", "created_by"
        )
        .prefetch_related(Prefetch("comments", queryset=BrochureComment.objects.select_related("author")))
        .filter(pk=pk)
        .first()
    )


def previous_version(version: BrochureVersion):
    return (
        BrochureVersion.objects.filter(brochure_id=version.brochure_id, number__lt=version.number)
        .prefetch_related("comments")
        .order_by("-number")
        .first()
    )


def published_brochures(*, campaign: Campaign):
    """The published versions of the campaign's brochures, in the directory's order."""
    return (
        BrochureVersion.objects.filter(brochure__campaign=campaign, status=BrochureStatus.PUBLISHED)
        .select_related("brochure__training_base")
        .order_by("brochure__training_base__sort_order", "brochure__training_base_id")
    )


def published_version(*, brochure_pk: int):
    return (
        BrochureVersion.objects.filter(brochure_id=brochure_pk, status=BrochureStatus.PUBLISHED)
        .select_related("brochure__training_base__province", "brochure__campaign")
        .first()
    )


def brochure_rows(*, user: User, status: str = "") -> QuerySet[Brochure]:
    """The brochures `user` may see, with their latest version's number and status (filtered by
    `status` if given), newest campaign first."""
    versions = BrochureVersion.objects.filter(brochure=OuterRef("pk"))
    latest = versions.order_by("-number")
    rows = (
        visible(user, Brochure.objects.all())
        .select_related("training_base", "campaign")
        .annotate(
            latest_version_id=Subquery(latest.values("pk")[:1]),
            latest_version_number=Subquery(latest.values("number")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
            published_at=Subquery(versions.filter(status=BrochureStatus.PUBLISHED).values("published_at")[:1]),
            has_open_version=Exists(versions.filter(status__in=OPEN_STATUSES)),
        )
        .order_by("-campaign__year", "training_base__sort_order", "training_base_id")
    )
    return rows.filter(latest_status=status) if status else rows


def version_rows() -> QuerySet[BrochureVersion]:
    """Brochure versions with their comments and the comments' authors."""
    return BrochureVersion.objects.select_related("brochure").prefetch_related(
        Prefetch("comments", queryset=BrochureComment.objects.select_related("author"))
    )


def version_by_pk(pk: int) -> BrochureVersion:
    """One version (404 when there is none); the write services check who may change it."""
    return get_object_or_404(version_rows(), pk=pk)


def visible_version(*, user: User, pk: int) -> BrochureVersion:
    """One version `user` may see (404 when there is none, 403 out of scope)."""
    version = version_by_pk(pk)
    require(user, VIEW, version)
    return version


def brochure_details() -> QuerySet[Brochure]:
    """Brochures with every version (newest first) and their comments."""
    return Brochure.objects.select_related("training_base", "campaign").prefetch_related(
        Prefetch("versions", queryset=version_rows().order_by("-number"))
    )


def campaign_version(*, campaign: Campaign, pk: int) -> BrochureVersion | None:
    """One version of a brochure of `campaign`, or None."""
    return (
        BrochureVersion.objects.select_related("brochure__training_base")
        .filter(pk=pk, brochure__campaign=campaign)
        .first()
    )
