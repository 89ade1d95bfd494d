"""A score import goes through a release (portal.releases): the file is checked and previewed — each
candidate's scores, composite score and rank before and after, and whether it is within the cut
line — and recorded only once another assessor of the specialty base or its base office confirms
it; it can be undone until a candidate it scored is decided, restoring every score exactly."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from admissions.models import Assessment
from admissions.selectors.rounds import candidate_sheet
from admissions.services.assessments import decide_admission, record_scores, review_qualification
from admissions.services.choices import submit_choice
from admissions.services.score_excel import SCORE_FIELDS, export_scores, prepare_score_release
from bases.services.quotas import do_set_quota
from portal.errors import DomainError
from portal.models import AuditEvent, Notification, ReleaseStatus, Role
from portal.releases import confirm_release, undo_release, undo_window
from tests import factories
from tests.admissions.test_publicity_pages import at
from tests.applicant_helpers import complete_applicant

SCORING = (2026, 4, 28, 10, 0)


@pytest.fixture
def scored(world, people):
    """Xiehe's internal medicine with 2 places and three candidates scored 90, 85 and 80 by its
    staff; a second member of its staff, and the staff of Xiehe's surgery."""
    campaign, internal = world["hubei_campaign"], world["xiehe_internal"]
    do_set_quota(actor=None, campaign=campaign, specialty_base=internal, places=2)
    applicants = [complete_applicant(n) for n in (1, 2, 3)]
    with at(2026, 4, 10, 9):
        choices = [
            submit_choice(actor=a.user, applicant=a, campaign=campaign, specialty_base=internal).application
            for a in applicants
        ]
    with at(2026, 4, 27, 10):
        for choice, points in zip(choices, ("90", "85", "80"), strict=True):
            assessment = review_qualification(actor=people["xiehe_staff"], application=choice, passed=True)
            record_scores(
                actor=people["xiehe_staff"],
                assessment=assessment,
                interview_score=points,
                exam_score=points,
                interview_mode="on_site",
                opinion="admit",
                evaluation_overall="原有评价",
            )
    surgery = factories.specialty_base(world["xiehe"], factories.specialty("0900", "外科"))
    return {
        "campaign": campaign,
        "internal": internal,
        "staff": people["xiehe_staff"],
        "colleague": factories.user(Role.SPECIALTY_BASE_STAFF, specialty_base=internal),
        "surgery_staff": factories.user(Role.SPECIALTY_BASE_STAFF, specialty_base=surgery),
        "office": people["xiehe_office"],
        "assessments": list(Assessment.objects.order_by("pk")),
    }


def _file(scored, **new_scores):
    """The exported score sheet with the interview and exam scores of the named candidates changed."""
    content = export_scores(
        actor=scored["staff"], campaign=scored["campaign"], specialty_base=scored["internal"], round_number=1
    )
    workbook = load_workbook(io.BytesIO(content))
    for row in workbook.active.iter_rows(min_row=2):
        if row[0].value in new_scores:
            row[2].value = row[3].value = new_scores[row[0].value]
            row[8].value = "复核后修改"
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "成绩表.xlsx"
    return buffer


def _prepare(scored, **new_scores):
    with at(*SCORING):
        return prepare_score_release(
            actor=scored["staff"],
            campaign=scored["campaign"],
            specialty_base=scored["internal"],
            round_number=1,
            file=_file(scored, **new_scores),
        )


def _recorded():
    return list(Assessment.objects.order_by("pk").values("pk", "stage", *SCORE_FIELDS))


def _ranks(scored):
    sheet = candidate_sheet(campaign=scored["campaign"], specialty_base=scored["internal"], round_number=1)
    return [(c.applicant.full_name, c.rank, c.composite) for c in sheet.candidates]


