"""A training base's admission notices in one ZIP archive, made by a bulk job (portal.jobs) its
office starts from the reporting page: the notices still missing or out of date are rendered in
batches (`store_notices`), the progress bar moving batch by batch, then every notice in force is
put in the archive as it is kept — the very files the residents download."""

import zipfile

from django.utils.translation import gettext as _

from admissions.selectors.reporting import notices_in_force
from admissions.services.admission import store_notices
from portal.jobs import start_job
from portal.models import BulkJob, Role, User
from portal.pdf import PDF_BATCH_SIZE
from portal.permissions import require_role


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
