import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from bases.models import Quota
from bases.services.quotas import do_set_quota
from portal.models import Role
from tests import factories


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _xlsx(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["住培基地", "培训专业", "招收计划数", "容量"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("plan.xlsx", buffer.getvalue())


def test_export_then_import_through_the_api(world, people):
    do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=world["xiehe_internal"], places=4)
    client = _client(people["province"])
    exported = client.get(reverse("api-plan-export"))
    assert exported.status_code == 200 and exported["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(openpyxl.load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert rows[1] == ("协和医院", "内科", 4, 10)
    result = client.post(reverse("api-plan-import"), {"file": _xlsx([["协和医院", "内科", 7, 10]])}, format="multipart")
    assert result.status_code == 202 and result.json()["changed"] == 1
    release = result.json()["release"]
    assert release["preview"]["changes"][0]["places"] == [4, 7]
    assert Quota.objects.get(specialty_base=world["xiehe_internal"]).places == 4
    second = _client(factories.user(Role.PROVINCIAL_OFFICE, province=world["hubei"]))
    assert second.post(reverse("api-release-confirm", args=[release["id"]])).json()["status"] == "released"
    assert Quota.objects.get(specialty_base=world["xiehe_internal"]).places == 7
    same = client.post(reverse("api-plan-import"), {"file": _xlsx([["协和医院", "内科", 7, 10]])}, format="multipart")
    assert same.status_code == 200 and same.json() == {"rows": 1, "changed": 0, "release": None}


def test_a_bad_file_is_refused_whole_with_every_row_named(world, people):
    do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=world["xiehe_internal"], places=4)
    upload = _xlsx([["协和医院", "内科", 8, 10], ["不存在医院", "内科", 1, 5], ["同济医院", "内科", 20, 10]])
    response = _client(people["province"]).post(reverse("api-plan-import"), {"file": upload}, format="multipart")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(e.startswith("第3行") for e in errors) and any(e.startswith("第4行") for e in errors)
    assert Quota.objects.get(specialty_base=world["xiehe_internal"]).places == 4


def test_only_the_provincial_office_of_the_province(world, people):
    for who in ("xiehe_office", "applicant"):
        assert _client(people[who]).get(reverse("api-plan-export")).status_code == 403
    other = _client(people["hunan_province"]).get(reverse("api-plan-export"), {"campaign": world["hubei_campaign"].pk})
    assert other.status_code == 403
    missing = _client(people["province"]).post(reverse("api-plan-import"), {}, format="multipart")
    assert missing.status_code == 400 and "Excel" in missing.json()["detail"]
