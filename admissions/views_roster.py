"""The provincial office's registration roster (注册名单, 三(七)): review, publish, export."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from admissions.models import RegistrationRoster
from admissions.roster_export import XLSX_CONTENT_TYPE, roster_csv, roster_pdf, roster_xlsx
from admissions.services.roster import PagedRoster, iter_roster_rows, publish_roster, roster_blockers, roster_rows
from bases.selectors import provincial_campaign
from portal.web import download_response, perform

ROWS_PER_PAGE = 100
# Those still to report are listed by name up to this many; the count covers them all.
BLOCKERS_SHOWN = 50


def _campaign(request, source):
    campaign = provincial_campaign(user=request.user, campaign_id=source.get("campaign", ""))
    if campaign is None:
        raise Http404(_("本省尚无年度招录。"))
    return campaign


@login_required
@require_GET
def roster(request):
    campaign = _campaign(request, request.GET)
    blockers = roster_blockers(campaign)
    return render(
        request,
        "admissions/roster/roster.html",
        {
            "campaign": campaign,
            "page": Paginator(PagedRoster(campaign), ROWS_PER_PAGE).get_page(request.GET.get("page")),
            "blocker_count": blockers.count(),
            "blockers": blockers[:BLOCKERS_SHOWN],
            "published": RegistrationRoster.objects.filter(campaign=campaign).select_related("published_by").first(),
        },
    )


@login_required
@require_POST
def roster_publish(request):
    campaign = _campaign(request, request.POST)
    perform(request, lambda: publish_roster(actor=request.user, campaign=campaign), success=_("注册名单已发布。"))
    return redirect(f"{reverse('roster')}?campaign={campaign.pk}")


def _filename(campaign, extension):
    return _("%(year)s年度住院医师规范化培训注册名单") % {"year": campaign.year} + f".{extension}"


@login_required
@require_GET
def roster_csv_export(request):
    campaign = _campaign(request, request.GET)
    return download_response(
        roster_csv(iter_roster_rows(campaign)),
        filename=_filename(campaign, "csv"),
        content_type="text/csv; charset=utf-8",
    )


@login_required
@require_GET
def roster_xlsx_export(request):
    campaign = _campaign(request, request.GET)
    return download_response(
        roster_xlsx(iter_roster_rows(campaign)), filename=_filename(campaign, "xlsx"), content_type=XLSX_CONTENT_TYPE
    )


@login_required
@require_GET
def roster_pdf_export(request):
    campaign = _campaign(request, request.GET)
    content = roster_pdf(
        campaign=campaign,
        rows=roster_rows(campaign),
        roster=RegistrationRoster.objects.filter(campaign=campaign).first(),
    )
    return download_response(content, filename=_filename(campaign, "pdf"), content_type="application/pdf")
