"""The applicant's pages: registration, profile, education, documents, choosing and the history."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from admissions.models import Applicant, ApplicantDocument, Application, ApplicationStatus, EducationRecord
from admissions.services.choices import submit_choice
from bases.models import Quota
from bases.services.brochures import (
    approve_brochure,
    publish_brochure,
    save_brochure_draft,
    start_brochure_draft,
    submit_brochure,
)
from bases.services.quotas import do_set_quota
from policy.identity import make_resident_id
from portal.models import Role, User
from portal.uploads import MAX_DOCUMENT_BYTES
from tests import factories
from tests.applicant_helpers import PDF, PNG, complete_applicant
from tests.brochure_helpers import complete_sections

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
ROUND1 = datetime.datetime(2026, 4, 10, 9, tzinfo=SHANGHAI)
BETWEEN_ROUNDS = datetime.datetime(2026, 5, 10, 9, tzinfo=SHANGHAI)
PASSWORD = "Residency-2026!"


@pytest.fixture(autouse=True)
def private_media(private_files):
    """Uploaded files go to the test's own folder (see tests/conftest.py)."""
    private_files.mkdir(parents=True, exist_ok=True)
    return private_files


def stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.fixture
def plan(world):
    surgery = factories.specialty_base(world["xiehe"], factories.specialty("0900", "外科"), capacity=8)
    gp = factories.specialty_base(world["tongji"], factories.specialty("0700", "全科"), capacity=8)
    bases = {"internal": world["xiehe_internal"], "surgery": surgery, "gp": gp}
    quotas = {
        key: do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=base, places=3)
        for key, base in bases.items()
    }
    return {**bases, "quotas": quotas, "campaign": world["hubei_campaign"]}


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def logged_in(client, applicant):
    client.force_login(applicant.user)
    return client


def choose(applicant, plan, which, at=ROUND1):
    with time_machine.travel(at, tick=False):
        return submit_choice(
            actor=applicant.user, applicant=applicant, campaign=plan["campaign"], specialty_base=plan[which]
        ).application


# Registration


def register(client, login, password=PASSWORD, again=None, full_name="李明"):
    return client.post(
        reverse("register"),
        {"login": login, "full_name": full_name, "password": password, "password_again": again or password},
    )


def test_register_by_mobile_logs_in_and_shows_the_checklist(client, db):
    response = register(client, "13912345678")
    assert response.status_code == 302 and response.url == reverse("applicant-home")
    applicant = Applicant.objects.get(user__username="13912345678")
    assert applicant.full_name == "李明" and applicant.mobile == "13912345678"
    assert applicant.user.role == Role.APPLICANT
    page = client.get(response.url)
    assert page.status_code == 200
    checklist = page.content.decode()
    assert 'data-testid="checklist"' in checklist
    for missing in ("身份证件信息", "学历信息", "身体条件声明", "身份证件正面", "毕业证书"):
        assert missing in checklist
    assert "联系方式" not in checklist.split('data-testid="checklist"')[1].split("</section>")[0]
    assert f'href="{reverse("applicant-education")}"' in checklist


def test_register_by_email_can_log_in_with_it(client, db):
    response = register(client, "Li.Ming@Example.com")
    assert response.status_code == 302
    user = User.objects.get()
    assert user.username == user.email == "li.ming@example.com"
    client.logout()
    assert client.login(username="li.ming@example.com", password=PASSWORD)


def test_a_login_already_taken_is_refused_with_a_message(client, db):
    register(client, "13912345678")
    client.logout()
    response = register(client, "13912345678", full_name="另一人")
    assert response.status_code == 400
    assert response.context["form"].errors["login"] == ["该手机号码或电子邮箱已注册，请直接登录或找回密码。"]
    assert "该手机号码或电子邮箱已注册" in response.content.decode()
    assert User.objects.count() == 1 and Applicant.objects.get().full_name == "李明"


