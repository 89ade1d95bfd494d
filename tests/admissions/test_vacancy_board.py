"""The public vacancy board (空余名额): its counts against the quotas', the plan table's filters, the
page and the API saying the same, the cache (a warm board asks the database nothing, a decision
shows at once, any other change within a minute), no personal data, and the links a signed-in
applicant gets."""

import datetime
import re
import socket

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from admissions.models import Assessment, Stage
from admissions.selectors.places import places_taken
from admissions.services.admission import admit
from admissions.services.assessments import decide_admission, record_scores, review_qualification
from admissions.services.choices import submit_choice
from admissions.services.entries import enter_professional_master
from admissions.services.publicity import confirm_offer, publish_list
from bases.models import Quota, Specialty
from bases.services.quotas import do_set_quota
from policy.identity import make_resident_id
from tests import factories
from tests.applicant_helpers import complete_applicant
from tests.round_helpers import SHANGHAI, at, bulk_candidates

BOARD = reverse("vacancy-board")
API = reverse("api-vacancies")
ROUND1_DECISIONS = (2026, 5, 20, 10)  # round-1 assessment: decisions and adjustment
ROUND2 = (2026, 6, 3, 10)  # round-2 choices open


@pytest.fixture
def plan(world, people):
    """Hubei's plan: internal medicine at Xiehe (5) and Tongji (2), both in 武汉市, and paediatrics,
    a shortage specialty, at a base in 宜昌市 (3); Hunan's quota is on Hunan's board only."""
    campaign = world["hubei_campaign"]
    paediatrics = factories.specialty("0200", "儿科")
    campaign.shortage_specialties.add(paediatrics)
    yichang = factories.training_base(world["hubei"], "宜昌市中心医院", city="宜昌市")
    children = factories.specialty_base(yichang, paediatrics)
    for base, places in ((world["xiehe_internal"], 5), (world["tongji_internal"], 2), (children, 3)):
        do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=places)
    do_set_quota(actor=None, campaign=world["hunan_campaign"], specialty_base=world["changsha_internal"], places=4)
    return {"campaign": campaign, "children": children, "paediatrics": paediatrics}


def decide(people, candidates, *, admit_them):
    for candidate in candidates:
        decide_admission(actor=people["xiehe_office"], assessment=candidate, admit=admit_them)


@pytest.fixture
def decided(world, people, plan):
    """At Xiehe's internal medicine, through the services: three proposed and one not in round 1;
    the list published; one of the three declines during publicity, another is admitted; a
    professional master is entered. Left: 5 − 1 held − 2 admitted (one candidate, one master) = 2."""
    campaign = plan["campaign"]
    candidates = bulk_candidates(campaign, world["xiehe_internal"], 4)
    with at(2026, 4, 27, 10):
        decide(people, candidates[:3], admit_them=True)
        decide(people, candidates[3:], admit_them=False)
    with at(2026, 4, 29, 10):
        publish_list(actor=people["xiehe_office"], campaign=campaign, training_base=world["xiehe"], round_number=1)
    with at(2026, 5, 2, 10):
        confirm_offer(actor=candidates[1].application.applicant.user, assessment=candidates[1], accept=False)
    with at(2026, 5, 15, 10):
        admit(candidates[0])
        enter_professional_master(
            actor=people["xiehe_office"],
            quota=Quota.objects.get(campaign=campaign, specialty_base=world["xiehe_internal"]),
            full_name="硕士甲",
            id_type="resident_id",
            id_number=make_resident_id("420102", datetime.date(1998, 2, 3), 7),
            school="华中科技大学",
            school_province="湖北省",
            school_city="武汉市",
        )
    return candidates


def rows_of(response):
    """{specialty base id: (plan, held, admitted, left)} of the page's table."""
    html = response.content.decode()
    found = {}
    for base, cells in re.findall(r'data-specialty-base="(\d+)">(.*?)</tr>', html, re.S):
        numbers = re.findall(r'<td class="num"[^>]*>(\d+)', cells)
        found[int(base)] = tuple(int(n) for n in numbers)
    return found


def api_rows(response):
    assert response.status_code == 200, response.content
    return {
        row["specialty_base"]: (row["plan"], row["held"], row["admitted"], row["left"])
        for row in response.json()["results"]
    }


