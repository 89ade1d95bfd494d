"""The provincial office's KPI page [四(一)(二)] and the export of the proposed plan cuts.

Its URLs are in province/urls.py."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bases.selectors.campaigns import provincial_campaign
from policy.rules import kpis
from portal.charts import bar_chart
from portal.spreadsheets import XLSX_CONTENT_TYPE, csv_bytes, xlsx_bytes
from portal.web import download_response
from province.selectors.kpis import plan_lines


def _bars(rows):
    return [(row.label, row.admitted, row.places) for row in rows]


@login_required
@require_GET
def kpi_dashboard(request):
    campaign = provincial_campaign(user=request.user, campaign_id=request.GET.get("campaign", ""))
    lines = plan_lines(campaign=campaign)
    by_base = kpis.completion_by_base(lines)
    by_city = kpis.completion_by_city(lines)
    by_specialty = kpis.completion_by_specialty(lines)
    shortage_by_base = kpis.shortage_completion_by_base(lines)
    overall = kpis.Completion(
        key="all", label="", places=sum(line.places for line in lines), admitted=sum(line.admitted for line in lines)
    )
    return render(
        request,
        "province/kpis.html",
        {
            "campaign": campaign,
            "overall": overall,
            "shortage": kpis.shortage_completion(lines),
            "by_base": by_base,
            "shortage_by_base": shortage_by_base,
            "cuts": kpis.proposed_cuts(lines),
            "next_year": campaign.year + 1,
            "charts": {
                "city": bar_chart(_bars(by_city), title=_("各市州招收完成率"), testid="chart-city"),
                "specialty": bar_chart(_bars(by_specialty), title=_("各专业招收完成率"), testid="chart-specialty"),
                "shortage": bar_chart(
                    _bars(shortage_by_base), title=_("各培训基地紧缺专业招收完成率"), testid="chart-shortage"
                ),
                "base": bar_chart(_bars(by_base), title=_("各培训基地招收完成率"), testid="chart-base"),
            },
        },
    )


def cut_table(*, campaign, cuts):
    """The header and rows of the proposed cuts, as the export writes them."""
    header = [
        _("培训基地"),
        _("所在市州"),
        _("紧缺专业招收计划"),
        _("紧缺专业已录取"),
        _("紧缺专业缺口"),
        _("非紧缺专业招收计划"),
        _("%(year)s年度建议削减非紧缺专业计划") % {"year": campaign.year + 1},
    ]
    rows = [
        [
            cut.base_name,
            cut.city,
            cut.shortage_plan,
            cut.shortage_admitted,
            cut.shortfall,
            cut.non_shortage_plan,
            cut.cut,
        ]
        for cut in cuts
    ]
    return header, rows


@login_required
@require_GET
def kpi_cuts_export(request):
    campaign = provincial_campaign(user=request.user, campaign_id=request.GET.get("campaign", ""))
    header, rows = cut_table(campaign=campaign, cuts=kpis.proposed_cuts(plan_lines(campaign=campaign)))
    name = _("%(year)s年度非紧缺专业计划建议削减") % {"year": campaign.year + 1}
    if request.GET.get("format") == "xlsx":
        return download_response(
            xlsx_bytes(title=_("建议削减"), columns=header, rows=rows),
            filename=f"{name}.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )
    return download_response(csv_bytes(header, rows), filename=f"{name}.csv", content_type="text/csv; charset=utf-8")
