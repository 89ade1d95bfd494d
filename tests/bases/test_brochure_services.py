import pytest
from django.core.exceptions import PermissionDenied

from bases.models import BrochureStatus, BrochureVersion
from bases.services.brochures import (
    IncompleteBrochure,
    approve_brochure,
    publish_brochure,
    return_brochure,
    save_brochure_draft,
    start_brochure_draft,
    submit_brochure,
)
from policy.rules.brochures import SECTIONS
from portal.models import AuditEvent, Notification
from portal.states import IllegalTransition
from tests.brochure_helpers import complete_sections, give_plan


@pytest.fixture
def draft(world, people):
    give_plan(world)
    return start_brochure_draft(
        actor=people["xiehe_office"], campaign=world["hubei_campaign"], training_base=world["xiehe"]
    )


def test_completeness_check_names_each_missing_or_thin_section(people, draft):
    sections = complete_sections()
    sections["overview"] = "太短"
    del sections["pay_wages"]
    save_brochure_draft(actor=people["xiehe_office"], version=draft, applicant_types=[], sections=sections)
    with pytest.raises(IncompleteBrochure) as error:
        submit_brochure(actor=people["xiehe_office"], version=draft)
    problems = {gap.key: str(gap.problem) for gap in error.value.gaps}
    assert set(problems) == {"applicant_types", "overview", "pay_wages"}
    assert "至少 80 字，现为 2 字" in problems["overview"]
    assert problems["pay_wages"] == "未填写。"
    assert BrochureVersion.objects.get(pk=draft.pk).status == BrochureStatus.DRAFT


def test_an_empty_brochure_lists_every_section(people, draft):
    with pytest.raises(IncompleteBrochure) as error:
        submit_brochure(actor=people["xiehe_office"], version=draft)
    assert {gap.key for gap in error.value.gaps} == {s.key for s in SECTIONS} | {"applicant_types"}


def test_a_base_without_plan_cannot_submit(world, people):
    version = start_brochure_draft(
        actor=people["tongji_office"], campaign=world["hubei_campaign"], training_base=world["tongji"]
    )
    save_brochure_draft(
        actor=people["tongji_office"],
        version=version,
        applicant_types=["open_recruitment"],
        sections=complete_sections(),
    )
    with pytest.raises(IncompleteBrochure) as error:
        submit_brochure(actor=people["tongji_office"], version=version)
    assert [gap.key for gap in error.value.gaps] == ["plan"]


def _submitted(people, draft):
    save_brochure_draft(
        actor=people["xiehe_office"], version=draft, applicant_types=["open_recruitment"], sections=complete_sections()
    )
    return submit_brochure(actor=people["xiehe_office"], version=draft)


def test_the_whole_cycle_keeps_every_version_and_comment(world, people, draft):
    office, province = people["xiehe_office"], people["province"]
    first = _submitted(people, draft)
    assert first.plan_snapshot == [{"specialty": "内科", "places": 5, "capacity": 10}]
    assert Notification.objects.filter(recipient=province, kind="brochure.submitted").exists()
    return_brochure(actor=province, version=first, comments={"pay_wages": "请写明具体金额", "overview": ""})
    assert Notification.objects.filter(recipient=office, kind="brochure.returned").exists()
    second = start_brochure_draft(actor=office, campaign=world["hubei_campaign"], training_base=world["xiehe"])
    assert second.number == 2 and second.sections == first.sections
    sections = dict(second.sections, pay_wages="每月基本工资4500元，绩效另计，按月发放。")
    save_brochure_draft(
        actor=office, version=second, applicant_types=["open_recruitment", "entrusted"], sections=sections
    )
    submit_brochure(actor=office, version=second)
    approve_brochure(actor=province, version=second, note="同意")
    publish_brochure(actor=office, version=second)
    versions = {v.number: v for v in BrochureVersion.objects.filter(brochure=draft.brochure)}
    assert versions[1].status == BrochureStatus.RETURNED
    assert [(c.section, c.text) for c in versions[1].comments.all()] == [("pay_wages", "请写明具体金额")]
    assert versions[1].sections["pay_wages"] != versions[2].sections["pay_wages"]
    assert versions[2].status == BrochureStatus.PUBLISHED and versions[2].published_at
    version_ids = [str(v.pk) for v in versions.values()]
    actions = list(
        AuditEvent.objects.filter(object_id__in=version_ids, action__startswith="brochure.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == ["brochure.save", "brochure.submit", "brochure.approved", "brochure.publish"]


def test_a_published_brochure_is_frozen_and_a_change_needs_a_new_audit(world, people, draft):
    office, province = people["xiehe_office"], people["province"]
    version = _submitted(people, draft)
    approve_brochure(actor=province, version=version)
    publish_brochure(actor=office, version=version)
    with pytest.raises(Exception, match="不能再修改"):
        save_brochure_draft(actor=office, version=version, applicant_types=[], sections={})
    revision = start_brochure_draft(actor=office, campaign=world["hubei_campaign"], training_base=world["xiehe"])
    submit_brochure(actor=office, version=revision)
    with pytest.raises(Exception, match="审核通过后才能发布"):
        publish_brochure(actor=office, version=revision)
    approve_brochure(actor=province, version=revision)
    publish_brochure(actor=office, version=revision)
    version.refresh_from_db()
    assert version.status == BrochureStatus.SUPERSEDED


def test_a_base_office_cannot_approve_its_own_brochure(people, draft):
    version = _submitted(people, draft)
    with pytest.raises(PermissionDenied):
        approve_brochure(actor=people["xiehe_office"], version=version)
    with pytest.raises(PermissionDenied):
        return_brochure(actor=people["xiehe_office"], version=version, comments={"": "自己退回"})


def test_another_base_and_another_province_cannot_touch_it(people, draft):
    with pytest.raises(PermissionDenied):
        save_brochure_draft(actor=people["tongji_office"], version=draft, applicant_types=[], sections={})
    version = _submitted(people, draft)
    with pytest.raises(PermissionDenied):
        approve_brochure(actor=people["hunan_province"], version=version)


def test_deciding_twice_is_an_illegal_transition(people, draft):
    version = _submitted(people, draft)
    approve_brochure(actor=people["province"], version=version)
    with pytest.raises(IllegalTransition) as error:
        return_brochure(actor=people["province"], version=version, comments={"": "再退回"})
    assert "审核通过" in error.value.message and error.value.status == 409


def test_returning_needs_a_comment(people, draft):
    version = _submitted(people, draft)
    with pytest.raises(Exception, match="至少填写一条意见"):
        return_brochure(actor=people["province"], version=version, comments={"overview": "  "})
