import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from admissions.models import DirectEntry, EntryStatus
from admissions.services.entries import (
    QuotaFull,
    assign_rural_order_graduate,
    cancel_entry,
    enter_professional_master,
)
from bases.services.quotas import do_set_quota
from policy.identity import make_resident_id
from portal.errors import DomainError
from portal.models import AuditEvent
from tests.applicant_helpers import PDF
from tests.concurrency import run_together


def person(n=1):
    number = make_resident_id("420102", datetime.date(1999, 5, n), n)
    return {"full_name": f"学员{n}", "id_type": "resident_id", "id_number": number}


@pytest.fixture
def quota(world):
    return do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=world["xiehe_internal"], places=2)


def master(people, quota, n=1, **where):
    where = {"school": "华中科技大学", "school_province": "湖北省", "school_city": "武汉市", **where}
    return enter_professional_master(actor=people["xiehe_office"], quota=quota, **person(n), **where)


def test_a_master_of_the_same_city_takes_a_place_until_the_quota_is_full(people, quota):
    master(people, quota, 1)
    master(people, quota, 2)
    with pytest.raises(QuotaFull, match="招收计划 2 个已满"):
        master(people, quota, 3)
    assert DirectEntry.objects.filter(status=EntryStatus.ACTIVE).count() == 2
    assert AuditEvent.objects.filter(action="entry.professional_master").count() == 2


def test_cross_province_masters_are_refused_citing_the_clause(people, quota):
    with pytest.raises(DomainError) as error:
        master(people, quota, school="中南大学", school_province="湖南省", school_city="长沙市")
    assert "不得跨省" in error.value.message and "四(三)" in error.value.message
    assert not DirectEntry.objects.exists()


def test_off_site_in_province_needs_the_approval_document(people, quota):
    elsewhere = {"school": "三峡大学", "school_province": "湖北省", "school_city": "宜昌市"}
    with pytest.raises(DomainError, match="须上传省教育厅同意的书面材料"):
        master(people, quota, **elsewhere)
    renamed = SimpleUploadedFile("同意书.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    with pytest.raises(DomainError, match="只接受 PDF、JPEG 或 PNG"):
        master(people, quota, approval_document=renamed, **elsewhere)
    assert not DirectEntry.objects.exists()
    entry = master(people, quota, approval_document=SimpleUploadedFile("../../etc/passwd.pdf", PDF), **elsewhere)
    assert entry.approval_document.name.startswith("directentry/") and ".." not in entry.approval_document.name


def test_the_approval_document_is_served_only_to_those_entitled(client, people, quota):
    elsewhere = {"school": "三峡大学", "school_province": "湖北省", "school_city": "宜昌市"}
    entry = master(people, quota, approval_document=SimpleUploadedFile("a.pdf", PDF), **elsewhere)
    url = reverse("entry-document", args=[entry.pk])
    for who, status in [("tongji_office", 403), ("applicant", 403), ("hunan_province", 403)]:
        client.force_login(people[who])
        assert client.get(url).status_code == status, who
    client.force_login(people["province"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff" and "attachment" in response["Content-Disposition"]


def test_only_the_province_assigns_rural_order_graduates(people, quota):
    rural = {"school": "湖北医药学院", "agreement_region": "恩施州利川市"}
    with pytest.raises(PermissionDenied):
        assign_rural_order_graduate(actor=people["xiehe_office"], quota=quota, **person(), **rural)
    with pytest.raises(PermissionDenied):
        assign_rural_order_graduate(actor=people["hunan_province"], quota=quota, **person(), **rural)
    with pytest.raises(PermissionDenied):
        enter_professional_master(
            actor=people["province"],
            quota=quota,
            **person(),
            school="x",
            school_province="湖北省",
            school_city="武汉市",
        )
    entry = assign_rural_order_graduate(actor=people["province"], quota=quota, **person(), **rural)
    assert entry.kind == "rural_order"


def test_the_same_person_cannot_be_entered_twice_and_a_bad_id_is_refused(people, quota):
    master(people, quota, 1)
    with pytest.raises(DomainError, match="不能重复录入"):
        master(people, quota, 1)
    good = person(2)["id_number"]
    bad = dict(person(2), id_number=good[:-1] + ("0" if good[-1] != "0" else "1"))
    with pytest.raises(DomainError, match="校验位"):
        enter_professional_master(
            actor=people["xiehe_office"], quota=quota, **bad, school="x", school_province="湖北省", school_city="武汉市"
        )


def test_cancelling_frees_the_place(people, quota):
    first = master(people, quota, 1)
    master(people, quota, 2)
    with pytest.raises(DomainError, match="撤销原因"):
        cancel_entry(actor=people["xiehe_office"], entry=first, reason="")
    cancel_entry(actor=people["xiehe_office"], entry=first, reason="录入错误")
    master(people, quota, 3)
    with pytest.raises(DomainError):
        cancel_entry(actor=people["xiehe_office"], entry=first, reason="再撤销")


def test_the_masters_page_enters_and_shows_errors(client, people, quota):
    client.force_login(people["xiehe_office"])
    url = reverse("masters")
    data = {
        "quota": quota.pk,
        **person(1),
        "school": "华中科技大学",
        "school_province": "湖南省",
        "school_city": "长沙市",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400 and "不得跨省" in refused.content.decode()
    data["school_province"], data["school_city"] = "湖北省", "武汉市"
    assert client.post(url, data).status_code == 302
    assert "学员1" in client.get(url).content.decode()
    client.force_login(people["province"])
    assert client.get(url).status_code == 403
    assert client.get(reverse("rural-orders")).status_code == 200


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are checked on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_entries_for_the_last_place_take_it_once(world, people):
    quota = do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=world["xiehe_internal"], places=1)
    outcomes = []

    def enter(n):
        try:
            master(people, quota, n)
            outcomes.append("entered")
        except QuotaFull:
            outcomes.append("full")

    run_together(range(1, 7), enter)
    assert sorted(outcomes) == ["entered"] + ["full"] * 5
    assert DirectEntry.objects.count() == 1
