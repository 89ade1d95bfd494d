import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from bases.demo.loading import load_province
from bases.models import Quota, SpecialtyBase, TrainingBase
from bases.services import plan_excel
from bases.services.plan_excel import HEADERS, PlanImportError, export_plan, prepare_plan_release
from bases.services.quotas import do_set_quota
from portal.models import AuditEvent, Release, Role
from portal.spreadsheets import XLSX_CONTENT_TYPE
from tests import factories


def _xlsx(*rows, header=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(data, name="计划.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX_CONTENT_TYPE)


@pytest.fixture
def plan(world, people):
    """Hubei's 2026 plan: 协和 内科 6/10, 同济 内科 4/10; 外科 is in the catalogue, trained nowhere."""
    campaign = world["hubei_campaign"]
    for base, places in ((world["xiehe_internal"], 6), (world["tongji_internal"], 4)):
        do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=places)
    factories.specialty("0200", "外科")
    return campaign


def _state():
    quotas = {
        (q.specialty_base.training_base.name, q.specialty_base.specialty.name, q.campaign_id): (q.places, q.capacity)
        for q in Quota.objects.select_related("specialty_base__training_base", "specialty_base__specialty")
    }
    capacities = {(sb.training_base_id, sb.specialty_id): sb.capacity for sb in SpecialtyBase.objects.all()}
    return quotas, capacities


def _sheet_rows(data):
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return sheet, [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def test_export_has_the_header_and_one_row_per_quota_in_plan_table_order(plan):
    sheet, rows = _sheet_rows(export_plan(campaign=plan))
    assert sheet.title == "招收计划"
    assert rows[0] == ("住培基地", "培训专业", "招收计划数", "容量")
    assert rows[1] == ("协和医院", "内科", 6, 10)
    assert rows[2:] == [("同济医院", "内科", 4, 10)]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= 12


def test_round_trip_of_the_hubei_plan_changes_nothing_and_records_nothing(db):
    province, campaign = load_province(year=2026)
    office = factories.user(Role.PROVINCIAL_OFFICE, province=province)
    data = export_plan(campaign=campaign)
    _sheet, rows = _sheet_rows(data)
    assert len(rows) - 1 == Quota.objects.filter(campaign=campaign).count() > 500
    assert rows[1][0] == "华中科技大学同济医学院附属协和医院"
    before, events = _state(), AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as captured:
        result = prepare_plan_release(actor=office, campaign=campaign, file=_upload(data))
    assert (result.rows, result.changed, result.release) == (len(rows) - 1, 0, None)
    assert _state() == before
    assert AuditEvent.objects.count() == events
    # Checking ~600 rows costs a handful of queries, not one per row.
    assert len(captured) < 20


def test_import_changes_two_quotas_adds_a_specialty_base_and_audits_each_change(client, world, people, plan):
    data = _xlsx(
        ("协和医院", "内科", 4, 5),  # places and capacity both down: quota first, then capacity
        ("同济医院", "0100", 12, 14),  # by specialty code; capacity up first, then places above the old 10
        ("同济医院", "外科", 3, 8),  # 同济 does not train 外科 yet
    )
    events = AuditEvent.objects.count()
    client.force_login(people["province"])
    response = client.post(reverse("plan-import"), {"file": _upload(data)}, follow=True)
    release = Release.objects.get()
    assert response.redirect_chain[-1] == (reverse("release", args=[release.pk]), 302)
    page = response.content.decode()
    assert "已检查 3 行，其中 3 行改变招收计划" in page and "新增专业基地" in page
    assert Quota.objects.filter(campaign=plan).count() == 2, "nothing is written before a second person confirms"
    second = factories.user(Role.PROVINCIAL_OFFICE, province=world["hubei"])
    client.force_login(second)
    client.post(reverse("release-confirm", args=[release.pk]))

    quotas, _capacities = _state()
    assert quotas[("协和医院", "内科", plan.pk)] == (4, 5)
    assert quotas[("同济医院", "内科", plan.pk)] == (12, 14)
    assert quotas[("同济医院", "外科", plan.pk)] == (3, 8)
    surgery = SpecialtyBase.objects.get(training_base=world["tongji"], specialty__name="外科")
    assert surgery.capacity == 8

    new = [e for e in AuditEvent.objects.order_by("id")[events:] if not e.action.startswith("release.")]
    assert sorted(e.action for e in new) == sorted(
        ["quota.set"] * 3 + ["specialty_base.capacity"] * 2 + ["specialty_base.create", "plan.import"]
    )
    assert all(e.actor == second for e in new)
    assert {e.reason for e in new} == {"年度计划导入"}
    xiehe_quota = next(e for e in new if e.action == "quota.set" and e.training_base == world["xiehe"])
    assert (xiehe_quota.before, xiehe_quota.after) == ({"places": 6, "capacity": 10}, {"places": 4, "capacity": 10})
    assert Quota.objects.filter(campaign=plan).count() == 3


def test_a_bad_file_is_rejected_whole_and_every_bad_row_is_named(client, people, plan):
    data = _xlsx(
        ("协和医院", "内科", 9, 10),  # row 2: valid on its own, must not be applied either
        ("某某医院", "内科", 1, 5),  # row 3
        ("同济医院", "外科学", 1, 5),  # row 4
        ("同济医院", "内科", "十", 10),  # row 5
        ("协和医院", "外科", 12, 10),  # row 6
        (None, None, None, None),  # row 7: blank, ignored
        ("协和医院", "内科", 2, 10),  # row 8
        ("同济医院", None, 3, None),  # row 9
    )
    before, events = _state(), AuditEvent.objects.count()
    with pytest.raises(PlanImportError) as error:
        prepare_plan_release(actor=people["province"], campaign=plan, file=data)
    assert error.value.status == 400
    assert error.value.errors == [
        "第3行：找不到住培基地“某某医院”",
        "第4行：找不到培训专业“外科学”",
        "第5行：招收计划数应为非负整数，现为“十”",
        "第6行：招收计划数 12 超过容量 10",
        "第8行：与第2行重复（同一基地同一专业）",
        "第9行：缺少“培训专业”、“容量”",
    ]
    assert error.value.message == "导入失败，文件未作任何更改：共 6 处错误"

    client.force_login(people["province"])
    response = client.post(reverse("plan-import"), {"file": _upload(data)})
    assert response.status_code == 400
    page = response.content.decode()
    for message in error.value.errors:
        assert message in page
    assert "共 6 处错误" in page
    assert _state() == before
    assert AuditEvent.objects.count() == events


def test_capacity_below_another_years_plan_is_named_before_anything_changes(world, people, plan):
    last_year = factories.campaign(world["hubei"], year=2025)
    do_set_quota(actor=None, campaign=last_year, specialty_base=world["xiehe_internal"], places=8)
    before = _state()
    with pytest.raises(PlanImportError) as error:
        prepare_plan_release(
            actor=people["province"],
            campaign=plan,
            file=_xlsx(("同济医院", "内科", 2, 3), ("协和医院", "内科", 5, 6)),
        )
    assert error.value.errors == ["第3行：容量 6 低于该专业基地其他年度已定的招收计划数 8"]
    assert _state() == before


def test_a_wrong_header_names_the_expected_columns(people, plan):
    with pytest.raises(PlanImportError) as error:
        prepare_plan_release(
            actor=people["province"], campaign=plan, file=_xlsx(("协和医院", 6), header=("基地", "计划数"))
        )
    assert "住培基地、培训专业、招收计划数、容量" in error.value.message
    assert "基地、计划数" in error.value.message


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("计划.xlsx", "住培基地,培训专业,招收计划数,容量\n协和医院,内科,6,10\n".encode(), "不是有效的 Excel"),
        ("计划.csv", b"PK\x03\x04broken zip", "不是有效的 Excel"),
        ("计划.xlsx", b"", "文件是空的"),
        ("计划.xlsx", _xlsx(), "没有任何数据行"),
    ],
)
def test_a_file_that_is_not_a_plan_gives_a_400_with_a_message(client, people, plan, name, content, expected):
    before = _state()
    client.force_login(people["province"])
    response = client.post(reverse("plan-import"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert _state() == before


def test_posting_without_a_file_asks_for_one(client, people, plan):
    client.force_login(people["province"])
    response = client.post(reverse("plan-import"), {})
    assert response.status_code == 400
    assert "请选择要导入的 Excel 文件" in response.content.decode()


def test_files_and_sheets_over_the_limits_are_refused(people, plan, monkeypatch):
    rows = [("协和医院", "内科", 6, 10), ("同济医院", "内科", 4, 10), ("协和医院", "外科", 1, 2)]
    monkeypatch.setattr(plan_excel, "MAX_ROWS", 2)
    with pytest.raises(PlanImportError, match="超过 2 行"):
        prepare_plan_release(actor=people["province"], campaign=plan, file=_xlsx(*rows))
    monkeypatch.setattr(plan_excel, "MAX_FILE_BYTES", 1024)
    with pytest.raises(PlanImportError, match="文件超过"):
        prepare_plan_release(actor=people["province"], campaign=plan, file=_upload(_xlsx(*rows)))
    assert not SpecialtyBase.objects.filter(specialty__name="外科").exists()


def test_the_page_shows_totals_and_the_export_downloads_with_a_chinese_filename(client, people, plan):
    client.force_login(people["province"])
    page = client.get(reverse("plan-import")).content.decode()
    assert "现有招收计划 2 条，计划合计 10 人，容量合计 20 人" in page
    assert reverse("plan-export") in page and "未列出的" in page
    response = client.get(reverse("plan-export"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''2026%E5%B9%B4%E5%BA%A6%E6%8B%9B%E6%94%B6%E8%AE%A1%E5%88%92.xlsx"
    )
    assert _sheet_rows(response.content)[1][1] == ("协和医院", "内科", 6, 10)


def test_only_the_provincial_office_of_the_campaign_may_export_or_import(client, world, people, plan):
    hubei = f"?campaign={plan.pk}"
    data = _xlsx(("协和医院", "内科", 1, 10))
    for who in ("xiehe_office", "xiehe_staff", "employer", "applicant", "hunan_province"):
        client.force_login(people[who])
        assert client.get(reverse("plan-export") + hubei).status_code == 403, who
        assert client.get(reverse("plan-import") + hubei).status_code == 403, who
        assert client.post(reverse("plan-import") + hubei, {"file": _upload(data)}).status_code == 403, who
    for who in ("xiehe_office", "hunan_province"):
        with pytest.raises(PermissionDenied):
            prepare_plan_release(actor=people[who], campaign=plan, file=data)
    assert Quota.objects.get(campaign=plan, specialty_base=world["xiehe_internal"]).places == 6

    # Without a campaign named, Hunan's office gets Hunan's own (empty) plan, never Hubei's.
    client.force_login(people["hunan_province"])
    _sheet, rows = _sheet_rows(client.get(reverse("plan-export")).content)
    assert rows == [HEADERS]

    client.logout()
    for response in (client.get(reverse("plan-export")), client.get(reverse("plan-import"))):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_province_without_a_campaign_gets_a_message(client, db):
    office = factories.user(Role.PROVINCIAL_OFFICE, province=factories.province("440000", "广东省"))
    client.force_login(office)
    response = client.get(reverse("plan-import"))
    assert response.status_code == 200 and "尚未设立年度招录" in response.content.decode()
    response = client.get(reverse("plan-export"), follow=True)
    assert response.redirect_chain == [(reverse("plan-import"), 302)]
    assert "尚未设立年度招录" in response.content.decode()
    assert client.get(reverse("plan-import") + "?campaign=abc").status_code == 404


def _grow(campaign, count):
    specialties = [factories.specialty(f"9{n:03d}") for n in range(10)]
    first = TrainingBase.objects.count()
    bases = TrainingBase.objects.bulk_create(
        [
            TrainingBase(province=campaign.province, name=f"扩展医院{n}", city="武汉市", sort_order=n)
            for n in range(first, first + count // 10)
        ]
    )
    specialty_bases = SpecialtyBase.objects.bulk_create(
        [SpecialtyBase(training_base=b, specialty=s, capacity=9) for b in bases for s in specialties]
    )
    Quota.objects.bulk_create(
        [Quota(campaign=campaign, specialty_base=sb, places=5, capacity=9) for sb in specialty_bases]
    )


@pytest.mark.parametrize("url_name", ["plan-import", "plan-export"])
def test_queries_stay_flat_from_10_to_500_rows(client, people, url_name):
    campaign = people["province"].province.campaigns.get()
    client.force_login(people["province"])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url_name)).status_code == 200
        return len(captured)

    _grow(campaign, 10)
    small = queries()
    _grow(campaign, 490)
    assert Quota.objects.filter(campaign=campaign).count() == 500
    assert queries() == small
