"""Reads of the receipts (回执) of the decisive messages a training base's candidates were sent:
the decision on the assessment, the publicity and its reminder, the admission.

A notification names its recipient only. It belongs to a base's candidate when the recipient is
the applicant of one of the base's assessments in the campaign and it was created once that
application had been filed, so another base's earlier messages to the same person stay out."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from admissions.models import Applicant, Assessment
from policy.models import Campaign
from portal.models import Notification, User
from portal.permissions import visible
from portal.receipts import CopyState, copy_states, with_copies

# The messages that decide a candidate's place, by the `kind` the services send them with.
DECISIVE_KINDS = {
    "assessment.scores": _("考核结果"),
    "publicity.started": _("拟录取公示"),
    "publicity.acceptance_needed": _("确认接受提醒"),
    "admission.admitted": _("录取通知"),
}


@dataclass
class DecisiveMessage:
    notification: Notification
    label: str
    states: list[CopyState]

    @property
    def problem(self):
        return any(state.problem for state in self.states)


@dataclass
class CandidateReceipts:
    applicant: Applicant
    assessments: list[Assessment]
    since: datetime
    messages: list[DecisiveMessage] = field(default_factory=list)

    @property
    def problem(self):
        return any(message.problem for message in self.messages)


def _base_assessments(training_base_id, campaign: Campaign) -> QuerySet[Assessment]:
    return Assessment.objects.filter(campaign=campaign, specialty_base__training_base_id=training_base_id)


def office_receipts(*, user: User, campaign: Campaign, problems_only: bool = False) -> list[CandidateReceipts]:
    """Each candidate of `user`'s training base in `campaign` with the decisive messages sent to
    them and their copies' states, by name; `problems_only` keeps the candidates with a copy that
    failed or has not gone out. Three queries, however many candidates."""
    assessments = (
        visible(user, _base_assessments(user.training_base_id, campaign))
        .select_related("application__applicant", "specialty_base__specialty")
        .order_by("application__applicant__full_name", "application__applicant_id", "pk")
    )
    candidates: dict[int, CandidateReceipts] = {}
    for assessment in assessments:
        applicant = assessment.application.applicant
        candidate = candidates.setdefault(
            applicant.user_id, CandidateReceipts(applicant, [], assessment.application.submitted_at)
        )
        candidate.assessments.append(assessment)
        candidate.since = min(candidate.since, assessment.application.submitted_at)
    if not candidates:
        return []
    notifications = with_copies(
        Notification.objects.filter(
            recipient_id__in=candidates,
            kind__in=DECISIVE_KINDS,
            created_at__gte=min(candidate.since for candidate in candidates.values()),
        ).order_by("created_at", "pk")
    )
    for notification in notifications:
        candidate = candidates[notification.recipient_id]
        if notification.created_at >= candidate.since:
            candidate.messages.append(
                DecisiveMessage(
                    notification, DECISIVE_KINDS[notification.kind], copy_states(notification, with_error=True)
                )
            )
    rows = list(candidates.values())
    return [row for row in rows if row.problem] if problems_only else rows


def decisive_assessment(*, training_base_id: int, campaign: Campaign, notification: Notification) -> Assessment | None:
    """The assessment of the base in `campaign` that makes `notification` one of its candidates'
    decisive messages (see the module's note), or None."""
    if notification.kind not in DECISIVE_KINDS:
        return None
    return (
        _base_assessments(training_base_id, campaign)
        .filter(
            application__applicant__user_id=notification.recipient_id,
            application__submitted_at__lte=notification.created_at,
        )
        .select_related("specialty_base__training_base")
        .order_by("pk")
        .first()
    )
