"""The open statistics (公开统计) on a small seeded season, every figure counted by hand below: the
same published figures on the page, in the CSV and xlsx downloads and in the API, small cells
suppressed everywhere."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from admissions.models import Applicant, Application, DirectEntry, Stage
from bases.services.quotas import do_set_quota, set_quota
from policy.choices import ApplicantType
from province.selectors.statistics import campaign_statistics
from tests import factories
from tests.province.test_kpis import admit, enter


def seed_statistics(world, province_user):
    """Hubei 2026, shortage specialty 儿科:

    base (city)        specialty  plan  applicants                     admitted
    协和医院 (武汉市)   内科        10    6 admitted + 2 not admitted     6
    同济医院 (武汉市)   儿科*        6    3 admitted + 1 proposed         3
    宜昌医院 (宜昌市)   内科         5    1 admitted                      1 + 1 professional master

    by specialty: 儿科* 6 / 4 (<5) / 3 (<5) / *      内科 15 / 9 / 8 / 53.3%
    by city:      武汉市 16 / 12 / 9 / 56.3%           宜昌市 5 / 1 (<5) / 2 (<5) / *
    by type:      面向社会招收 — / 13 / 10             专硕研究生 — / 0 (<5) / 1 (<5)
    Hunan's campaign has 9 admitted of its own: never in Hubei's figures.
    """
    campaign = world["hubei_campaign"]
    paediatrics = factories.specialty("0200", "儿科")
    campaign.shortage_specialties.set([paediatrics])
    yichang = factories.training_base(world["hubei"], "宜昌医院", city="宜昌市")
    tongji_paediatrics = factories.specialty_base(world["tongji"], paediatrics)
    yichang_internal = factories.specialty_base(yichang, world["xiehe_internal"].specialty)
    set_quota(actor=province_user, campaign=campaign, specialty_base=world["xiehe_internal"], places=10)
    set_quota(actor=province_user, campaign=campaign, specialty_base=tongji_paediatrics, places=6)
    yichang_quota = set_quota(actor=province_user, campaign=campaign, specialty_base=yichang_internal, places=5)
    admit(campaign, world["xiehe_internal"], 6)
    admit(campaign, world["xiehe_internal"], 2, stage=Stage.NOT_ADMITTED)
    admit(campaign, tongji_paediatrics, 3)
    admit(campaign, tongji_paediatrics, 1, stage=Stage.PROPOSED)
    admit(campaign, yichang_internal, 1)
    enter(campaign, yichang_quota, 1, by=province_user)
    hunan = world["hunan_campaign"]
    do_set_quota(actor=None, campaign=hunan, specialty_base=world["changsha_internal"], places=9)
    admit(hunan, world["changsha_internal"], 9)
    return {"campaign": campaign, "yichang": yichang, "tongji_paediatrics": tongji_paediatrics}


@pytest.fixture
def season(world, people):
    return seed_statistics(world, people["province"])


def raw(groups):
    return [(g.key, g.places, g.applicants, g.admitted) for g in groups]


EXPECTED_API = {
    "by_specialty": [
        {"key": "0200", "is_shortage": True, "places": 6, "applicants": "<5", "admitted": "<5", "fill_rate": "*"},
        {"key": "0100", "is_shortage": False, "places": 15, "applicants": 9, "admitted": 8, "fill_rate": "53.3"},
    ],
    "by_city": [
        {"key": "宜昌市", "is_shortage": False, "places": 5, "applicants": "<5", "admitted": "<5", "fill_rate": "*"},
        {"key": "武汉市", "is_shortage": False, "places": 16, "applicants": 12, "admitted": 9, "fill_rate": "56.3"},
    ],
}


def _api(api, year=2026, **query):
    return api().get(reverse("api-statistics", args=[year]), query)


def _page_rows(html, testid):
    """{key: (places, applicants, admitted, rate)} of one table of the page, as its cells read."""
    table = re.search(rf'<table data-testid="{testid}">(.*?)</table>', html, re.S).group(1)
    rows = {}
    for key, body in re.findall(r'data-key="([^"]*)">(.*?)</tr>', table, re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r'<td class="num"[^>]*>(.*?)</td>', body)]
        rows[key] = tuple(cells)
    return rows


# The figures -------------------------------------------------------------------------------------


def test_the_counts_equal_the_seeded_data_and_leave_other_provinces_out(season):
    figures = campaign_statistics(campaign=season["campaign"])
    assert raw(figures.by_specialty) == [("0200", 6, 4, 3), ("0100", 15, 9, 8)]
    assert raw(figures.by_city) == [("宜昌市", 5, 1, 2), ("武汉市", 16, 12, 9)]
    by_type = {g.key: (g.places, g.applicants, g.admitted) for g in figures.by_applicant_type}
    assert by_type[ApplicantType.OPEN_RECRUITMENT] == (None, 13, 10)
    assert by_type[ApplicantType.PROFESSIONAL_MASTER] == (None, 0, 1)
    assert by_type[ApplicantType.ENTRUSTED] == (None, 0, 0)
    assert sum(admitted for _, _, admitted in by_type.values()) == 11


def test_an_applicant_with_several_choices_counts_once_per_group(season, world):
    campaign = season["campaign"]
    person = Applicant.objects.order_by("pk").filter(applications__campaign=campaign).first()
    first = person.applications.get()
    Application.objects.filter(pk=first.pk).update(status="changed")
    Application.objects.create(applicant=person, campaign=campaign, round=1, specialty_base=first.specialty_base)
    Application.objects.create(applicant=person, campaign=campaign, round=2, specialty_base=first.specialty_base)
    figures = campaign_statistics(campaign=campaign)
    assert raw(figures.by_specialty)[1] == ("0100", 15, 9, 8)
    assert raw(figures.by_city)[1] == ("武汉市", 16, 12, 9)


# The page ----------------------------------------------------------------------------------------


def test_the_public_page_suppresses_small_cells_and_the_rates_derived_from_them(client, season):
    response = client.get(reverse("statistics"))
    assert response.status_code == 200
    html = response.content.decode()
    assert _page_rows(html, "by-specialty") == {"0200": ("6", "&lt;5", "&lt;5", "*"), "0100": ("15", "9", "8", "53.3%")}
    assert _page_rows(html, "by-city") == {"宜昌市": ("5", "&lt;5", "&lt;5", "*"), "武汉市": ("16", "12", "9", "56.3%")}
    by_type = _page_rows(html, "by-applicant-type")
    assert by_type[ApplicantType.OPEN_RECRUITMENT] == ("—", "13", "10", "—")
    assert by_type[ApplicantType.PROFESSIONAL_MASTER] == ("—", "&lt;5", "&lt;5", "—")


def test_shortage_specialties_are_highlighted(client, season):
    html = client.get(reverse("statistics")).content.decode()
    paediatrics = re.search(r'<tr class="shortage" data-testid="statistics-row" data-key="0200">(.*?)</tr>', html, re.S)
    assert paediatrics and "紧缺" in paediatrics.group(1)
    assert 'class="shortage" data-testid="statistics-row" data-key="0100"' not in html


def test_the_charts_draw_only_the_groups_whose_admitted_count_is_published(client, season):
    html = client.get(reverse("statistics")).content.decode()
    specialty_chart = re.search(r'<svg[^>]*data-testid="chart-specialty".*?</svg>', html, re.S).group(0)
    assert 'data-label="内科" data-value="8" data-max="15"' in specialty_chart
    assert "儿科" not in specialty_chart
    city_chart = re.search(r'<svg[^>]*data-testid="chart-city".*?</svg>', html, re.S).group(0)
    assert 'data-label="武汉市" data-value="9" data-max="16"' in city_chart
    assert "宜昌市" not in city_chart


def test_the_home_page_links_to_the_statistics(client, season):
    assert reverse("statistics") in client.get(reverse("home")).content.decode()


def test_a_past_campaign_is_chosen_by_year(client, season, world):
    past = factories.campaign(world["hubei"], year=2025)
    do_set_quota(actor=None, campaign=past, specialty_base=world["xiehe_internal"], places=7)
    response = client.get(reverse("statistics"), {"year": "2025"})
    assert response.context["campaign"] == past
    assert _page_rows(response.content.decode(), "by-specialty") == {"0100": ("7", "&lt;5", "&lt;5", "*")}


def test_the_page_costs_the_same_queries_however_many_quotas_and_people(client, season, world, people):
    client.get(reverse("statistics"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("statistics"))
    for index in range(4):
        base = factories.training_base(world["hubei"], f"新增医院{index}", city=f"新市{index}")
        specialty_base = factories.specialty_base(base, factories.specialty(f"09{index}0", f"新专业{index}"))
        set_quota(actor=people["province"], campaign=season["campaign"], specialty_base=specialty_base, places=8)
        admit(season["campaign"], specialty_base, 6)
    with CaptureQueriesContext(connection) as after:
        response = client.get(reverse("statistics"))
    assert len(_page_rows(response.content.decode(), "by-city")) == 6
    assert len(after) == len(before)


# The downloads -----------------------------------------------------------------------------------


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_download_suppresses_small_cells(client, season):
    response = client.get(reverse("statistics-export"), {"year": "2026", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    assert rows[0] == ["统计维度", "分组", "紧缺专业", "招收计划", "报名人数", "已录取", "完成率（%）"]
    assert ["专业", "儿科", "是", "6", "<5", "<5", "*"] in rows
    assert ["专业", "内科", "", "15", "9", "8", "53.3"] in rows
    assert ["市州", "宜昌市", "", "5", "<5", "<5", "*"] in rows
    assert ["人员类型", "专硕研究生", "", "—", "<5", "<5", "—"] in rows


def test_the_xlsx_download_suppresses_small_cells(client, season):
    response = client.get(reverse("statistics-export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert ["专业", "儿科", "是", 6, "<5", "<5", "*"] in rows
    assert ["市州", "武汉市", None, 16, 12, 9, 56.3] in rows
    assert ["市州", "宜昌市", None, 5, "<5", "<5", "*"] in rows


def test_no_names_or_id_numbers_are_published_anywhere(client, api, season):
    published = [
        client.get(reverse("statistics")).content.decode(),
        client.get(reverse("statistics-export"), {"format": "csv"}).content.decode("utf-8-sig"),
        _api(api).content.decode(),
    ]
    workbook = load_workbook(io.BytesIO(client.get(reverse("statistics-export"), {"format": "xlsx"}).content))
    published.append(str([list(row) for row in workbook.active.iter_rows(values_only=True)]))
    names = [
        *Applicant.objects.values_list("full_name", flat=True),
        *DirectEntry.objects.values_list("full_name", flat=True),
    ]
    numbers = [
        *Applicant.objects.values_list("id_number", flat=True),
        *DirectEntry.objects.values_list("id_number", flat=True),
    ]
    for text in published:
        assert not [value for value in names + numbers if re.search(rf"{value}(?!\d)", text)]
        assert not re.search(r"[KM]\d{6}", text)


# The API -----------------------------------------------------------------------------------------


def test_the_api_is_versioned_public_and_suppresses_small_cells(api, season):
    response = _api(api)
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == 1
    assert data["campaign"]["year"] == 2026
    assert data["small_cell"] == 5
    for name, expected in EXPECTED_API.items():
        assert [{field: row[field] for field in expected[0]} for row in data[name]] == expected
    by_type = {row["key"]: row for row in data["by_applicant_type"]}
    assert by_type["professional_master"] == {
        "key": "professional_master",
        "label": "专硕研究生",
        "is_shortage": False,
        "places": None,
        "applicants": "<5",
        "admitted": "<5",
        "fill_rate": None,
    }
    assert by_type["open_recruitment"]["admitted"] == 10


def test_the_api_and_the_page_publish_the_same_figures(client, api, season):
    html = client.get(reverse("statistics")).content.decode()
    data = _api(api).json()
    for name, testid in [
        ("by_specialty", "by-specialty"),
        ("by_city", "by-city"),
        ("by_applicant_type", "by-applicant-type"),
    ]:
        page = _page_rows(html, testid)
        from_api = {
            row["key"]: tuple(
                "—" if value is None else str(value).replace("<", "&lt;")
                for value in (row["places"], row["applicants"], row["admitted"], row["fill_rate"])
            )
            for row in data[name]
        }
        page = {key: (*cells[:3], cells[3].rstrip("%")) for key, cells in page.items()}
        assert page == from_api


def test_the_api_answers_a_year_without_a_campaign_with_a_404_in_chinese(api, season):
    response = _api(api, year=1999)
    assert response.status_code == 404
    assert "该年度没有招录统计" in response.content.decode()


def test_the_api_is_in_the_openapi_schema(client):
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/statistics/{campaign_year}/" in schema


def test_a_year_without_a_campaign_says_so_on_the_page_with_a_404(client, season):
    response = client.get(reverse("statistics"), {"year": "1999"})
    assert response.status_code == 404
    assert "该年度没有招录统计" in response.content.decode()
    assert client.get(reverse("statistics-export"), {"year": "1999"}).status_code == 404
