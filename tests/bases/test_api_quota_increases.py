"""Quota increases (计划调整) and the staff plan through the API: base offices ask, the province decides."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bases.models import Quota, QuotaIncrease, QuotaIncreaseStatus, SpecialtyBase
from bases.services.quotas import do_set_quota, request_quota_increase
from portal.models import Notification, Role
from tests import factories


@pytest.fixture
def quotas(world):
    """Places of this year's campaign: 3 of 10 at Xiehe, 4 of 10 at Tongji, 2 of 10 at Xiangya."""
    return {
        "xiehe": do_set_quota(
            actor=None, campaign=world["hubei_campaign"], specialty_base=world["xiehe_internal"], places=3
        ),
        "tongji": do_set_quota(
            actor=None, campaign=world["hubei_campaign"], specialty_base=world["tongji_internal"], places=4
        ),
        "changsha": do_set_quota(
            actor=None, campaign=world["hunan_campaign"], specialty_base=world["changsha_internal"], places=2
        ),
    }


def _request(people, quota, places=4, office="xiehe_office", reason="新增带教床位"):
    return request_quota_increase(actor=people[office], quota=quota, places=places, reason=reason)


def _url(name, increase):
    return reverse(name, args=[increase.pk])


def test_request_then_approve_fewer_places(api, quotas, people):
    quota = quotas["xiehe"]
    asked = api(people["xiehe_office"]).post(
        reverse("api-quota-increases"), {"quota": quota.pk, "places": 4, "reason": "新增带教床位"}, format="json"
    )
    assert asked.status_code == 201, asked.content
    body = asked.json()
    assert (body["status"], body["requested_places"], body["granted_places"]) == ("pending", 4, None)
    assert (body["quota_places"], body["quota_capacity"], body["training_base_name"]) == (3, 10, "协和医院")
    assert Notification.objects.filter(recipient=people["province"], kind="quota_increase.requested").exists()

    approved = api(people["province"]).post(
        reverse("api-quota-increase-approve", args=[body["id"]]), {"places": 2, "reason": "先增加 2 个"}, format="json"
    )
    assert approved.status_code == 200, approved.content
    decided = approved.json()
    assert (decided["status"], decided["granted_places"], decided["quota_places"]) == ("approved", 2, 5)
    assert (decided["decided_by"], decided["decision_reason"]) == (people["province"].username, "先增加 2 个")
    quota.refresh_from_db()
    assert quota.places == 5
    message = Notification.objects.get(recipient=people["xiehe_office"], kind="quota_increase.approved")
    assert "批准增加 2 个" in message.body and "现招收计划 5 个" in message.body


def test_approval_without_places_grants_what_was_asked(api, quotas, people):
    increase = _request(people, quotas["xiehe"], places=3)
    approved = api(people["province"]).post(_url("api-quota-increase-approve", increase), {}, format="json")
    assert approved.status_code == 200 and approved.json()["granted_places"] == 3
    quotas["xiehe"].refresh_from_db()
    assert quotas["xiehe"].places == 6


def test_approval_beyond_capacity_is_a_409_with_the_room_left(api, quotas, people):
    first = _request(people, quotas["xiehe"], places=5)
    second = _request(people, quotas["xiehe"], places=5)
    province = api(people["province"])
    assert province.post(_url("api-quota-increase-approve", first), {}, format="json").status_code == 200
    refused = province.post(_url("api-quota-increase-approve", second), {}, format="json")
    assert refused.status_code == 409
    assert "容量 10" in refused.json()["detail"] and "最多还可增加 2 个" in refused.json()["detail"]
    quotas["xiehe"].refresh_from_db()
    second.refresh_from_db()
    assert quotas["xiehe"].places == 8 and second.status == QuotaIncreaseStatus.PENDING


