"""Whether a brochure (招生简章) missed the campaign's dates [三(一)].

A brochure is late when it was first submitted after 24:00 of `brochure_submit_by` (or is still
unsubmitted after it), or first published after 24:00 of `brochure_publish_by` (or is still
unpublished after it). "24:00" of a day is 00:00 of the next day, Asia/Shanghai: 23:59:59 on the
day is on time, 00:00 the next day is late. A revision published later does not make a brochure
that was published on time late, so the first submission and first publication count.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from policy.timetable import end_of_day


@dataclass(frozen=True)
class BrochureLateness:
    submission_late: bool
    publication_late: bool
    reasons: tuple

    @property
    def is_late(self):
        return self.submission_late or self.publication_late

    def __bool__(self):
        return self.is_late

    def __str__(self):
        return "；".join(str(reason) for reason in self.reasons)


def brochure_lateness(*, submit_by, publish_by, first_submitted_at, first_published_at, now):
    """The lateness of one brochure given the two deadline days and its first submission and
    publication instants (None when it has not happened yet)."""
    submit_deadline, publish_deadline = end_of_day(submit_by), end_of_day(publish_by)
    reasons = []
    if first_submitted_at is None:
        submission_late = now >= submit_deadline
        if submission_late:
            reasons.append(_("逾期未报送"))
    else:
        submission_late = first_submitted_at >= submit_deadline
        if submission_late:
            reasons.append(_("逾期报送"))
    if first_published_at is None:
        publication_late = now >= publish_deadline
        if publication_late:
            reasons.append(_("逾期未发布"))
    else:
        publication_late = first_published_at >= publish_deadline
        if publication_late:
            reasons.append(_("逾期发布"))
    return BrochureLateness(submission_late, publication_late, tuple(reasons))


def campaign_brochure_lateness(campaign, *, first_submitted_at, first_published_at, now=None):
    return brochure_lateness(
        submit_by=campaign.brochure_submit_by,
        publish_by=campaign.brochure_publish_by,
        first_submitted_at=first_submitted_at,
        first_published_at=first_published_at,
        now=now or timezone.now(),
    )
