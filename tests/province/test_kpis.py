"""The provincial KPIs [四(一)(二)] on a small seeded season, every figure computed by hand below."""

import csv
import io
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from admissions.models import Applicant, Application, Assessment, DirectEntry, EntryStatus, Stage
from bases.services.quotas import do_set_quota, set_quota
from policy.choices import ApplicantType
from policy.rules import kpis
from portal.charts import bar_chart
from portal.models import Role, User
from province.selectors.kpis import plan_lines
from tests import factories

_people = itertools.count(1)


def admit(campaign, specialty_base, count, stage=Stage.ADMITTED):
    """`count` candidates of `campaign` whose assessment at `specialty_base` is in `stage`."""
    numbers = [next(_people) for _ in range(count)]
    users = User.objects.bulk_create([User(username=f"kpi{n}", role=Role.APPLICANT) for n in numbers])
    applicants = Applicant.objects.bulk_create(
        [
            Applicant(user=user, full_name=f"学员{n}", id_number=f"K{n:06d}")
            for user, n in zip(users, numbers, strict=True)
        ]
    )
    applications = Application.objects.bulk_create(
        [Application(applicant=a, campaign=campaign, round=1, specialty_base=specialty_base) for a in applicants]
    )
    Assessment.objects.bulk_create(
        [Assessment(application=a, specialty_base=specialty_base, stage=stage) for a in applications]
    )


def enter(campaign, quota, count, *, by, status=EntryStatus.ACTIVE):
    """`count` professional masters entered outside the rounds on `quota`."""
    DirectEntry.objects.bulk_create(
        [
            DirectEntry(
                quota=quota,
                campaign=campaign,
                kind=ApplicantType.PROFESSIONAL_MASTER,
                status=status,
                full_name=f"专硕{n}",
                id_number=f"M{n:06d}",
                school="武汉大学",
                entered_by=by,
            )
            for n in (next(_people) for _ in range(count))
        ]
    )


def seed_season(world, province_user):
    """Hubei 2026, shortage specialties 儿科 and 全科:

    base (city)        specialty  plan  admitted
    协和医院 (武汉市)   内科        5     4 admitted + 1 professional master = 5
                       儿科*       2     1                (1 more only proposed: not counted)
    同济医院 (武汉市)   内科        4     1                (1 cancelled entry: not counted)
                       全科*       3     3
    宜昌医院 (宜昌市)   内科        6     0
                       儿科*       3     0
                       全科*       4     1
    Hunan's 湘雅医院 has a plan of 5 and 5 admitted in Hunan's campaign: never in Hubei's figures.
    """
    campaign = world["hubei_campaign"]
    internal = world["xiehe_internal"].specialty
    paediatrics = factories.specialty("0200", "儿科")
    general = factories.specialty("0300", "全科")
    campaign.shortage_specialties.set([paediatrics, general])
    xiehe, tongji = world["xiehe"], world["tongji"]
    yichang = factories.training_base(world["hubei"], "宜昌医院", city="宜昌市")
    plan = [
        (world["xiehe_internal"], 5, 4),
        (factories.specialty_base(xiehe, paediatrics), 2, 1),
        (world["tongji_internal"], 4, 1),
        (factories.specialty_base(tongji, general), 3, 3),
        (factories.specialty_base(yichang, internal), 6, 0),
        (factories.specialty_base(yichang, paediatrics), 3, 0),
        (factories.specialty_base(yichang, general), 4, 1),
    ]
    quotas = {}
    for specialty_base, places, admitted in plan:
        quotas[specialty_base.pk] = set_quota(
            actor=province_user, campaign=campaign, specialty_base=specialty_base, places=places
        )
        admit(campaign, specialty_base, admitted)
    enter(campaign, quotas[world["xiehe_internal"].pk], 1, by=province_user)
    admit(campaign, plan[1][0], 1, stage=Stage.PROPOSED)
    admit(campaign, plan[0][0], 2, stage=Stage.NOT_ADMITTED)
    enter(campaign, quotas[world["tongji_internal"].pk], 1, by=province_user, status=EntryStatus.CANCELLED)
    hunan = world["hunan_campaign"]
    do_set_quota(actor=None, campaign=hunan, specialty_base=world["changsha_internal"], places=5)
    admit(hunan, world["changsha_internal"], 5)
    return {"campaign": campaign, "yichang": yichang}


@pytest.fixture
def season(world, people):
    return seed_season(world, people["province"])


def figures(rows):
    return [(row.label, row.places, row.admitted, row.rate) for row in rows]


