"""The public vacancy board (空余名额): the cached board of `admissions.selectors.vacancies` with the
plan table's filters; a signed-in applicant also sees, per row, where it may choose now or ask for
adjustment (worked out for it alone, never cached)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from admissions.selectors.applicants import applicant_of
from admissions.selectors.vacancies import (
    applicant_actions,
    board_campaign,
    board_filter_choices,
    vacancy_board,
)
from bases.forms.plan import PlanFilterForm
from policy.timetable import vacancy_board_state
from portal.models import Role

BOARD_PAGE_SIZE = 200


def vacancy_board_page(request):
    campaign = board_campaign(request.GET.get("province"))
    context = {"campaign": campaign}
    state = vacancy_board_state(campaign) if campaign else None
    context["state"] = state
    if state:
        cities, specialties = board_filter_choices(campaign)
        form = PlanFilterForm(request.GET or None, cities=cities, specialties=specialties)
        board = vacancy_board(campaign=campaign, **form.filters())
        page = Paginator(board.rows, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
        user = request.user
        applicant = applicant_of(user) if user.is_authenticated and user.role == Role.APPLICANT else None
        actions = applicant_actions(applicant=applicant, campaign=campaign, rows=page.object_list) if applicant else {}
        context.update(
            form=form,
            board=board,
            page=page,
            rows=[(row, actions.get(row.specialty_base_id)) for row in page.object_list],
            is_applicant=applicant is not None,
        )
    return render(request, "admissions/public/vacancies.html", context)
