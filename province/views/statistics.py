"""The open statistics (公开统计): a public page, no sign-in, with the campaign chosen by year, and its
CSV/xlsx download. Every figure is a `PublicRow` of `published_statistics`, small cells suppressed.

Its URLs are in province/urls.py."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from policy.rules.statistics import SMALL_CELL, SUPPRESSED_COUNT, SUPPRESSED_RATE
from portal.charts import bar_chart
from portal.spreadsheets import XLSX_CONTENT_TYPE, Column, csv_bytes, xlsx_bytes
from portal.web import download_response, parse_id
from province.selectors.statistics import published_statistics, statistics_campaign, statistics_campaigns


def _campaign(request):
    return statistics_campaign(province_code=request.GET.get("province"), year=parse_id(request.GET.get("year", "")))


def _chart(rows, *, title, testid):
    """The fill of the plan per group; a group whose admitted count is suppressed is left out."""
    return bar_chart(
        [(row.label, row.admitted, row.places) for row in rows if isinstance(row.admitted, int)],
        title=title,
        testid=testid,
    )


@require_GET
def statistics_page(request):
    campaign = _campaign(request)
    if campaign is None:
        # A year asked for that the province never ran is an address that leads nowhere.
        status = 404 if request.GET.get("year") else 200
        return render(request, "province/statistics.html", {"missing": _("该年度没有招录统计。")}, status=status)
    published = published_statistics(campaign=campaign)
    return render(
        request,
        "province/statistics.html",
        {
            "campaign": campaign,
            "province": request.GET.get("province", ""),
            "campaigns": statistics_campaigns(province_code=request.GET.get("province")),
            "statistics": published,
            "small_cell": SMALL_CELL,
            "suppressed_count": SUPPRESSED_COUNT,
            "suppressed_rate": SUPPRESSED_RATE,
            "charts": {
                "specialty": _chart(published.by_specialty, title=_("各专业招收完成率"), testid="chart-specialty"),
                "city": _chart(published.by_city, title=_("各市州招收完成率"), testid="chart-city"),
            },
        },
    )


def statistics_table(published):
    """The header and rows of the statistics as the exports write them: one row per group."""
    header = [
        Column(_("统计维度"), width=14),
        Column(_("分组"), width=28),
        Column(_("紧缺专业"), width=10),
        Column(_("招收计划"), width=10),
        Column(_("报名人数"), width=10),
        Column(_("已录取"), width=10),
        Column(_("完成率（%）"), width=12, number_format="0.0"),
    ]
    dimensions = [
        (_("专业"), published.by_specialty),
        (_("市州"), published.by_city),
        (_("人员类型"), published.by_applicant_type),
    ]
    rows = [
        [
            dimension,
            row.label,
            _("是") if row.is_shortage else "",
            row.places if row.places is not None else "—",
            row.applicants,
            row.admitted,
            row.fill_rate if row.fill_rate is not None else "—",
        ]
        for dimension, group in dimensions
        for row in group
    ]
    return header, rows


@require_GET
def statistics_export(request):
    campaign = _campaign(request)
    if campaign is None:
        raise Http404(_("该年度没有招录统计。"))
    header, rows = statistics_table(published_statistics(campaign=campaign))
    name = _("%(year)s年度住培招录统计") % {"year": campaign.year}
    if request.GET.get("format") == "xlsx":
        return download_response(
            xlsx_bytes(title=_("招录统计"), columns=header, rows=rows),
            filename=f"{name}.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )
    return download_response(
        csv_bytes([column.title for column in header], rows),
        filename=f"{name}.csv",
        content_type="text/csv; charset=utf-8",
    )
