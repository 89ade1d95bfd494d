"""The training-base office's round-2 invitation page (第二批次邀请): the applicants it may invite,
filtered and paged with their eligibility, and sending invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from admissions.forms.rounds import (
    InviteForm,
    InviteSearchForm,
)
from admissions.models import Applicant
from admissions.selectors.invitations import invitable_applicants, invite_rows, sent_invitations
from admissions.selectors.rounds import office_quotas, specialty_base_of
from admissions.services.invitations import invite_applicant
from policy.selectors import campaign_or_404
from policy.timetable import invitation_state, invitation_window
from portal.models import Role
from portal.permissions import CHANGE, require, require_role
from portal.privacy import mask_id_number
from portal.web import perform

INVITE_PAGE_SIZE = 30


INVITE_QUERY_KEYS = ("specialty_base", "degree_level", "graduation_year", "employer_city", "page")


def _invite_query(raw, *, page=True):
    """The search's own parameters from `raw`, re-encoded: nothing else rides along."""
    params = QueryDict(raw or "")
    keys = INVITE_QUERY_KEYS if page else INVITE_QUERY_KEYS[:-1]
    return urlencode([(key, params[key]) for key in keys if params.get(key)])


@login_required
@require_http_methods(["GET"])
def round2_invite(request):
    require_role(request.user, Role.BASE_OFFICE)
    user = request.user
    if user.training_base_id is None:
        raise Http404
    campaign = campaign_or_404(province=user.province_id)
    quotas = list(office_quotas(campaign=campaign, training_base=user.training_base_id))
    form = InviteSearchForm(request.GET or None, quotas=quotas)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    specialty_base = filters.get("specialty_base")
    applicants = invitable_applicants(
        campaign=campaign,
        degree_level=filters.get("degree_level"),
        graduation_year=filters.get("graduation_year"),
        employer_city=filters.get("employer_city", ""),
    )
    page = Paginator(applicants, INVITE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = invite_rows(
        applicants=page.object_list,
        campaign=campaign,
        specialty_base=specialty_base,
        training_base=user.training_base_id,
    )
    for row in rows:
        row.masked_id = mask_id_number(row.applicant.id_number)
    return render(
        request,
        "admissions/rounds/invite.html",
        {
            "campaign": campaign,
            "form": form,
            "specialty_base": specialty_base,
            "page": page,
            "rows": rows,
            "query": _invite_query(request.GET.urlencode(), page=False),
            "return_query": _invite_query(request.GET.urlencode()),
            "invitation": invitation_state(campaign),
            "window": invitation_window(campaign),
            "invitations": sent_invitations(user=user, campaign=campaign)[:100],
            "nav": "invite",
        },
    )


@login_required
@require_POST
def round2_invite_send(request):
    require_role(request.user, Role.BASE_OFFICE)
    user = request.user
    campaign = campaign_or_404(province=user.province_id)
    form = InviteForm(request.POST)
    back = reverse("round2-invite")
    query = _invite_query(request.POST.get("return_query", ""))
    if query:
        back += f"?{query}"
    if not form.is_valid():
        messages.error(request, _("请先选择邀请专业基地。"))
        return redirect(back)
    applicant = get_object_or_404(Applicant, pk=form.cleaned_data["applicant"])
    specialty_base = specialty_base_of(form.cleaned_data["specialty_base"])
    if specialty_base is None:
        raise Http404
    require(user, CHANGE, specialty_base)
    perform(
        request,
        lambda: invite_applicant(
            actor=user,
            applicant=applicant,
            campaign=campaign,
            specialty_base=specialty_base,
            message=form.cleaned_data["message"],
        ),
        success=_("已向%(name)s发出复试邀请（%(base)s）。")
        % {"name": applicant.full_name, "base": specialty_base.specialty.name},
    )
    return redirect(back)
