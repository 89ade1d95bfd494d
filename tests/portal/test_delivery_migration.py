"""portal 0008 turns each notification's sent markers into Delivery rows: an e-mailed or texted
copy is sent, the rest queued (for the resend sweep), the SMS attempts and error kept."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("portal", "0007_form_drafts")]
AFTER = [("portal", "0008_deliveries")]


@pytest.mark.django_db(transaction=True)
def test_the_old_markers_become_deliveries():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor = MigrationExecutor(connection)
    # every app as migrated now (the admissions app's applicants too), portal at 0007
    old = executor._create_project_state(with_applied_migrations=True).apps
    User = old.get_model("portal", "User")
    Notification = old.get_model("portal", "Notification")
    Applicant = old.get_model("admissions", "Applicant")
    texted_person = User.objects.create(username="texted", email="t@example.org", role="applicant")
    Applicant.objects.create(user=texted_person, full_name="李明", mobile="13912345678")
    mail_only = User.objects.create(username="mail-only", email="o@example.org", role="applicant")
    nowhere = User.objects.create(username="nowhere", email="", role="applicant")
    sent = timezone.now() - datetime.timedelta(days=1)
    both = Notification.objects.create(
        recipient=texted_person, kind="x", subject="a", body="", emailed_at=sent, texted_at=sent, attempts=2
    )
    pending = Notification.objects.create(
        recipient=texted_person, kind="x", subject="b", body="", attempts=3, last_error="SMSError: busy"
    )
    mailed = Notification.objects.create(recipient=mail_only, kind="x", subject="c", body="", emailed_at=sent)
    Notification.objects.create(recipient=nowhere, kind="x", subject="d", body="")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to where every app was
    Delivery = executor.loader.project_state(AFTER).apps.get_model("portal", "Delivery")
    rows = {
        (d.notification_id, d.channel): (d.status, d.attempts, d.last_error, d.sent_at) for d in Delivery.objects.all()
    }
    assert rows == {
        (both.pk, "email"): ("sent", 1, "", sent),
        (both.pk, "sms"): ("sent", 2, "", sent),
        (pending.pk, "email"): ("queued", 0, "", None),
        (pending.pk, "sms"): ("queued", 3, "SMSError: busy", None),
        (mailed.pk, "email"): ("sent", 1, "", sent),
    }
    assert Delivery.objects.get(notification_id=pending.pk, channel="sms").queued_at == pending.created_at
