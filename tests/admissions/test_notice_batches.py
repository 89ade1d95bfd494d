"""Admission notices rendered in batches (the admission sweep, `store_admission_notices`): one
document per batch split into one file per admission, each the applicant's own notice, whole,
with embedded fonts and its verification code, and the same text as a notice rendered alone; a
retried batch makes no second file."""

import io

import pytest
from django.db import transaction
from pypdf import PdfReader

from admissions.models import Admission
from admissions.services import admission as admission_service
from admissions.services.admission import admit_due, store_notices
from admissions.services.notices import NOTICE_RELATIONS, render_notice
from admissions.services.publicity import confirm_offer
from tests.admissions.test_publicity_pages import at, build_round1, pdf_text
from tests.bases.test_brochure_pdf import _embedded_fonts


@pytest.fixture
def admitted(world, people, monkeypatch, django_capture_on_commit_callbacks):
    """Three candidates admitted by one sweep, their notices stored by one batch (never one by one)."""

    def alone(admission):
        raise AssertionError("the sweep rendered a notice on its own")

    monkeypatch.setattr(admission_service, "render_notice", alone)
    round1 = build_round1(world, people, places=3, candidates=3)
    with at(2026, 5, 6, 9):
        for applicant, assessment in zip(round1.applicants, round1.assessments, strict=True):
            confirm_offer(actor=applicant.user, assessment=assessment, accept=True)
    with at(2026, 5, 13, 0, 30), django_capture_on_commit_callbacks(execute=True) as queued:
        assert admit_due() == 3
    batches = [c.args for c in queued if getattr(c, "args", ())[:1] == ("admissions.tasks.store_admission_notices",)]
    assert len(batches) == 1, "one batch of notices queued"
    monkeypatch.undo()
    return list(Admission.objects.select_related(*NOTICE_RELATIONS).order_by("pk"))


def _stored(admission):
    with admission.notice_file.open("rb") as file:
        return file.read()


def _titles(outline):
    return [_titles(item) if isinstance(item, list) else item.title for item in outline]


def _notice_files(folder):
    return sorted(path.name for path in folder.rglob("notice-*.pdf"))


def test_each_split_notice_is_its_applicants_own_whole_pdf(admitted):
    for admission in admitted:
        content = _stored(admission)
        reader = PdfReader(io.BytesIO(content), strict=True)
        assert len(reader.pages) == 1
        applicant = admission.assessment.application.applicant
        text = pdf_text(content)
        assert applicant.full_name in text and applicant.id_number in text
        assert admission.notice_number in text and admission.verification_code in text
        for other in admitted:
            if other != admission:
                other_applicant = other.assessment.application.applicant
                assert other.verification_code not in text and other_applicant.id_number not in text
        alone = render_notice(admission)
        assert text == pdf_text(alone), "the same text as the notice rendered alone"
        assert _titles(reader.outline) == _titles(PdfReader(io.BytesIO(alone)).outline), "and the same bookmarks"
        assert any("CJK" in name.replace("-", "") for name in _embedded_fonts(reader)), "the CJK font is embedded"
        assert reader.metadata.title == f"录取通知书 {admission.notice_number}"
        assert reader.trailer["/Root"]["/Lang"] == "zh-CN"


def test_a_retried_batch_renders_nothing_again_and_makes_no_second_file(admitted, private_files):
    files = _notice_files(private_files)
    assert len(files) == 3
    contents = [_stored(admission) for admission in admitted]

    # Redelivered: every notice is current.
    assert store_notices(admission_pks=[a.pk for a in admitted]) == 0
    assert _notice_files(private_files) == files
    assert [_stored(a) for a in Admission.objects.order_by("pk")] == contents

    # A run killed after writing its files, before its commit: no row names them any more.
    Admission.objects.update(notice_file="", notice_fingerprint="")
    with pytest.raises(RuntimeError), transaction.atomic():
        store_notices(admission_pks=[a.pk for a in admitted])
        raise RuntimeError("worker lost")
    assert Admission.objects.filter(notice_file="").count() == 3
    # The retry writes each notice once more, to the same name: no duplicate file.
    assert store_notices(admission_pks=[a.pk for a in admitted]) == 3
    assert _notice_files(private_files) == files
    for admission in Admission.objects.order_by("pk"):
        assert admission.notice_file.name.endswith(f"notice-{admission.pk}.pdf")
        assert admission.verification_code in pdf_text(_stored(admission))