def quota_counts(campaign):
    """What the quotas themselves say, counted row by row (the rule `places_taken` the services
    check under the quota's lock)."""
    counts = {}
    for quota in Quota.objects.filter(campaign=campaign):
        proposed = Assessment.objects.filter(
            campaign=campaign, specialty_base=quota.specialty_base, stage=Stage.PROPOSED
        ).count()
        taken = places_taken(quota)
        counts[quota.specialty_base_id] = (quota.places, proposed, taken - proposed, max(quota.places - taken, 0))
    return counts


def test_counts_are_the_quotas_after_proposals_a_decline_an_admission_and_an_entry(client, world, plan, decided):
    with at(*ROUND1_DECISIONS):
        page, api = client.get(BOARD), client.get(API)
    expected = quota_counts(plan["campaign"])
    assert expected[world["xiehe_internal"].pk] == (5, 1, 2, 2)
    assert rows_of(page) == api_rows(api) == expected
    assert "计划 10 人，拟录取 1 人，已录取 2 人，剩余 7 人" in page.content.decode()
    assert api.json()["totals"] == {"plan": 10, "held": 1, "admitted": 2, "left": 7}
    assert world["changsha_internal"].pk not in expected


def test_left_is_never_negative(client, world, plan):
    bulk_candidates(plan["campaign"], world["tongji_internal"], 3, stage=Stage.ADMITTED)  # over the plan of 2
    with at(*ROUND1_DECISIONS):
        assert api_rows(client.get(API))[world["tongji_internal"].pk] == (2, 0, 3, 0)
        assert "已满" in client.get(BOARD).content.decode()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"city": "宜昌市"}, {"children"}),
        ({"city": "武汉市"}, {"xiehe_internal", "tongji_internal"}),
        ({"specialty": "@internal"}, {"xiehe_internal", "tongji_internal"}),
        ({"shortage": "on"}, {"children"}),
        ({"city": "武汉市", "shortage": "on"}, set()),
        ({}, {"xiehe_internal", "tongji_internal", "children"}),
    ],
)
def test_filters_by_city_specialty_and_shortage_on_the_page_and_in_the_api(client, world, plan, filters, expected):
    bases = {"children": plan["children"].pk, "xiehe_internal": world["xiehe_internal"].pk}
    bases["tongji_internal"] = world["tongji_internal"].pk
    internal = world["xiehe_internal"].specialty_id
    query = {key: internal if value == "@internal" else value for key, value in filters.items()}
    api_query = {key: "true" if key == "shortage" else value for key, value in query.items()}
    with at(*ROUND1_DECISIONS):
        page, api = client.get(BOARD, query), client.get(API, api_query)
    assert set(rows_of(page)) == set(api_rows(api)) == {bases[name] for name in expected}
    assert rows_of(page) == api_rows(api)


def test_a_filter_outside_the_plan_is_a_clear_400_in_the_api_and_a_form_error_on_the_page(client, plan):
    with at(*ROUND1_DECISIONS):
        api = client.get(API, {"city": "火星市", "specialty": "abc"})
        page = client.get(BOARD, {"city": "火星市"})
    assert api.status_code == 400 and set(api.json()) == {"city", "specialty"}
    assert "有效的选项" in api.json()["city"][0]
    assert page.status_code == 200 and page.context["form"].errors.keys() == {"city"}
    assert len(rows_of(page)) == 3  # the whole board, as the plan table does


def test_before_and_after_its_window_the_board_says_when_it_opens_or_that_it_ended(client, plan):
    with at(2026, 4, 20, 10):
        page, api = client.get(BOARD), client.get(API).json()
    assert "空余名额公告 4月24日起" in page.content.decode() and not rows_of(page)
    assert api == {
        "year": 2026,
        "is_open": False,
        "reason": "空余名额公告 4月24日起",
        "opens_on": "2026-04-24",
        "counted_at": None,
        "totals": None,
        "results": [],
    }
    with at(2026, 4, 24, 0, 0):
        assert client.get(API).json()["is_open"] is True
    with at(2026, 6, 30, 23, 59):
        assert len(rows_of(client.get(BOARD))) == 3
    with at(2026, 7, 1, 0, 0):
        closed = client.get(BOARD).content.decode()
    assert "空余名额公告已于6月30日 24时结束" in closed


def test_without_a_campaign_the_page_says_so_and_the_api_answers_404(client, hubei):
    assert "本年度招录工作尚未发布" in client.get(BOARD).content.decode()
    assert client.get(API).status_code == 404


