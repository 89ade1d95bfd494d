"""Notices in one ZIP archive, made by a bulk job (portal.jobs) a training base's office starts,
the progress bar moving batch by batch:

- a base's admission notices, from the reporting page: the notices still missing or out of date
  are rendered in batches (`store_notices`), then every notice in force is put in the archive as it
  is kept — the very files the residents download;
- an assessment session's notices, from the sessions board: rendered in batches
  (`render_seat_notices`), as each candidate downloads its own (they are not kept)."""

import zipfile

from django.utils import timezone
from django.utils.translation import gettext as _

from admissions.models import AssessmentSession
from admissions.selectors.reporting import notices_in_force
from admissions.selectors.sessions import seats_with_notice_facts
from admissions.services.admission import store_notices
from admissions.services.notices import render_seat_notices
from portal.jobs import start_job
from portal.models import BulkJob, Role, User
from portal.pdf import PDF_BATCH_SIZE
from portal.permissions import VIEW, require, require_role


def start_notice_archive(*, actor: User) -> BulkJob:
    """Start the archive of the notices of `actor`'s training base, or give back the one under
    way. Started again, it is the same job: notices already kept are not rendered again."""
    require_role(actor, Role.BASE_OFFICE)
    return start_job(
        actor=actor,
        key=f"admission-notices:{actor.training_base_id}",
        title=_("%(base)s录取通知书") % {"base": actor.training_base.name},
        task="admissions.tasks.build_notice_archive",
    )


def write_notice_archive(job: BulkJob, progress, out):
    """The job's work (see `portal.jobs.run_job`): the notices of the base of the office member
    who started it."""
    admissions = notices_in_force(user=job.started_by)
    pks = list(admissions.values_list("pk", flat=True))
    progress.total(len(pks))
    for start in range(0, len(pks), PDF_BATCH_SIZE):
        batch = pks[start : start + PDF_BATCH_SIZE]
        store_notices(admission_pks=batch)
        progress.advance(len(batch))
    # PDFs are compressed already: stored as they are.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for admission in admissions.filter(pk__in=pks).iterator(chunk_size=PDF_BATCH_SIZE):
            name = f"{admission.notice_number}-{admission.assessment.application.applicant.full_name}.pdf"
            with admission.notice_file.open("rb") as notice, archive.open(name, "w") as entry:
                entry.write(notice.read())
    return "zip"


def start_seat_notice_archive(*, actor: User, session: AssessmentSession) -> BulkJob:
    """Start the archive of the assessment notices of `session`, or give back the one under way."""
    require_role(actor, Role.BASE_OFFICE)
    require(actor, VIEW, session)
    return start_job(
        actor=actor,
        key=f"seat-notices:{session.pk}",
        title=_("%(base)s %(day)s考核通知")
        % {"base": session.specialty_base, "day": timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H%M")},
        task="admissions.tasks.build_seat_notice_archive",
    )


def write_seat_notice_archive(job: BulkJob, progress, out):
    """The job's work (see `portal.jobs.run_job`); its key names the session."""
    seats = list(seats_with_notice_facts(session_pk=int(job.key.rsplit(":", 1)[1])))
    progress.total(len(seats))
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for start in range(0, len(seats), PDF_BATCH_SIZE):
            batch = seats[start : start + PDF_BATCH_SIZE]
            for seat, content in zip(batch, render_seat_notices(batch), strict=True):
                archive.writestr(f"{seat.applicant.full_name}-{seat.verification_code}.pdf", content)
            progress.advance(len(batch))
    return "zip"
