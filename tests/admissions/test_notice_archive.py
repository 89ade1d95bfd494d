"""A training base's office packs its admission notices in one archive: a bulk job it follows on
a page with a progress bar polling the job's state, retried after a failure without a second job
or a second file of any notice."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse

from admissions.models import Admission
from admissions.services import notice_archive
from admissions.services.admission import admit_due
from admissions.services.publicity import confirm_offer
from portal.models import BulkJob, JobStatus
from tests import factories
from tests.admissions.test_publicity_pages import at, build_round1, pdf_text
from tests.round_helpers import SHANGHAI


@pytest.fixture
def admitted(world, people):
    """Three candidates of 协和医院 admitted; their notices' tasks have not run."""
    round1 = build_round1(world, people, places=3, candidates=3)
    with at(2026, 5, 6, 9):
        for applicant, assessment in zip(round1.applicants, round1.assessments, strict=True):
            confirm_offer(actor=applicant.user, assessment=assessment, accept=True)
    with at(2026, 5, 13, 0, 30):
        assert admit_due() == 3
    assert not Admission.objects.exclude(notice_file="").exists()
    return round1


@pytest.fixture
def office(client, people):
    client.force_login(people["xiehe_office"])
    return client


def _start(office, capture):
    with capture(execute=True):
        response = office.post(reverse("notice-archive"))
    job = BulkJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job", args=[job.pk])
    return job


def _files(folder, pattern):
    return sorted(path.name for path in folder.rglob(pattern))


def test_the_office_gets_its_notices_in_one_archive_and_follows_the_job_on_its_page(
    office, admitted, django_capture_on_commit_callbacks, monkeypatch
):
    seen = []
    store_notices = notice_archive.store_notices

    def watched(*, admission_pks):
        job = BulkJob.objects.get()
        seen.append((job.status, job.done, job.total))
        return store_notices(admission_pks=admission_pks)

    monkeypatch.setattr(notice_archive, "store_notices", watched)
    monkeypatch.setattr(notice_archive, "PDF_BATCH_SIZE", 2)
    job = _start(office, django_capture_on_commit_callbacks)
    assert seen == [("running", 0, 3), ("running", 2, 3)], "the progress moves batch by batch"

    state = office.get(reverse("job-state", args=[job.pk])).json()
    assert state == {
        "status": "done",
        "status_label": "已完成",
        "done": 3,
        "total": 3,
        "percent": 100,
        "result_url": reverse("job-result", args=[job.pk]),
        "error": "",
    }
    page = office.get(reverse("job", args=[job.pk])).content.decode()
    assert "协和医院录取通知书" in page
    assert 'data-job-state-url="/jobs/' in page and "<progress" in page
    assert '<script src="/static/js/job-progress.js" defer>' in page, "from the app's static files"

    response = office.get(reverse("job-result", args=[job.pk]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        names = archive.namelist()
        admissions = list(Admission.objects.select_related("assessment__application__applicant").order_by("pk"))
        assert names == [f"{a.notice_number}-{a.assessment.application.applicant.full_name}.pdf" for a in admissions]
        for admission, name in zip(admissions, names, strict=True):
            text = pdf_text(archive.read(name))
            assert admission.verification_code in text
            assert admission.assessment.application.applicant.full_name in text


def test_a_failed_job_is_retried_as_the_same_job_without_a_second_file(
    office, admitted, private_files, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*, admission_pks):
        raise OSError("disk full")

    monkeypatch.setattr(notice_archive, "store_notices", broken)
    job = _start(office, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    state = office.get(reverse("job-state", args=[job.pk])).json()
    assert state["status"] == "failed" and state["result_url"] is None and "disk full" in state["error"]
    assert "重新生成" in office.get(reverse("job", args=[job.pk])).content.decode()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(reverse("job-restart", args=[job.pk]))
    assert response.status_code == 302
    assert BulkJob.objects.get().pk == job.pk, "the retry is the same job"
    assert office.get(reverse("job-state", args=[job.pk])).json()["status"] == "done"
    notices, archives = _files(private_files, "notice-*.pdf"), _files(private_files, "job-*")
    assert len(notices) == 3 and archives == [f"job-{job.pk}.zip"]
    kept = {a.pk: a.notice_file.name for a in Admission.objects.all()}

    # Started again from the reporting page once done: the same job, no notice rendered twice.
    assert _start(office, django_capture_on_commit_callbacks).pk == job.pk
    assert _files(private_files, "notice-*.pdf") == notices
    assert _files(private_files, "job-*") == archives
    assert {a.pk: a.notice_file.name for a in Admission.objects.all()} == kept


def test_only_the_office_that_started_it_sees_the_job(
    client, office, admitted, people, django_capture_on_commit_callbacks
):
    job = _start(office, django_capture_on_commit_callbacks)
    for name in ("tongji_office", "province", "applicant"):
        client.force_login(people[name])
        for view in ("job", "job-state", "job-result"):
            assert client.get(reverse(view, args=[job.pk])).status_code == 404, (name, view)
    client.force_login(people["applicant"])
    assert client.post(reverse("notice-archive")).status_code == 403


def test_an_assessment_sessions_notices_in_one_archive_rendered_in_batches(
    office, world, people, django_capture_on_commit_callbacks, monkeypatch
):
    round1 = build_round1(world, people, places=3, candidates=3, publish=False)
    session = factories.assessment_session(
        world["hubei_campaign"],
        world["xiehe_internal"],
        datetime.datetime(2026, 4, 27, 9, tzinfo=SHANGHAI),
        created_by=people["xiehe_office"],
    )
    seats = factories.seats(session, round1.assessments)
    batches = []
    render = notice_archive.render_seat_notices
    monkeypatch.setattr(notice_archive, "PDF_BATCH_SIZE", 2)
    monkeypatch.setattr(
        notice_archive, "render_seat_notices", lambda batch: batches.append(len(batch)) or render(batch)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(reverse("session-notices", args=[session.pk]))
    job = BulkJob.objects.get()
    assert response["Location"] == reverse("job", args=[job.pk])
    assert job.status == JobStatus.DONE and (job.done, job.total) == (3, 3) and batches == [2, 1]
    content = b"".join(office.get(reverse("job-result", args=[job.pk])).streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.namelist() == [
            f"{s.assessment.application.applicant.full_name}-{s.verification_code}.pdf" for s in seats
        ]
        for seat in seats:
            notice = archive.read(f"{seat.assessment.application.applicant.full_name}-{seat.verification_code}.pdf")
            alone = office.get(reverse("seat-notice", args=[seat.pk])).content
            assert pdf_text(notice) == pdf_text(alone), "the same text as the notice downloaded alone"
            assert seat.verification_code in pdf_text(notice)

    office.force_login(people["xiehe_staff"])
    assert office.post(reverse("session-notices", args=[session.pk])).status_code == 403