# The arithmetic ----------------------------------------------------------------------------------


def test_completion_rate_is_a_percentage_rounded_half_up_to_one_decimal():
    assert kpis.completion_rate(admitted=2, places=3) == Decimal("66.7")
    assert kpis.completion_rate(admitted=1, places=8) == Decimal("12.5")
    assert kpis.completion_rate(admitted=1, places=16) == Decimal("6.3")  # 6.25 rounds up
    assert kpis.completion_rate(admitted=0, places=4) == Decimal("0.0")
    assert kpis.completion_rate(admitted=0, places=0) is None


def test_the_proposed_cut_is_proportional_to_the_shortfall_and_rounds_halves_up():
    # 5 × 1/2 = 2.5 → 3; 6 × 6/7 = 5.14 → 5; 7 × 1/4 = 1.75 → 2; 4 × 1/8 = 0.5 → 1; 3 × 1/8 = 0.375 → 0
    assert kpis.proposed_cut(non_shortage_plan=5, shortage_plan=2, shortage_admitted=1) == 3
    assert kpis.proposed_cut(non_shortage_plan=6, shortage_plan=7, shortage_admitted=1) == 5
    assert kpis.proposed_cut(non_shortage_plan=7, shortage_plan=4, shortage_admitted=3) == 2
    assert kpis.proposed_cut(non_shortage_plan=4, shortage_plan=8, shortage_admitted=7) == 1
    assert kpis.proposed_cut(non_shortage_plan=3, shortage_plan=8, shortage_admitted=7) == 0
    # Nothing admitted in shortage specialties: the whole non-shortage plan goes.
    assert kpis.proposed_cut(non_shortage_plan=9, shortage_plan=3, shortage_admitted=0) == 9
    # The plan met or exceeded, or no shortage plan at all: no cut.
    assert kpis.proposed_cut(non_shortage_plan=9, shortage_plan=3, shortage_admitted=3) == 0
    assert kpis.proposed_cut(non_shortage_plan=9, shortage_plan=3, shortage_admitted=4) == 0
    assert kpis.proposed_cut(non_shortage_plan=9, shortage_plan=0, shortage_admitted=0) == 0


# The seeded season -------------------------------------------------------------------------------


def test_completion_per_base_city_and_specialty_matches_the_hand_computed_figures(season):
    lines = plan_lines(campaign=season["campaign"])
    assert figures(kpis.completion_by_base(lines)) == [
        ("协和医院", 7, 6, Decimal("85.7")),  # 6/7 = 85.71
        ("同济医院", 7, 4, Decimal("57.1")),  # 4/7 = 57.14
        ("宜昌医院", 13, 1, Decimal("7.7")),  # 1/13 = 7.69
    ]
    assert figures(kpis.completion_by_city(lines)) == [
        ("宜昌市", 13, 1, Decimal("7.7")),
        ("武汉市", 14, 10, Decimal("71.4")),  # 10/14 = 71.43
    ]
    assert figures(kpis.completion_by_specialty(lines)) == [
        ("儿科", 5, 1, Decimal("20.0")),  # shortage specialties first, by code
        ("全科", 7, 4, Decimal("57.1")),
        ("内科", 15, 6, Decimal("40.0")),
    ]


def test_shortage_completion_for_the_province_and_per_base(season):
    lines = plan_lines(campaign=season["campaign"])
    shortage = kpis.shortage_completion(lines)
    assert (shortage.places, shortage.admitted, shortage.rate) == (12, 5, Decimal("41.7"))  # 5/12 = 41.67
    assert figures(kpis.shortage_completion_by_base(lines)) == [
        ("协和医院", 2, 1, Decimal("50.0")),
        ("同济医院", 3, 3, Decimal("100.0")),
        ("宜昌医院", 7, 1, Decimal("14.3")),  # 1/7 = 14.29
    ]


def test_the_bases_that_missed_their_shortage_plan_get_a_proportional_cut(season):
    cuts = kpis.proposed_cuts(plan_lines(campaign=season["campaign"]))
    assert [
        (c.base_name, c.shortage_plan, c.shortage_admitted, c.shortfall, c.non_shortage_plan, c.cut) for c in cuts
    ] == [
        ("协和医院", 2, 1, 1, 5, 3),  # 5 × 1/2 = 2.5, rounded half up
        ("宜昌医院", 7, 1, 6, 6, 5),  # 6 × 6/7 = 5.14
    ]  # 同济 met its 3 全科 places: no cut


# The page and the export -------------------------------------------------------------------------


