"""Which campaign a request works on."""

from django.http import Http404

from policy.models import Campaign
from policy.selectors import campaign_or_404, current_campaign
from portal.models import Role, User
from portal.permissions import VIEW, require, require_role


def provincial_campaign(
    *, user: User, campaign_id: str = "", action: str = VIEW, required: bool = True
) -> Campaign | None:
    """The campaign a provincial office works on: the one asked for by id (which it must be
    allowed to `action`), else the current one of its province. When its province has none, the
    404 of `campaign_or_404`, or None if not `required` (a page that says so itself)."""
    require_role(user, Role.PROVINCIAL_OFFICE)
    if campaign_id:
        campaign = Campaign.objects.filter(pk=campaign_id).first() if str(campaign_id).isdecimal() else None
        if campaign is None:
            raise Http404
    elif required:
        campaign = campaign_or_404(province=user.province_id)
    else:
        campaign = current_campaign(province=user.province_id) if user.province_id else None
    if campaign is not None:
        require(user, action, campaign)
    return campaign