@pytest.mark.parametrize(
    ("password", "again"),
    [("1234567890", None), ("short-1", None), ("Residency-2026!", "Residency-2027!")],
    ids=["numeric", "too-short", "mismatch"],
)
def test_a_weak_or_mistyped_password_is_refused(client, db, password, again):
    response = register(client, "13912345678", password=password, again=again)
    assert response.status_code == 400
    assert not User.objects.exists()
    errors = response.context["form"].errors
    assert errors.get("password") or errors.get("password_again"), "the page says what is wrong"
    assert not response.wsgi_request.user.is_authenticated


def test_a_bad_login_is_refused(client, db):
    response = register(client, "12345")
    assert response.status_code == 400
    assert response.context["form"].errors["login"] == ["请输入11位手机号码或有效的电子邮箱。"]


# Profile


def profile_data(**changes):
    data = {
        "full_name": "李明",
        "is_chinese_national": "on",
        "id_type": "resident_id",
        "id_number": "",
        "applicant_type": "open_recruitment",
        "technical_title": "0",
        "mobile": "13912345678",
        "declares_fit": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def applicant(client, db):
    register(client, "13912345678")
    client.get(reverse("applicant-home"))  # shows, and so consumes, the welcome message
    return Applicant.objects.get()


def test_a_wrong_check_digit_is_shown_and_nothing_is_stored(client, applicant):
    number = make_resident_id("420102", datetime.date(1999, 5, 6), 123)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    response = client.post(reverse("applicant-profile"), profile_data(id_number=wrong, full_name="李小明"))
    assert response.status_code == 400
    assert response.context["form"].errors["id_number"] == ["身份证号码校验位不正确，请核对后重新输入。"]
    assert "身份证号码校验位不正确" in response.content.decode()
    applicant.refresh_from_db()
    assert (applicant.id_number, applicant.full_name, applicant.birth_date) == ("", "李明", None)


def test_a_valid_resident_id_stores_the_birth_date_and_sex_it_carries(client, applicant):
    number = make_resident_id("420102", datetime.date(1999, 5, 6), 124)
    response = client.post(
        reverse("applicant-profile"),
        profile_data(id_number=number.lower(), birth_date="1980-01-01", sex="male"),
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.id_number == number.upper()
    assert (applicant.birth_date, applicant.sex) == (datetime.date(1999, 5, 6), "female")
    assert applicant.declares_fit
    page = client.get(reverse("applicant-home")).content.decode()
    assert "身份证件信息" not in page and "身体条件声明" not in page


def test_the_profile_offers_only_self_registering_types_and_groups_the_fields(client, applicant):
    page = client.get(reverse("applicant-profile")).content.decode()
    for heading in ("身份信息", "联系方式", "执业资格", "工作单位", "声明", "委托培养"):
        assert f"<legend>{heading}</legend>" in page
    assert 'value="entrusted"' in page and 'value="professional_master"' not in page
    assert "只有持港澳台居民来往内地（大陆）通行证的需要填写" in page
    response = client.post(reverse("applicant-profile"), profile_data(applicant_type="rural_order"))
    assert response.status_code == 400 and response.context["form"].errors["applicant_type"]


def test_a_travel_permit_needs_the_birth_date_and_sex(client, applicant):
    response = client.post(
        reverse("applicant-profile"), profile_data(id_type="hk_macao_resident", id_number="H12345678")
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"birth_date", "sex"}
    response = client.post(
        reverse("applicant-profile"),
        profile_data(id_type="hk_macao_resident", id_number="h12345678", birth_date="1998-02-03", sex="male"),
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert (applicant.id_number, applicant.birth_date, applicant.sex) == (
        "H12345678",
        datetime.date(1998, 2, 3),
        "male",
    )


# Education


def test_education_is_added_listed_and_removed(client, applicant):
    data = {
        "school": "武汉大学",
        "major": "临床医学",
        "major_category": "clinical",
        "degree_level": "2",
        "full_time": "on",
        "graduation_date": "2023-06-30",
    }
    assert client.post(reverse("applicant-education"), data).status_code == 302
    record = EducationRecord.objects.get()
    assert (record.applicant, record.full_time, record.graduation_date) == (
        applicant,
        True,
        datetime.date(2023, 6, 30),
    )
    assert "武汉大学" in client.get(reverse("applicant-education")).content.decode()
    bad = client.post(reverse("applicant-education"), {**data, "graduation_date": "30/06/2023"})
    assert bad.status_code == 400 and "graduation_date" in bad.context["form"].errors
    client.post(reverse("applicant-education-remove", args=[record.pk]))
    assert not EducationRecord.objects.exists()


# Documents


def upload(client, name, content, kind="id_front"):
    return client.post(reverse("applicant-documents"), {"kind": kind, "file": SimpleUploadedFile(name, content)})


def test_a_document_is_uploaded_listed_served_and_deleted(
    client, applicant, private_media, django_capture_on_commit_callbacks
):
    response = upload(client, "身份证正面.png", PNG)
    assert response.status_code == 302
    document = ApplicantDocument.objects.get()
    assert document.original_name == "身份证正面.png" and document.size == len(PNG)
    page = client.get(reverse("applicant-documents")).content.decode()
    assert "身份证件正面" in page and "身份证正面.png" in page and 'enctype="multipart/form-data"' in page
    served = client.get(reverse("applicant-document", args=[document.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content) == PNG
    assert served["Content-Type"] == "image/png" and served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("attachment")
    assert len(stored_files(private_media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applicant-document-delete", args=[document.pk]))
    assert not ApplicantDocument.objects.exists() and stored_files(private_media) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64, "只接受 PDF、JPEG 或 PNG"),
        ("big.pdf", PDF + b"\x00" * (MAX_DOCUMENT_BYTES + 1 - len(PDF)), "文件不能超过 10 MB"),
        ("empty.pdf", b"", None),
    ],
    ids=["renamed-executable", "oversize", "empty"],
)
def test_a_refused_upload_says_why_and_stores_nothing(client, applicant, private_media, name, content, message):
    response = upload(client, name, content)
    assert response.status_code == 400
    shown = messages_of(response) + [str(e) for e in response.context["form"].errors.get("file", [])]
    assert shown
    if message:
        assert message in shown[0] and message in response.content.decode()
    assert not ApplicantDocument.objects.exists()
    assert stored_files(private_media) == []


def test_a_path_traversal_name_is_stored_under_a_random_name(client, applicant, private_media):
    boundary = "----applicant-test"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="kind"\r\n\r\n'
            "diploma\r\n"
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="../../etc/passwd.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.generic(
        "POST", reverse("applicant-documents"), body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 302
    document = ApplicantDocument.objects.get()
    assert document.original_name == "passwd.pdf"
    assert document.file.name.startswith("applicantdocument/") and "passwd" not in document.file.name
    [stored] = stored_files(private_media)
    assert stored.parent == private_media / "applicantdocument" and stored.read_bytes() == PDF
    assert not (private_media.parent / "etc").exists()
    assert "passwd.pdf" in client.get(reverse("applicant-documents")).content.decode()


# Who sees what


@pytest.fixture
def two_applicants(plan):
    a = complete_applicant(1, mobile="13800000001")
    b = complete_applicant(2, mobile="13800000002")
    choose(a, plan, "internal")
    choose(b, plan, "surgery")
    return a, b


def test_an_applicant_sees_only_its_own_data(client, two_applicants):
    a, b = two_applicants
    logged_in(client, a)
    profile = client.get(reverse("applicant-profile")).content.decode()
    assert a.id_number in profile and b.id_number not in profile and "申请人2" not in profile
    b_document = b.documents.first()
    assert client.get(reverse("applicant-document", args=[b_document.pk])).status_code == 403
    assert client.post(reverse("applicant-document-delete", args=[b_document.pk])).status_code == 403
    assert client.post(reverse("applicant-education-remove", args=[b.educations.get().pk])).status_code == 403
    b_choice = b.applications.get()
    with time_machine.travel(ROUND1, tick=False):
        assert client.post(reverse("applicant-withdraw"), {"application": b_choice.pk}).status_code == 403
    assert b.documents.count() == 3 and b.educations.exists()
    b_choice.refresh_from_db()
    assert b_choice.status == ApplicationStatus.ACTIVE
    status = client.get(reverse("applicant-status")).content.decode()
    assert "内科" in status and "外科" not in status
    logged_in(client, b)
    status = client.get(reverse("applicant-status")).content.decode()
    assert "外科" in status and "内科" not in status


def test_the_offices_of_a_chosen_base_and_its_province_read_the_documents(client, two_applicants, people):
    a, _b = two_applicants  # a chose 协和医院
    url = reverse("applicant-document", args=[a.documents.first().pk])
    for who, status in (
        ("xiehe_office", 200),
        ("province", 200),
        ("tongji_office", 403),
        ("hunan_province", 403),
        ("employer", 403),
        ("other_applicant", 403),
    ):
        client.force_login(people[who])
        assert client.get(url).status_code == status, who
    client.logout()
    assert client.get(url).status_code == 302


def test_the_applicant_pages_need_an_applicant(client, people):
    for name in ("applicant-home", "applicant-profile", "applicant-documents", "applicant-choose", "applicant-status"):
        client.logout()
        anonymous = client.get(reverse(name))
        assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
        client.force_login(people["xiehe_office"])
        assert client.get(reverse(name)).status_code == 403


# Choosing


def rows_of(response):
    return {row["quota"].specialty_base.specialty.name: row for row in response.context["rows"]}


def test_choose_marks_each_specialty_and_an_eligible_one_is_chosen(client, plan):
    applicant = complete_applicant(graduated=datetime.date(2023, 6, 30))  # two years before 2026: GP only
    logged_in(client, applicant)
    with time_machine.travel(ROUND1, tick=False):
        response = client.get(reverse("applicant-choose"))
        rows = rows_of(response)
        assert not rows["内科"]["decision"] and rows["全科"]["decision"]
        page = response.content.decode()
        assert "不可报" in page and '<span class="clause">二(二)3</span>' in page
        assert "申报专业限定为全科" in page
        assert "第1批次志愿填报进行中" in page
        response = client.post(reverse("applicant-choose"), {"quota": plan["quotas"]["gp"].pk}, follow=True)
        assert any("已填报志愿" in m for m in messages_of(response))
        chosen = rows_of(response)["全科"]
        assert chosen["chosen"] and "当前志愿" in response.content.decode()
        refused = client.post(reverse("applicant-choose"), {"quota": plan["quotas"]["internal"].pk}, follow=True)
        assert any("二(二)3" in m for m in messages_of(refused))
    application = Application.objects.get()
    assert (application.specialty_base, application.status, application.round) == (plan["gp"], "active", 1)
    status = client.get(reverse("applicant-status")).content.decode()
    assert "全科" in status and "已填报" in status and "第一批次" in status


def test_withdrawing_on_the_page_ends_the_choice(client, plan):
    applicant = complete_applicant()
    application = choose(applicant, plan, "internal")
    logged_in(client, applicant)
    with time_machine.travel(ROUND1, tick=False):
        response = client.post(reverse("applicant-withdraw"), {"application": application.pk}, follow=True)
    assert "志愿已撤回。填报截止前可以重新选择。" in messages_of(response)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert "已撤回" in client.get(reverse("applicant-status")).content.decode()


def test_outside_the_window_the_page_says_when_and_nothing_is_stored(client, plan):
    applicant = complete_applicant()
    logged_in(client, applicant)
    with time_machine.travel(BETWEEN_ROUNDS, tick=False):
        page = client.get(reverse("applicant-choose")).content.decode()
        assert "现在不在志愿填报时间内" not in page  # the reason names the next window instead
        assert "第二批次注册和填报志愿 6月1日起；现在不能填报、修改或撤回志愿。" in page
        assert "4月8日0时至4月23日24时" in page
        closed = 'disabled aria-describedby="choosing-closed" title="第二批次注册和填报志愿 6月1日起">选择</button>'
        assert page.count(closed) == 3
        response = client.post(reverse("applicant-choose"), {"quota": plan["quotas"]["internal"].pk}, follow=True)
    [message] = messages_of(response)
    assert "现在不在志愿填报时间内" in message and "04月08日0时至04月23日24时" in message
    assert not Application.objects.exists()


def test_before_registration_opens_the_buttons_say_from_when_and_an_incomplete_profile_says_what_is_missing(
    client, plan
):
    applicant = complete_applicant()
    logged_in(client, applicant)
    with time_machine.travel(datetime.datetime(2026, 3, 30, 9, tzinfo=SHANGHAI), tick=False):
        page = client.get(reverse("applicant-choose")).content.decode()
        home = client.get(reverse("applicant-home")).content.decode()
    assert 'id="choosing-closed">第一批次注册和填报志愿 4月8日起' in page
    assert page.count('disabled aria-describedby="choosing-closed"') == 3
    assert "第一批次注册和填报志愿 4月8日起" in home
    applicant.documents.all().delete()
    with time_machine.travel(ROUND1, tick=False):
        page = client.get(reverse("applicant-choose")).content.decode()
    assert 'id="missing-items"' in page
    assert page.count('disabled aria-describedby="missing-items">选择</button>') == 3


def test_an_unknown_quota_is_a_message_not_an_error(client, plan):
    logged_in(client, complete_applicant())
    with time_machine.travel(ROUND1, tick=False):
        for value in ("999999", "abc"):
            response = client.post(reverse("applicant-choose"), {"quota": value}, follow=True)
            assert response.status_code == 200
            assert messages_of(response) == ["请从招收计划表中选择一个专业基地。"]
    assert not Application.objects.exists()


def test_an_incomplete_applicant_is_told_what_is_missing(client, plan):
    register(client, "13912345678")
    with time_machine.travel(ROUND1, tick=False):
        page = client.get(reverse("applicant-choose")).content.decode()
        assert 'data-testid="missing"' in page and "学历信息" in page
        response = client.post(reverse("applicant-choose"), {"quota": plan["quotas"]["gp"].pk}, follow=True)
    assert any(m.startswith("请先完善以下信息：") for m in messages_of(response))
    assert not Application.objects.exists()


def test_the_choose_page_links_a_published_brochure(client, plan, people):
    office = people["xiehe_office"]
    draft = start_brochure_draft(actor=office, campaign=plan["campaign"], training_base=plan["internal"].training_base)
    save_brochure_draft(actor=office, version=draft, applicant_types=["open_recruitment"], sections=complete_sections())
    version = submit_brochure(actor=office, version=draft)
    approve_brochure(actor=people["province"], version=version)
    publish_brochure(actor=office, version=version)
    logged_in(client, complete_applicant())
    response = client.get(reverse("applicant-choose"))
    link = f'href="{reverse("brochure-public", args=[version.brochure_id])}"'
    assert response.content.decode().count(link) == 2  # 内科 and 外科 of 协和; none for 同济
    assert {name: bool(row["brochure_id"]) for name, row in rows_of(response).items()} == {
        "内科": True,
        "外科": True,
        "全科": False,
    }


def test_choose_page_queries_stay_flat_from_10_to_1000_rows(client, world):
    campaign = world["hubei_campaign"]
    factories.grow_plan(campaign, 10)
    applicant = complete_applicant()
    logged_in(client, applicant)

    def count(params=None):
        with time_machine.travel(ROUND1, tick=False), CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("applicant-choose"), params or {})
        assert response.status_code == 200
        return len(captured), len(response.context["rows"])

    count()  # the first request caches the campaign and the applicant's records
    small, shown = count()
    assert shown == 10
    factories.grow_plan(campaign, 990)
    assert Quota.objects.count() == 1000
    assert count() == (small, 50)
    assert count({"page": 20}) == (small, 50)
    assert count({"city": "市1"})[0] == small
