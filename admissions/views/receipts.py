"""The training-base office sees whether its candidates' decisive messages reached them (回执)
and resends those that did not."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from admissions.selectors.receipts import office_receipts
from admissions.services.receipts import resend_notification
from policy.selectors import campaign_or_404
from portal.models import Role
from portal.permissions import require_role
from portal.web import perform


@login_required
@require_http_methods(["GET"])
def receipts_list(request):
    require_role(request.user, Role.BASE_OFFICE)
    campaign = campaign_or_404(province=request.user.province_id)
    problems_only = request.GET.get("filter") == "problems"
    rows = office_receipts(user=request.user, campaign=campaign, problems_only=problems_only)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "admissions/receipts/list.html",
        {"campaign": campaign, "page": page, "problems_only": problems_only},
    )


@login_required
@require_POST
def receipt_resend(request, pk):
    perform(
        request,
        lambda: resend_notification(actor=request.user, notification_id=pk),
        success=_("已重新发送未发出或发送失败的邮件和短信。"),
    )
    target = reverse("office-receipts")
    return redirect(f"{target}?filter=problems" if request.POST.get("filter") == "problems" else target)
