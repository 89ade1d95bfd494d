"""Admission (录取, 三(三)3): once publicity has ended with no open objection and the applicant
accepted, the candidate is admitted and gets a notice with a verification code, issued again as a
new version when a fact it prints changes. The sweeps are idempotent: run twice, they admit or
reissue nothing the second time."""

import datetime
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from admissions.models import Admission, AdmissionStatus, Assessment, Stage, SupersededNotice
from admissions.selectors.clock import due_for_admission
from admissions.services.notices import (
    NOTICE_RELATIONS,
    notice_fingerprint,
    notice_is_stored,
    render_notice,
    render_notices,
)
from portal.audit import record_event
from portal.links import absolute_url
from portal.notifications import notify
from portal.pdf import PDF_BATCH_SIZE
from portal.queueing import enqueue_on_commit
from portal.states import advance


def _notice_number(assessment):
    campaign = assessment.application.campaign
    return f"{campaign.year}{assessment.specialty_base.training_base_id:03d}{assessment.pk:07d}"


def new_verification_code():
    """An unguessable code printed on an issued document (admission or assessment notice): 48 random
    bits as 12 capital hexadecimal characters, none of which is read as another (no O, I or L)."""
    return secrets.token_hex(6).upper()


def admit(assessment: Assessment, *, queue_notice: bool = True):
    """Admit the proposed candidate of `assessment`; returns the admission, or None when it is not
    proposed (any more). Its notice is queued on commit, unless the caller (a sweep) queues the
    notices of many admissions in batches (`queue_notices`)."""
    with transaction.atomic():
        assessment = (
            Assessment.objects.select_for_update(of=("self",))
            .select_related(
                "application__campaign",
                "application__applicant__user",
                "specialty_base__training_base",
                "specialty_base__specialty",
            )
            .get(pk=assessment.pk)
        )
        if assessment.stage != Stage.PROPOSED:
            return None
        advance(assessment, Stage.ADMITTED)
        assessment.save(update_fields=["stage"])
        admission = Admission.objects.create(
            assessment=assessment,
            notice_number=_notice_number(assessment),
            verification_code=new_verification_code(),
        )
        record_event(
            actor=None, action="assessment.admitted", obj=assessment, after={"notice": admission.notice_number}
        )
        notify(
            recipient=assessment.application.applicant.user,
            kind="admission.admitted",
            subject=_("录取通知：%(base)s") % {"base": assessment.specialty_base},
            body=_("您已被%(base)s录取。录取通知书编号 %(number)s，请登录平台下载录取通知书。")
            % {"base": assessment.specialty_base, "number": admission.notice_number}
            + f"\n{absolute_url('offers')}",
        )
        if queue_notice:
            enqueue_on_commit("admissions.tasks.store_admission_notice", admission.pk)
    return admission


def store_notice(*, admission_pk: int):
    """Keep the admission's notice as it prints now; returns the admission, or None when there is
    no such admission.

    A notice kept with the same facts (`notice_fingerprint`) is left alone. When a printed fact
    has changed since the kept version (a later reporting date, the base's contact, a corrected
    name), that version, its file and its code go on record as a `SupersededNotice`, and a new
    version with a new verification code is rendered to a file of its own.

    Idempotent under redelivery: the row lock makes a second run wait and then find the notice
    current. A run killed after writing the file but before its commit left a file no row names;
    it is replaced, never trusted.
    """
    with transaction.atomic():
        admission = (
            Admission.objects.select_related(*NOTICE_RELATIONS)
            .select_for_update(of=("self",))
            .filter(pk=admission_pk)
            .first()
        )
        if admission is None:
            return None
        if _due_for_rendering(admission):
            _keep_notice(admission, render_notice(admission))
    return admission


def store_notices(*, admission_pks: list[int]):
    """`store_notice` for many admissions at once, the notices due rendered as one batch
    (`render_notices`): what a sweep or a bulk job runs. Returns how many notices were rendered.

    Idempotent in the same way: a retried batch waits for the row locks, then renders only the
    notices still missing or out of date, each to the one file name of its version, so a run
    killed halfway leaves no second copy of any notice.
    """
    with transaction.atomic():
        admissions = list(
            Admission.objects.select_related(*NOTICE_RELATIONS)
            .select_for_update(of=("self",))
            .filter(pk__in=admission_pks)
            .order_by("pk")
        )
        due = [admission for admission in admissions if _due_for_rendering(admission)]
        for admission, content in zip(due, render_notices(due), strict=True):
            _keep_notice(admission, content)
    return len(due)


