"""The provincial office's registration roster (注册名单, 三(七)): review, publish, export."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from admissions.selectors.roster import PagedRoster, iter_roster_rows, published_roster, roster_blockers
from admissions.services.roster import publish_roster
from admissions.services.roster_export import (
    roster_csv,
    roster_filename,
    roster_xlsx,
    start_roster_pdf,
    write_roster_pdf,
)
from bases.selectors.campaigns import provincial_campaign
from policy.timetable import roster_state
from portal.spreadsheets import XLSX_CONTENT_TYPE
from portal.web import download_response, perform

ROWS_PER_PAGE = 100


# Those still to report are listed by name up to this many; the count covers them all.
BLOCKERS_SHOWN = 50


@login_required
@require_GET
def roster(request):
    campaign = provincial_campaign(user=request.user, campaign_id=request.GET.get("campaign", ""))
    blockers = roster_blockers(campaign)
    return render(
        request,
        "admissions/roster/roster.html",
        {
            "campaign": campaign,
            "page": Paginator(PagedRoster(campaign), ROWS_PER_PAGE).get_page(request.GET.get("page")),
            "blocker_count": blockers.count(),
            "blockers": blockers[:BLOCKERS_SHOWN],
            "published": published_roster(campaign),
            "publication": roster_state(campaign),
        },
    )


@login_required
@require_POST
def roster_publish(request):
    campaign = provincial_campaign(user=request.user, campaign_id=request.POST.get("campaign", ""))
    perform(request, lambda: publish_roster(actor=request.user, campaign=campaign), success=_("注册名单已发布。"))
    return redirect(f"{reverse('roster')}?campaign={campaign.pk}")


@login_required
@require_GET
def roster_csv_export(request):
    campaign = provincial_campaign(user=request.user, campaign_id=request.GET.get("campaign", ""))
    return download_response(
        roster_csv(iter_roster_rows(campaign)),
        filename=roster_filename(campaign, "csv"),
        content_type="text/csv; charset=utf-8",
    )


@login_required
@require_GET
def roster_xlsx_export(request):
    campaign = provincial_campaign(user=request.user, campaign_id=request.GET.get("campaign", ""))
    return download_response(
        roster_xlsx(iter_roster_rows(campaign)),
        filename=roster_filename(campaign, "xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )


@login_required
@require_GET
def roster_pdf_export(request):
    """The roster PDF made in the request, for a roster of a few thousand at most; the roster
    page has the province's office make it as a bulk job (`roster_pdf_job`) instead."""
    campaign = provincial_campaign(user=request.user, campaign_id=request.GET.get("campaign", ""))
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    write_roster_pdf(campaign=campaign, rows=iter_roster_rows(campaign), out=out, roster=published_roster(campaign))
    out.seek(0)
    response = FileResponse(
        out, as_attachment=True, filename=roster_filename(campaign, "pdf"), content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def roster_pdf_job(request):
    """The roster PDF as a bulk job, followed on its page (a progress bar counting the rows)."""
    campaign = provincial_campaign(user=request.user, campaign_id=request.POST.get("campaign", ""))
    job = start_roster_pdf(actor=request.user, campaign=campaign)
    messages.success(request, _("注册名单 PDF 已开始生成，本页显示进度。"))
    return redirect("job", job.pk)
