"""The plan import goes through a release (portal.releases): the preview shows places and capacity
per specialty base before → after; another person of the provincial office confirms it, never the
one who prepared it; an undo restores every quota and capacity exactly and removes the specialty
bases it created, until an applicant files a choice."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from admissions.services.choices import submit_choice
from bases.models import Quota, SpecialtyBase
from bases.services.plan_excel import HEADERS, prepare_plan_release
from bases.services.quotas import do_set_quota
from portal.errors import DomainError
from portal.models import AuditEvent, Notification, ReleaseStatus, Role
from portal.releases import confirm_release, undo_release, undo_window
from tests import factories
from tests.applicant_helpers import complete_applicant
from tests.round_helpers import at

PREPARED = (2026, 3, 20, 10, 0)  # before round 1's choices open on 04-08
RELEASED = (2026, 3, 20, 10, 5)


def _xlsx(*rows):
    workbook = Workbook()
    workbook.active.append(HEADERS)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# 协和 内科 6 → 4 and capacity 10 → 8; 同济 内科 4 → 12 and capacity 10 → 14; 同济 外科 new, 3 of 8.
FILE = (("协和医院", "内科", 4, 8), ("同济医院", "内科", 12, 14), ("同济医院", "外科", 3, 8))


@pytest.fixture
def plan(world, people):
    campaign = world["hubei_campaign"]
    for base, places in ((world["xiehe_internal"], 6), (world["tongji_internal"], 4)):
        do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=places)
    factories.specialty("0200", "外科")
    return {
        "campaign": campaign,
        "province": people["province"],
        "second": factories.user(Role.PROVINCIAL_OFFICE, province=world["hubei"]),
        **world,
        **people,
    }


def _plan_state():
    return (
        sorted(Quota.objects.values_list("campaign", "specialty_base", "places", "capacity")),
        sorted(SpecialtyBase.objects.values_list("pk", "training_base", "specialty", "capacity")),
    )


def _prepare(plan, *rows):
    with at(*PREPARED):
        return prepare_plan_release(actor=plan["province"], campaign=plan["campaign"], file=_xlsx(*rows or FILE))


def test_the_preview_shows_places_and_capacity_per_specialty_base_before_and_after(plan):
    before = _plan_state()
    prepared = _prepare(plan)
    assert (prepared.rows, prepared.changed) == (3, 3)
    preview = prepared.release.preview
    assert preview["places"] == [10, 19]
    assert preview["changes"] == [
        {
            "training_base": "协和医院",
            "specialty": "内科",
            "new": False,
            "places": [6, 4],
            "capacity": [10, 8],
            "held": 0,
        },
        {
            "training_base": "同济医院",
            "specialty": "内科",
            "new": False,
            "places": [4, 12],
            "capacity": [10, 14],
            "held": 0,
        },
        {
            "training_base": "同济医院",
            "specialty": "外科",
            "new": True,
            "places": [None, 3],
            "capacity": [None, 8],
            "held": 0,
        },
    ]
    assert _plan_state() == before
    told = Notification.objects.filter(kind="release.pending").values_list("recipient", flat=True)
    assert list(told) == [plan["second"].pk]


def test_only_another_person_of_the_provincial_office_confirms(plan):
    release = _prepare(plan).release
    with at(*RELEASED), pytest.raises(DomainError) as refused:
        confirm_release(actor=plan["province"], release=release)
    assert refused.value.code == "same_person"
    for outsider in ("xiehe_office", "hunan_province"):
        with at(*RELEASED), pytest.raises(PermissionDenied):
            confirm_release(actor=plan[outsider], release=release)
    with at(*RELEASED):
        confirm_release(actor=plan["second"], release=release)
    assert Quota.objects.get(specialty_base=plan["tongji_internal"]).places == 12
    assert SpecialtyBase.objects.get(training_base=plan["tongji"], specialty__name="外科").capacity == 8
    event = AuditEvent.objects.get(action="release.confirm")
    assert (event.after["prepared_by"], event.after["released_by"]) == (
        plan["province"].username,
        plan["second"].username,
    )


def test_an_undo_restores_every_quota_and_capacity_exactly(plan):
    before = _plan_state()
    release = _prepare(plan).release
    with at(*RELEASED):
        release = confirm_release(actor=plan["second"], release=release)
    assert _plan_state() != before
    with at(2026, 3, 20, 10, 25):
        undo_release(actor=plan["province"], release=release, reason="误传了草稿")
    assert _plan_state() == before
    assert not SpecialtyBase.objects.filter(specialty__name="外科").exists()
    release.refresh_from_db()
    assert release.status == ReleaseStatus.UNDONE
    assert AuditEvent.objects.filter(action="specialty_base.remove").count() == 1
    assert not Notification.objects.filter(kind="release.withdrawn").exists()


def test_no_undo_once_an_applicant_has_filed_a_choice(plan):
    applicant = complete_applicant(1)
    with at(2026, 4, 8, 9):
        release = confirm_release(actor=plan["second"], release=_prepare(plan).release)
        submit_choice(
            actor=applicant.user,
            applicant=applicant,
            campaign=plan["campaign"],
            specialty_base=plan["xiehe_internal"],
        )
        assert "已有考生填报志愿" in undo_window(release).reason
        with pytest.raises(DomainError) as refused:
            undo_release(actor=plan["province"], release=release)
    assert refused.value.code == "release_acted_on"
    assert Quota.objects.get(specialty_base=plan["tongji_internal"]).places == 12


def test_a_plan_edited_since_the_preview_is_not_overwritten(plan):
    release = _prepare(plan).release
    do_set_quota(actor=None, campaign=plan["campaign"], specialty_base=plan["tongji_internal"], places=5)
    with at(*RELEASED), pytest.raises(DomainError) as refused:
        confirm_release(actor=plan["second"], release=release)
    assert refused.value.code == "release_stale"
    assert Quota.objects.get(specialty_base=plan["tongji_internal"]).places == 5
    assert not SpecialtyBase.objects.filter(specialty__name="外科").exists()
