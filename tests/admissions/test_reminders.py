"""Reminder sweeps with a frozen clock: each reminder goes out on its day, not the day before,
and a second run sends nothing more."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, transaction

from admissions.models import Admission
from admissions.services.admission import admit_due
from admissions.services.applicants import register_applicant
from admissions.services.choices import submit_choice
from admissions.services.publicity import confirm_offer
from admissions.services.reminders import (
    acceptance_reminders,
    agreement_reminders,
    reporting_reminders,
    window_reminders,
)
from admissions.services.reporting import record_agreement, record_reporting
from admissions.tasks import send_reminders
from bases.services.quotas import do_set_quota
from portal.models import Notification
from portal.notifications import notify_once
from tests.applicant_helpers import complete_applicant
from tests.round_helpers import at, proposed_in_round1


def kinds(user):
    return sorted(
        Notification.objects.filter(recipient=user, kind__contains="_reminder").values_list("kind", flat=True)
    )


def sent(kind, **filters):
    return Notification.objects.filter(kind=kind, **filters).count()


@pytest.fixture
def proposed(world, people):
    """One candidate on Xiehe's proposed-admission list of round 1 (public until 12 May 2026)."""
    return proposed_in_round1(world, people)


@pytest.fixture
def admitted(proposed):
    with at(2026, 5, 6, 9):
        confirm_offer(actor=proposed.application.applicant.user, assessment=proposed, accept=True)
    with at(2026, 5, 13, 9):
        assert admit_due() == 1
    return Admission.objects.get()


def test_the_same_key_twice_makes_one_message_and_one_email(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify_once(recipient=people["applicant"], key="k:1", kind="x", subject="报到提醒", body="请按时报到")
        second = notify_once(recipient=people["applicant"], key="k:1", kind="x", subject="报到提醒", body="请按时报到")
    assert first is not None and second is None
    assert Notification.objects.filter(dedupe_key="k:1").count() == 1
    assert [m.subject for m in mail.outbox] == ["报到提醒"]


def test_window_reminders_go_to_complete_profiles_without_a_choice(world):
    do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=world["xiehe_internal"], places=2)
    chosen, waiting = complete_applicant(1), complete_applicant(2)
    incomplete = register_applicant(login="13900000001", password="Residency-2026!", full_name="未完善")
    with at(2026, 4, 7, 23, 59):
        assert window_reminders() == 0  # the window opens on 8 April
    with at(2026, 4, 8, 8):
        submit_choice(
            actor=chosen.user,
            applicant=chosen,
            campaign=world["hubei_campaign"],
            specialty_base=world["xiehe_internal"],
        )
        # Hubei: only the applicant without a choice; Hunan opens the same day and has no choice from either.
        assert window_reminders() == 3
        assert window_reminders() == 0
    hubei = Notification.objects.filter(
        kind="window.open", dedupe_key__startswith=f"window-open:{world['hubei_campaign'].pk}:1:"
    )
    assert list(hubei.values_list("recipient", flat=True)) == [waiting.user_id]
    assert "湖北省招录第1批次志愿填报已开始" in hubei.get().subject
    assert sent("window.open", recipient=chosen.user) == 1  # Hunan's only
    assert not Notification.objects.filter(recipient=incomplete.user).exists()

    with at(2026, 4, 21, 23, 59):
        assert window_reminders() == 0  # round 1 closes at 24:00 on 23 April
    with at(2026, 4, 22, 9):
        assert window_reminders() == 3
        assert window_reminders() == 0
    with at(2026, 4, 23, 9):
        assert window_reminders() == 0  # the closing reminder went out yesterday
    assert sent("window.close", recipient=waiting.user) == 2
    assert sent("window.close", recipient=chosen.user) == 1  # Hunan's only


def test_acceptance_reminder_two_days_before_the_list_ends(proposed):
    user = proposed.application.applicant.user
    with at(2026, 5, 9, 23, 59):
        assert acceptance_reminders() == 0
    with at(2026, 5, 10, 0, 0):
        assert acceptance_reminders() == 1
        assert acceptance_reminders() == 0
    with at(2026, 5, 11, 9):
        assert acceptance_reminders() == 0
    assert sent("publicity.acceptance_needed", recipient=user) == 1