def test_rejecting_needs_a_reason(api, quotas, people):
    increase = _request(people, quotas["xiehe"])
    province = api(people["province"])
    url = _url("api-quota-increase-reject", increase)
    for body in ({}, {"reason": ""}, {"reason": "   "}):
        missing = province.post(url, body, format="json")
        assert missing.status_code == 400 and missing.json()["reason"] == ["不予批准时请填写理由。"]
    increase.refresh_from_db()
    assert increase.status == QuotaIncreaseStatus.PENDING
    rejected = province.post(url, {"reason": "容量核定中"}, format="json")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert Notification.objects.filter(recipient=people["xiehe_office"], kind="quota_increase.rejected").exists()
    again = province.post(_url("api-quota-increase-approve", increase), {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"


def test_a_base_office_cannot_decide_its_own_request(api, quotas, people):
    increase = _request(people, quotas["xiehe"])
    office = api(people["xiehe_office"])
    assert office.post(_url("api-quota-increase-approve", increase), {"places": 4}, format="json").status_code == 403
    assert (
        office.post(_url("api-quota-increase-reject", increase), {"reason": "算了"}, format="json").status_code == 403
    )
    quotas["xiehe"].refresh_from_db()
    increase.refresh_from_db()
    assert quotas["xiehe"].places == 3 and increase.status == QuotaIncreaseStatus.PENDING


def test_only_the_requesting_base_withdraws(api, quotas, people):
    increase = _request(people, quotas["xiehe"])
    assert api(people["tongji_office"]).post(_url("api-quota-increase-withdraw", increase)).status_code in (403, 404)
    assert api(people["province"]).post(_url("api-quota-increase-withdraw", increase)).status_code == 403
    withdrawn = api(people["xiehe_office"]).post(_url("api-quota-increase-withdraw", increase))
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert api(people["xiehe_office"]).post(_url("api-quota-increase-withdraw", increase)).status_code == 409


def test_who_may_request_and_for_which_quota(api, quotas, people):
    body = {"quota": quotas["xiehe"].pk, "places": 2, "reason": "扩招"}
    assert api(people["province"]).post(reverse("api-quota-increases"), body, format="json").status_code == 403
    assert api(people["applicant"]).post(reverse("api-quota-increases"), body, format="json").status_code == 403
    other = api(people["tongji_office"]).post(reverse("api-quota-increases"), body, format="json")
    assert other.status_code == 400 and "不存在或不属于本基地" in other.json()["quota"][0]
    assert not QuotaIncrease.objects.exists()


def test_bad_request_input_names_the_fields(api, quotas, people):
    office = api(people["xiehe_office"])
    url = reverse("api-quota-increases")
    bad = office.post(url, {"quota": "协和", "places": "很多", "reason": ""}, format="json")
    assert bad.status_code == 400
    errors = bad.json()
    assert errors["quota"] == ["招收计划编号应为整数。"] and "places" in errors
    assert errors["reason"] == ["请填写申请理由。"]
    zero = office.post(url, {"quota": quotas["xiehe"].pk, "places": 0, "reason": "扩招"}, format="json")
    assert zero.status_code == 400 and zero.json()["places"] == ["申请增加的计划数至少为 1。"]
    too_many = office.post(url, {"quota": quotas["xiehe"].pk, "places": 8, "reason": "扩招"}, format="json")
    assert too_many.status_code == 409 and "最多还可申请增加 7 个" in too_many.json()["detail"]
    approve_bad = api(people["province"]).post(
        _url("api-quota-increase-approve", _request(people, quotas["xiehe"])), {"places": "两个"}, format="json"
    )
    assert approve_bad.status_code == 400 and "places" in approve_bad.json()
    assert not QuotaIncrease.objects.filter(status=QuotaIncreaseStatus.APPROVED).exists()


def test_lists_are_scoped_to_the_caller(api, world, quotas, people):
    xiehe = _request(people, quotas["xiehe"])
    tongji = _request(people, quotas["tongji"], office="tongji_office")
    changsha_office = factories.user(Role.BASE_OFFICE, training_base=world["changsha"])
    changsha = request_quota_increase(actor=changsha_office, quota=quotas["changsha"], places=1, reason="扩招")

    def ids(user, **params):
        response = api(user).get(reverse("api-quota-increases"), params)
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids(people["province"]) == {xiehe.pk, tongji.pk}
    assert ids(people["hunan_province"]) == {changsha.pk}
    assert ids(people["xiehe_office"]) == {xiehe.pk}
    assert ids(people["applicant"]) == set()
    hunan = api(people["hunan_province"])
    assert hunan.post(_url("api-quota-increase-approve", xiehe), {}, format="json").status_code in (403, 404)
    assert api(None).get(reverse("api-quota-increases")).status_code == 403


def test_list_filters_on_status(api, quotas, people):
    pending = _request(people, quotas["xiehe"])
    rejected = _request(people, quotas["tongji"], office="tongji_office")
    api(people["province"]).post(_url("api-quota-increase-reject", rejected), {"reason": "不符合条件"}, format="json")
    province = api(people["province"])
    rows = province.get(reverse("api-quota-increases"), {"status": "pending"}).json()["results"]
    assert [row["id"] for row in rows] == [pending.pk]
    rows = province.get(reverse("api-quota-increases"), {"status": "rejected"}).json()["results"]
    assert [(row["id"], row["decision_reason"]) for row in rows] == [(rejected.pk, "不符合条件")]
    assert province.get(reverse("api-quota-increases"), {"status": "maybe"}).status_code == 400


def test_my_plan_shows_the_callers_quotas_with_pending_requests(api, quotas, people):
    _request(people, quotas["xiehe"], places=1)
    _request(people, quotas["xiehe"], places=2)
    withdrawn = _request(people, quotas["tongji"], office="tongji_office")
    api(people["tongji_office"]).post(_url("api-quota-increase-withdraw", withdrawn))

    def plan(user):
        response = api(user).get(reverse("api-plan-mine"))
        assert response.status_code == 200
        return {
            row["training_base_name"]: (row["places"], row["pending_increases"]) for row in response.json()["results"]
        }

    assert plan(people["province"]) == {"协和医院": (3, 2), "同济医院": (4, 0)}
    assert plan(people["xiehe_office"]) == {"协和医院": (3, 2)}
    assert plan(people["xiehe_staff"]) == {"协和医院": (3, 2)}
    assert plan(people["hunan_province"]) == {"湘雅医院": (2, 0)}
    assert api(people["applicant"]).get(reverse("api-plan-mine")).status_code == 403
    assert api(people["employer"]).get(reverse("api-plan-mine")).status_code == 403


def _grow(world, people, count):
    """`count` more Xiehe specialty bases, each with a quota and two requests (one decided)."""
    start = SpecialtyBase.objects.count()
    bases = [factories.specialty_base(world["xiehe"], factories.specialty(f"9{start + n:03d}")) for n in range(count)]
    rows = Quota.objects.bulk_create(
        [Quota(campaign=world["hubei_campaign"], specialty_base=base, places=2, capacity=10) for base in bases]
    )
    office = people["xiehe_office"]
    QuotaIncrease.objects.bulk_create(
        [QuotaIncrease(quota=quota, requested_places=1, reason="扩招", requested_by=office) for quota in rows]
        + [
            QuotaIncrease(
                quota=quota,
                requested_places=2,
                reason="扩招",
                requested_by=office,
                status=QuotaIncreaseStatus.APPROVED,
                granted_places=1,
                decided_by=people["province"],
            )
            for quota in rows
        ]
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.json()["count"]


@pytest.mark.parametrize("url_name", ["api-quota-increases", "api-plan-mine"])
def test_list_queries_stay_flat_from_a_few_to_many_rows(api, world, people, url_name):
    client = api(people["province"])
    _grow(world, people, 3)
    small, few = _queries(client, reverse(url_name))
    _grow(world, people, 60)
    many, lots = _queries(client, reverse(url_name))
    assert lots > few and many == small
