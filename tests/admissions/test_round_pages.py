"""The rounds' pages of the specialty-base staff and the training-base office: score sheets,
ranking and cut line, decisions, Excel, publicity and objections, round-2 invitations."""

import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from admissions.models import (
    Applicant,
    Application,
    Assessment,
    EducationRecord,
    Invitation,
    InvitationStatus,
    ObjectionStatus,
    PublicityKind,
    PublicityList,
    Stage,
)
from admissions.selectors.facts import applicant_facts, page_facts
from admissions.services.assessments import decide_admission, record_scores, review_qualification
from admissions.services.choices import submit_choice
from admissions.services.invitations import accept_invitation, invite_applicant
from admissions.services.publicity import publish_list, raise_objection
from admissions.services.score_excel import HEADERS
from bases.models import Quota
from bases.services.quotas import do_set_quota
from policy.identity import make_resident_id
from policy.rules.scoring import TIE_BREAK_RULES, TieBreak
from portal.models import Release, Role, User
from tests import factories
from tests.applicant_helpers import complete_applicant

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args, tick=False):
    return time_machine.travel(datetime.datetime(*args, tzinfo=SHANGHAI), tick=tick)


@pytest.fixture
def rounds(world, people):
    campaign = world["hubei_campaign"]
    do_set_quota(actor=None, campaign=campaign, specialty_base=world["xiehe_internal"], places=1)
    do_set_quota(actor=None, campaign=campaign, specialty_base=world["tongji_internal"], places=2)
    return {"campaign": campaign, "internal": world["xiehe_internal"], **world, **people}


def choose(rounds, *numbers, specialty_base=None):
    """Complete applicants who chose `specialty_base` (Xiehe internal medicine) in round 1."""
    applicants = [complete_applicant(n) for n in numbers]
    with at(2026, 4, 10, 9):
        return [
            submit_choice(
                actor=a.user,
                applicant=a,
                campaign=rounds["campaign"],
                specialty_base=specialty_base or rounds["internal"],
            ).application
            for a in applicants
        ]


def qualified(rounds, *numbers):
    applications = choose(rounds, *numbers)
    with at(2026, 4, 27, 10):
        return [
            review_qualification(actor=rounds["xiehe_staff"], application=application, passed=True)
            for application in applications
        ]


def score(rounds, assessment, interview, exam, **extra):
    with at(2026, 4, 28, 10):
        return record_scores(
            actor=rounds["xiehe_staff"],
            assessment=assessment,
            interview_score=interview,
            exam_score=exam,
            interview_mode="on_site",
            **extra,
        )


def page_url(rounds, round_number=1, specialty_base=None):
    return (
        reverse("round-candidates", args=[round_number])
        + f"?specialty_base={(specialty_base or rounds['internal']).pk}"
    )


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def score_post(assessment, **values):
    fields = {
        "interview_score": "",
        "exam_score": "",
        "interview_mode": "on_site",
        "evaluation_basic": "",
        "evaluation_interview": "",
        "evaluation_exam": "",
        "evaluation_overall": "",
        "opinion": "",
        **values,
    }
    return {f"s-{assessment.pk}-{name}": value for name, value in fields.items()}


# Scoring -----------------------------------------------------------------------------------------


