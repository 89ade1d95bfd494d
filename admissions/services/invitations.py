"""Round 2 invitations (三(四)2): a base invites an unadmitted applicant who filed no round-2
choice; the applicant accepts at most one invitation, which becomes its round-2 choice."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from admissions.models import Applicant, Application, Invitation, InvitationStatus
from admissions.selectors.facts import check_eligibility
from admissions.selectors.invitations import uninvitable_reason
from admissions.services.applicants import require_owner
from admissions.services.choices import WindowClosed
from bases.models import SpecialtyBase
from policy.models import Campaign
from policy.timetable import invitation_window, window_is_open
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Role, User
from portal.notifications import notify
from portal.permissions import CHANGE, require, require_role
from portal.states import advance


def _require_round2(campaign):
    first, last = invitation_window(campaign)
    if not window_is_open(first, last):
        raise WindowClosed(
            _("复试邀请只能在第二批次招录期间（%(first)s至%(last)s 24时）进行。")
            % {"first": f"{first:%m月%d日}", "last": f"{last:%m月%d日}"}
        )


def invite_applicant(
    *, actor: User, applicant: Applicant, campaign: Campaign, specialty_base: SpecialtyBase, message: str = ""
):
    """Refuses whom `uninvitable_reason` or the eligibility rules bar: the same rules the search
    (`invitable_applicants`) lists by, so it never offers someone refused here."""
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, specialty_base)
    _require_round2(campaign)
    with transaction.atomic():
        applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
        reason = uninvitable_reason(applicant, campaign)
        if reason:
            raise DomainError(_("不能邀请该考生：") + reason, code="uninvitable")
        decision = check_eligibility(applicant=applicant, specialty_base=specialty_base, campaign=campaign)
        if not decision:
            raise DomainError(_("该考生不符合本专业基地的申报条件：") + str(decision), status=400, code="not_eligible")
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    campaign=campaign,
                    specialty_base=specialty_base,
                    applicant=applicant,
                    invited_by=actor,
                    message=message.strip(),
                )
        except IntegrityError:
            raise DomainError(_("已向该考生发出过邀请，正在等待回复。"), code="duplicate") from None
        record_event(actor=actor, action="invitation.send", obj=invitation, after={"applicant": applicant.pk})
        notify(
            recipient=applicant.user,
            kind="invitation.received",
            subject=_("复试邀请：%(base)s") % {"base": specialty_base},
            body=_("%(base)s邀请您参加第二批次复试。%(message)s请登录平台接受或谢绝；您只能接受一家基地的邀请。")
            % {"base": specialty_base, "message": message},
        )
    return invitation


def accept_invitation(*, actor: User, invitation: Invitation):
    """Accepting one invitation declines the others and files it as the round-2 choice."""
    require_owner(actor, invitation.applicant)
    campaign = invitation.campaign
    _require_round2(campaign)
    with transaction.atomic():
        # Both acceptances of one applicant queue on its row; the second finds the first accepted.
        applicant = Applicant.objects.select_for_update().get(pk=invitation.applicant_id)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        reason = uninvitable_reason(applicant, campaign)
        if reason:
            raise DomainError(_("不能接受邀请：") + reason, code="uninvitable")
        advance(invitation, InvitationStatus.ACCEPTED)
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at"])
        Application.objects.create(
            applicant=applicant, campaign=campaign, round=2, specialty_base=invitation.specialty_base
        )
        others = Invitation.objects.filter(applicant=applicant, campaign=campaign, status=InvitationStatus.PENDING)
        declined = list(others.values_list("pk", flat=True))
        others.update(status=InvitationStatus.DECLINED, responded_at=timezone.now())
        record_event(actor=actor, action="invitation.accept", obj=invitation, after={"declined_others": declined})
    return invitation


def decline_invitation(*, actor: User, invitation: Invitation):
    require_owner(actor, invitation.applicant)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        advance(invitation, InvitationStatus.DECLINED)
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at"])
        record_event(actor=actor, action="invitation.decline", obj=invitation)
    return invitation
