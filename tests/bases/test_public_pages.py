import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bases.demo.loading import load_province
from bases.models import Quota, Specialty
from tests import factories

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def demo(db):
    return load_province(year=2026)


def test_home_shows_the_phase_of_the_moment(client, demo):
    with time_machine.travel(datetime.datetime(2026, 4, 23, 23, 59, tzinfo=SHANGHAI), tick=False):
        page = client.get(reverse("home")).content.decode()
    assert "2026年度湖北省住院医师规范化培训（西医）招录" in page
    assert 'data-testid="current-phase">第一批次注册和填报志愿<' in page
    with time_machine.travel(datetime.datetime(2026, 4, 24, 0, 1, tzinfo=SHANGHAI), tick=False):
        page = client.get(reverse("home")).content.decode()
    assert 'data-testid="current-phase">第一批次考核<' in page


def test_home_without_a_campaign_says_so(client, db):
    assert "本年度招录工作尚未发布" in client.get(reverse("home")).content.decode()


def test_directory_lists_the_37_bases_with_contacts(client, demo):
    response = client.get(reverse("directory"))
    assert len(response.context["training_bases"]) == 37
    page = response.content.decode()
    assert page.count('class="card training-base"') == 37
    assert "027-88041911转88455" in page and "刘老师、丁老师" in page


def test_plan_table_filters_by_city_specialty_and_shortage(client, demo):
    rows = client.get(reverse("plan-table"), {"city": "恩施州"}).context["page"].object_list
    assert {row.specialty_base.training_base.city for row in rows} == {"恩施州"}
    paediatrics = Specialty.objects.get(name="儿科")
    rows = list(client.get(reverse("plan-table"), {"specialty": paediatrics.pk}).context["page"].object_list)
    assert rows and {row.specialty_base.specialty for row in rows} == {paediatrics}
    response = client.get(reverse("plan-table"), {"shortage": "on"})
    assert response.context["totals"]["places"] == sum(
        q.places for q in Quota.objects.filter(specialty_base__specialty__in=demo[1].shortage_specialties.all())
    )
    assert all(row.is_shortage for row in response.context["page"].object_list)


def test_plan_table_ignores_an_unknown_filter_value_with_a_message(client, demo):
    response = client.get(reverse("plan-table"), {"city": "火星市", "specialty": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"city", "specialty"}


def test_english_is_available(client, demo):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in page
    assert "Round 1 registration and first choice" in page


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name", ["plan-table", "api-plan", "directory", "api-training-bases"])
def test_list_queries_stay_flat_from_10_to_1000_rows(client, hubei, url_name):
    campaign = factories.campaign(hubei)
    factories.grow_plan(campaign, 10)
    small = _queries(client, reverse(url_name))
    factories.grow_plan(campaign, 990)
    assert Quota.objects.count() == 1000
    assert _queries(client, reverse(url_name)) == small
    if url_name in ("plan-table", "api-plan"):
        assert _queries(client, reverse(url_name), {"page": 2}) == small


def test_api_plan_lists_rows_and_rejects_a_bad_filter(client, demo):
    body = client.get(reverse("api-plan"), {"city": "黄石市"}).json()
    assert body["count"] > 0 and {row["city"] for row in body["results"]} == {"黄石市"}
    assert set(body["results"][0]) == {
        "id",
        "training_base",
        "city",
        "specialty",
        "specialty_code",
        "places",
        "capacity",
        "is_shortage",
    }
    bad = client.get(reverse("api-plan"), {"specialty": "abc"})
    assert bad.status_code == 400 and "specialty" in bad.json()


def test_api_schema_and_docs_are_served_without_a_cdn(client, db):
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200 and b"/api/v1/plan/" in schema.content
    docs = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()


def test_healthz(client, db):
    assert client.get("/healthz").json()["status"] == "ok"
