"""The admission notice (录取通知书) as a PDF. It is an issued document, in the site's language and
with the site's public address: rendered when the candidate is admitted and kept, and issued again
as a new version, with a new verification code, only when a fact it prints changes."""

import hashlib
import json
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.utils import translation
from django.utils.safestring import mark_safe

from admissions.models import Admission, SessionSeat
from policy.rules.reporting import reporting_deadline
from policy.timetable import local_date
from portal.links import absolute_url
from portal.pdf import render_pdf, render_pdfs
from portal.privacy import mask_id_number

NOTICE_STYLESHEETS = ["css/publicity.css"]


# What `render_notice` reads of an admission, for `select_related`.
NOTICE_RELATIONS = (
    "assessment__application__applicant",
    "assessment__application__campaign",
    "assessment__specialty_base__training_base",
    "assessment__specialty_base__specialty",
)


def notice_facts(admission: Admission):
    """What the notice of `admission` (fetched with `NOTICE_RELATIONS`) prints, but for its
    verification code and version. The template prints these and nothing else of the admission,
    so that a change of any printed fact changes `notice_fingerprint`."""
    assessment = admission.assessment
    application = assessment.application
    campaign = application.campaign
    training_base = assessment.specialty_base.training_base
    reporting_by = reporting_deadline(campaign.reporting_by, admission.late_reporting_allowed_until)
    return {
        "notice_number": admission.notice_number,
        "full_name": application.applicant.full_name,
        "id_number": application.applicant.id_number,
        "training_base": training_base.name,
        "specialty": assessment.specialty_base.specialty.name,
        "year": campaign.year,
        "round": application.round,
        "is_adjustment": assessment.is_adjustment,
        "admitted_on": local_date(admission.admitted_at),
        "reporting_by": reporting_by,
        "reporting_extended": reporting_by > campaign.reporting_by,
        "contact_person": training_base.contact_person,
        "phone_numbers": training_base.phone_numbers,
        "qq_groups": training_base.qq_groups,
    }


def notice_fingerprint(admission: Admission):
    """The digest of `notice_facts`, kept with each version of the notice."""
    facts = json.dumps(notice_facts(admission), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(facts.encode()).hexdigest()


NOTICE_TEMPLATE = "admissions/offer/notice_pdf.html"


def _notice_context(admission):
    return {
        "admission": admission,
        "facts": notice_facts(admission),
        "round_label": admission.assessment.application.get_round_display(),
        "verify_url": absolute_url("admission-verify"),
        "verify_link": absolute_url("admission-verify", query=urlencode({"notice": admission.notice_number})),
    }


def render_notice(admission: Admission):
    """The notice of `admission` (fetched with `NOTICE_RELATIONS`) as PDF bytes: its current
    version and verification code."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(NOTICE_TEMPLATE, _notice_context(admission), stylesheets=NOTICE_STYLESHEETS)


def render_notices(admissions: list[Admission]):
    """The notices of `admissions` (fetched with `NOTICE_RELATIONS`), one PDF each, in order: the
    same text as `render_notice`, written as one batch (`portal.pdf.render_pdfs`)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdfs(
            NOTICE_TEMPLATE, [_notice_context(admission) for admission in admissions], stylesheets=NOTICE_STYLESHEETS
        )


def notice_is_stored(admission: Admission):
    return bool(admission.notice_file) and admission.notice_file.storage.exists(admission.notice_file.name)


def qr_svg(text: str) -> str:
    """`text` as a QR code, an inline SVG element (medium error correction: a crumpled print still
    scans)."""
    return mark_safe(segno.make(text, error="m").svg_inline(scale=4, border=2))  # noqa: S308 — segno's own markup


SEAT_NOTICE_TEMPLATE = "admissions/sessions/notice_pdf.html"


def _seat_notice_context(seat):
    session = seat.session
    check_in_url = absolute_url("seat-check-in", seat.verification_code)
    return {
        "seat": seat,
        "session": session,
        "applicant": seat.applicant,
        "masked_id": mask_id_number(seat.applicant.id_number),
        "training_base": session.specialty_base.training_base,
        "specialty": session.specialty_base.specialty,
        "round_label": seat.assessment.application.get_round_display(),
        "is_adjustment": seat.assessment.is_adjustment,
        "check_in_url": check_in_url,
        "qr_code": qr_svg(check_in_url),
    }


def render_seat_notice(seat: SessionSeat):
    """The assessment notice (面试/考核通知) of `seat` (fetched with `SEAT_NOTICE_RELATIONS`) as PDF
    bytes: when and where, the verification code, and the QR code the office scans at the door."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(SEAT_NOTICE_TEMPLATE, _seat_notice_context(seat), stylesheets=NOTICE_STYLESHEETS)


def render_seat_notices(seats: list[SessionSeat]):
    """The assessment notices of `seats` (fetched with `SEAT_NOTICE_RELATIONS`), one PDF each, in
    order, written as one batch."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdfs(
            SEAT_NOTICE_TEMPLATE, [_seat_notice_context(seat) for seat in seats], stylesheets=NOTICE_STYLESHEETS
        )
