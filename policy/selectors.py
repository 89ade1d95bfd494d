from policy.models import Campaign
from policy.timetable import local_date


def current_campaign(*, province):
    """This year's campaign of the province, else its most recent one, else None."""
    campaigns = Campaign.objects.filter(province=province)
    this_year = local_date().year
    return campaigns.filter(year__lte=this_year).order_by("-year").first() or campaigns.order_by("-year").first()
