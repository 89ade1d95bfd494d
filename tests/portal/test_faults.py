"""Faults a user must not notice: with the broker (Redis) down the site serves its pages, saves
changes and keeps its deadlines, and the messages those changes owe go out once it is back; a
database constraint that refuses what a service's check let through is a clear 409, never a 500."""

import datetime
import logging
import socket
import zoneinfo
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from admissions.models import Application, ApplicationStatus, Assessment, Stage
from admissions.services.publicity import confirm_offer
from bases.models import Quota
from bases.services.quotas import do_set_quota, request_quota_increase
from portal import sms
from portal.celery import app
from portal.models import Notification
from portal.notifications import notify
from portal.tasks import resend_unsent_notifications
from tests import factories
from tests.admissions.test_publicity_pages import build_round1
from tests.applicant_helpers import complete_applicant

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
ROUND1 = datetime.datetime(2026, 4, 10, 9, tzinfo=SHANGHAI)
CONFLICT = "同一时间有其他操作修改了相同的数据"


def at(moment):
    return time_machine.travel(moment, tick=False)


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def broker_down():
    """Celery configured for a Redis broker that refuses connections, as in production with Redis
    stopped: tasks are sent, not run in-process. The environment variable wins over the settings
    in Celery, so both are set; the connection pools are dropped so no open connection is reused.
    Its `undo()` brings the broker back."""
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CELERY_BROKER_URL", url)
        patch.setattr(settings, "CELERY_BROKER_URL", url)
        patch.setattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
        patch.setattr(app, "_pool", None)
        patch.setattr(app.amqp, "_producer_pool", None)
        yield patch


@pytest.fixture
def sms_outbox(monkeypatch):
    monkeypatch.setattr(settings, "SMS_BACKEND", "portal.sms.LocMemBackend")
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def plan(world):
    surgery = factories.specialty_base(world["xiehe"], factories.specialty("0900", "外科"), capacity=8)
    quotas = {
        key: do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=base, places=3)
        for key, base in (("internal", world["xiehe_internal"]), ("surgery", surgery))
    }
    return {"internal": world["xiehe_internal"], "surgery": surgery, "quotas": quotas}


def _messages(response):
    return [str(message) for message in response.context["messages"]]


# The broker is down


