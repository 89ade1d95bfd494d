"""The training-base office's publicity page (拟录取名单公示): its lists with their entries and
objections, the handling of an objection and the closing of its duplicates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from admissions.forms.rounds import (
    DuplicateObjectionsForm,
    ObjectionHandlingForm,
)
from admissions.models import Objection, ObjectionStatus
from admissions.selectors.clock import is_public
from admissions.selectors.publicity import objection_rows, office_publicity_lists, open_objections_of_entry
from admissions.services.publicity import LIST_RELEASE, close_duplicate_objections, handle_objection
from admissions.views.rounds import _first_error
from policy.selectors import campaign_or_404
from portal.models import Role
from portal.permissions import CHANGE, require, require_role
from portal.releases import releases
from portal.web import perform


@login_required
@require_http_methods(["GET"])
def publicity_manage(request):
    require_role(request.user, Role.BASE_OFFICE)
    campaign = campaign_or_404(province=request.user.province_id)
    lists = list(office_publicity_lists(user=request.user, campaign=campaign))
    for publicity_list in lists:
        publicity_list.is_open = is_public(publicity_list)
        for entry in publicity_list.entries.all():
            entry.open_objections = [o for o in entry.objections.all() if o.status == ObjectionStatus.OPEN]
    return render(
        request,
        "admissions/rounds/publicity.html",
        {
            "campaign": campaign,
            "lists": lists,
            "releases": releases(user=request.user, kinds=(LIST_RELEASE,)),
            "nav": "publicity",
        },
    )


@login_required
@require_POST
def objection_handle(request, pk):
    objection = get_object_or_404(objection_rows(), pk=pk)
    form = ObjectionHandlingForm(request.POST)
    if form.is_valid():
        sustained = form.cleaned_data["outcome"] == "sustain"
        perform(
            request,
            lambda: handle_objection(
                actor=request.user, objection=objection, sustained=sustained, note=form.cleaned_data["note"]
            ),
            success=_("异议成立，已取消该考生的拟录取，并发布变更公示。") if sustained else _("已记录：异议不成立。"),
        )
    else:
        messages.error(request, _first_error(form))
    return redirect(reverse("publicity-manage") + f"#objection-{objection.pk}")


@login_required
@require_POST
def objection_duplicates(request, pk):
    """Close the selected open objections as repeats of objection `pk`, which the office handled."""
    require_role(request.user, Role.BASE_OFFICE)
    original = get_object_or_404(Objection, pk=pk)
    require(request.user, CHANGE, original)
    candidates = open_objections_of_entry(user=request.user, objection=original)
    form = DuplicateObjectionsForm(request.POST, choices=[o.pk for o in candidates])
    if form.is_valid():
        chosen = [o for o in candidates if o.pk in form.cleaned_data["duplicate"]]
        perform(
            request,
            lambda: close_duplicate_objections(
                actor=request.user, original=original, duplicates=chosen, note=form.cleaned_data["note"]
            ),
            success=_("已将 %(count)s 条重复异议一并处理。") % {"count": len(chosen)},
        )
    else:
        messages.error(request, _first_error(form))
    return redirect(reverse("publicity-manage") + f"#objection-{original.pk}")
