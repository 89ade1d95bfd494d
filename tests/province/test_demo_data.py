import datetime

import pytest
import time_machine
from django.core.management import call_command

from admissions.demo import generate_applicants
from admissions.models import Applicant
from bases.models import BrochureVersion, Quota, Specialty, SpecialtyBase, TrainingBase
from policy.identity import parse_resident_id
from policy.models import Campaign
from portal.models import AuditEvent, Role, User

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "bases": list(
            TrainingBase.objects.order_by("id").values_list(
                "name", "city", "contact_person", "phone_numbers", "qq_groups"
            )
        ),
        "specialty_bases": list(
            SpecialtyBase.objects.order_by("id").values_list("training_base__name", "specialty__code", "capacity")
        ),
        "quotas": list(Quota.objects.order_by("id").values_list("specialty_base_id", "places", "capacity")),
        "campaigns": list(Campaign.objects.values_list("year", "round1_opens", "round1_closes", "reporting_by")),
        "users": list(User.objects.order_by("username").values_list("username", "role")),
        "brochures": list(
            BrochureVersion.objects.order_by("id").values_list("brochure__training_base__name", "status")
        ),
        "events": AuditEvent.objects.count(),
    }


def test_loading_twice_gives_the_same_data(capsys):
    call_command("load_demo", year=2026)
    first = snapshot()
    call_command("load_demo", year=2026)
    assert snapshot() == first
    assert len(first["bases"]) == 37
    assert first["campaigns"][0][1].isoformat() == "2026-04-08"
    assert "xiehe-office" in capsys.readouterr().out


def test_the_annex_contacts_and_inferred_cities():
    call_command("load_demo", year=2026)
    xiehe = TrainingBase.objects.get(name="华中科技大学同济医学院附属协和医院")
    assert (xiehe.city, xiehe.contact_person, xiehe.phone_numbers, xiehe.qq_groups) == (
        "武汉市",
        "何老师",
        "027-85726935",
        "340728617 410365317",
    )
    assert TrainingBase.objects.get(name="国药东风总医院（湖北医药学院附属东风医院）").city == "十堰市"
    assert TrainingBase.objects.filter(city="武汉市").count() == 17
    cities = set(TrainingBase.objects.values_list("city", flat=True))
    assert cities == {
        "武汉市",
        "黄石市",
        "十堰市",
        "宜昌市",
        "襄阳市",
        "荆门市",
        "孝感市",
        "荆州市",
        "黄冈市",
        "恩施州",
        "鄂州市",
        "咸宁市",
        "随州市",
        "天门市",
    }


def test_plan_respects_capacity_and_specialised_hospitals():
    call_command("load_demo", year=2026)
    assert all(places <= capacity for places, capacity in Quota.objects.values_list("places", "capacity"))
    stomatology = set(
        SpecialtyBase.objects.filter(training_base__name="襄阳市口腔医院").values_list("specialty__category", flat=True)
    )
    assert stomatology == {"stomatology"}
    assert Specialty.objects.count() == 35
    campaign = Campaign.objects.get()
    assert set(campaign.shortage_specialties.values_list("name", flat=True)) == {
        "全科",
        "儿科",
        "儿外科",
        "精神科",
        "麻醉科",
        "妇产科",
        "急诊科",
        "临床病理科",
        "重症医学科",
    }


def test_one_demo_user_per_role():
    call_command("load_demo", year=2026)
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    staff = User.objects.get(username="xiehe-internal")
    assert staff.specialty_base.training_base == staff.training_base
    from admissions.selectors.checklist import missing_items

    assert missing_items(User.objects.get(username="applicant-demo").applicant) == []


def test_synthetic_applicants_have_valid_unique_ids_and_top_up_idempotently():
    assert generate_applicants(count=1500, password="x-Password-1", batch_size=400) == 1500
    assert generate_applicants(count=1600, password="x-Password-1", batch_size=400) == 100
    applicants = list(Applicant.objects.all())
    assert len(applicants) == 1600
    assert len({a.id_number for a in applicants}) == 1600
    for applicant in applicants:
        parsed = parse_resident_id(applicant.id_number)
        assert (parsed.birth_date, parsed.sex) == (applicant.birth_date, applicant.sex)


def test_brochures_show_every_stage_and_the_overdue_bases():
    from collections import Counter

    call_command("load_demo", year=2026)
    statuses = Counter(BrochureVersion.objects.values_list("status", flat=True))
    assert statuses == {"published": 25, "returned": 4, "submitted": 3, "draft": 3}
    last_two = TrainingBase.objects.order_by("-sort_order")[:2]
    assert not BrochureVersion.objects.filter(brochure__training_base__in=last_two).exists()


def test_a_past_round_one_season_is_loaded_through_the_services():
    from admissions.models import Admission, Assessment, PublicityList

    with time_machine.travel(datetime.datetime(2026, 11, 25, 10, tzinfo=datetime.UTC), tick=False):
        call_command("load_demo", year=2026)
        call_command("load_demo", year=2026)
    stages = sorted(Assessment.objects.values_list("stage", flat=True))
    assert stages == ["admitted"] * 3 + ["declined"] + ["not_admitted"] * 2
    assert Admission.objects.count() == 3
    # Published on 29 April, the list stays public across Labour Day to 12 May.
    assert list(PublicityList.objects.values_list("last_day", flat=True)) == [datetime.date(2026, 5, 12)]
