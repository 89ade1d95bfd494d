"""The public vacancy board (空余名额): the cached board of `admissions.selectors.vacancies` with the
plan table's filters. Visitors at a deadline get the table as it was rendered for the same filters
in the board's current generation (`PublicBoard.derived`), so a page costs neither the database nor the
filter form nor the rendering of its rows; a signed-in applicant also sees, per row, where it may
choose now or ask for adjustment, worked out for it alone and never cached."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from admissions.selectors.applicants import applicant_of
from admissions.selectors.vacancies import applicant_actions, public_board
from bases.forms.plan import PlanFilterForm
from policy.timetable import vacancy_board_state
from portal.models import Role
from portal.web import parse_id

BOARD_PAGE_SIZE = 200


def vacancy_board_page(request):
    board = public_board(request.GET.get("province"))
    campaign = board.campaign
    state = vacancy_board_state(campaign) if campaign else None
    context = {"campaign": campaign, "state": state}
    if state:
        user = request.user
        applicant = applicant_of(user) if user.is_authenticated and user.role == Role.APPLICANT else None
        page_number = parse_id(request.GET.get("page", "")) or 1

        def table():
            cities, specialties = board.filter_choices()
            form = PlanFilterForm(request.GET or None, cities=cities, specialties=specialties)
            filters = form.filters()
            counts = board.counts(**filters)
            page = Paginator(counts.rows, BOARD_PAGE_SIZE).get_page(page_number)
            actions = applicant_actions(applicant=applicant, campaign=campaign, rows=page) if applicant else {}
            table_context = {
                "form": form,
                "board": counts,
                "page": page,
                "rows": [(row, actions.get(row.specialty_base_id)) for row in page],
                "is_applicant": applicant is not None,
                "query": _query(campaign, filters),
            }
            html = render_to_string("admissions/public/_vacancy_board.html", table_context, request=request)
            return html, None if applicant or form.errors else counts.counted_at

        if applicant is not None:
            context["table"] = table()[0]
        else:
            asked = [request.GET.get(name, "") for name in ("city", "specialty", "shortage")]
            name = repr(("page", *asked, page_number, get_language()))
            context["table"] = board.derived(name, table)
    return render(request, "admissions/public/vacancies.html", context)


def _query(campaign, filters):
    """The pager's query: the filters asked for (and the province when not the default one), never
    whatever else the address carried, since the table is shared by everyone asking the same."""
    query = {
        "province": campaign.province.code if campaign.province.code != settings.DEFAULT_PROVINCE_CODE else "",
        "city": filters.get("city", ""),
        "specialty": filters.get("specialty_id") or "",
        "shortage": "on" if filters.get("shortage_only") else "",
    }
    return urlencode({name: value for name, value in query.items() if value})
