"""The provincial office's plan table as Excel: download it, upload it back (all-or-nothing)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bases.selectors.campaigns import provincial_campaign
from bases.selectors.plan import plan_rows, plan_totals
from bases.services.plan_excel import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    PlanImportError,
    export_plan,
    import_plan,
)
from portal.errors import DomainError
from portal.permissions import CHANGE, VIEW
from portal.spreadsheets import XLSX_CONTENT_TYPE
from portal.web import download_response


def _no_campaign(request):
    messages.error(request, _("本省尚未设立年度招录，暂不能导入或导出招收计划。"))


@login_required
@require_http_methods(["GET"])
def plan_export(request):
    campaign = provincial_campaign(
        user=request.user, campaign_id=request.GET.get("campaign", ""), action=VIEW, required=False
    )
    if campaign is None:
        _no_campaign(request)
        return redirect("plan-import")
    return download_response(
        export_plan(campaign=campaign), filename=f"{campaign.year}年度招收计划.xlsx", content_type=XLSX_CONTENT_TYPE
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request):
    campaign = provincial_campaign(
        user=request.user, campaign_id=request.GET.get("campaign", ""), action=CHANGE, required=False
    )
    if campaign is None:
        _no_campaign(request)
        return render(request, "bases/plan_import.html", {"campaign": None})
    errors, status = [], 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise PlanImportError(_("请选择要导入的 Excel 文件（.xlsx）。"))
            result = import_plan(actor=request.user, campaign=campaign, file=upload)
        except DomainError as error:
            messages.error(request, error.message)
            errors, status = getattr(error, "errors", []), error.status
        else:
            messages.success(
                request,
                _(
                    "已导入 %(rows)s 行：新增专业基地 %(created)s 个，修改招收计划 %(quotas)s 条，"
                    "调整容量 %(capacities)s 个。文件中未列出的招收计划保持不变。"
                )
                % {
                    "rows": result.rows,
                    "created": result.created_specialty_bases,
                    "quotas": result.changed_quotas,
                    "capacities": result.changed_capacities,
                },
            )
            return redirect(request.get_full_path())
    rows = plan_rows(campaign=campaign)
    context = {
        "campaign": campaign,
        "campaign_query": f"?campaign={campaign.pk}",
        "row_count": rows.count(),
        "totals": plan_totals(rows),
        "errors": errors,
        "max_megabytes": MAX_FILE_BYTES // (1024 * 1024),
        "max_rows": MAX_ROWS,
    }
    return render(request, "bases/plan_import.html", context, status=status)
