"""The provincial office's plan table as Excel: download it, upload it back (all-or-nothing, previewed
and confirmed by a second person of the office)."""

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
    PLAN_RELEASE,
    PlanImportError,
    export_plan,
    prepare_plan_release,
)
from portal.errors import DomainError
from portal.permissions import CHANGE, VIEW
from portal.releases import releases
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
            prepared = prepare_plan_release(actor=request.user, campaign=campaign, file=upload)
        except DomainError as error:
            messages.error(request, error.message)
            errors, status = getattr(error, "errors", []), error.status
        else:
            if prepared.release is None:
                messages.info(
                    request, _("文件共 %(rows)s 行，与现有招收计划相同，没有需要导入的更改。") % {"rows": prepared.rows}
                )
                return redirect(request.get_full_path())
            messages.success(
                request,
                _(
                    "已检查 %(rows)s 行，其中 %(changed)s 行改变招收计划。"
                    "请省级办公室另一名工作人员核对预览并确认导入；文件中未列出的招收计划保持不变。"
                )
                % {"rows": prepared.rows, "changed": prepared.changed},
            )
            return redirect("release", prepared.release.pk)
    rows = plan_rows(campaign=campaign)
    context = {
        "campaign": campaign,
        "campaign_query": f"?campaign={campaign.pk}",
        "row_count": rows.count(),
        "totals": plan_totals(rows),
        "errors": errors,
        "max_megabytes": MAX_FILE_BYTES // (1024 * 1024),
        "max_rows": MAX_ROWS,
        "releases": releases(user=request.user, kinds=(PLAN_RELEASE,)),
    }
    return render(request, "bases/plan_import.html", context, status=status)
