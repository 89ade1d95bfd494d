"""The scoring formula of a specialty base (计分公式): versioned, changed freely by the base office
until the first score is in, then only by the provincial office with a reason."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from admissions.services.assessments import record_scores, review_qualification
from admissions.services.choices import submit_choice
from bases.models import ScoringFormula
from bases.services.quotas import do_set_quota
from bases.services.scoring import change_formula
from portal.errors import DomainError
from portal.models import AuditEvent, Notification
from tests import factories
from tests.applicant_helpers import complete_applicant

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def quota(world):
    return do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=world["xiehe_internal"], places=3)


def first_score(world, people):
    """An applicant chooses Xiehe's internal medicine and is scored: the specialty base's first score."""
    applicant = complete_applicant(1)
    with at(2026, 4, 10, 9):
        application = submit_choice(
            actor=applicant.user,
            applicant=applicant,
            campaign=world["hubei_campaign"],
            specialty_base=world["xiehe_internal"],
        ).application
    with at(2026, 4, 27, 10):
        assessment = review_qualification(actor=people["xiehe_staff"], application=application, passed=True)
        record_scores(
            actor=people["xiehe_staff"],
            assessment=assessment,
            interview_score=80,
            exam_score=None,
            interview_mode="on_site",
        )


def formula_url(quota):
    return reverse("scoring-formula", args=[quota.pk])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_new_quota_comes_with_version_1_the_notices_default(world, quota):
    (formula,) = quota.formulas.all()
    assert (formula.version, formula.interview_weight, formula.exam_weight, formula.tie_break) == (
        1,
        50,
        50,
        "exam_first",
    )
    assert formula.created_by is None and formula.approved_by is None
    assert formula.label == "计分公式第1版（面试50%，专业考试50%）"
    # Quotas made in bulk (the plan's fixtures, the bench) get theirs too.
    bases = factories.grow_plan(world["hubei_campaign"], 10)
    assert ScoringFormula.objects.filter(quota__specialty_base__in=bases, version=1).count() == 10


def test_the_office_changes_the_formula_before_any_score_and_each_change_is_a_new_version(client, people, quota):
    office = people["xiehe_office"]
    client.force_login(office)
    page = client.get(formula_url(quota)).content.decode()
    assert "计分公式第1版（面试50%，专业考试50%）" in page and "保存为新版本" in page
    response = client.post(
        formula_url(quota), {"interview_weight": 60, "exam_weight": 40, "tie_break": "interview_first"}
    )
    assert response.status_code == 302
    assert "计分公式已保存为新版本。" in messages_of(response)
    second = quota.formulas.get(version=2)
    assert (second.interview_weight, second.exam_weight, second.tie_break) == (60, 40, "interview_first")
    assert (second.created_by, second.approved_by) == (office, None)
    change_formula(actor=office, quota=quota, interview_weight=70, exam_weight=30, tie_break="interview_first")
    assert list(quota.formulas.values_list("version", flat=True)) == [3, 2, 1]

    event = AuditEvent.objects.filter(action="scoring_formula.change").order_by("pk").first()
    assert (event.actor, event.before["version"], event.after["version"]) == (office, 1, 2)
    assert event.after["after_scoring"] is False and event.training_base_id == quota.specialty_base.training_base_id

    home = client.get(reverse("office-home")).content.decode()
    assert "计分公式第3版（面试70%，专业考试30%）" in home
    history = client.get(formula_url(quota)).content.decode()
    assert history.count('data-testid="formula-version"') == 3
    assert "先比面试成绩，再比专业考试成绩" in history


def test_after_the_first_score_the_office_is_refused_and_only_the_province_changes_it(client, world, people, quota):
    first_score(world, people)
    office, province = people["xiehe_office"], people["province"]

    with pytest.raises(DomainError) as refused:
        change_formula(actor=office, quota=quota, interview_weight=60, exam_weight=40, tie_break="exam_first")
    assert refused.value.status == 403
    assert "已录入考核成绩，计分公式不能再由培训基地修改" in refused.value.message
    assert "联系省毕业后医学教育委员会办公室" in refused.value.message

    client.force_login(office)
    page = client.get(formula_url(quota)).content.decode()
    assert 'data-testid="scored"' in page and "保存为新版本" not in page
    response = client.post(formula_url(quota), {"interview_weight": 60, "exam_weight": 40, "tie_break": "exam_first"})
    assert response.status_code == 400 and "计分公式不能再由培训基地修改" in response.content.decode()
    assert quota.formulas.count() == 1

    client.force_login(province)
    without_reason = client.post(
        formula_url(quota), {"interview_weight": 60, "exam_weight": 40, "tie_break": "exam_first"}
    )
    assert without_reason.status_code == 400
    assert "已录入考核成绩后修改计分公式，请写明理由。" in without_reason.content.decode()
    assert quota.formulas.count() == 1
    response = client.post(
        formula_url(quota),
        {"interview_weight": 60, "exam_weight": 40, "tie_break": "exam_first", "reason": "专业委员会统一口径"},
    )
    assert response.status_code == 302
    formula = quota.formulas.get(version=2)
    assert (formula.created_by, formula.approved_by, formula.reason) == (province, province, "专业委员会统一口径")

    event = AuditEvent.objects.get(action="scoring_formula.change")
    assert (event.actor, event.after["after_scoring"], event.reason) == (province, True, "专业委员会统一口径")
    notice = Notification.objects.get(recipient=office, kind="scoring_formula.changed")
    assert "计分公式第2版（面试60%，专业考试40%）" in notice.body and "专业委员会统一口径" in notice.body
    history = client.get(formula_url(quota)).content.decode()
    assert province.get_username() in history and "专业委员会统一口径" in history


def test_the_weights_are_whole_percentages_adding_up_to_100_and_a_change_changes_something(client, people, quota):
    office = people["xiehe_office"]
    for interview, exam in ((60, 60), (0, 0), (101, -1)):
        with pytest.raises(DomainError) as refused:
            change_formula(
                actor=office, quota=quota, interview_weight=interview, exam_weight=exam, tie_break="exam_first"
            )
        assert refused.value.status == 400 and "两者之和为 100" in refused.value.message
    with pytest.raises(DomainError) as refused:
        change_formula(actor=office, quota=quota, interview_weight=50, exam_weight=50, tie_break="exam_first")
    assert refused.value.message == "与现行计分公式相同，没有修改。"
    with pytest.raises(DomainError) as refused:
        change_formula(actor=office, quota=quota, interview_weight=40, exam_weight=60, tie_break="by_name")
    assert "请选择综合成绩相同时的排序规则" in refused.value.message

    client.force_login(office)
    response = client.post(formula_url(quota), {"interview_weight": 70, "exam_weight": 40, "tie_break": "exam_first"})
    assert response.status_code == 400
    assert "两者之和为 100" in response.content.decode()
    assert quota.formulas.count() == 1


def test_only_the_quotas_own_offices_may_change_it(client, world, people, quota):
    for who in ("tongji_office", "hunan_province", "xiehe_staff", "applicant"):
        client.force_login(people[who])
        assert client.get(formula_url(quota)).status_code == 403
        response = client.post(
            formula_url(quota), {"interview_weight": 60, "exam_weight": 40, "tie_break": "exam_first"}
        )
        assert response.status_code == 403
    assert quota.formulas.count() == 1
    client.force_login(people["tongji_office"])
    assert "协和医院" not in client.get(reverse("scoring-formulas")).content.decode()


def test_the_provincial_list_names_each_current_version_in_flat_queries(client, world, people, quota):
    factories.formula(world["xiehe_internal"], 40, 60)
    client.force_login(people["province"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("scoring-formulas"))
        assert response.status_code == 200
        return len(queries), response.content.decode()

    factories.grow_plan(world["hubei_campaign"], 10)
    few, page = count()
    assert "计分公式第2版（面试40%，专业考试60%）" in page
    assert page.count('data-testid="formula"') == 11
    factories.grow_plan(world["hubei_campaign"], 30)
    many, page = count()
    assert page.count('data-testid="formula"') == 41
    assert many == few
    only = client.get(reverse("scoring-formulas"), {"training_base": world["xiehe"].pk}).content.decode()
    assert only.count('data-testid="formula"') == 1 and "计分公式第2版" in only
