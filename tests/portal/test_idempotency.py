"""`Idempotency-Key` on API writes: a retried request does its work once and gets the first answer;
a key reused for another request is refused; keys are the signed-in user's and last a day."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from admissions.models import EducationRecord
from portal.models import AuditEvent, IdempotentRequest
from portal.tasks import forget_expired_idempotency_keys
from tests.applicant_helpers import PDF, complete_applicant

pytestmark = pytest.mark.django_db

EDUCATION = {
    "school": "武汉大学",
    "major": "临床医学",
    "major_category": "clinical",
    "degree_level": 3,
    "graduation_date": "2029-06-30",
}


def signed_in(user):
    client = APIClient()
    client.force_login(user)
    return client


def add_education(client, key, body=EDUCATION):
    return client.post(reverse("api-my-educations"), body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def added(applicant):
    return EducationRecord.objects.filter(applicant=applicant, school="武汉大学").count()


def test_a_retry_with_the_same_key_does_the_work_once_and_returns_the_same_answer():
    me = complete_applicant()
    client = signed_in(me.user)
    first = add_education(client, "retry-1")
    events = AuditEvent.objects.count()
    again = add_education(client, "retry-1")
    assert first.status_code == again.status_code == 201
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert added(me) == 1 and AuditEvent.objects.count() == events
    # A new key is a new request.
    assert add_education(client, "retry-2").status_code == 201 and added(me) == 2


def test_a_refusal_is_replayed_as_well():
    me = complete_applicant()
    client = signed_in(me.user)
    bad = add_education(client, "bad-1", {**EDUCATION, "degree_level": 9})
    again = add_education(client, "bad-1", {**EDUCATION, "degree_level": 9})
    assert bad.status_code == again.status_code == 400 and again.json() == bad.json()
    assert again["Idempotent-Replayed"] == "true"


def test_the_same_key_with_another_body_or_path_is_refused_with_a_reason():
    me = complete_applicant()
    client = signed_in(me.user)
    add_education(client, "reused")
    other = add_education(client, "reused", {**EDUCATION, "school": "北京大学"})
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in other.json()["detail"]
    delete = client.delete(reverse("api-my-education", args=[me.educations.first().pk]), HTTP_IDEMPOTENCY_KEY="reused")
    assert delete.status_code == 422
    assert added(me) == 1 and not EducationRecord.objects.filter(school="北京大学").exists()


def test_a_key_is_forgotten_after_a_day():
    me = complete_applicant()
    client = signed_in(me.user)
    add_education(client, "daily")
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=24, minutes=1)):
        later = add_education(client, "daily")
    assert later.status_code == 201 and not later.has_header("Idempotent-Replayed")
    assert added(me) == 2 and IdempotentRequest.objects.filter(key="daily").count() == 1


def test_keys_belong_to_their_user():
    a, b = complete_applicant(1), complete_applicant(2)
    first = add_education(signed_in(a.user), "shared-key")
    second = add_education(signed_in(b.user), "shared-key")
    assert first.status_code == second.status_code == 201
    assert not second.has_header("Idempotent-Replayed") and second.json()["id"] != first.json()["id"]
    assert added(a) == added(b) == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "带中文的键", "has space"])
def test_a_malformed_key_is_refused_before_any_work(key):
    me = complete_applicant()
    response = add_education(signed_in(me.user), key)
    assert response.status_code == 400 and response.json()["code"] == "invalid_idempotency_key"
    assert added(me) == 0


def test_without_a_key_or_signed_out_nothing_changes():
    me = complete_applicant()
    client = signed_in(me.user)
    assert client.post(reverse("api-my-educations"), EDUCATION, format="json").status_code == 201
    assert client.post(reverse("api-my-educations"), EDUCATION, format="json").status_code == 201
    assert added(me) == 2 and not IdempotentRequest.objects.exists()
    anonymous = add_education(APIClient(), "anon")
    assert anonymous.status_code == 403 and not IdempotentRequest.objects.exists()


def test_a_forbidden_write_is_not_kept_so_a_retry_is_answered_afresh(people):
    client = signed_in(people["xiehe_office"])
    refused = add_education(client, "staff-1")
    assert refused.status_code == 403 and not IdempotentRequest.objects.exists()
    again = add_education(client, "staff-1")
    assert again.status_code == 403 and not again.has_header("Idempotent-Replayed")


def test_the_schema_documents_the_header():
    schema = APIClient().get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/me/educations/"]["post"]
    assert "Idempotency-Key" in [parameter["name"] for parameter in operation["parameters"]]
    assert "422" in operation["responses"]
    read = schema["paths"]["/api/v1/me/educations/"]["get"]
    assert "Idempotency-Key" not in [parameter["name"] for parameter in read.get("parameters", [])]


def test_an_upload_larger_than_a_body_held_in_memory_is_retried_once(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    me = complete_applicant()
    client = signed_in(me.user)
    scan = PDF + b"%" * 4096
    documents = me.documents.count()

    def upload(content):
        file = SimpleUploadedFile("diploma.pdf", content, content_type="application/pdf")
        return client.post(
            reverse("api-my-documents"),
            {"kind": "diploma", "file": file},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="scan",
        )

    first, again = upload(scan), upload(scan)
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and me.documents.count() == documents + 1
    assert upload(scan + b"%").status_code == 422 and me.documents.count() == documents + 1


def test_the_hourly_sweep_forgets_expired_keys_and_keeps_the_live_ones():
    me = complete_applicant()
    client = signed_in(me.user)
    add_education(client, "old-1")
    add_education(client, "old-2")
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=23)):
        add_education(client, "fresh")
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=24, minutes=1)):
        assert forget_expired_idempotency_keys() == 2
        assert forget_expired_idempotency_keys() == 0
        assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["fresh"]
        replay = add_education(client, "fresh")
    assert replay.has_header("Idempotent-Replayed") and added(me) == 3
