"""The admission notice is issued again, as a new version with a new verification code, when a fact
it prints changes (a later reporting date, the base's contact); the old version stays on record and
its code answers "superseded"; the same facts never make a second version."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from admissions.models import Admission, SupersededNotice
from admissions.services.admission import admit_due
from admissions.services.notices import notice_fingerprint
from admissions.services.publicity import confirm_offer
from admissions.services.reporting import allow_late_reporting
from admissions.tasks import reissue_admission_notices, store_admission_notice
from portal.models import AuditEvent, Notification
from tests.admissions.test_publicity_pages import at, build_round1, pdf_text

PUBLIC = "https://zhupei.example.gov.cn"


@pytest.fixture
def admitted(world, people, settings, private_files):
    """Wang, admitted on 05-13 with the notice (version 1) kept; reporting by 2026-09-01."""
    settings.SITE_URL = PUBLIC
    round1 = build_round1(world, people)
    wang = round1.applicants[0]
    with at(2026, 5, 6, 9):
        confirm_offer(actor=wang.user, assessment=round1.assessments[0], accept=True)
    with at(2026, 5, 13, 0, 30):
        assert admit_due() == 1
    admission = Admission.objects.get()
    store_admission_notice(admission.pk)
    admission.refresh_from_db()
    return admission


def _verify_page(client, admission, code):
    page = client.get(reverse("admission-verify"), {"notice": admission.notice_number, "code": code}).content.decode()
    return page.split('data-testid="verify-result"', 1)[1].split("</section>", 1)[0]


def _verify_api(client, admission, code):
    return client.get(reverse("api-admission-verify"), {"notice_number": admission.notice_number, "code": code}).json()


def _download(client, admission):
    client.force_login(admission.assessment.application.applicant.user)
    # Asked for on localhost: the link printed is the public address all the same.
    response = client.get(reverse("admission-notice", args=[admission.pk]), HTTP_HOST="localhost")
    client.logout()
    assert response.status_code == 200
    return pdf_text(response.content)


def _assert_reissued(client, admission, old):
    """`admission` (refreshed) is version 2 with a new code; version 1 (`old`: code, file name,
    bytes) is on record and answers "superseded"."""
    assert admission.notice_version == 2 and admission.verification_code != old["code"]
    record = SupersededNotice.objects.get(admission=admission)
    assert (record.version, record.verification_code) == (1, old["code"])
    assert record.file.name == old["file"] != admission.notice_file.name
    assert record.file.read() == old["bytes"], "the old PDF is kept as it was issued"

    superseded = _verify_page(client, admission, old["code"])
    # The page gives Beijing time's day: from 16:00 UTC on it is already the next day.
    when = timezone.localtime(record.superseded_at)
    day = f"{when:%Y}年{when.month}月{when.day}日"
    assert "已被新版本取代" in superseded and day in superseded and "核验通过" not in superseded
    assert "核验通过" in _verify_page(client, admission, admission.verification_code.lower())
    old_answer = _verify_api(client, admission, old["code"])
    assert old_answer["valid"] is False and old_answer["superseded_at"]
    new_answer = _verify_api(client, admission, admission.verification_code)
    assert new_answer["valid"] is True and "superseded_at" not in new_answer

    assert AuditEvent.objects.filter(action="admission.notice_reissued").count() == 1
    message = Notification.objects.get(kind="admission.notice_reissued")
    assert message.recipient == admission.assessment.application.applicant.user
    assert f"{PUBLIC}/me/offers/" in message.body


def _version_1(admission):
    return {
        "code": admission.verification_code,
        "file": admission.notice_file.name,
        "bytes": admission.notice_file.read(),
    }


def test_a_later_reporting_date_issues_a_new_notice_and_the_old_code_answers_superseded(
    client, admitted, people, django_capture_on_commit_callbacks
):
    old = _version_1(admitted)
    assert "2026年9月1日" in pdf_text(old["bytes"])
    with at(2026, 8, 20, 10), django_capture_on_commit_callbacks(execute=True):
        allow_late_reporting(
            actor=people["xiehe_office"], admission=admitted, until=datetime.date(2026, 9, 15), reason="住院治疗"
        )
    admitted.refresh_from_db()
    _assert_reissued(client, admitted, old)
    assert "2026年8月20日" in _verify_page(client, admitted, old["code"])

    text = _download(client, admitted)
    assert admitted.verification_code in text and old["code"] not in text
    assert "请于2026年9月15日前" in text and "经培训基地同意延期报到" in text and "第2版" in text
    assert f"{PUBLIC}/verify/?notice={admitted.notice_number}" in text and "localhost" not in text

    # The same facts again (the task delivered twice, the same date allowed again): nothing new.
    with at(2026, 8, 21, 10), django_capture_on_commit_callbacks(execute=True):
        store_admission_notice(admitted.pk)
        allow_late_reporting(
            actor=people["xiehe_office"], admission=admitted, until=datetime.date(2026, 9, 15), reason="住院治疗"
        )
    assert reissue_admission_notices.apply().get() == 0
    admitted.refresh_from_db()
    assert admitted.notice_version == 2 and SupersededNotice.objects.count() == 1
    assert AuditEvent.objects.filter(action="admission.notice_reissued").count() == 1


def test_a_changed_base_contact_issues_a_new_notice_at_the_next_sweep(
    client, admitted, world, django_capture_on_commit_callbacks
):
    old = _version_1(admitted)
    assert reissue_admission_notices.apply().get() == 0, "nothing printed has changed"
    xiehe = world["xiehe"]
    xiehe.contact_person, xiehe.phone_numbers = "张老师", "027-85726999"
    xiehe.save()  # as the admin saves it: no service of the notice is told
    with django_capture_on_commit_callbacks(execute=True):
        assert reissue_admission_notices.apply().get() == 1
    admitted.refresh_from_db()
    _assert_reissued(client, admitted, old)

    text = _download(client, admitted)
    assert "联系人：张老师" in text and "027-85726999" in text and admitted.verification_code in text

    with django_capture_on_commit_callbacks(execute=True):
        assert reissue_admission_notices.apply().get() == 0
    store_admission_notice(admitted.pk)
    assert SupersededNotice.objects.count() == 1


def test_a_notice_kept_before_versions_is_version_1_with_what_it_printed(admitted, people):
    migration = importlib.import_module("admissions.migrations.0013_notice_versions")
    Admission.objects.update(notice_fingerprint="")
    migration.kept_notices_are_version_1(apps, None)
    admitted.refresh_from_db()
    assert admitted.notice_version == 1 and admitted.notice_fingerprint == notice_fingerprint(admitted)

    # The old template printed the campaign's date: a resident allowed a later one gets a new notice.
    with at(2026, 8, 20, 10):
        allow_late_reporting(
            actor=people["xiehe_office"], admission=admitted, until=datetime.date(2026, 9, 15), reason="住院治疗"
        )
    Admission.objects.update(notice_fingerprint="")
    migration.kept_notices_are_version_1(apps, None)
    assert reissue_admission_notices.apply().get() == 1
