"""Bulk document jobs (`BulkJob`): an office starts one from a page, a Celery task does the work
in batches and says how far it has got, the job's page shows a progress bar that polls its state,
and the file it made is downloaded from there. Starting a job again (a retry after a failure, or
to bring its file up to date) reuses its row and its file name: there is never a second copy."""

import tempfile

from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from portal.models import BulkJob, JobStatus, Role, User
from portal.queueing import enqueue_on_commit

ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


def start_job(*, actor: User, key: str, title: str, task: str):
    """Queue the Celery task named `task` (it calls `run_job`) for the job `key` of `actor`'s
    office; returns the job. A job of that key already queued or running is returned as it is."""
    with transaction.atomic():
        job, created = BulkJob.objects.select_for_update().get_or_create(
            key=key,
            defaults={
                "title": title,
                "task": task,
                "province_id": actor.province_id,
                "training_base_id": actor.training_base_id,
                "started_by": actor,
            },
        )
        if not created:
            if job.status in ACTIVE:
                return job
            job.title, job.task, job.started_by = title, task, actor
            job.status, job.done, job.error = JobStatus.QUEUED, 0, ""
            job.started_at, job.finished_at = timezone.now(), None
            job.save()
        enqueue_on_commit(task, job.pk)
    return job


class Progress:
    """What a job's work reports as it goes: how many items in all, then each batch done."""

    def __init__(self, job):
        self.job = job

    def total(self, count):
        BulkJob.objects.filter(pk=self.job.pk).update(total=count, done=0)

    def advance(self, count):
        BulkJob.objects.filter(pk=self.job.pk).update(done=F("done") + count)


def run_job(job_pk: int, work):
    """Run `work(job, progress, out)` for the job: it reports through `progress` (a `Progress`),
    writes the job's file to `out` (a temporary binary file) and returns its extension. The job
    is then done with that file, replacing its earlier one; an error fails the job, with its
    message for the office, and is raised again for the worker's log. A job no longer queued or
    running (done, or started again meanwhile) is left alone."""
    job = BulkJob.objects.select_related("started_by").filter(pk=job_pk, status__in=ACTIVE).first()
    if job is None:
        return None
    BulkJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    try:
        with tempfile.TemporaryFile() as out:
            name = f"job-{job.pk}.{work(job, Progress(job), out)}"
            out.seek(0)
            job.refresh_from_db()
            job.result.storage.delete(job.result.field.generate_filename(job, name))
            job.result.save(name, File(out), save=False)
    except Exception as error:
        BulkJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now()
        )
        raise
    job.status, job.finished_at = JobStatus.DONE, timezone.now()
    job.save(update_fields=["result", "status", "finished_at"])
    return job


def job_for(*, user: User, pk: int) -> BulkJob:
    """The job `pk` if `user` belongs to the office that started it (a training base's office, or
    the province's for a job of the province), else 404."""
    job = BulkJob.objects.filter(pk=pk).first()
    if job is None or not user.is_authenticated:
        raise Http404
    if job.training_base_id is not None:
        allowed = user.role == Role.BASE_OFFICE and user.training_base_id == job.training_base_id
    else:
        allowed = user.role == Role.PROVINCIAL_OFFICE and user.province_id == job.province_id
    if not allowed:
        raise Http404
    return job


def job_state(job: BulkJob, *, result_url: str):
    """What the progress bar polls."""
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "result_url": result_url if job.status == JobStatus.DONE and job.result else None,
        "error": job.error if job.status == JobStatus.FAILED else "",
    }
