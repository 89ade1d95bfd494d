"""Small-cell suppression of the open statistics: one rule for the page, the exports and the API."""

from decimal import Decimal

from policy.rules.statistics import GroupFigures, public_row, published_count


def figures(places, applicants, admitted):
    return GroupFigures(
        key="0100", label="内科", is_shortage=False, places=places, applicants=applicants, admitted=admitted
    )


def test_a_count_of_fewer_than_five_people_is_published_as_under_five():
    assert [published_count(n) for n in (0, 1, 4, 5, 12)] == ["<5", "<5", "<5", 5, 12]


def test_the_fill_rate_of_a_suppressed_admitted_count_is_suppressed_too():
    row = public_row(figures(places=6, applicants=9, admitted=3))
    assert (row.places, row.applicants, row.admitted, row.fill_rate) == (6, 9, "<5", "*")


def test_planned_places_are_never_suppressed_and_a_published_count_keeps_its_rate():
    row = public_row(figures(places=3, applicants=4, admitted=5))
    assert (row.places, row.applicants, row.admitted, row.fill_rate) == (3, "<5", 5, Decimal("166.7"))


def test_a_group_without_a_plan_has_no_rate_to_suppress():
    row = public_row(figures(places=None, applicants=2, admitted=1))
    assert (row.applicants, row.admitted, row.fill_rate) == ("<5", "<5", None)
