"""The registration roster (注册名单, 三(七)): once every admitted resident has reported or been
disqualified, the provincial office reviews the residents to register and publishes the roster."""

from django.db import transaction
from django.utils.translation import gettext as _

from admissions.models import (
    RegistrationRoster,
)
from admissions.selectors.roster import roster_blockers, roster_size
from bases.models import TrainingBase
from policy.models import Campaign
from policy.timetable import roster_state
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Role, User
from portal.notifications import notify_offices
from portal.permissions import CHANGE, require, require_role


def publish_roster(*, actor: User, campaign: Campaign):
    require_role(actor, Role.PROVINCIAL_OFFICE)
    require(actor, CHANGE, campaign)
    window = roster_state(campaign)
    if not window:
        raise DomainError(window.reason, code="too_early")
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if RegistrationRoster.objects.filter(campaign=campaign).exists():
            raise DomainError(_("本年度注册名单已发布，不能重复发布。"), code="already_published")
        waiting = roster_blockers(campaign).count()
        if waiting:
            raise DomainError(
                _("还有%(count)d名录取学员既未报到也未取消培训资格，暂不能发布注册名单。") % {"count": waiting},
                code="residents_waiting",
            )
        count = roster_size(campaign)
        roster = RegistrationRoster.objects.create(campaign=campaign, published_by=actor, resident_count=count)
        record_event(actor=actor, action="roster.published", obj=roster, after={"resident_count": count})
        bases = TrainingBase.objects.filter(specialty_bases__quotas__campaign=campaign).distinct()
        for base in bases:
            notify_offices(
                training_base=base,
                kind="roster.published",
                subject=_("%(year)s年度注册名单已发布") % {"year": campaign.year},
                body=_("省级住培管理部门已审核发布%(year)s年度住院医师规范化培训注册名单，请登录核对本基地学员信息。")
                % {"year": campaign.year},
            )
    return roster
