"""20 identical API writes with one Idempotency-Key at the same moment, on PostgreSQL: the first
holds the key's row until it has its answer; the others wait for it and replay that answer."""

import copy

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from admissions.models import EducationRecord
from portal.models import AuditEvent, IdempotentRequest
from tests.applicant_helpers import complete_applicant
from tests.concurrency import run_together

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are checked on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

REQUESTS = 20
ATTEMPTS = 3
EDUCATION = {
    "school": "武汉大学",
    "major": "临床医学",
    "major_category": "clinical",
    "degree_level": 3,
    "graduation_date": "2029-06-30",
}


def test_20_identical_requests_with_one_key_add_one_record_and_all_get_its_answer():
    me = complete_applicant()
    signed_in = APIClient()
    signed_in.force_login(me.user)

    for attempt in range(ATTEMPTS):
        key = f"mobile-retry-{attempt}"
        events = AuditEvent.objects.filter(action="applicant.education.add").count()
        answers, errors = [], []

        def send(_n, key=key, answers=answers, errors=errors):
            client = APIClient()
            client.cookies = copy.deepcopy(signed_in.cookies)
            try:
                response = client.post(reverse("api-my-educations"), EDUCATION, format="json", HTTP_IDEMPOTENCY_KEY=key)
                answers.append((response.status_code, response.content, response.has_header("Idempotent-Replayed")))
            except Exception as error:
                errors.append(error)

        run_together(range(REQUESTS), send)

        assert errors == [], attempt
        assert {(status, body) for status, body, _replayed in answers} == {answers[0][:2]}, attempt
        assert answers[0][0] == 201, attempt
        assert sorted(replayed for *_answer, replayed in answers) == [False] + [True] * (REQUESTS - 1), attempt
        assert EducationRecord.objects.filter(applicant=me, school="武汉大学").count() == attempt + 1, attempt
        assert AuditEvent.objects.filter(action="applicant.education.add").count() == events + 1, attempt
        assert IdempotentRequest.objects.get(key=key).status == 201, attempt