def test_the_preview_shows_scores_composites_and_ranks_before_and_after(scored):
    before = _recorded()
    prepared = _prepare(scored, 申请人3="95")
    assert (prepared.rows, prepared.changed, prepared.unchanged) == (3, 1, 2)
    preview = prepared.release.preview
    assert (preview["rows"], preview["unchanged"], preview["places"]) == (3, 2, 2)
    assert preview["candidates"] == [
        {
            "name": "申请人3",
            "scored": True,
            "interview": ["80.0", "95.0"],
            "exam": ["80.0", "95.0"],
            "composite": ["80.0", "95.0"],
            "rank": [3, 1],
            "within": [False, True],
        },
        {
            "name": "申请人1",
            "scored": False,
            "interview": ["90.0", "90.0"],
            "exam": ["90.0", "90.0"],
            "composite": ["90.0", "90.0"],
            "rank": [1, 2],
            "within": [True, True],
        },
        {
            "name": "申请人2",
            "scored": False,
            "interview": ["85.0", "85.0"],
            "exam": ["85.0", "85.0"],
            "composite": ["85.0", "85.0"],
            "rank": [2, 3],
            "within": [True, False],
        },
    ]
    # The trial run that ranked them left nothing behind.
    assert _recorded() == before
    assert not AuditEvent.objects.filter(action__in=("assessment.scores", "assessment.scores_import")).exclude(
        occurred_at__lt=AuditEvent.objects.get(action="release.prepare").occurred_at
    )
    told = Notification.objects.filter(kind="release.pending").values_list("recipient", flat=True)
    assert sorted(told) == sorted([scored["colleague"].pk, scored["office"].pk])


def test_a_file_the_same_as_the_records_prepares_nothing(scored):
    prepared = _prepare(scored)
    assert (prepared.rows, prepared.changed, prepared.unchanged, prepared.release) == (3, 0, 3, None)


def test_only_someone_else_of_the_specialty_base_or_its_office_confirms(scored):
    release = _prepare(scored, 申请人3="95").release
    with at(*SCORING), pytest.raises(DomainError) as refused:
        confirm_release(actor=scored["staff"], release=release)
    assert refused.value.code == "same_person"
    with at(*SCORING), pytest.raises(PermissionDenied):
        confirm_release(actor=scored["surgery_staff"], release=release)
    assert Assessment.objects.get(pk=scored["assessments"][2].pk).interview_score == Decimal("80.0")
    with at(*SCORING):
        confirm_release(actor=scored["colleague"], release=release)
    third = Assessment.objects.get(pk=scored["assessments"][2].pk)
    assert (third.interview_score, third.exam_score, third.evaluation_overall) == (95, 95, "复核后修改")
    assert third.scored_by == scored["colleague"]
    event = AuditEvent.objects.get(action="release.confirm")
    assert (event.after["prepared_by"], event.after["released_by"]) == (
        scored["staff"].username,
        scored["colleague"].username,
    )


def test_an_undo_restores_every_score_and_the_ranks_exactly(scored):
    before, ranks = _recorded(), _ranks(scored)
    release = _prepare(scored, 申请人3="95", 申请人1="70").release
    with at(*SCORING):
        confirm_release(actor=scored["office"], release=release)
    assert _ranks(scored) != ranks
    with at(2026, 4, 28, 10, 20):
        undo_release(actor=scored["staff"], release=release, reason="填错了列")
    assert _recorded() == before
    assert _ranks(scored) == ranks
    assert Assessment.objects.get(pk=scored["assessments"][0].pk).scored_by == scored["staff"]
    assert AuditEvent.objects.filter(action="assessment.scores_restored").count() == 2
    # No applicant was told about the scores, so nobody is told they are withdrawn.
    assert not Notification.objects.filter(kind="release.withdrawn").exists()
    with at(2026, 4, 28, 10, 21), pytest.raises(DomainError):
        undo_release(actor=scored["office"], release=release)


def test_no_undo_once_a_candidate_it_scored_is_decided(scored):
    release = _prepare(scored, 申请人3="95").release
    with at(*SCORING):
        release = confirm_release(actor=scored["office"], release=release)
        decide_admission(actor=scored["office"], assessment=scored["assessments"][2], admit=True)
        assert "被决定录取或不录取" in undo_window(release).reason
        with pytest.raises(DomainError) as refused:
            undo_release(actor=scored["office"], release=release)
    assert refused.value.code == "release_acted_on"
    assert Assessment.objects.get(pk=scored["assessments"][2].pk).interview_score == Decimal("95.0")


def test_scores_changed_since_the_preview_are_not_overwritten(scored):
    release = _prepare(scored, 申请人3="95").release
    with at(*SCORING):
        record_scores(
            actor=scored["colleague"],
            assessment=scored["assessments"][2],
            interview_score="82",
            exam_score="82",
            interview_mode="on_site",
        )
        with pytest.raises(DomainError) as refused:
            confirm_release(actor=scored["office"], release=release)
    assert refused.value.code == "release_stale"
    release.refresh_from_db()
    assert release.status == ReleaseStatus.PENDING
    assert Assessment.objects.get(pk=scored["assessments"][2].pk).interview_score == Decimal("82.0")