@pytest.fixture
def cache_down(settings):
    """The shared cache (sign-in limits, rendered PDFs) on the same Redis, down too."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/1",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.mark.timeout(120)
def test_pages_are_served_with_redis_down(broker_down, cache_down, client, world, people):
    round1 = build_round1(world, people)
    applicant = round1.applicants[0]
    pages = [
        (None, reverse("home")),
        (None, reverse("directory")),
        (None, reverse("plan-table")),
        (None, reverse("publicity-public", args=[round1.publicity.pk])),
        (None, reverse("publicity-pdf", args=[round1.publicity.pk])),
        (applicant.user, reverse("applicant-home")),
        (applicant.user, reverse("applicant-choose")),
        (applicant.user, reverse("applicant-status")),
        (applicant.user, reverse("offers")),
        (applicant.user, reverse("notifications")),
        (people["xiehe_office"], reverse("workspace")),
        (people["xiehe_office"], reverse("round-candidates", args=[1])),
        (people["province"], reverse("province-dashboard")),
    ]
    with at(datetime.datetime(2026, 5, 6, 9, tzinfo=SHANGHAI)):
        for user, url in pages:
            client.logout()
            if user is not None:
                client.force_login(user)
            assert client.get(url, follow=True).status_code == 200, url
        client.logout()
        login = {"username": people["province"].username, "password": "Correct-horse-9"}
        signed_in = client.post(reverse("login"), login)
    assert signed_in.status_code == 302, "sign-in limits fail open"


@pytest.mark.timeout(60)
def test_a_choice_is_saved_with_redis_down_and_its_messages_go_out_once_it_is_back(
    broker_down, cache_down, client, plan, sms_outbox, caplog, django_capture_on_commit_callbacks
):
    applicant = complete_applicant()
    applicant.user.email = "shenqingren@example.org"
    applicant.user.save(update_fields=["email"])
    client.force_login(applicant.user)
    with (
        at(ROUND1),
        caplog.at_level(logging.WARNING, logger="portal.queueing"),
        django_capture_on_commit_callbacks(execute=True) as queued,
    ):
        response = client.post(reverse("applicant-choose"), {"quota": plan["quotas"]["internal"].pk}, follow=True)
    assert response.status_code == 200
    assert any("已填报志愿" in message for message in _messages(response))
    assert (
        Application.objects.get(applicant=applicant, status=ApplicationStatus.ACTIVE).specialty_base == plan["internal"]
    )
    assert len(queued) == 2, "an e-mail and a text message were due"
    notification = Notification.objects.get(recipient=applicant.user)
    assert sorted(notification.deliveries.values_list("channel", "status")) == [
        ("email", "queued"),
        ("sms", "queued"),
    ], "kept, not sent"
    warnings = [record.getMessage() for record in caplog.records if record.name == "portal.queueing"]
    assert len(warnings) == 2 and all("not queued" in line for line in warnings)
    assert not any(
        secret in line for line in warnings for secret in (applicant.mobile, applicant.full_name, "shenqingren")
    ), "no personal data in the log"

    broker_down.undo()  # the broker is back (here: tasks run in-process, as in the default setup)
    with at(ROUND1 + datetime.timedelta(minutes=5)):
        assert resend_unsent_notifications() == (0, 0), "not yet: its own task may still be on the way"
    with at(ROUND1 + datetime.timedelta(minutes=15)):
        assert resend_unsent_notifications() == (1, 1)
        assert resend_unsent_notifications() == (0, 0)
    assert [message.subject for message in mail.outbox] == ["志愿填报成功"]
    assert [message.text for message in sms_outbox] == ["志愿填报成功"]


def test_the_resend_sweep_skips_what_cannot_or_need_not_be_sent(people, sms_outbox):
    office = people["xiehe_office"]
    no_address = people["applicant"]
    no_address.email = ""  # and no mobile: nothing to send
    no_address.save(update_fields=["email"])
    with at(ROUND1 - datetime.timedelta(days=3)):
        notify(recipient=office, kind="x", subject="三天前", body="")
    with at(ROUND1 - datetime.timedelta(hours=1)):
        notify(recipient=no_address, kind="x", subject="无地址", body="")
        due = notify(recipient=office, kind="x", subject="一小时前", body="")
    with at(ROUND1):
        notify(recipient=office, kind="x", subject="刚刚", body="")
        assert resend_unsent_notifications() == (1, 0)
    assert [message.subject for message in mail.outbox] == ["一小时前"] and sms_outbox == []
    assert due.deliveries.get().status == "sent"


def test_deadlines_hold_with_redis_down(
    broker_down, cache_down, client, world, people, django_capture_on_commit_callbacks
):
    round1 = build_round1(world, people)
    wang = round1.applicants[0]
    with at(datetime.datetime(2026, 5, 6, 9, tzinfo=SHANGHAI)), django_capture_on_commit_callbacks(execute=True):
        confirm_offer(actor=wang.user, assessment=round1.assessments[0], accept=True)
    client.force_login(wang.user)
    with at(datetime.datetime(2026, 5, 13, 0, 0, tzinfo=SHANGHAI)):
        page = client.get(reverse("offers")).content.decode()
        late = client.post(
            reverse("offer-confirm", args=[round1.assessments[0].pk]),
            {"decision": "decline", "confirm_decline": "1"},
            follow=True,
        )
    assert 'data-testid="stage">已录取<' in page, "admitted by the clock: the sweep never ran"
    assert any("公示期已结束" in message for message in _messages(late))
    assert Assessment.objects.get(pk=round1.assessments[0].pk).stage == Stage.PROPOSED

    latecomer = complete_applicant(7)
    client.force_login(latecomer.user)
    quota = Quota.objects.get(campaign=round1.campaign, specialty_base=world["xiehe_internal"])
    with at(datetime.datetime(2026, 4, 24, 0, 0, tzinfo=SHANGHAI)):
        response = client.post(reverse("applicant-choose"), {"quota": quota.pk}, follow=True)
    assert response.status_code == 200
    assert any("现在不在志愿填报时间内" in message for message in _messages(response))
    assert not Application.objects.filter(applicant=latecomer).exists()


# A constraint refuses what a check let through


@pytest.fixture
def check_missed(monkeypatch):
    """The choice service's look-up for the current choice misses the one a concurrent request has
    just inserted, so the insert meets the one-active-choice constraint."""
    stand_in = SimpleNamespace(
        objects=SimpleNamespace(filter=lambda **kwargs: Application.objects.none(), create=Application.objects.create)
    )
    monkeypatch.setattr("admissions.services.choices.Application", stand_in)


def test_a_second_active_choice_is_a_409_in_the_users_language(api, plan, check_missed):
    applicant = complete_applicant()
    Application.objects.create(
        applicant=applicant, campaign=plan["quotas"]["surgery"].campaign, round=1, specialty_base=plan["surgery"]
    )
    client = api(applicant.user)
    url = reverse("api-my-applications")
    with at(ROUND1):
        chinese = client.post(url, {"specialty_base": plan["internal"].pk}, format="json")
        english = client.post(url, {"specialty_base": plan["internal"].pk}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert chinese.status_code == english.status_code == 409
    assert chinese.json()["code"] == "conflict" and CONFLICT in chinese.json()["detail"]
    assert english.json()["detail"].startswith("Someone else changed the same data at the same time")
    assert list(Application.objects.filter(applicant=applicant).values_list("specialty_base", flat=True)) == [
        plan["surgery"].pk
    ]


def test_a_second_active_choice_on_the_page_is_a_message(client, plan, check_missed):
    applicant = complete_applicant()
    Application.objects.create(
        applicant=applicant, campaign=plan["quotas"]["surgery"].campaign, round=1, specialty_base=plan["surgery"]
    )
    client.force_login(applicant.user)
    with at(ROUND1):
        response = client.post(reverse("applicant-choose"), {"quota": plan["quotas"]["internal"].pk})
        page = client.get(response.url)
    assert response.status_code == 302
    assert any(CONFLICT in message for message in _messages(page))
    assert Application.objects.filter(applicant=applicant).count() == 1


def test_places_past_capacity_are_a_409_even_if_the_check_is_missed(api, people, plan, monkeypatch):
    quota = plan["quotas"]["internal"]  # 3 places of 10
    increase = request_quota_increase(actor=people["xiehe_office"], quota=quota, places=7, reason="新增床位")
    Quota.objects.filter(pk=quota.pk).update(capacity=5)  # the accreditation shrank meanwhile
    monkeypatch.setattr("bases.services.quotas._room", lambda quota: 10**6)
    response = api(people["province"]).post(
        reverse("api-quota-increase-approve", args=[increase.pk]), {"places": 7}, format="json"
    )
    assert response.status_code == 409 and CONFLICT in response.json()["detail"]
    quota.refresh_from_db()
    assert quota.places == 3
