"""The training-base office resends a decisive message whose e-mail or SMS copy failed or never
went out (回执)."""

from datetime import timedelta

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from admissions.selectors.receipts import decisive_assessment
from policy.selectors import campaign_or_404
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Delivery, Notification, Role, User
from portal.permissions import require_role
from portal.receipts import do_resend_copies

# A message is (re)queued at most once in this long: a gateway that is down is not hammered by
# hand, and the attempts of the last resend get their chance first.
RESEND_INTERVAL = timedelta(minutes=10)


def resend_notification(*, actor: User, notification_id: int) -> list[Delivery]:
    """Queue again, as a new series of attempts, the copies of a decisive message to one of the
    actor's base's candidates in the current campaign that failed or have not gone out; returns
    them. Any other message is, to this office, one that does not exist (404)."""
    require_role(actor, Role.BASE_OFFICE)
    campaign = campaign_or_404(province=actor.province_id)
    with transaction.atomic():
        notification = Notification.objects.select_for_update(of=("self",)).filter(pk=notification_id).first()
        assessment = notification and decisive_assessment(
            training_base_id=actor.training_base_id, campaign=campaign, notification=notification
        )
        if assessment is None:
            raise Http404
        if notification.deliveries.filter(queued_at__gt=timezone.now() - RESEND_INTERVAL).exists():
            raise DomainError(
                _("该消息在%(minutes)s分钟内已发送或重新发送过，请稍后再试。")
                % {"minutes": int(RESEND_INTERVAL.total_seconds() // 60)},
                status=429,
                code="resent_recently",
            )
        copies = do_resend_copies(notification)
        if not copies:
            raise DomainError(_("该消息的邮件和短信均已发出，无需重新发送。"), code="nothing_to_resend")
        record_event(
            actor=actor,
            action="notification.resend",
            obj=assessment,
            after={"notification": notification.pk, "kind": notification.kind, "channels": [c.channel for c in copies]},
        )
    return copies