def test_staff_review_and_score_through_the_page(client, rounds):
    [application] = choose(rounds, 1)
    client.force_login(rounds["xiehe_staff"])
    with at(2026, 4, 27, 10):
        page = client.get(reverse("round-candidates", args=[1]))
        assert page.status_code == 200 and page.context["specialty_base"] == rounds["internal"]
        assert 'data-testid="qualification-form"' in page.content.decode()
        refused = client.post(
            reverse("round-qualification", args=[application.pk]),
            {"key": f"p{application.pk}", f"q-p{application.pk}-passed": "0", f"q-p{application.pk}-note": ""},
        )
        assert "资格审核不通过时，请写明学员能看到的原因。" in message_texts(refused)
        response = client.post(
            reverse("round-qualification", args=[application.pk]),
            {"key": f"p{application.pk}", f"q-p{application.pk}-passed": "1", f"q-p{application.pk}-note": "材料齐全"},
        )
    assessment = Assessment.objects.get(application=application)
    assert assessment.stage == Stage.QUALIFIED and assessment.qualification_note == "材料齐全"
    assert response.status_code == 302 and response["Location"].endswith(f"#candidate-a{assessment.pk}")

    with at(2026, 4, 28, 10):
        response = client.post(
            reverse("round-scores", args=[assessment.pk]),
            score_post(
                assessment,
                interview_score="88.5",
                exam_score="91",
                interview_mode="video",
                evaluation_basic="基础扎实",
                evaluation_overall="综合表现良好",
                opinion="admit",
            ),
        )
    assert response.status_code == 302 and "已保存申请人1的成绩和评价。" in message_texts(response)
    assessment.refresh_from_db()
    assert (assessment.interview_score, assessment.exam_score) == (Decimal("88.5"), Decimal("91.0"))
    assert (assessment.interview_mode, assessment.opinion, assessment.evaluation_basic) == (
        "video",
        "admit",
        "基础扎实",
    )
    assert assessment.scored_by == rounds["xiehe_staff"]

    for bad, message in (
        ("101", "面试成绩应在 0 到 100 之间，最多一位小数。"),
        ("85.55", "面试成绩应在 0 到 100 之间，最多一位小数。"),
        ("abc", "面试成绩应为数字。"),
    ):
        with at(2026, 4, 28, 11):
            response = client.post(
                reverse("round-scores", args=[assessment.pk]),
                score_post(assessment, interview_score=bad, exam_score="70", evaluation_overall="改过的意见"),
            )
        assert response.status_code == 400
        assert message in message_texts(response)
        # The sheet comes back with what was typed, and nothing was stored.
        assert f'value="{bad}"' in response.content.decode()
        assessment.refresh_from_db()
        assert (assessment.interview_score, assessment.exam_score) == (Decimal("88.5"), Decimal("91.0"))
        assert assessment.evaluation_overall == "综合表现良好"


def test_scores_outside_the_assessment_window_are_refused_with_a_message(client, rounds):
    [assessment] = qualified(rounds, 1)
    client.force_login(rounds["xiehe_staff"])
    with at(2026, 5, 27, 10):
        response = client.post(
            reverse("round-scores", args=[assessment.pk]), score_post(assessment, interview_score="80", exam_score="80")
        )
        assert response.status_code == 400
        assert any("第1批次考核时间为 04月24日 至 05月26日" in text for text in message_texts(response))
        page = client.get(page_url(rounds)).content.decode()
        assert 'id="assessment-closed">第一批次考核已于5月26日 24时结束；现在只能查看。' in page
        assert 'disabled aria-describedby="assessment-closed" title="第一批次考核已于5月26日 24时结束">保存成绩' in page
    with at(2026, 4, 20, 10):
        page = client.get(page_url(rounds)).content.decode()
        assert "第一批次考核 4月24日起；现在只能查看。" in page
    assessment.refresh_from_db()
    assert assessment.interview_score is None