def queue_notices(admission_pks):
    """Queue `store_admission_notices` for `admission_pks`, a batch of PDF_BATCH_SIZE per task."""
    admission_pks = list(admission_pks)
    for start in range(0, len(admission_pks), PDF_BATCH_SIZE):
        enqueue_on_commit("admissions.tasks.store_admission_notices", admission_pks[start : start + PDF_BATCH_SIZE])


def _due_for_rendering(admission):
    """Whether the notice of `admission` (its row locked) is to be rendered: none kept, or a
    printed fact changed, in which case the kept version is superseded first."""
    fingerprint = notice_fingerprint(admission)
    if fingerprint == admission.notice_fingerprint and notice_is_stored(admission):
        return False
    if admission.notice_fingerprint and fingerprint != admission.notice_fingerprint:
        _supersede(admission)
    admission.notice_fingerprint = fingerprint
    return True


def _keep_notice(admission, content):
    # A file left by a run killed before its commit has this very name: replaced, never trusted.
    suffix = f"-v{admission.notice_version}" if admission.notice_version > 1 else ""
    name = f"notice-{admission.pk}{suffix}.pdf"
    admission.notice_file.storage.delete(admission.notice_file.field.generate_filename(admission, name))
    admission.notice_file.save(name, ContentFile(content), save=False)
    admission.save(update_fields=["notice_file", "notice_fingerprint", "notice_version", "verification_code"])


def _supersede(admission):
    """Put the kept version of the notice on record and make `admission` the next version (its row
    locked by the caller, which saves it)."""
    SupersededNotice.objects.create(
        admission=admission,
        version=admission.notice_version,
        verification_code=admission.verification_code,
        fingerprint=admission.notice_fingerprint,
        file=admission.notice_file.name,
    )
    admission.notice_version += 1
    admission.verification_code = new_verification_code()
    record_event(
        actor=None,
        action="admission.notice_reissued",
        obj=admission,
        before={"version": admission.notice_version - 1},
        after={"version": admission.notice_version},
        reason=_("录取通知书所载信息变更"),
    )
    values = {"number": admission.notice_number, "version": admission.notice_version}
    notify(
        recipient=admission.assessment.application.applicant.user,
        kind="admission.notice_reissued",
        subject=_("录取通知书已更新（第%(version)s版）") % values,
        body=_(
            "您的录取通知书（编号 %(number)s）所载信息有变更，已换发第%(version)s版；"
            "原通知书及其验证码不再有效，请下载新版录取通知书。"
        )
        % values
        + f"\n{absolute_url('offers')}",
    )


def reissue_changed_notices():
    """The sweep: queue the notice task of every admission awaiting reporting whose printed facts
    changed since its notice was kept, however they changed (a campaign's reporting date or a
    base's contact edited in the admin), in batches. Returns how many notices were queued."""
    admissions = (
        Admission.objects.filter(status=AdmissionStatus.ADMITTED)
        .exclude(notice_fingerprint="")
        .select_related(*NOTICE_RELATIONS)
        .order_by("pk")
    )
    changed = [
        admission.pk
        for admission in admissions.iterator(chunk_size=500)
        if notice_fingerprint(admission) != admission.notice_fingerprint
    ]
    queue_notices(changed)
    return len(changed)


def admit_due(moment: datetime.datetime | None = None):
    """The sweep Celery beat runs: admit everyone due, their notices queued in batches (as the
    sweep goes, so that a sweep stopped by its time limit has queued the notices of those it
    admitted). Returns how many were admitted."""
    admitted, pending = 0, []
    try:
        for assessment in due_for_admission(moment).only("pk"):
            admission = admit(assessment, queue_notice=False)
            if admission is not None:
                admitted += 1
                pending.append(admission.pk)
            if len(pending) == PDF_BATCH_SIZE:
                queue_notices(pending)
                pending = []
    finally:
        queue_notices(pending)
    return admitted
