import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bases.models import QuotaIncrease, QuotaIncreaseStatus
from bases.services.quotas import do_set_quota, request_quota_increase
from tests import factories


@pytest.fixture
def quota(world):
    return do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=world["xiehe_internal"], places=6)


def test_workspace_sends_each_office_to_its_page(client, people):
    for who, target in [
        ("xiehe_office", "office-home"),
        ("province", "province-dashboard"),
        ("applicant", "applicant-home"),
        ("xiehe_staff", "round-candidates"),
        ("employer", "home"),
    ]:
        client.force_login(people[who])
        expected = reverse(target, args=[1]) if target == "round-candidates" else reverse(target)
        assert client.get(reverse("workspace")).url == expected


def test_office_requests_an_increase_and_sees_its_plan(client, people, quota):
    client.force_login(people["xiehe_office"])
    page = client.get(reverse("office-home")).content.decode()
    assert "内科" in page and 'data-testid="base-plan"' in page
    too_many = client.post(reverse("office-home"), {"quota": quota.pk, "places": 9, "reason": "报名踊跃"})
    assert too_many.status_code == 400 and "最多还可申请增加 4 个" in too_many.content.decode()
    assert not QuotaIncrease.objects.exists()
    assert (
        client.post(reverse("office-home"), {"quota": quota.pk, "places": 2, "reason": "报名踊跃"}).status_code == 302
    )
    assert QuotaIncrease.objects.get().requested_places == 2
    assert "调整申请审批中" in client.get(reverse("office-home")).content.decode()


def test_an_office_cannot_request_for_another_base(client, people, world):
    other = do_set_quota(
        actor=None, campaign=world["hubei_campaign"], specialty_base=world["tongji_internal"], places=1
    )
    client.force_login(people["xiehe_office"])
    response = client.post(reverse("office-home"), {"quota": other.pk, "places": 1, "reason": "代申请"})
    assert response.status_code == 400 and not QuotaIncrease.objects.exists()


def test_province_approves_fewer_and_the_base_cannot_approve(client, people, quota):
    increase = request_quota_increase(actor=people["xiehe_office"], quota=quota, places=3, reason="需要")
    client.force_login(people["xiehe_office"])
    assert client.post(reverse("quota-increase-approve", args=[increase.pk])).status_code == 403
    client.force_login(people["hunan_province"])
    assert client.post(reverse("quota-increase-approve", args=[increase.pk])).status_code == 403
    client.force_login(people["province"])
    assert "需要" in client.get(reverse("province-dashboard")).content.decode()
    client.post(reverse("quota-increase-approve", args=[increase.pk]), {"places": 1, "reason": "统筹"})
    quota.refresh_from_db()
    assert quota.places == 7


def test_rejecting_without_reason_shows_a_message_and_changes_nothing(client, people, quota):
    increase = request_quota_increase(actor=people["xiehe_office"], quota=quota, places=3, reason="需要")
    client.force_login(people["province"])
    response = client.post(reverse("quota-increase-reject", args=[increase.pk]), {"reason": ""}, follow=True)
    assert "不予批准时请填写理由" in response.content.decode()
    increase.refresh_from_db()
    assert increase.status == QuotaIncreaseStatus.PENDING


def test_province_dashboard_totals_by_specialty_and_city(client, people, world, quota):
    paediatrics = factories.specialty("0200", "儿科")
    world["hubei_campaign"].shortage_specialties.add(paediatrics)
    yichang = factories.training_base(world["hubei"], "宜昌医院", city="宜昌市")
    do_set_quota(
        actor=None,
        campaign=world["hubei_campaign"],
        specialty_base=factories.specialty_base(yichang, paediatrics, capacity=8),
        places=4,
    )
    from admissions.services.entries import enter_professional_master
    from policy.identity import make_resident_id

    enter_professional_master(
        actor=people["xiehe_office"],
        quota=quota,
        full_name="专硕一",
        id_type="resident_id",
        id_number=make_resident_id("420102", datetime.date(2000, 1, 1), 11),
        school="华科",
        school_province="湖北省",
        school_city="武汉市",
    )
    client.force_login(people["province"])
    response = client.get(reverse("province-dashboard"))
    fill = {row.name: (row.filled, row.fill_rate) for row in response.context["by_specialty"]}
    assert fill == {"内科": (1, 17), "儿科": (0, 0)}
    by_specialty = {row.name: (row.total_places, row.is_shortage) for row in response.context["by_specialty"]}
    assert by_specialty == {"内科": (6, False), "儿科": (4, True)}
    assert next(iter(response.context["by_specialty"])).name == "儿科"  # shortage specialties first
    by_city = {
        row["specialty_base__training_base__city"]: (row["total_places"], row["shortage_places"])
        for row in response.context["by_city"]
    }
    assert by_city == {"武汉市": (6, 0), "宜昌市": (4, 4)}


def test_the_requests_list_is_scoped_and_its_queries_stay_flat(client, people, world, quota):
    client.force_login(people["province"])

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("quota-increases")).status_code == 200
        return len(captured)

    request_quota_increase(actor=people["xiehe_office"], quota=quota, places=1, reason="一")
    few = count()
    for n in range(20):
        QuotaIncrease.objects.create(
            quota=quota, requested_places=1, reason=f"第{n}", requested_by=people["xiehe_office"]
        )
    assert count() == few
    client.force_login(people["tongji_office"])
    assert "第1" not in client.get(reverse("quota-increases")).content.decode()
