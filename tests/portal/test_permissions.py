import pytest

from bases.models import Quota, SpecialtyBase, TrainingBase
from bases.services.quotas import do_set_quota
from policy.models import Campaign
from portal.models import Notification
from portal.notifications import notify
from portal.permissions import CHANGE, VIEW, may, visible


@pytest.fixture
def quotas(world):
    return {
        name: do_set_quota(
            actor=None, campaign=world[f"{prov}_campaign"], specialty_base=world[f"{name}_internal"], places=5
        )
        for name, prov in [("xiehe", "hubei"), ("tongji", "hubei"), ("changsha", "hunan")]
    }


def test_a_base_office_sees_and_changes_its_own_base_only(world, people, quotas):
    office = people["xiehe_office"]
    for obj in (world["xiehe"], world["xiehe_internal"], quotas["xiehe"]):
        assert may(office, VIEW, obj) and may(office, CHANGE, obj)
    for obj in (world["tongji"], world["tongji_internal"], quotas["tongji"], world["changsha"]):
        assert not may(office, VIEW, obj)
        assert not may(office, CHANGE, obj)


def test_a_base_office_reads_but_cannot_change_its_provinces_campaign(world, people):
    office = people["xiehe_office"]
    assert may(office, VIEW, world["hubei_campaign"])
    assert not may(office, CHANGE, world["hubei_campaign"])
    assert not may(office, VIEW, world["hunan_campaign"])


def test_a_province_cannot_see_another_province(world, people, quotas):
    hubei, hunan = people["province"], people["hunan_province"]
    for obj in (world["xiehe"], world["tongji_internal"], quotas["tongji"], world["hubei_campaign"]):
        assert may(hubei, CHANGE, obj)
        assert not may(hunan, VIEW, obj)
    assert may(hunan, CHANGE, quotas["changsha"])
    assert not may(hubei, VIEW, quotas["changsha"])
    assert not may(hubei, VIEW, world["hunan"])


def test_specialty_base_staff_change_only_their_specialty_base(world, people, quotas):
    staff = people["xiehe_staff"]
    assert may(staff, CHANGE, world["xiehe_internal"]) and may(staff, CHANGE, quotas["xiehe"])
    assert may(staff, VIEW, world["xiehe"]) and not may(staff, CHANGE, world["xiehe"])
    assert not may(staff, VIEW, world["tongji_internal"])


def test_applicants_and_employers_reach_no_staff_objects(world, people, quotas):
    for who in ("applicant", "employer"):
        for obj in (world["xiehe_internal"], quotas["xiehe"], world["xiehe"]):
            assert not may(people[who], VIEW, obj)
    assert may(people["employer"], VIEW, world["hubei_campaign"])
    assert not may(people["employer"], CHANGE, world["hubei_campaign"])


def test_an_applicant_reads_its_own_messages_only(people):
    mine = notify(recipient=people["applicant"], kind="test", subject="资格审核结果", body="通过")
    assert may(people["applicant"], CHANGE, mine)
    assert not may(people["other_applicant"], VIEW, mine)
    assert not may(people["xiehe_office"], VIEW, mine)
    assert list(visible(people["other_applicant"], Notification.objects.all())) == []


def test_anonymous_and_inactive_users_get_nothing(world, people, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not may(AnonymousUser(), VIEW, world["xiehe"])
    office = people["xiehe_office"]
    office.is_active = False
    assert not may(office, VIEW, world["xiehe"])
    assert not visible(office, TrainingBase.objects.all()).exists()


@pytest.mark.parametrize("model", [TrainingBase, SpecialtyBase, Quota, Campaign])
@pytest.mark.parametrize("action", [VIEW, CHANGE])
def test_list_filter_and_object_check_agree_for_every_user(world, people, quotas, model, action):
    rows = list(model.objects.all())
    for user in people.values():
        expected = {row.pk for row in rows if may(user, action, row)}
        assert set(visible(user, model.objects.all(), action).values_list("pk", flat=True)) == expected, user