def test_nobody_who_has_accepted_is_reminded(proposed):
    with at(2026, 5, 6, 9):
        confirm_offer(actor=proposed.application.applicant.user, assessment=proposed, accept=True)
    with at(2026, 5, 10, 9):
        assert acceptance_reminders() == 0


def test_reporting_reminders_seven_days_and_one_day_before(admitted):
    user = admitted.assessment.application.applicant.user
    # Reporting by 1 September 2026.
    with at(2026, 8, 24, 23, 59):
        assert reporting_reminders() == 0
    with at(2026, 8, 25, 9):
        assert reporting_reminders() == 1
        assert reporting_reminders() == 0
    with at(2026, 8, 30, 9):
        assert reporting_reminders() == 0
    with at(2026, 8, 31, 9):
        assert send_reminders.apply().get()["reporting_reminders"] == 1
        assert send_reminders.apply().get()["reporting_reminders"] == 0  # the task delivered twice
    with at(2026, 9, 1, 9):
        assert reporting_reminders() == 0
    assert kinds(user) == ["admission.reporting_reminder"] * 2


def test_the_reminder_mail_links_to_the_public_address(admitted, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://zhupei.example.gov.cn"
    user = admitted.assessment.application.applicant.user
    user.email = "resident@example.com"
    user.save()
    with at(2026, 8, 25, 9), django_capture_on_commit_callbacks(execute=True):
        assert reporting_reminders() == 1
    [message] = [m for m in mail.outbox if m.subject.startswith("报到提醒")]
    assert "https://zhupei.example.gov.cn/me/offers/" in message.body
    assert "localhost" not in message.body and "testserver" not in message.body


def test_no_reporting_reminder_once_reported(admitted, people):
    with at(2026, 8, 20, 9):
        record_reporting(actor=people["xiehe_office"], admission=admitted, reported_on=datetime.date(2026, 8, 20))
    with at(2026, 8, 25, 9):
        assert reporting_reminders() == 0


def test_agreement_reminder_to_the_base_office_after_seven_days(admitted, people):
    office = people["xiehe_office"]
    with at(2026, 8, 28, 9):
        record_reporting(actor=office, admission=admitted, reported_on=datetime.date(2026, 8, 28))
    with at(2026, 9, 4, 23, 59):
        assert agreement_reminders() == 0  # due by 4 September
    with at(2026, 9, 5, 9):
        assert agreement_reminders() == 1
        assert agreement_reminders() == 0
    reminder = Notification.objects.get(kind="admission.agreement_reminder")
    assert reminder.recipient == office and "劳动合同" in reminder.body
    assert not Notification.objects.filter(kind="admission.agreement_reminder", recipient=people["tongji_office"])


def test_no_agreement_reminder_once_signed(admitted, people):
    office = people["xiehe_office"]
    with at(2026, 8, 28, 9):
        record_reporting(actor=office, admission=admitted, reported_on=datetime.date(2026, 8, 28))
        record_agreement(actor=office, admission=admitted, signed_on=datetime.date(2026, 8, 28))
    with at(2026, 9, 5, 9):
        assert agreement_reminders() == 0


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent inserts are checked on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_with_one_key_send_once(people):
    """Eight transactions pass the look-up together; the unique key lets one insert win, the others
    fail in their savepoint and go on with their own transaction."""
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    results, errors = [], []

    def run():
        try:
            with transaction.atomic():
                barrier.wait()
                results.append(
                    notify_once(recipient=people["applicant"], key="race", kind="x", subject="只发一次", body="")
                )
                Notification.objects.count()  # the outer transaction is still usable
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(result is not None for result in results) == 1
    assert Notification.objects.filter(dedupe_key="race").count() == 1
    assert [m.subject for m in mail.outbox] == ["只发一次"]