def test_composite_and_ranking_follow_the_weights_and_the_tie_break(client, rounds):
    Quota.objects.filter(specialty_base=rounds["internal"]).update(places=3)
    factories.formula(rounds["internal"], 30, 70)
    a, b, c = qualified(rounds, 1, 2, 3)
    score(rounds, a, "90", "80")  # 27 + 56 = 83.0
    score(rounds, b, "80", "84.3")  # 24 + 59.01 = 83.0, the better exam
    score(rounds, c, "100", "70")  # 30 + 49 = 79.0 (85.0 with equal weights)
    client.force_login(rounds["xiehe_office"])
    with at(2026, 4, 29, 10):
        response = client.get(page_url(rounds))
    sheet = response.context["sheet"]
    assert [(x.applicant.full_name, x.composite, x.rank) for x in sheet.ranking] == [
        ("申请人2", Decimal("83.0"), 1),
        ("申请人1", Decimal("83.0"), 2),
        ("申请人3", Decimal("79.0"), 3),
    ]
    page = response.content.decode()
    assert str(TIE_BREAK_RULES[TieBreak.EXAM_FIRST]) in page
    assert "计分公式第2版（面试30%，专业考试70%）" in page
    assert "面试成绩 × 30 + 专业考试成绩 × 70" in page
    assert page.index("申请人2") < page.index("申请人1") < page.index("申请人3")
    assert 'data-testid="cut-line"' not in page  # three places, three ranked

    # Equal weights lift the 100-point interview to 85.0, level with 申请人1, whose exam is better.
    factories.formula(rounds["internal"], 50, 50)
    with at(2026, 4, 29, 10):
        sheet = client.get(page_url(rounds)).context["sheet"]
    assert [(x.applicant.full_name, x.composite) for x in sheet.ranking] == [
        ("申请人1", Decimal("85.0")),
        ("申请人3", Decimal("85.0")),
        ("申请人2", Decimal("82.2")),
    ]


def test_the_cut_line_sits_after_the_quotas_places(client, rounds):
    Quota.objects.filter(specialty_base=rounds["internal"]).update(places=2)
    assessments = qualified(rounds, 1, 2, 3, 4)
    for assessment, points in zip(assessments[:3], ("90", "80", "70"), strict=True):
        score(rounds, assessment, points, points)
    client.force_login(rounds["xiehe_staff"])
    with at(2026, 4, 29, 10):
        response = client.get(page_url(rounds))
    sheet = response.context["sheet"]
    assert sheet.oversubscribed and sheet.cut_after == 2
    assert [x.applicant.full_name for x in sheet.unranked] == ["申请人4"]  # no scores yet
    ranking = response.content.decode().split('data-testid="ranking"')[1].split("</table>")[0]
    rows = [
        part.split('data-candidate="')[1].split('"')[0] for part in ranking.split("<tr")[2:] if "data-candidate" in part
    ]
    assert rows == ["申请人1", "申请人2", "申请人3", "申请人4"]
    cut = ranking.index('data-testid="cut-line"')
    assert ranking.index('data-candidate="申请人2"') < cut < ranking.index('data-candidate="申请人3"')
    assert "录取线：招收计划 2 人" in ranking


def test_office_decides_and_the_quota_holds_with_a_message(client, rounds):
    first, second = qualified(rounds, 1, 2)
    score(rounds, first, "90", "90")
    score(rounds, second, "80", "80")
    client.force_login(rounds["xiehe_office"])
    with at(2026, 4, 30, 10):
        page = client.get(page_url(rounds)).content.decode()
        assert page.count('name="admit" value="1"') == 2
        response = client.post(reverse("round-decision", args=[first.pk]), {"admit": "1"})
        assert "已将申请人1列为拟录取。" in message_texts(response)
        response = client.post(reverse("round-decision", args=[second.pk]), {"admit": "1"})
        assert response.status_code == 302
        assert "协和医院 · 内科的招收计划 1 个已满，不能再拟录取；可申请增加招收计划。" in message_texts(response)
        client.post(reverse("round-decision", args=[second.pk]), {"admit": "0"})
        page = client.get(page_url(rounds))
    assert Assessment.objects.get(pk=first.pk).stage == Stage.PROPOSED
    assert Assessment.objects.get(pk=second.pk).stage == Stage.NOT_ADMITTED
    assert page.context["sheet"].taken == 1 and page.context["unpublished"] == 1

    # Staff see the ranking but no decision buttons; they may not decide either.
    client.force_login(rounds["xiehe_staff"])
    with at(2026, 4, 30, 10):
        assert 'name="admit"' not in client.get(page_url(rounds)).content.decode()
        assert client.post(reverse("round-decision", args=[second.pk]), {"admit": "1"}).status_code == 403

    # The office prepares the list and sees its preview; a second person of the office publishes it.
    client.force_login(rounds["xiehe_office"])
    with at(2026, 4, 30, 11):
        response = client.post(reverse("round-publish", args=[1]), {"specialty_base": rounds["internal"].pk})
        release = Release.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("release", args=[release.pk])
        assert not PublicityList.objects.exists()
        page = client.get(response["Location"]).content.decode()
        assert "申请人1" in page and "申请人2" not in page
        assert "准备人不能自己确认" in page
        client.force_login(factories.user(Role.BASE_OFFICE, training_base=rounds["xiehe"]))
        client.post(reverse("release-confirm", args=[release.pk]))
    publicity = PublicityList.objects.get()
    assert list(publicity.entries.values_list("assessment", flat=True)) == [first.pk]
    with at(2026, 4, 30, 11):
        page = client.get(reverse("publicity-manage")).content.decode()
    assert (
        "申请人1" in page
        and f"{publicity.last_day.year}年{publicity.last_day.month}月{publicity.last_day.day}日24时" in page
        and "公示中" in page
    )


