"""The admission notice (录取通知书) as a PDF. It is an issued document: rendered once, in the
site's language and with the site's public address, when the candidate is admitted, then kept."""

from urllib.parse import urlencode

from django.conf import settings
from django.utils import translation

from admissions.models import Admission
from portal.links import absolute_url
from portal.pdf import render_pdf

NOTICE_STYLESHEETS = ["css/publicity.css"]


# What `render_notice` reads of an admission, for `select_related`.
NOTICE_RELATIONS = (
    "assessment__application__applicant",
    "assessment__application__campaign",
    "assessment__specialty_base__training_base",
    "assessment__specialty_base__specialty",
)


def render_notice(admission: Admission):
    """The notice of `admission` (fetched with `NOTICE_RELATIONS`) as PDF bytes."""
    assessment = admission.assessment
    application = assessment.application
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(
            "admissions/offer/notice_pdf.html",
            {
                "admission": admission,
                "assessment": assessment,
                "applicant": application.applicant,
                "campaign": application.campaign,
                "application": application,
                "training_base": assessment.specialty_base.training_base,
                "specialty": assessment.specialty_base.specialty,
                "verify_url": absolute_url("admission-verify"),
                "verify_link": absolute_url("admission-verify", query=urlencode({"notice": admission.notice_number})),
            },
            stylesheets=NOTICE_STYLESHEETS,
        )


def notice_is_stored(admission: Admission):
    return bool(admission.notice_file) and admission.notice_file.storage.exists(admission.notice_file.name)