def test_a_warm_board_asks_the_database_nothing_and_each_filter_keeps_its_own_rows(
    client, world, django_assert_num_queries, plan
):
    asked = ({}, {"city": "宜昌市"}, {"shortage": "true"}, {"city": "武汉市"})
    with at(*ROUND1_DECISIONS):
        cold = {
            repr(params): (rows_of(client.get(BOARD, params)), api_rows(client.get(API, params))) for params in asked
        }
        with django_assert_num_queries(0):
            warm = {
                repr(params): (rows_of(client.get(BOARD, params)), api_rows(client.get(API, params)))
                for params in asked
            }
    assert warm == cold
    assert set(warm[repr({"city": "宜昌市"})][0]) == {plan["children"].pk}
    assert set(warm[repr({"city": "武汉市"})][1]) == {world["xiehe_internal"].pk, world["tongji_internal"].pk}


def test_the_pages_of_a_long_board_carry_the_filters_and_nothing_else(client, plan):
    campaign = plan["campaign"]
    factories.grow_plan(campaign, 300)  # 30 training bases × the specialties 9000 … 9009
    campaign.shortage_specialties.add(*Specialty.objects.filter(code__in=[f"90{n:02d}" for n in range(7)]))
    with at(*ROUND1_DECISIONS):
        first = client.get(BOARD, {"utm_source": "wechat"})
        second = client.get(BOARD, {"page": "2"})
        shortage = client.get(BOARD, {"shortage": "on", "utm_source": "x"})
        shortage_second = client.get(BOARD, {"shortage": "on", "page": "2"})
    pager = re.compile(r'<nav class="pager">(.*?)</nav>', re.S)
    assert len(rows_of(first)) == 200 and len(rows_of(second)) == 103
    assert re.findall(r'href="([^"]*)"', pager.search(first.content.decode()).group(1)) == ["?page=2"]
    assert len(rows_of(shortage)) == 200 and len(rows_of(shortage_second)) == 11  # 7 × 30 and 儿科
    links = re.findall(r'href="([^"]*)"', pager.search(shortage.content.decode()).group(1))
    assert links == ["?shortage=on&amp;page=2"]


def test_a_decision_shows_at_once_and_a_change_made_elsewhere_within_a_minute(
    client, world, people, plan, django_capture_on_commit_callbacks
):
    candidates = bulk_candidates(plan["campaign"], world["tongji_internal"], 2)
    tongji = world["tongji_internal"].pk
    with at(*ROUND1_DECISIONS):
        assert api_rows(client.get(API))[tongji] == (2, 0, 0, 2)
        with django_capture_on_commit_callbacks(execute=True):
            decide_admission(actor=people["tongji_office"], assessment=candidates[0], admit=True)
        assert api_rows(client.get(API))[tongji] == (2, 1, 0, 1)
        assert rows_of(client.get(BOARD))[tongji] == (2, 1, 0, 1)
        # A change that records no event (an administrator's fix in the database) waits for the cache.
        Assessment.objects.filter(pk=candidates[1].pk).update(stage=Stage.ADMITTED)
        assert api_rows(client.get(API))[tongji] == (2, 1, 0, 1)
    moment = datetime.datetime(*ROUND1_DECISIONS, tzinfo=SHANGHAI)
    with time_machine.travel(moment + datetime.timedelta(seconds=59), tick=False):
        assert api_rows(client.get(API))[tongji] == (2, 1, 0, 1)
    with time_machine.travel(moment + datetime.timedelta(seconds=61), tick=False):
        assert api_rows(client.get(API))[tongji] == (2, 1, 1, 0)
        assert rows_of(client.get(BOARD))[tongji] == (2, 1, 1, 0)


def test_a_quota_change_shows_at_once(client, world, plan, django_capture_on_commit_callbacks):
    with at(*ROUND1_DECISIONS):
        client.get(BOARD)
        with django_capture_on_commit_callbacks(execute=True):
            do_set_quota(actor=None, campaign=plan["campaign"], specialty_base=world["tongji_internal"], places=6)
        assert rows_of(client.get(BOARD))[world["tongji_internal"].pk] == (6, 0, 0, 6)


def test_with_the_cache_down_the_board_is_counted_for_each_view_and_decisions_go_through(
    client, settings, world, people, plan, django_capture_on_commit_callbacks
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed}/1",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    candidate = bulk_candidates(plan["campaign"], world["tongji_internal"], 1)[0]
    with at(*ROUND1_DECISIONS):
        assert rows_of(client.get(BOARD))[world["tongji_internal"].pk] == (2, 0, 0, 2)
        with django_capture_on_commit_callbacks(execute=True):
            decide_admission(actor=people["tongji_office"], assessment=candidate, admit=True)
        assert api_rows(client.get(API))[world["tongji_internal"].pk] == (2, 1, 0, 1)