def test_access_is_limited_to_the_staff_and_office_of_the_base(client, rounds, world):
    [assessment] = qualified(rounds, 1)
    surgery = factories.specialty_base(world["xiehe"], factories.specialty("0900", "外科"))
    other_staff = factories.user(Role.SPECIALTY_BASE_STAFF, specialty_base=surgery)
    tongji_staff = factories.user(Role.SPECIALTY_BASE_STAFF, specialty_base=world["tongji_internal"])
    url = page_url(rounds)
    post = reverse("round-scores", args=[assessment.pk])
    with at(2026, 4, 28, 10):
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
        for user in (other_staff, tongji_staff, rounds["tongji_office"]):
            client.force_login(user)
            assert client.get(url).status_code == 403
            assert client.post(post, score_post(assessment, interview_score="80")).status_code == 403
            assert (
                client.get(
                    reverse("round-scores-export", args=[1]) + f"?specialty_base={rounds['internal'].pk}"
                ).status_code
                == 403
            )
        for user in (rounds["province"], rounds["applicant"], rounds["employer"]):
            client.force_login(user)
            assert client.get(reverse("round-candidates", args=[1])).status_code == 403
        for name in ("publicity-manage", "round2-invite"):
            client.force_login(rounds["xiehe_staff"])
            assert client.get(reverse(name)).status_code == 403
        # Their own specialty base is what they see without asking.
        client.force_login(other_staff)
        response = client.get(reverse("round-candidates", args=[1]))
        assert response.status_code == 200 and response.context["specialty_base"] == surgery
        client.force_login(rounds["xiehe_office"])
        assert client.get(reverse("round-candidates", args=[3])).status_code == 404
        # Ids that only look like numbers ("²", one longer than any row id) are not found, not a 500.
        for raw in ("²", "9" * 25, "abc"):
            assert client.get(reverse("round-candidates", args=[1]) + f"?specialty_base={raw}").status_code == 404
    assessment.refresh_from_db()
    assert assessment.interview_score is None


# Excel -------------------------------------------------------------------------------------------


