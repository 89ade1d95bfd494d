"""The provincial office's registration roster (注册名单, 三(七)): review, publish, export."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from admissions.selectors.roster import PagedRoster, iter_roster_rows, published_roster, roster_blockers, roster_rows
from admissions.services.roster import publish_roster
from bases.selectors.campaigns import provincial_campaign
from policy.timetable import roster_state
from portal.pdf import render_pdf
from portal.privacy import mask_id_number
from portal.spreadsheets import XLSX_CONTENT_TYPE, csv_chunks, xlsx_bytes
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


def _filename(campaign, extension):
    return _("%(year)s年度住院医师规范化培训注册名单") % {"year": campaign.year} + f".{extension}"


@login_required
@require_GET
def roster_csv_export(request):
    campaign = provincial_campaign(user=request.user, campaign_id=request.GET.get("campaign", ""))
    return download_response(
        roster_csv(iter_roster_rows(campaign)),
        filename=_filename(campaign, "csv"),
        content_type="text/csv; charset=utf-8",
    )


@login_required
@require_GET
def roster_xlsx_export(request):
    campaign = provincial_campaign(user=request.user, campaign_id=request.GET.get("campaign", ""))
    return download_response(
        roster_xlsx(iter_roster_rows(campaign)), filename=_filename(campaign, "xlsx"), content_type=XLSX_CONTENT_TYPE
    )


@login_required
@require_GET
def roster_pdf_export(request):
    campaign = provincial_campaign(user=request.user, campaign_id=request.GET.get("campaign", ""))
    content = roster_pdf(
        campaign=campaign,
        rows=roster_rows(campaign),
        roster=published_roster(campaign),
    )
    return download_response(content, filename=_filename(campaign, "pdf"), content_type="application/pdf")


def roster_header():
    return [
        _("序号"),
        _("姓名"),
        _("性别"),
        _("证件类型"),
        _("证件号码"),
        _("出生日期"),
        _("人员类型"),
        _("培训基地"),
        _("培训专业"),
        _("招收年度"),
        _("录取批次"),
        _("报到日期"),
        _("协议类型"),
    ]


def _date(value):
    return value.isoformat() if value else ""


def roster_lines(rows):
    """The rows as the CSV and xlsx write them, numbered, one at a time: every cell text except 序号
    and 招收年度, so an ID number keeps its digits and its final X."""
    for number, row in enumerate(rows, start=1):
        yield [
            number,
            row.full_name,
            row.sex,
            row.id_type,
            row.id_number,
            _date(row.birth_date),
            row.applicant_type,
            row.training_base,
            row.specialty,
            row.year,
            row.round,
            _date(row.reported_on),
            row.agreement,
        ]


def roster_csv(rows):
    """The CSV as chunks of bytes, written as `rows` (an iterator is fine) are read."""
    return csv_chunks(roster_header(), roster_lines(rows))


def roster_xlsx(rows):
    """The workbook as bytes, written as `rows` (an iterator is fine) are read."""
    return xlsx_bytes(title=_("注册名单"), columns=roster_header(), rows=roster_lines(rows))


def roster_pdf(*, campaign, rows, roster=None):
    header, table = roster_header(), list(roster_lines(rows))
    id_column = header.index(_("证件号码"))
    for line in table:
        line[id_column] = mask_id_number(line[id_column])
    return render_pdf(
        "admissions/roster/roster_pdf.html",
        {"campaign": campaign, "roster": roster, "header": header, "table": table},
    )
