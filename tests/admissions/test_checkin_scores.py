"""An absentee's score sheet says so (缺考): the round's candidates page, the Excel score sheet and
the applicant's own page show 缺考 for the part, and no score is taken for it — by the form or by
an import — unless the mark is corrected first."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from admissions.services.assessments import decide_admission, record_scores
from admissions.services.checkin import check_in, mark_absent
from admissions.services.score_excel import ScoreImportError, export_scores, prepare_score_release
from bases.services.quotas import do_set_quota
from portal.errors import DomainError
from tests import factories
from tests.round_helpers import SHANGHAI, at, bulk_candidates

pytestmark = pytest.mark.django_db


@pytest.fixture
def absences(world, people):
    """Three qualified candidates of Xiehe's internal medicine, each seated at the 09:00 interview and
    the 14:00 exam of 27 April; the first missed the interview, the second the exam."""
    campaign, internal, office = world["hubei_campaign"], world["xiehe_internal"], people["xiehe_office"]
    do_set_quota(actor=None, campaign=campaign, specialty_base=internal, places=2)
    assessments = bulk_candidates(campaign, internal, 3, scored=False)
    day = datetime.datetime(2026, 4, 27, tzinfo=SHANGHAI)
    interview = factories.assessment_session(campaign, internal, day.replace(hour=9), created_by=office)
    exam = factories.assessment_session(campaign, internal, day.replace(hour=14), part="exam", created_by=office)
    interview_seats, exam_seats = factories.seats(interview, assessments), factories.seats(exam, assessments)
    with at(2026, 4, 27, 9, 30):
        mark_absent(actor=office, seat=interview_seats[0])
    with at(2026, 4, 27, 14, 30):
        mark_absent(actor=office, seat=exam_seats[1])
    return {"assessments": assessments, "interview_seats": interview_seats, "exam_seats": exam_seats}


def score(people, assessment, interview, exam):
    with at(2026, 4, 27, 16):
        return record_scores(
            actor=people["xiehe_staff"],
            assessment=assessment,
            interview_score=interview,
            exam_score=exam,
            interview_mode="on_site",
        )


def test_no_score_for_a_part_missed(absences, people):
    first, second, _third = absences["assessments"]
    with pytest.raises(DomainError, match="该考生面试缺考，不能录入面试成绩") as refused:
        score(people, first, "80", "75")
    assert set(refused.value.fields) == {"interview_score"}
    with pytest.raises(DomainError, match="该考生专业考试缺考，不能录入专业考试成绩"):
        score(people, second, "80", "75")
    assert score(people, first, None, "75").exam_score == 75
    assert score(people, second, "88", None).interview_score == 88


def test_a_corrected_mark_lets_the_score_in(absences, people):
    first = absences["assessments"][0]
    with at(2026, 4, 27, 10):
        check_in(actor=people["xiehe_office"], seat=absences["interview_seats"][0])
    assert score(people, first, "80", "75").interview_score == 80


def test_the_round_page_says_absent(client, absences, people):
    first = absences["assessments"][0]
    score(people, first, None, "75")
    client.force_login(people["xiehe_staff"])
    with at(2026, 4, 27, 16):
        html = client.get(reverse("round-candidates", args=[1])).content.decode()
    row_start = html.index(f'data-candidate="{first.application.applicant.full_name}"')
    row = html[row_start : html.index("</tr>", row_start)]
    assert "缺考" in row and "75" in row
    assert html.count('data-testid="absent"') == 2
    assert "面试缺考：该项不能录入成绩。" in html and "专业考试缺考：该项不能录入成绩。" in html


def test_the_round_page_refuses_the_score_by_the_field(client, absences, people):
    first = absences["assessments"][0]
    client.force_login(people["xiehe_staff"])
    with at(2026, 4, 27, 16):
        response = client.post(
            reverse("round-scores", args=[first.pk]),
            {
                f"s-{first.pk}-interview_score": "80",
                f"s-{first.pk}-exam_score": "70",
                f"s-{first.pk}-interview_mode": "on_site",
            },
        )
    assert response.status_code in (200, 400)
    assert "该考生面试缺考，不能录入面试成绩" in response.content.decode()


def exported(people, world):
    with at(2026, 4, 27, 16):
        content = export_scores(
            actor=people["xiehe_staff"],
            campaign=world["hubei_campaign"],
            specialty_base=world["xiehe_internal"],
            round_number=1,
        )
    return load_workbook(io.BytesIO(content))


def upload(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "成绩表.xlsx"
    return buffer


def prepare(people, world, workbook):
    with at(2026, 4, 27, 16):
        return prepare_score_release(
            actor=people["xiehe_staff"],
            campaign=world["hubei_campaign"],
            specialty_base=world["xiehe_internal"],
            round_number=1,
            file=upload(workbook),
        )


def test_the_excel_sheet_says_absent_and_reads_back(absences, people, world):
    workbook = exported(people, world)
    by_name = {row[0].value: row for row in workbook.active.iter_rows(min_row=2)}
    first, second, third = (a.application.applicant.full_name for a in absences["assessments"])
    assert (by_name[first][2].value, by_name[first][3].value) == ("缺考", None)
    assert (by_name[second][2].value, by_name[second][3].value) == (None, "缺考")
    assert (by_name[third][2].value, by_name[third][3].value) == (None, None)
    assert prepare(people, world, workbook).changed == 0


def test_an_import_with_a_score_for_a_part_missed_is_refused(absences, people, world):
    workbook = exported(people, world)
    first = absences["assessments"][0].application.applicant.full_name
    row = next(row for row in workbook.active.iter_rows(min_row=2) if row[0].value == first)
    row[2].value, row[3].value = 85, 80
    with pytest.raises(ScoreImportError) as refused:
        prepare(people, world, workbook)
    assert refused.value.errors == [
        f"第{row[0].row}行：该考生面试缺考，不能录入面试成绩；如系误记，须先在考核当天更正签到。"
    ]


def test_the_applicant_sees_absent(client, absences, people):
    first = absences["assessments"][0]
    with at(2026, 4, 27, 16):
        decide_admission(actor=people["xiehe_office"], assessment=first, admit=False)
    client.force_login(first.application.applicant.user)
    with at(2026, 4, 28, 9):
        html = client.get(reverse("offers")).content.decode()
    start = html.index('data-testid="interview-score"')
    assert "缺考" in html[start : html.index("</dd>", start)]


def test_the_sheet_cannot_mark_a_candidate_absent(absences, people, world):
    workbook = exported(people, world)
    third = absences["assessments"][2].application.applicant.full_name
    row = next(row for row in workbook.active.iter_rows(min_row=2) if row[0].value == third)
    row[2].value = "缺考"
    with pytest.raises(ScoreImportError) as refused:
        prepare(people, world, workbook)
    assert refused.value.errors == [f"第{row[0].row}行：“面试成绩”为“缺考”，但该考生未在考核当天标记缺考"]