def _export(client, rounds):
    url = reverse("round-scores-export", args=[1]) + f"?specialty_base={rounds['internal'].pk}"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def _upload(client, rounds, workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "成绩表.xlsx"
    url = reverse("round-scores-import", args=[1]) + f"?specialty_base={rounds['internal'].pk}"
    return client.post(url, {"file": buffer})


def test_excel_export_then_import_round_trip(client, rounds):
    a, b = qualified(rounds, 1, 2)
    score(rounds, a, "70", "75.5", evaluation_basic="原有分析")
    client.force_login(rounds["xiehe_staff"])
    with at(2026, 4, 29, 10):
        workbook = _export(client, rounds)
        sheet = workbook.active
        assert tuple(cell.value for cell in sheet[1])[: len(HEADERS)] == HEADERS
        rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
        assert set(rows) == {a.application.applicant.id_number, b.application.applicant.id_number}
        first = rows[a.application.applicant.id_number]
        assert [cell.value for cell in first[:6]] == [
            "申请人1",
            a.application.applicant.id_number,
            70,
            75.5,
            "现场",
            "原有分析",
        ]
        second = rows[b.application.applicant.id_number]
        second[2].value, second[3].value, second[4].value = 92.5, "88", "网络视频"
        second[8].value, second[9].value = "表现突出", "建议录取"

        response = _upload(client, rounds, workbook)
        release = Release.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("release", args=[release.pk])
        assert "已检查 2 行：1 名考生的成绩有变化，1 行与现有记录相同。" in message_texts(response)[0]
        b.refresh_from_db()
        assert b.interview_score is None, "nothing is recorded before a second person confirms"
        # The office confirms what the staff prepared.
        client.force_login(rounds["xiehe_office"])
        client.post(reverse("release-confirm", args=[release.pk]))
        client.force_login(rounds["xiehe_staff"])
        b.refresh_from_db()
        assert (b.interview_score, b.exam_score, b.interview_mode) == (Decimal("92.5"), Decimal("88.0"), "video")
        assert (b.evaluation_overall, b.opinion) == ("表现突出", "admit")

        # The exported file comes back unchanged, and nothing is prepared.
        response = _upload(client, rounds, _export(client, rounds))
        assert "文件共 2 行，与现有记录相同，没有需要导入的成绩。" in message_texts(response)
        assert Release.objects.count() == 1

        # Exported from the English pages, the sheet keeps its Chinese headers and choices.
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        sheet = _export(client, rounds).active
        assert tuple(cell.value for cell in sheet[1])[: len(HEADERS)] == HEADERS
        assert {row[4].value for row in sheet.iter_rows(min_row=2)} == {"现场", "网络视频"}
        assert _upload(client, rounds, sheet.parent).status_code == 302


def test_a_bad_score_file_is_rejected_whole_with_row_numbers(client, rounds):
    a, b = qualified(rounds, 1, 2)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(["申请人1", a.application.applicant.id_number, 80, 80, "现场", "", "", "", "", ""])  # fine
    sheet.append(["申请人2", b.application.applicant.id_number, 101, 85.55, "现场", "", "", "", "", ""])
    sheet.append(["陌生人", "420102200101010000", 80, 80, "现场", "", "", "", "", ""])
    sheet.append(["申请人1", a.application.applicant.id_number, "abc", 80, "电话", "", "", "", "", "同意"])
    client.force_login(rounds["xiehe_staff"])
    with at(2026, 4, 29, 10):
        response = _upload(client, rounds, workbook)
    assert response.status_code == 400
    errors = response.context["errors"]
    assert "第3行：面试成绩应在 0 到 100 之间，最多一位小数。 专业考试成绩应在 0 到 100 之间，最多一位小数。" in errors
    assert "第4行：证件号码“420102200101010000”不是本专业基地本批次的考生" in errors
    assert any(error.startswith("第5行：与第2行是同一考生") for error in errors)
    assert any(error.startswith("第5行：面试形式应为") for error in errors)
    assert any(error.startswith("第5行：录取意见应为") for error in errors)
    assert "导入失败，成绩未作任何更改" in response.content.decode()
    a.refresh_from_db()
    assert a.interview_score is None  # the good row was not kept either

    # A row that fails only inside record_scores undoes the rows recorded before it.
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(["申请人1", a.application.applicant.id_number, 80, 80, "现场", "", "", "", "", ""])
    sheet.append(["申请人2", b.application.applicant.id_number, 85.55, 80, "现场", "", "", "", "", ""])
    with at(2026, 4, 29, 10):
        response = _upload(client, rounds, workbook)
    assert response.context["errors"] == ["第3行：面试成绩应在 0 到 100 之间，最多一位小数。"]
    a.refresh_from_db()
    assert a.interview_score is None

    with at(2026, 4, 29, 10):
        response = client.post(
            reverse("round-scores-import", args=[1]) + f"?specialty_base={rounds['internal'].pk}",
            {"file": io.BytesIO(b"not a workbook")},
        )
    assert response.status_code == 400
    assert any("文件不是有效的 Excel 工作簿" in text for text in message_texts(response))


def test_the_import_page_says_when_scores_can_be_imported(client, rounds):
    client.force_login(rounds["xiehe_staff"])
    url = reverse("round-scores-import", args=[1]) + f"?specialty_base={rounds['internal'].pk}"
    with at(2026, 4, 20, 10):
        page = client.get(url).content.decode()
    assert "第一批次考核 4月24日起；现在不能导入成绩。" in page
    assert 'disabled aria-describedby="assessment-closed" title="第一批次考核 4月24日起">预览导入' in page
    with at(2026, 4, 29, 10):
        assert 'id="assessment-closed"' not in client.get(url).content.decode()


# Publicity ---------------------------------------------------------------------------------------


def test_publicity_management_sustains_an_objection(client, rounds):
    first, second = qualified(rounds, 1, 2)
    Quota.objects.filter(specialty_base=rounds["internal"]).update(places=2)
    score(rounds, first, "90", "90")
    score(rounds, second, "85", "85")
    office = rounds["xiehe_office"]
    with at(2026, 4, 30, 10):
        decide_admission(actor=office, assessment=first, admit=True)
        decide_admission(actor=office, assessment=second, admit=True)
        publicity = publish_list(
            actor=office, campaign=rounds["campaign"], training_base=rounds["xiehe"], round_number=1
        )
    entries = {entry.assessment_id: entry for entry in publicity.entries.all()}
    with at(2026, 5, 6, 9):
        sustained = raise_objection(
            actor=rounds["other_applicant"], entry=entries[first.pk], contact="13800000000", text="学历证书存疑"
        )
        dismissed = raise_objection(
            actor=rounds["other_applicant"], entry=entries[second.pk], contact="13800000000", text="无依据"
        )
    client.force_login(office)
    with at(2026, 5, 7, 9):
        page = client.get(reverse("publicity-manage")).content.decode()
        assert "学历证书存疑" in page and page.count('data-testid="handling-form"') == 2
        url = reverse("objection-handle", args=[sustained.pk])
        missing = client.post(url, {"outcome": "sustain", "note": ""})
        assert "请写明处理情况。" in message_texts(missing)
        response = client.post(url, {"outcome": "sustain", "note": "经核实学历证书与学信网记录不符"})
        assert "异议成立，已取消该考生的拟录取，并发布变更公示。" in message_texts(response)
        client.post(reverse("objection-handle", args=[dismissed.pk]), {"outcome": "dismiss", "note": "经核实无误"})
        again = client.post(url, {"outcome": "dismiss", "note": "再次处理"})
        assert any("当前状态为“异议成立”" in text for text in message_texts(again))
        # Another base's office may not handle it.
        client.force_login(rounds["tongji_office"])
        assert client.post(url, {"outcome": "dismiss", "note": "x"}).status_code == 403
        assert client.get(reverse("publicity-manage")).content.decode().count('data-testid="publicity-list"') == 0
        client.force_login(office)
        page = client.get(reverse("publicity-manage")).content.decode()
    sustained.refresh_from_db()
    dismissed.refresh_from_db()
    assert (sustained.status, dismissed.status) == (ObjectionStatus.SUSTAINED, ObjectionStatus.DISMISSED)
    assert Assessment.objects.get(pk=first.pk).stage == Stage.REMOVED
    assert Assessment.objects.get(pk=second.pk).stage == Stage.PROPOSED
    change = PublicityList.objects.get(kind=PublicityKind.CHANGE)
    assert list(change.entries.values_list("assessment", flat=True)) == [first.pk]
    assert page.count('data-testid="publicity-list"') == 2 and "拟录取名单变更公示" in page
    assert "经核实学历证书与学信网记录不符" in page and 'data-testid="handling-form"' not in page


# Round 2 invitations -----------------------------------------------------------------------------


def test_invite_search_lists_only_invitable_applicants_and_invites(client, rounds, world):
    applications = choose(rounds, 1, 2, 3, 4)
    admitted, filed, accepted, free = (a.applicant for a in applications)
    with at(2026, 4, 27, 10):
        assessments = [
            review_qualification(actor=rounds["xiehe_staff"], application=a, passed=True) for a in applications
        ]
    score(rounds, assessments[0], "90", "90")
    with at(2026, 4, 30, 10):
        decide_admission(actor=rounds["xiehe_office"], assessment=assessments[0], admit=True)
    with at(2026, 6, 2, 9):
        submit_choice(
            actor=filed.user, applicant=filed, campaign=rounds["campaign"], specialty_base=world["tongji_internal"]
        )
        invitation = invite_applicant(
            actor=rounds["tongji_office"],
            applicant=accepted,
            campaign=rounds["campaign"],
            specialty_base=world["tongji_internal"],
        )
        accept_invitation(actor=accepted.user, invitation=invitation)
    stranger = complete_applicant(9)  # registered, never took part in round 1 of this campaign
    client.force_login(rounds["xiehe_office"])
    url = reverse("round2-invite")
    with at(2026, 6, 3, 10):
        response = client.get(url, {"specialty_base": rounds["internal"].pk})
        assert [row.applicant for row in response.context["rows"]] == [free]
        page = response.content.decode()
        assert free.id_number not in page and free.id_number[-4:] in page  # masked
        assert stranger.full_name not in page
        for excluded in (admitted, filed, accepted):  # proposed; round-2 choice; accepted another invitation
            assert excluded.full_name not in page
        [row] = response.context["rows"]
        assert row.decision
        response = client.post(
            reverse("round2-invite-send"),
            {
                "applicant": free.pk,
                "specialty_base": rounds["internal"].pk,
                "message": "欢迎参加复试",
                "return_query": f"specialty_base={rounds['internal'].pk}&evil=1",
            },
        )
        assert response["Location"] == f"{url}?specialty_base={rounds['internal'].pk}"
        assert "已向申请人4发出复试邀请（内科）。" in message_texts(response)
        again = client.post(
            reverse("round2-invite-send"), {"applicant": free.pk, "specialty_base": rounds["internal"].pk}
        )
        assert "已向该考生发出过邀请，正在等待回复。" in message_texts(again)
        page = client.get(url, {"specialty_base": rounds["internal"].pk}).content.decode()
        assert "已邀请，待回复" in page
        sent = page.split('data-testid="sent-invitations"')[1]
        assert "申请人4" in sent and "待回复" in sent
        # Another base's specialty base cannot be used to invite.
        forbidden = client.post(
            reverse("round2-invite-send"), {"applicant": free.pk, "specialty_base": world["tongji_internal"].pk}
        )
        assert forbidden.status_code == 403
    assert Invitation.objects.get(applicant=free).status == InvitationStatus.PENDING
    with at(2026, 6, 20, 10):  # invitations run through the round-2 assessment (三(四)2-3)
        assert 'id="invitation-closed"' not in client.get(url).content.decode()
    with at(2026, 7, 1, 10):
        page = client.get(url).content.decode()
    assert "第二批次邀请复试已于6月30日 24时结束；现在不能发出邀请。" in page


def test_invite_filters_and_shortage_specialties_first(client, rounds, world):
    campaign = rounds["campaign"]
    paediatrics = factories.specialty_base(world["xiehe"], factories.specialty("0200", "儿科"))
    do_set_quota(actor=None, campaign=campaign, specialty_base=paediatrics, places=2)
    campaign.shortage_specialties.add(paediatrics.specialty)
    applications = choose(rounds, 1, 2)
    Applicant.objects.filter(pk=applications[0].applicant_id).update(employer_city="宜昌市")
    EducationRecord.objects.filter(applicant_id=applications[1].applicant_id).update(
        degree_level=3, graduation_date=datetime.date(2024, 6, 30)
    )
    client.force_login(rounds["xiehe_office"])
    url = reverse("round2-invite")
    with at(2026, 6, 3, 10):
        form = client.get(url).context["form"]
        labels = [label for value, label in form.fields["specialty_base"].choices if value]
        assert labels == ["儿科（紧缺专业）", "内科"]

        def names(**filters):
            return [row.applicant.full_name for row in client.get(url, filters).context["rows"]]

        assert names() == ["申请人1", "申请人2"]
        assert names(employer_city="宜昌市") == ["申请人1"]
        assert names(degree_level=3) == ["申请人2"]
        assert names(graduation_year=2024) == ["申请人2"]
        assert names(graduation_year=2026, degree_level=2) == ["申请人1"]
        bad = client.get(url, {"graduation_year": "abc", "degree_level": "9"})
        assert bad.status_code == 200 and set(bad.context["form"].errors) == {"graduation_year", "degree_level"}


def test_page_facts_match_the_eligibility_facts(rounds, world):
    applications = choose(rounds, 1, 2)
    applicant = applications[0].applicant
    applicant.held_certificate_specialties.add(world["xiehe_internal"].specialty)
    applicants = list(Applicant.objects.filter(pk__in=[a.applicant_id for a in applications]))
    campaign = world["hubei_campaign"]
    facts = page_facts(applicants, campaign)
    for each in applicants:
        assert facts[each.pk] == applicant_facts(Applicant.objects.get(pk=each.pk), campaign)


# Query counts ------------------------------------------------------------------------------------


def _bare_applicants(count, start):
    """Applicants made directly in the database: the query counts need many and fast."""
    users = User.objects.bulk_create(
        [User(username=f"bulk{n}", role=Role.APPLICANT) for n in range(start, start + count)]
    )
    applicants = Applicant.objects.bulk_create(
        [
            Applicant(
                user=user,
                full_name=f"考生{n:04d}",
                id_number=make_resident_id(
                    "420102", datetime.date(2000, 1, 1) + datetime.timedelta(n // 1000), n % 1000
                ),
                declares_fit=True,
            )
            for n, user in enumerate(users, start=start)
        ]
    )
    EducationRecord.objects.bulk_create(
        [
            EducationRecord(
                applicant=a,
                school="武汉大学",
                major="临床医学",
                major_category="clinical",
                degree_level=2,
                graduation_date=datetime.date(2026, 6, 30),
            )
            for a in applicants
        ]
    )
    return applicants


def _grow_candidates(rounds, count, start):
    applicants = _bare_applicants(count, start)
    applications = Application.objects.bulk_create(
        [
            Application(applicant=a, campaign=rounds["campaign"], round=1, specialty_base=rounds["internal"])
            for a in applicants
        ]
    )
    Assessment.objects.bulk_create(
        [
            Assessment(
                application=application,
                specialty_base=rounds["internal"],
                stage=Stage.QUALIFIED if n % 3 else Stage.PENDING_REVIEW,
                interview_score=Decimal(60 + n % 40) if n % 2 else None,
                exam_score=Decimal(70 + n % 30),
            )
            for n, application in enumerate(applications)
        ]
    )


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def test_candidates_page_queries_stay_flat(client, rounds):
    client.force_login(rounds["xiehe_office"])
    _grow_candidates(rounds, 3, 1000)
    with at(2026, 4, 28, 10):
        small = _queries(client, page_url(rounds))
        _grow_candidates(rounds, 30, 2000)
        assert _queries(client, page_url(rounds)) == small
        client.force_login(rounds["xiehe_staff"])
        assert _queries(client, page_url(rounds)) <= small


def test_invite_search_queries_stay_flat(client, rounds):
    def grow(count, start):
        applicants = _bare_applicants(count, start)
        Application.objects.bulk_create(
            [
                Application(applicant=a, campaign=rounds["campaign"], round=1, specialty_base=rounds["internal"])
                for a in applicants
            ]
        )

    client.force_login(rounds["xiehe_office"])
    params = {"specialty_base": rounds["internal"].pk}
    grow(2, 3000)
    with at(2026, 6, 3, 10):
        small = _queries(client, reverse("round2-invite"), params)
        grow(28, 4000)
        assert _queries(client, reverse("round2-invite"), params) == small
        response = client.get(reverse("round2-invite"), params)
        assert len(response.context["rows"]) == 30