def test_the_province_sees_the_figures_and_charts(client, season, people):
    client.force_login(people["province"])
    response = client.get(reverse("kpi-dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["overall"].rate == Decimal("40.7")  # 11/27 = 40.74
    assert response.context["shortage"].rate == Decimal("41.7")
    for testid in ("chart-city", "chart-specialty", "chart-shortage", "chart-base"):
        assert f'data-testid="{testid}"' in html
    assert html.count('class="bar"') == 2 + 3 + 3 + 3
    assert "<title>武汉市：10/14 · 71.4%</title>" in html
    assert "湘雅医院" not in html
    assert "style=" not in html.split("<main>")[1]
    cut_rows = list(response.context["cuts"])
    assert [(c.base_name, c.cut) for c in cut_rows] == [("协和医院", 3), ("宜昌医院", 5)]
    assert "2027年度非紧缺专业计划建议削减" in html


def test_the_dashboard_links_to_the_kpis(client, season, people):
    client.force_login(people["province"])
    assert reverse("kpi-dashboard") in client.get(reverse("province-dashboard")).content.decode()


def test_the_cuts_export_as_csv_and_excel(client, season, people):
    client.force_login(people["province"])
    response = client.get(reverse("kpi-cuts-export"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        [
            "培训基地",
            "所在市州",
            "紧缺专业招收计划",
            "紧缺专业已录取",
            "紧缺专业缺口",
            "非紧缺专业招收计划",
            "2027年度建议削减非紧缺专业计划",
        ],
        ["协和医院", "武汉市", "2", "1", "1", "5", "3"],
        ["宜昌医院", "宜昌市", "7", "1", "6", "6", "5"],
    ]
    response = client.get(reverse("kpi-cuts-export"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ["协和医院", "武汉市", 2, 1, 1, 5, 3],
        ["宜昌医院", "宜昌市", 7, 1, 6, 6, 5],
    ]


def test_a_base_name_is_never_a_formula_in_the_csv(client, season, people):
    season["yichang"].name = "=HYPERLINK(1)"
    season["yichang"].save()
    client.force_login(people["province"])
    rows = list(csv.reader(io.StringIO(client.get(reverse("kpi-cuts-export")).content.decode("utf-8-sig"))))
    assert rows[2][0] == "'=HYPERLINK(1)"


@pytest.mark.parametrize("name", ["kpi-dashboard", "kpi-cuts-export"])
def test_only_the_provincial_office_of_the_province_sees_the_kpis(client, season, people, name):
    url = reverse(name)
    assert client.get(url).status_code == 302  # to the login page
    for other in ("xiehe_office", "xiehe_staff", "employer", "applicant"):
        client.force_login(people[other])
        assert client.get(url).status_code == 403, other
    client.force_login(people["hunan_province"])
    assert client.get(url, {"campaign": season["campaign"].pk}).status_code == 403
    assert client.get(url, {"campaign": "x"}).status_code == 404
    response = client.get(url)  # Hunan's own campaign: its base, none of Hubei's
    assert response.status_code == 200
    assert "协和医院" not in response.content.decode("utf-8-sig")


def test_the_kpi_page_queries_stay_flat_as_bases_grow(client, world, people):
    campaign = world["hubei_campaign"]
    client.force_login(people["province"])
    url = reverse("kpi-dashboard")
    factories.grow_plan(campaign, 10)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    specialty_bases = factories.grow_plan(campaign, 300)
    admit(campaign, specialty_bases[0], 3)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


# The chart ---------------------------------------------------------------------------------------


def test_a_bar_chart_is_plain_accessible_svg():
    svg = bar_chart([("协和<医院>", 3, 4), ("超额", 5, 4), ("无计划", 0, 0)], title="完成率")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and ">完成率</title>" in svg
    assert "<title>协和&lt;医院&gt;：3/4 · 75.0%</title>" in svg
    assert "<script" not in svg and "style=" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    # The bar for 3 of 4 is three quarters of the track; an overfilled plan stops at the full track.
    assert 'class="bar" x="0" y="28" width="300"' in svg
    assert svg.count('width="400"') == 3 + 1  # three tracks and the full bar
    assert svg.count('width="0"') == 1


def test_a_long_label_is_shortened_on_the_chart_and_kept_whole_in_its_title():
    name = "华中科技大学同济医学院附属协和医院西院区"
    svg = bar_chart([(name, 1, 2)], title="完成率")
    assert f"<title>{name}：1/2 · 50.0%</title>" in svg
    assert '<text class="bar-label" x="0" y="22">华中科技大学同济医学院附属协和医…</text>' in svg
