"""The office's phone check-in page (office/rounds/<n>/check-in/): today's session of its specialty
bases, the counts, one search box (name, last four characters of the ID number, or the notice's
code), 签到 / 缺考 per row and ending the check-in; the same reads however many seats."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from admissions.models import SeatStatus, SessionSeat
from bases.services.quotas import do_set_quota
from tests import factories
from tests.round_helpers import SHANGHAI, at, bulk_candidates

pytestmark = pytest.mark.django_db


def moment(hour, minute=0):
    return datetime.datetime(2026, 4, 27, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def day(world, people):
    """Xiehe internal medicine: an interview at 09:00 with three candidates and an exam at 14:00
    with one; Tongji holds an interview at 09:00 too."""
    campaign, specialty_base = world["hubei_campaign"], world["xiehe_internal"]
    office = people["xiehe_office"]
    assessments = bulk_candidates(campaign, specialty_base, 4, scored=False)
    interview = factories.assessment_session(campaign, specialty_base, moment(9), created_by=office)
    exam = factories.assessment_session(campaign, specialty_base, moment(14), part="exam", place="科教楼机房")
    tongji = factories.assessment_session(
        campaign, world["tongji_internal"], moment(9), place="同济门诊楼", created_by=people["tongji_office"]
    )
    seats = factories.seats(interview, assessments[:3])
    factories.seats(exam, assessments[3:])
    return {"interview": interview, "exam": exam, "tongji": tongji, "seats": seats}


def page(client, user, hour=8, minute=50, **query):
    client.force_login(user)
    with at(2026, 4, 27, hour, minute):
        response = client.get(reverse("round-check-in", args=[1]), query)
    assert response.status_code == 200
    return response.content.decode()


def rows(html):
    return html.count('data-testid="seat-row"')


def count(html, name):
    marker = f'data-testid="count-{name}">'
    start = html.index(marker) + len(marker)
    return int(html[start : html.index("<", start)])


def test_the_office_sees_the_session_running_or_next(client, day, people):
    html = page(client, people["xiehe_office"])
    assert "门诊楼5楼示教室" in html and rows(html) == 3
    assert (count(html, "seated"), count(html, "present"), count(html, "absent"), count(html, "waiting")) == (
        3,
        0,
        0,
        3,
    )
    assert "同济门诊楼" not in html
    afternoon = page(client, people["xiehe_office"], hour=13, minute=30)
    assert "科教楼机房" in afternoon and rows(afternoon) == 1


def test_another_session_of_the_day_is_picked(client, day, people):
    html = page(client, people["xiehe_staff"], session=day["exam"].pk)
    assert "科教楼机房" in html and rows(html) == 1
    assert 'data-testid="session-picker"' in html


def test_another_bases_session_is_not_offered(client, day, people):
    html = page(client, people["xiehe_office"], session=day["tongji"].pk)
    assert "同济门诊楼" not in html and "门诊楼5楼示教室" in html
    tongji = page(client, people["tongji_office"])
    assert "同济门诊楼" in tongji and rows(tongji) == 0


def test_no_session_today(client, day, people):
    client.force_login(people["xiehe_office"])
    with at(2026, 4, 28, 9):
        html = client.get(reverse("round-check-in", args=[1])).content.decode()
    assert "今天没有您可以签到的考核场次" in html


def test_not_for_the_province_nor_applicants(client, day, people):
    for who in ("province", "applicant"):
        client.force_login(people[who])
        with at(2026, 4, 27, 9):
            assert client.get(reverse("round-check-in", args=[1])).status_code == 403


@pytest.mark.parametrize("key", ["name", "id_tail", "code", "code_lower"])
def test_search_by_each_key(client, day, people, key):
    seat = day["seats"][1]
    applicant = seat.applicant
    query = {
        "name": applicant.full_name,
        "id_tail": applicant.id_number[-4:],
        "code": seat.verification_code,
        "code_lower": seat.verification_code.lower(),
    }[key]
    html = page(client, people["xiehe_office"], session=day["interview"].pk, q=query)
    assert rows(html) == 1 and f'data-seat="{seat.pk}"' in html
    assert count(html, "seated") == 3, "the counts are the session's, not the search's"


def test_search_without_match(client, day, people):
    html = page(client, people["xiehe_office"], q="无此人")
    assert rows(html) == 0 and "没有相符的考生" in html


def test_check_in_and_absent_from_the_page(client, day, people):
    client.force_login(people["xiehe_office"])
    seats, url = day["seats"], reverse("round-check-in", args=[1]) + f"?session={day['interview'].pk}"
    with at(2026, 4, 27, 9, 10):
        response = client.post(url, {"seat": seats[0].pk, "action": "present"})
        assert response.status_code == 302
        client.post(url, {"seat": seats[1].pk, "action": "absent"})
        html = client.get(response.url).content.decode()
    assert (count(html, "present"), count(html, "absent"), count(html, "waiting")) == (1, 1, 1)
    assert f"已签到：{seats[0].applicant.full_name}" in html


def test_a_refusal_is_shown_not_raised(client, day, people):
    client.force_login(people["xiehe_office"])
    url = reverse("round-check-in", args=[1]) + f"?session={day['interview'].pk}"
    with at(2026, 4, 27, 8, 30):
        response = client.post(url, {"seat": day["seats"][0].pk, "action": "absent"}, follow=True)
    assert "开始后才能标记缺考" in response.content.decode()
    assert SessionSeat.objects.get(pk=day["seats"][0].pk).status == SeatStatus.ASSIGNED


def test_a_seat_of_another_session_is_not_marked_through_this_one(client, day, people):
    client.force_login(people["xiehe_office"])
    exam_seat = SessionSeat.objects.get(session=day["exam"])
    with at(2026, 4, 27, 9, 10):
        url = reverse("round-check-in", args=[1]) + f"?session={day['interview'].pk}"
        assert client.post(url, {"seat": exam_seat.pk, "action": "present"}).status_code == 404


def test_ending_the_check_in(client, day, people):
    client.force_login(people["xiehe_office"])
    url = reverse("round-check-in", args=[1]) + f"?session={day['interview'].pk}"
    with at(2026, 4, 27, 9, 10):
        client.post(url, {"seat": day["seats"][0].pk, "action": "present"})
        before = client.get(url).content.decode()
        assert "尚未签到的 2 名考生将记为缺考" in before
        client.post(url, {"action": "end"})
        html = client.get(url).content.decode()
    assert (count(html, "present"), count(html, "absent"), count(html, "waiting")) == (1, 2, 0)
    assert "本场考生均已签到或记为缺考" in html


def test_the_round_page_links_to_check_in(client, day, people, world):
    do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=world["xiehe_internal"], places=2)
    client.force_login(people["xiehe_office"])
    with at(2026, 4, 27, 9):
        html = client.get(reverse("round-candidates", args=[1])).content.decode()
    assert reverse("round-check-in", args=[1]) in html


def test_queries_stay_flat_as_seats_grow(client, day, people, world, django_assert_max_num_queries):
    client.force_login(people["xiehe_office"])
    url = reverse("round-check-in", args=[1])

    def queries():
        with at(2026, 4, 27, 8, 50), CaptureQueriesContext(connection) as context:
            client.get(url)
        return len(context.captured_queries)

    few = queries()
    more = bulk_candidates(world["hubei_campaign"], world["xiehe_internal"], 40, scored=False)
    factories.seats(day["interview"], more)
    assert queries() == few
    with django_assert_max_num_queries(few), at(2026, 4, 27, 8, 50):
        html = client.get(url, {"q": "考生"}).content.decode()
    assert rows(html) == 43


def test_before_the_start_absence_waits(client, day, people):
    html = page(client, people["xiehe_office"], hour=8, minute=30)
    assert "该场次09:00开始，开始后才能标记缺考。" in html
    assert html.count('aria-describedby="check-in-closed"') == 3, "the three 缺考 buttons, not 签到"
    assert 'data-testid="end-check-in"' not in html


def test_a_notice_scanned_on_another_day_shows_why_nothing_can_be_marked(client, day, people):
    seat = day["seats"][0]
    client.force_login(people["xiehe_office"])
    with at(2026, 4, 26, 15):
        html = client.get(reverse("seat-check-in", args=[seat.verification_code])).content.decode()
    assert seat.applicant.full_name in html
    assert "该场次在04月27日举行，只能在当天签到或标记缺考。" in html
    assert html.count('disabled aria-describedby="check-in-closed"') == 2


def test_a_long_list_says_to_search(client, day, people, monkeypatch):
    monkeypatch.setattr("admissions.selectors.checkin.SEARCH_LIMIT", 2)
    html = page(client, people["xiehe_office"], session=day["interview"].pk)
    assert rows(html) == 2 and "只显示前 2 人" in html
    assert "只显示前" not in page(client, people["xiehe_office"], q=day["seats"][2].applicant.full_name)
