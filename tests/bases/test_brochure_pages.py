"""The brochure pages: the office's editor, the province's review, the public page; the late flag."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bases.models import Brochure, BrochureStatus, BrochureVersion, Quota, SpecialtyBase, TrainingBase
from bases.services.brochures import (
    approve_brochure,
    publish_brochure,
    return_brochure,
    save_brochure_draft,
    start_brochure_draft,
    submit_brochure,
)
from policy.rules.brochures import SECTIONS, brochure_lateness
from portal.models import AuditEvent
from tests import factories
from tests.brochure_helpers import complete_sections, give_plan

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
SUBMIT_BY, PUBLISH_BY = datetime.date(2026, 3, 25), datetime.date(2026, 3, 28)


def at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def _login(client, user):
    client.force_login(user)
    return client


def _draft(world, people, base="xiehe"):
    give_plan(world, base)
    return start_brochure_draft(
        actor=people[f"{base}_office"], campaign=world["hubei_campaign"], training_base=world[base]
    )


def _submitted(world, people, base="xiehe", sections=None):
    draft = _draft(world, people, base)
    office = people[f"{base}_office"]
    save_brochure_draft(
        actor=office,
        version=draft,
        applicant_types=["open_recruitment"],
        sections=sections or complete_sections(),
    )
    return submit_brochure(actor=office, version=draft)


def _published(world, people, base="xiehe", sections=None):
    version = _submitted(world, people, base, sections)
    approve_brochure(actor=people["province"], version=version)
    return publish_brochure(actor=people[f"{base}_office"], version=version)


def _post_form(version, action, sections=None, applicant_types=("open_recruitment",)):
    data = {"action": action, "version": str(version.pk), "applicant_types": list(applicant_types)}
    data.update(sections or {})
    return data


# --- the late flag ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted", "published", "now", "submission_late", "publication_late"),
    [
        (at(2026, 3, 25, 23, 59, 59), at(2026, 3, 28, 23, 59, 59), at(2026, 4, 1), False, False),
        (at(2026, 3, 26, 0, 0), at(2026, 3, 28, 12), at(2026, 4, 1), True, False),
        (at(2026, 3, 20), at(2026, 3, 29, 0, 0), at(2026, 4, 1), False, True),
        (None, None, at(2026, 3, 25, 23, 59, 59), False, False),
        (None, None, at(2026, 3, 26, 0, 0), True, False),
        (at(2026, 3, 25, 9), None, at(2026, 3, 28, 23, 59, 59), False, False),
        (at(2026, 3, 25, 9), None, at(2026, 3, 29, 0, 0), False, True),
    ],
)
def test_late_flag_at_the_24_00_boundary(submitted, published, now, submission_late, publication_late):
    lateness = brochure_lateness(
        submit_by=SUBMIT_BY,
        publish_by=PUBLISH_BY,
        first_submitted_at=submitted,
        first_published_at=published,
        now=now,
    )
    assert (lateness.submission_late, lateness.publication_late) == (submission_late, publication_late)
    assert lateness.is_late == (submission_late or publication_late)


def test_the_office_page_flags_a_brochure_submitted_at_00_00_the_next_day(client, world, people):
    draft = _draft(world, people)
    office = people["xiehe_office"]
    save_brochure_draft(actor=office, version=draft, applicant_types=["own_staff"], sections=complete_sections())
    with time_machine.travel(at(2026, 3, 25, 23, 59, 59), tick=False):
        submit_brochure(actor=office, version=draft)
        page = _login(client, office).get(reverse("brochure-edit")).content.decode()
    assert 'data-testid="late-flag"' not in page
    with time_machine.travel(at(2026, 3, 29, 0, 0), tick=False):
        page = client.get(reverse("brochure-edit")).content.decode()
    assert 'data-testid="late-flag"' in page and "逾期未发布" in page and "逾期报送" not in page

    BrochureVersion.objects.filter(pk=draft.pk).update(submitted_at=at(2026, 3, 26, 0, 0))
    with time_machine.travel(at(2026, 3, 27), tick=False):
        page = client.get(reverse("brochure-edit")).content.decode()
    assert "逾期报送" in page


# --- the office's editor ---------------------------------------------------------------------------


def test_opening_the_editor_writes_nothing_until_the_office_starts(client, world, people):
    give_plan(world)
    office = _login(client, people["xiehe_office"])
    page = office.get(reverse("brochure-edit")).content.decode()
    assert not Brochure.objects.exists()
    assert "开始编辑" in page and "面向社会招收的普通高校应届毕业生" in page
    office.post(reverse("brochure-edit"), {"action": "start"})
    version = BrochureVersion.objects.get()
    page = office.get(reverse("brochure-edit")).content.decode()
    assert version.status == BrochureStatus.DRAFT
    for section in SECTIONS:
        assert f'name="{section.key}"' in page and str(section.label) in page
    assert "保存草稿" in page and "提交审核" in page
    assert 'data-testid="brochure-plan"' in page and "内科" in page


def test_the_office_saves_then_submits_through_the_page(client, world, people):
    draft = _draft(world, people)
    office = _login(client, people["xiehe_office"])
    sections = complete_sections("本院")
    response = office.post(reverse("brochure-edit"), _post_form(draft, "save", sections))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.sections["overview"] == sections["overview"] and draft.status == BrochureStatus.DRAFT
    assert "内容完整，可以提交审核" in office.get(reverse("brochure-edit")).content.decode()
    office.post(reverse("brochure-edit"), _post_form(draft, "submit", sections))
    draft.refresh_from_db()
    assert draft.status == BrochureStatus.SUBMITTED
    page = office.get(reverse("brochure-edit")).content.decode()
    assert "招生简章已提交，等待省级审核。" in page and "待审核" in page and 'name="overview"' not in page


def test_submitting_an_incomplete_brochure_lists_every_gap_and_changes_nothing(client, world, people):
    draft = _draft(world, people)
    office = people["xiehe_office"]
    save_brochure_draft(actor=office, version=draft, applicant_types=[], sections={"overview": "旧的概况"})
    events = AuditEvent.objects.count()
    sections = complete_sections()
    sections["overview"] = "太短的概况"
    del sections["pay_wages"], sections["contacts"]
    response = _login(client, office).post(
        reverse("brochure-edit"), _post_form(draft, "submit", sections, applicant_types=())
    )
    assert response.status_code == 400
    page = response.content.decode()
    gaps = {gap.key for gap in response.context["gaps"]}
    assert gaps == {"applicant_types", "overview", "pay_wages", "contacts"}
    assert "招生简章尚不完整" in page
    for text in (
        "招收人员类型",
        "请至少选择一种招收人员类型",
        "至少 80 字，现为 5 字",
        "待遇：工资",
        "联系方式",
        "未填写",
    ):
        assert text in page
    assert "太短的概况" in page, "the text the office typed stays in the form"
    draft.refresh_from_db()
    assert draft.status == BrochureStatus.DRAFT and draft.sections["overview"] == "旧的概况"
    assert AuditEvent.objects.count() == events


def test_a_bad_input_is_a_message_not_a_500(client, world, people):
    draft = _draft(world, people)
    office = _login(client, people["xiehe_office"])
    response = office.post(reverse("brochure-edit"), _post_form(draft, "save", applicant_types=["martian"]))
    assert response.status_code == 400 and "martian" in response.content.decode()
    assert office.post(reverse("brochure-edit"), {"action": "save", "version": "abc"}).status_code == 404
    assert office.post(reverse("brochure-edit"), {"action": "explode"}).status_code == 400


def test_publication_is_impossible_before_approval(client, world, people):
    version = _submitted(world, people)
    response = _login(client, people["xiehe_office"]).post(
        reverse("brochure-edit"), {"action": "publish", "version": version.pk}, follow=True
    )
    assert "审核通过后才能发布" in response.content.decode()
    version.refresh_from_db()
    assert version.status == BrochureStatus.SUBMITTED
    assert client.get(reverse("brochure-public", args=[version.brochure_id])).status_code == 404


def test_the_office_publishes_an_approved_version(client, world, people):
    version = _submitted(world, people)
    approve_brochure(actor=people["province"], version=version, note="同意")
    office = _login(client, people["xiehe_office"])
    assert "发布</button>" in office.get(reverse("brochure-edit")).content.decode()
    office.post(reverse("brochure-edit"), {"action": "publish", "version": version.pk})
    version.refresh_from_db()
    assert version.status == BrochureStatus.PUBLISHED
    page = office.get(reverse("brochure-edit")).content.decode()
    assert "已发布第1版" in page and "新建版本" in page


# --- permissions -----------------------------------------------------------------------------------


def test_a_base_office_cannot_touch_another_base_s_brochure(client, world, people):
    draft = _draft(world, people)
    tongji = _login(client, people["tongji_office"])
    response = tongji.post(reverse("brochure-edit"), _post_form(draft, "save", complete_sections("篡改")))
    assert response.status_code == 403
    assert tongji.post(reverse("brochure-edit"), {"action": "publish", "version": draft.pk}).status_code == 403
    page = tongji.get(reverse("brochure-edit")).content.decode()
    assert "协和医院" not in page and "同济医院" in page
    draft.refresh_from_db()
    assert draft.sections == {}


def test_a_base_office_cannot_open_the_review_or_approve(client, world, people):
    version = _submitted(world, people)
    for name in ("xiehe_office", "tongji_office", "xiehe_staff", "applicant"):
        client.force_login(people[name])
        assert client.get(reverse("brochure-review", args=[version.pk])).status_code == 403
        assert client.post(reverse("brochure-review", args=[version.pk]), {"decision": "approve"}).status_code == 403
        assert client.get(reverse("brochure-review-list")).status_code == 403
    version.refresh_from_db()
    assert version.status == BrochureStatus.SUBMITTED
    client.force_login(people["province"])
    assert client.get(reverse("brochure-edit")).status_code == 403


def test_hunan_cannot_open_or_decide_hubei_s_brochure(client, world, people):
    version = _submitted(world, people)
    hunan = _login(client, people["hunan_province"])
    assert hunan.get(reverse("brochure-review", args=[version.pk])).status_code == 403
    response = hunan.post(reverse("brochure-review", args=[version.pk]), {"decision": "return", "note": "退回"})
    assert response.status_code == 403
    assert "协和医院" not in hunan.get(reverse("brochure-review-list")).content.decode()
    version.refresh_from_db()
    assert version.status == BrochureStatus.SUBMITTED


def test_anonymous_users_are_sent_to_log_in(client, world, people):
    version = _submitted(world, people)
    for url in (
        reverse("brochure-edit"),
        reverse("brochure-review-list"),
        reverse("brochure-review", args=[version.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- the province's review -------------------------------------------------------------------------


def test_a_return_shows_each_comment_next_to_its_section(client, world, people):
    version = _submitted(world, people)
    province = _login(client, people["province"])
    page = province.get(reverse("brochure-review", args=[version.pk])).content.decode()
    assert "对“待遇：工资”的意见" in page and "审核通过" in page and "退回修改" in page
    response = province.post(
        reverse("brochure-review", args=[version.pk]),
        {"decision": "return", "comment_pay_wages": "请写明具体金额", "note": "请补充待遇"},
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == BrochureStatus.RETURNED and version.decision_note == "请补充待遇"
    assert [(c.section, c.text) for c in version.comments.all()] == [("pay_wages", "请写明具体金额")]

    office = _login(client, people["xiehe_office"])
    response = office.get(reverse("brochure-edit"))
    rows = {row["section"].key: row for row in response.context["rows"]}
    assert [c.text for c in rows["pay_wages"]["comments"]] == ["请写明具体金额"]
    assert all(not row["comments"] for key, row in rows.items() if key != "pay_wages")
    assert "请补充待遇" in response.content.decode()
    office.post(reverse("brochure-edit"), {"action": "start"})
    response = office.get(reverse("brochure-edit"))
    assert response.context["current"].number == 2 and response.context["editable"]
    rows = {row["section"].key: row for row in response.context["rows"]}
    assert [c.text for c in rows["pay_wages"]["comments"]] == ["请写明具体金额"]
    assert response.content.decode().count('data-testid="province-comment"') == 1


def test_a_return_needs_a_comment_and_approving_ignores_none(client, world, people):
    version = _submitted(world, people)
    province = _login(client, people["province"])
    response = province.post(reverse("brochure-review", args=[version.pk]), {"decision": "return"})
    assert response.status_code == 400 and "至少填写一条意见" in response.content.decode()
    response = province.post(
        reverse("brochure-review", args=[version.pk]), {"decision": "approve", "comment_overview": "改一下"}
    )
    assert response.status_code == 400 and "退回修改" in response.content.decode()
    version.refresh_from_db()
    assert version.status == BrochureStatus.SUBMITTED
    province.post(reverse("brochure-review", args=[version.pk]), {"decision": "approve", "note": "同意发布"})
    version.refresh_from_db()
    assert version.status == BrochureStatus.APPROVED and version.decision_note == "同意发布"
    response = province.post(reverse("brochure-review", args=[version.pk]), {"decision": "approve"})
    assert response.status_code == 409 and "不能变为" in response.content.decode()


def test_the_review_marks_sections_changed_since_the_returned_version(client, world, people):
    first = _submitted(world, people)
    return_brochure(actor=people["province"], version=first, comments={"pay_wages": "请写明金额"})
    office = people["xiehe_office"]
    second = start_brochure_draft(actor=office, campaign=world["hubei_campaign"], training_base=world["xiehe"])
    sections = dict(second.sections, pay_wages="每月基本工资4500元，绩效另计，按月发放。")
    save_brochure_draft(actor=office, version=second, applicant_types=["open_recruitment"], sections=sections)
    submit_brochure(actor=office, version=second)
    response = _login(client, people["province"]).get(reverse("brochure-review", args=[second.pk]))
    rows = {row["key"]: row for row in response.context["rows"]}
    assert rows["pay_wages"]["changed"] and not rows["overview"]["changed"]
    assert [c.text for c in rows["pay_wages"]["earlier"]] == ["请写明金额"]


def _bases_with_brochures(world, people, count):
    """`count` more Hubei bases: one third published, one third submitted, the rest never started."""
    campaign, office = world["hubei_campaign"], people["xiehe_office"]
    start = TrainingBase.objects.count()
    bases = TrainingBase.objects.bulk_create(
        [
            TrainingBase(province=world["hubei"], name=f"扩展医院{n}", city="武汉市", sort_order=1000 + n)
            for n in range(start, start + count)
        ]
    )
    brochures = Brochure.objects.bulk_create(
        [Brochure(campaign=campaign, training_base=b) for b in bases[: 2 * count // 3]]
    )
    on_time = at(2026, 3, 20)
    BrochureVersion.objects.bulk_create(
        [
            BrochureVersion(
                brochure=b,
                number=1,
                status=BrochureStatus.PUBLISHED if i % 2 else BrochureStatus.SUBMITTED,
                sections=complete_sections(),
                applicant_types=["own_staff"],
                submitted_at=on_time,
                published_at=on_time if i % 2 else None,
                created_by=office,
            )
            for i, b in enumerate(brochures)
        ]
    )


def test_the_review_list_puts_late_ones_first_with_flat_queries(client, world, people):
    on_time = _published(world, people, "xiehe")
    BrochureVersion.objects.filter(pk=on_time.pk).update(submitted_at=at(2026, 3, 20), published_at=at(2026, 3, 21))
    late = _submitted(world, people, "tongji")
    BrochureVersion.objects.filter(pk=late.pk).update(submitted_at=at(2026, 3, 26, 0, 0))
    province = _login(client, people["province"])
    with time_machine.travel(at(2026, 3, 27, 10), tick=False):
        rows = province.get(reverse("brochure-review-list")).context["rows"]
        assert [row.training_base.name for row in rows] == ["同济医院", "协和医院"]
        assert rows[0].lateness.submission_late and not rows[1].lateness.is_late
        assert rows[0].status == BrochureStatus.SUBMITTED and rows[0].review_version_pk == late.pk
        page = province.get(reverse("brochure-review-list")).content.decode()
        assert "逾期报送" in page and "共 2 家住培基地，其中逾期 1 家" in page

        _bases_with_brochures(world, people, 3)
        with CaptureQueriesContext(connection) as small:
            response = province.get(reverse("brochure-review-list"))
        assert len(response.context["rows"]) == 5
        _bases_with_brochures(world, people, 60)
        with CaptureQueriesContext(connection) as large:
            response = province.get(reverse("brochure-review-list"))
        rows = response.context["rows"]
    assert len(rows) == 65 and len(large) == len(small)
    assert "未提交" in response.content.decode()
    late_flags = [row.lateness.is_late for row in rows]
    assert late_flags == sorted(late_flags, reverse=True), "late ones come first"
    assert sum(late_flags) == 1 + 21, "the tongji brochure and the 21 bases that never submitted"


# --- public pages ----------------------------------------------------------------------------------


def test_the_public_page_404s_before_publication_and_shows_the_text_after(client, world, people):
    version = _submitted(world, people, sections=complete_sections("公开内容"))
    url = reverse("brochure-public", args=[version.brochure_id])
    assert client.get(url).status_code == 404
    assert client.get(reverse("brochure-pdf", args=[version.brochure_id])).status_code == 404
    assert "协和医院" not in client.get(reverse("brochure-public-list")).content.decode()
    approve_brochure(actor=people["province"], version=version)
    assert client.get(url).status_code == 404, "approved is not yet published"
    publish_brochure(actor=people["xiehe_office"], version=version)
    page = client.get(url).content.decode()
    assert page.index('data-testid="two-equal-treatments"') < page.index("公开内容基地基本情况")
    assert "在招聘、派遣、落户等方面" in page
    for section in SECTIONS:
        assert f"公开内容{section.label}" in page
    assert "面向社会招收住院医师" in page and "内科" in page
    assert reverse("brochure-pdf", args=[version.brochure_id]) in page
    listing = client.get(reverse("brochure-public-list")).content.decode()
    assert "协和医院" in listing and url in listing


def test_the_public_page_shows_the_published_version_while_a_revision_is_audited(client, world, people):
    version = _published(world, people, sections=complete_sections("第一版"))
    office = people["xiehe_office"]
    revision = start_brochure_draft(actor=office, campaign=world["hubei_campaign"], training_base=world["xiehe"])
    save_brochure_draft(
        actor=office, version=revision, applicant_types=["own_staff"], sections=complete_sections("第二版")
    )
    page = client.get(reverse("brochure-public", args=[version.brochure_id])).content.decode()
    assert "第一版基地基本情况" in page and "第二版" not in page


def test_the_public_plan_is_live_from_the_quotas_with_shortage_badges(client, world, people):
    paediatrics = factories.specialty("0300", "儿科")
    world["hubei_campaign"].shortage_specialties.add(paediatrics)
    version = _published(world, people)
    sb = factories.specialty_base(world["xiehe"], paediatrics, capacity=8)
    Quota.objects.create(campaign=world["hubei_campaign"], specialty_base=sb, places=6, capacity=8)
    response = client.get(reverse("brochure-public", args=[version.brochure_id]))
    plan = {row.specialty_base.specialty.name: row for row in response.context["plan"]}
    assert plan["儿科"].places == 6 and plan["儿科"].is_shortage and not plan["内科"].is_shortage
    assert "紧缺" in response.content.decode()


def _grow_quotas(world, count):
    first = SpecialtyBase.objects.count()
    specialties = [factories.specialty(f"8{n:03d}") for n in range(first, first + count)]
    sbs = SpecialtyBase.objects.bulk_create(
        [SpecialtyBase(training_base=world["xiehe"], specialty=s, capacity=9) for s in specialties]
    )
    Quota.objects.bulk_create(
        [Quota(campaign=world["hubei_campaign"], specialty_base=sb, places=3, capacity=9) for sb in sbs]
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_public_page_and_list_queries_stay_flat(client, world, people):
    version = _published(world, people)
    page_url = reverse("brochure-public", args=[version.brochure_id])
    list_url = reverse("brochure-public-list")
    _grow_quotas(world, 2)
    small_page, small_list = _queries(client, page_url), _queries(client, list_url)
    _grow_quotas(world, 40)
    more = TrainingBase.objects.bulk_create(
        [
            TrainingBase(province=world["hubei"], name=f"公开医院{n}", city="宜昌市", sort_order=500 + n)
            for n in range(20)
        ]
    )
    brochures = Brochure.objects.bulk_create(
        [Brochure(campaign=world["hubei_campaign"], training_base=b) for b in more]
    )
    BrochureVersion.objects.bulk_create(
        [
            BrochureVersion(brochure=b, number=1, status=BrochureStatus.PUBLISHED, published_at=at(2026, 3, 27))
            for b in brochures
        ]
    )
    assert _queries(client, page_url) == small_page
    assert _queries(client, list_url) == small_list
    assert client.get(list_url).content.decode().count('class="card brochure-card"') == 21
