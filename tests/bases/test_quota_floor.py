"""Issue 11, item 11: a quota is never cut below the places already held — proposals, admissions and
entries outside the rounds — by the plan import, the admin or any other quota edit, also while a
proposal races the cut."""

import datetime
import io

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook

from admissions.models import Assessment, Stage
from admissions.services.assessments import decide_admission
from admissions.services.entries import assign_rural_order_graduate
from bases.models import Quota
from bases.services.plan_excel import HEADERS, PlanImportError, prepare_plan_release
from bases.services.quotas import QuotaBelowHeld, do_set_quota
from policy.identity import make_resident_id
from portal.errors import DomainError
from tests.concurrency import run_together
from tests.round_helpers import at, bulk_candidates


def _xlsx(*rows):
    workbook = Workbook()
    workbook.active.append(HEADERS)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def held(world, people):
    """Xiehe internal medicine: 5 places, two proposed candidates and one rural order graduate."""
    campaign, base = world["hubei_campaign"], world["xiehe_internal"]
    quota = do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=5)
    bulk_candidates(campaign, base, 2, stage=Stage.PROPOSED)
    with at(2026, 3, 30, 9):
        assign_rural_order_graduate(
            actor=people["province"],
            quota=quota,
            full_name="订单甲",
            id_type="resident_id",
            id_number=make_resident_id("421002", datetime.date(2002, 8, 8), 11),
            school="湖北医药学院",
            agreement_region="武汉市",
        )
    return quota


def test_a_quota_edit_below_the_places_held_is_refused_with_both_numbers(held, world):
    with pytest.raises(QuotaBelowHeld) as refused:
        do_set_quota(actor=None, campaign=held.campaign, specialty_base=world["xiehe_internal"], places=2)
    assert "招收计划 2 人" in refused.value.message and "已占用的 3 人" in refused.value.message
    held.refresh_from_db()
    assert held.places == 5
    assert (
        do_set_quota(actor=None, campaign=held.campaign, specialty_base=world["xiehe_internal"], places=3).places == 3
    )


def test_the_plan_import_names_the_row_that_cuts_below_the_places_held(held, people):
    with pytest.raises(PlanImportError) as refused:
        prepare_plan_release(
            actor=people["province"],
            campaign=held.campaign,
            file=_xlsx(("同济医院", "内科", 2, 10), ("协和医院", "内科", 1, 10)),
        )
    assert refused.value.errors == [
        "第3行：招收计划 1 人，少于已占用的 3 人（拟录取、录取及专硕与订单定向录入），不能调减"
    ]
    held.refresh_from_db()
    assert held.places == 5
    assert not Quota.objects.filter(specialty_base__training_base__name="同济医院").exists()


def test_the_admin_cannot_cut_below_the_places_held_either(held, client):
    from portal.models import User

    admin = User.objects.create_superuser("root", "root@example.com", "Correct-horse-9")
    client.force_login(admin)
    url = reverse("admin:bases_quota_change", args=[held.pk])
    response = client.post(
        url,
        {
            "campaign": held.campaign_id,
            "specialty_base": held.specialty_base_id,
            "places": 1,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "已占用的 3 人" in response.content.decode()
    held.refresh_from_db()
    assert held.places == 5


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are checked on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_cut_racing_a_proposal_never_leaves_more_held_than_planned(world, people):
    campaign, base = world["hubei_campaign"], world["xiehe_internal"]
    for attempt in range(5):
        Assessment.objects.filter(specialty_base=base).update(stage=Stage.NOT_ADMITTED)
        quota = do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=3)
        bulk_candidates(campaign, base, 1, stage=Stage.PROPOSED)
        candidate = bulk_candidates(campaign, base, 1)[0]
        outcomes = {}

        def act(kind, quota=quota, candidate=candidate, outcomes=outcomes):
            with at(2026, 5, 2, 10):
                try:
                    if kind == "cut":
                        do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=1)
                    else:
                        decide_admission(actor=people["xiehe_office"], assessment=candidate, admit=True)
                    outcomes[kind] = "done"
                except DomainError as error:
                    outcomes[kind] = error.code

        run_together(["cut", "propose"], act)
        quota.refresh_from_db()
        taken = Assessment.objects.filter(specialty_base=base, stage=Stage.PROPOSED).count()
        assert taken <= quota.places, (attempt, outcomes)
        assert sorted(outcomes.values()) in (["done", "quota_below_held"], ["done", "quota_full"]), outcomes