def test_no_personal_data_reaches_the_page_or_the_api(client, world, plan, decided):
    people = [candidate.application.applicant for candidate in decided]
    with at(*ROUND1_DECISIONS):
        texts = [client.get(BOARD).content.decode(), client.get(API).content.decode()]
    for text in texts:
        for person in people:
            assert person.full_name not in text
            assert person.id_number not in text
            assert person.user.username not in text
        assert "硕士甲" not in text
    row = client.get(API).json()
    assert set(row) == {"year", "is_open", "reason", "opens_on", "counted_at", "totals", "results"}


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", [BOARD, API])
def test_a_cold_board_counts_in_the_same_queries_for_10_or_1000_rows(client, world, plan, url):
    from django.core.cache import cache

    with at(*ROUND1_DECISIONS):
        factories.grow_plan(plan["campaign"], 10)
        small = _queries(client, url)
        factories.grow_plan(plan["campaign"], 990)
        cache.clear()
        assert _queries(client, url) == small
    assert Quota.objects.filter(campaign=plan["campaign"]).count() == 1003


def test_an_eligible_applicant_sees_where_to_choose_during_round_2(client, world, plan):
    campaign = plan["campaign"]
    stomatology = factories.specialty_base(world["tongji"], factories.specialty("1800", "口腔全科", "stomatology"))
    do_set_quota(actor=None, campaign=campaign, specialty_base=stomatology, places=2)
    bulk_candidates(campaign, world["tongji_internal"], 2, stage=Stage.PROPOSED)  # Tongji internal: full
    applicant = complete_applicant(1)
    client.force_login(applicant.user)
    with at(*ROUND2):
        page = client.get(BOARD)
    actions = dict(
        re.findall(r'data-specialty-base="(\d+)">.*?data-testid="action">(.*?)</td>', page.content.decode(), re.S)
    )
    xiehe = actions[str(world["xiehe_internal"].pk)]
    assert "去填报" in xiehe
    assert f"{reverse('applicant-choose')}?city=%E6%AD%A6%E6%B1%89%E5%B8%82&amp;specialty=" in xiehe
    assert "去填报" not in actions[str(stomatology.pk)]  # not eligible (二(二))
    assert "去填报" not in actions[str(world["tongji_internal"].pk)]  # no place left
    # Its links are its own: the next visitor's page comes from the cache without them.
    client.logout()
    with at(*ROUND2):
        anonymous = client.get(BOARD).content.decode()
    assert "去填报" not in anonymous and 'data-testid="action"' not in anonymous


def test_an_applicant_not_admitted_in_round_1_sees_where_to_ask_for_adjustment(client, world, people, plan):
    campaign = plan["campaign"]
    surgery = factories.specialty_base(world["xiehe"], factories.specialty("0900", "外科"))
    do_set_quota(actor=None, campaign=campaign, specialty_base=surgery, places=2)
    applicant = complete_applicant(2)
    with at(2026, 4, 10, 9):
        choice = submit_choice(
            actor=applicant.user, applicant=applicant, campaign=campaign, specialty_base=world["xiehe_internal"]
        ).application
    with at(2026, 4, 27, 9):
        assessment = review_qualification(actor=people["xiehe_staff"], application=choice, passed=True)
        record_scores(
            actor=people["xiehe_staff"],
            assessment=assessment,
            interview_score=60,
            exam_score=60,
            interview_mode="on_site",
        )
        decide_admission(actor=people["xiehe_office"], assessment=assessment, admit=False)
    client.force_login(applicant.user)
    with at(*ROUND1_DECISIONS):
        html = client.get(BOARD).content.decode()
    actions = dict(re.findall(r'data-specialty-base="(\d+)">.*?data-testid="action">(.*?)</td>', html, re.S))
    assert "申请调剂" in actions[str(surgery.pk)] and reverse("offers") in actions[str(surgery.pk)]
    assert actions[str(world["tongji_internal"].pk)] == ""  # adjustment stays in the same training base
    assert actions[str(world["xiehe_internal"].pk)] == ""  # its own first choice


def test_the_home_page_and_the_plan_link_to_the_board(client, plan):
    for name in ("home", "plan-table"):
        assert f'href="{BOARD}"' in client.get(reverse(name)).content.decode()
