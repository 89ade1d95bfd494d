"""Reporting and agreements (三(六)) and the integrity rules (四(四)) as dates and kinds."""

import datetime

from django.utils.translation import gettext_lazy as _

from policy.choices import ApplicantType

AGREEMENTS = {
    ApplicantType.OPEN_RECRUITMENT: _("劳动合同"),
    ApplicantType.ENTRUSTED: _("委托培养三方协议"),
    ApplicantType.OWN_STAFF: _("本单位住院医师培训协议"),
    ApplicantType.PROFESSIONAL_MASTER: _("专硕研究生培训协议"),
    ApplicantType.RURAL_ORDER: _("农村订单定向培训协议"),
}


def agreement_kind(applicant_type):
    """The agreement a resident signs, by applicant type (湖北省住院医师规范化培训相关协议范本)."""
    return AGREEMENTS[applicant_type]


def agreement_due(reported_on, agreement_days):
    return reported_on + datetime.timedelta(days=agreement_days)


def reporting_deadline(reporting_by, allowed_until=None):
    """The last day a resident may report: the campaign's date, or a later one the base allowed."""
    return max(reporting_by, allowed_until or reporting_by)


def disqualified_from(reporting_by, grace_days=14, allowed_until=None):
    """The first day a resident who has not reported loses the training place: 2 weeks after the
    reporting deadline (day 15), or the day after an approved later date."""
    last_allowed = max(reporting_by + datetime.timedelta(days=grace_days), allowed_until or reporting_by)
    return last_allowed + datetime.timedelta(days=1)
