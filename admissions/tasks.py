from celery import shared_task

from admissions.services import reporting
from admissions.services.admission import admit_due, reissue_changed_notices, store_notice, store_notices
from admissions.services.notice_archive import write_notice_archive, write_seat_notice_archive
from admissions.services.roster_export import write_roster_pdf_job
from portal.jobs import run_job
from portal.queueing import run_sweep


@shared_task(bind=True, acks_late=True)
def admit_due_candidates(self):
    """Idempotent: a second run, or two workers at once, admit nobody twice (row lock, stage check)."""
    return run_sweep(self, admit_due)


@shared_task(bind=True, acks_late=True)
def disqualify_no_shows(self):
    """Idempotent: a resident is disqualified once; a second run finds nobody left to disqualify."""
    return run_sweep(self, reporting.disqualify_no_shows)


@shared_task(bind=True, acks_late=True)
def send_reminders(self):
    """Idempotent: every reminder has a dedupe key, so a second delivery sends nothing more."""
    from admissions.services import reminders

    return run_sweep(self, reminders.send_reminders)


@shared_task(acks_late=True)
def store_admission_notice(admission_id):
    """Idempotent: a second delivery finds the notice kept with the same facts and renders nothing."""
    store_notice(admission_pk=admission_id)


@shared_task(acks_late=True)
def store_admission_notices(admission_ids):
    """The notices of a batch of admissions, rendered as one document and split (the sweeps queue
    these). Idempotent: a second delivery renders only what the first left undone, to the same files."""
    store_notices(admission_pks=admission_ids)


@shared_task(bind=True, acks_late=True)
def reissue_admission_notices(self):
    """Idempotent: it only queues `store_admission_notices`, which issues one version per change of facts."""
    return run_sweep(self, reissue_changed_notices)


@shared_task(acks_late=True)
def build_notice_archive(job_id):
    """Idempotent: a redelivery renders only the notices the first run left undone and writes the
    archive again under the job's one file name."""
    run_job(job_id, write_notice_archive)


@shared_task(acks_late=True)
def build_roster_pdf(job_id):
    """Idempotent: a redelivery writes the PDF again under the job's one file name."""
    run_job(job_id, write_roster_pdf_job)


@shared_task(acks_late=True)
def build_seat_notice_archive(job_id):
    """Idempotent: a redelivery writes the archive again under the job's one file name."""
    run_job(job_id, write_seat_notice_archive)
