"""Admission (录取, 三(三)3): once publicity has ended with no open objection and the applicant
accepted, the candidate is admitted and gets a notice with a verification code. The sweep is
idempotent: run twice, it admits nobody the second time."""

import datetime
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from admissions.models import Admission, Assessment, Stage
from admissions.selectors.clock import due_for_admission
from admissions.services.notices import NOTICE_RELATIONS, notice_is_stored, render_notice
from portal.audit import record_event
from portal.links import absolute_url
from portal.notifications import notify
from portal.queueing import enqueue_on_commit
from portal.states import advance


def _notice_number(assessment):
    campaign = assessment.application.campaign
    return f"{campaign.year}{assessment.specialty_base.training_base_id:03d}{assessment.pk:07d}"


def admit(assessment: Assessment):
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
            verification_code=secrets.token_hex(6).upper(),
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
        enqueue_on_commit("admissions.tasks.store_admission_notice", admission.pk)
    return admission


def store_notice(*, admission_pk: int):
    """Render and keep the admission's notice unless it is kept already; returns the admission, or
    None when there is no such admission.

    Idempotent under redelivery: the row lock makes a second run wait and then find the file. A
    run killed after writing the file but before its commit left a file no row names; it is
    replaced, never trusted.
    """
    with transaction.atomic():
        admission = (
            Admission.objects.select_related(*NOTICE_RELATIONS)
            .select_for_update(of=("self",))
            .filter(pk=admission_pk)
            .first()
        )
        if admission is None or notice_is_stored(admission):
            return admission
        name = f"notice-{admission.pk}.pdf"
        admission.notice_file.storage.delete(admission.notice_file.field.generate_filename(admission, name))
        admission.notice_file.save(name, ContentFile(render_notice(admission)), save=False)
        admission.save(update_fields=["notice_file"])
    return admission


def admit_due(moment: datetime.datetime | None = None):
    """The sweep Celery beat runs: admit everyone due. Returns how many were admitted."""
    return sum(admit(assessment) is not None for assessment in due_for_admission(moment).only("pk"))
