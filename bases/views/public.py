from django.core.paginator import Paginator
from django.shortcuts import render

from bases.forms.plan import PlanFilterForm
from bases.selectors.directory import public_province, training_base_directory
from bases.selectors.plan import plan_rows, plan_totals
from policy.selectors import current_campaign
from policy.timetable import phase_at, steps


def directory(request):
    province = public_province(request.GET.get("province"))
    bases = training_base_directory(province=province) if province else []
    return render(request, "bases/directory.html", {"province": province, "training_bases": bases})


def plan_table(request):
    province = public_province(request.GET.get("province"))
    campaign = current_campaign(province=province) if province else None
    context = {"province": province, "campaign": campaign}
    if campaign:
        form = PlanFilterForm.for_campaign(campaign, request.GET)
        rows = plan_rows(campaign=campaign, **form.filters())
        context.update(
            form=form,
            page=Paginator(rows, 200).get_page(request.GET.get("page")),
            totals=plan_totals(rows),
        )
    return render(request, "bases/plan_table.html", context)


def home(request):
    province = public_province(request.GET.get("province"))
    campaign = current_campaign(province=province) if province else None
    context = {"province": province, "campaign": campaign}
    if campaign:
        context.update(phase=phase_at(campaign), steps=steps(campaign))
    return render(request, "bases/home.html", context)
