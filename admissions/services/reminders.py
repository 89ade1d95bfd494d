"""Reminder sweeps (issue 6): each reminder has a dedupe key, so running a sweep twice, or two
workers at once, sends nothing more. Every sweep takes the moment to judge by (default: now) and
returns how many reminders it sent.

A reminder that reminds of a deadline also goes out on a later day up to that deadline, so a
day the beat missed is caught up; one that announces an event (a window opening) goes out on
that day only.
"""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from admissions.models import (
    Admission,
    AdmissionStatus,
    Applicant,
    Application,
    ApplicationStatus,
    Assessment,
    Confirmation,
    PublicityEntry,
    PublicityKind,
    Stage,
)
from admissions.selectors.checklist import missing_items
from policy.models import Campaign
from policy.rules.reporting import agreement_due, agreement_kind
from policy.timetable import ONE_DAY, local_date
from portal.links import absolute_url
from portal.models import Role, User
from portal.notifications import notify_once

REPORTING_REMINDER_DAYS = (7, 1)


ACCEPTANCE_REMINDER_DAYS = 2


def _days(n):
    return datetime.timedelta(days=n)


def _round_dates(campaign, round_number):
    if round_number == 1:
        return campaign.round1_opens, campaign.round1_closes
    return campaign.round2_opens, campaign.round2_closes


def _applicants_without_choice(campaign, round_number):
    """Applicants with a complete profile, no active choice in the round and, in round 2, no
    place already proposed or admitted in this campaign."""
    active_choice = Application.objects.filter(
        applicant=OuterRef("pk"), campaign=campaign, round=round_number, status=ApplicationStatus.ACTIVE
    )
    candidates = (
        Applicant.objects.filter(user__is_active=True, declares_fit=True, educations__isnull=False)
        .exclude(id_number="")
        .exclude(Exists(active_choice))
        .distinct()
        .select_related("user")
        # What missing_items reads (through own_records), per chunk, not per applicant.
        .prefetch_related("educations", "documents", "held_certificate_specialties")
        .order_by("pk")
    )
    if round_number == 2:
        placed = Assessment.objects.filter(
            application__applicant=OuterRef("pk"),
            application__campaign=campaign,
            stage__in=[Stage.PROPOSED, Stage.ADMITTED],
        )
        candidates = candidates.exclude(Exists(placed))
    for applicant in candidates.iterator(chunk_size=500):
        if not missing_items(applicant):
            yield applicant


def window_reminders(moment: datetime.datetime | None = None):
    """On the day a round's choice window opens, and from one day before it closes until it
    closes, remind applicants who could choose and have not."""
    today = local_date(moment)
    sent = 0
    campaigns = Campaign.objects.filter(
        Q(round1_opens=today)
        | Q(round2_opens=today)
        | Q(round1_closes__in=[today, today + ONE_DAY])
        | Q(round2_closes__in=[today, today + ONE_DAY])
    )
    for campaign in campaigns:
        for round_number in (1, 2):
            opens, closes = _round_dates(campaign, round_number)
            events = []
            if today == opens:
                events.append("open")
            if closes - ONE_DAY <= today <= closes:
                events.append("close")
            for event in events:
                for applicant in _applicants_without_choice(campaign, round_number):
                    sent += _window_reminder(campaign, round_number, event, opens, closes, applicant)
    return sent


def _window_reminder(campaign, round_number, event, opens, closes, applicant):
    values = {"campaign": campaign.title, "round": round_number, "closes": closes.isoformat()}
    if event == "open":
        subject = _("%(campaign)s第%(round)s批次志愿填报已开始") % values
        body = _("%(campaign)s第%(round)s批次注册和志愿填报已开始，截止%(closes)s 24时。请登录平台填报志愿。") % values
    else:
        subject = _("%(campaign)s第%(round)s批次志愿填报即将截止") % values
        body = _("%(campaign)s第%(round)s批次志愿填报将于%(closes)s 24时截止，您尚未填报志愿。") % values
    return bool(
        notify_once(
            recipient=applicant.user,
            key=f"window-{event}:{campaign.pk}:{round_number}:{applicant.user_id}",
            kind=f"window.{event}",
            subject=subject,
            body=f"{body}\n{absolute_url('applicant-choose')}",
        )
    )


def acceptance_reminders(moment: datetime.datetime | None = None):
    """Two days before a proposed-admission list's last day (and until it ends), remind listed
    candidates who have neither accepted nor declined."""
    today = local_date(moment)
    entries = (
        PublicityEntry.objects.filter(
            publicity_list__kind=PublicityKind.PROPOSED,
            publicity_list__last_day__gte=today,
            publicity_list__last_day__lte=today + _days(ACCEPTANCE_REMINDER_DAYS),
            assessment__stage=Stage.PROPOSED,
            assessment__confirmation=Confirmation.PENDING,
        )
        .select_related("publicity_list", "assessment__application__applicant__user", "assessment__specialty_base")
        .order_by("pk")
    )
    sent = 0
    for entry in entries:
        assessment = entry.assessment
        values = {"base": assessment.specialty_base, "last_day": entry.publicity_list.last_day.isoformat()}
        sent += bool(
            notify_once(
                recipient=assessment.application.applicant.user,
                key=f"acceptance:{assessment.pk}",
                kind="publicity.acceptance_needed",
                subject=_("请确认是否接受拟录取：%(base)s") % values,
                body=_("您已列入%(base)s拟录取名单，公示期至%(last_day)s 24时。请在此之前登录平台确认接受或放弃。")
                % values
                + f"\n{absolute_url('offers')}",
            )
        )
    return sent


def reporting_reminders(moment: datetime.datetime | None = None):
    """7 days and 1 day before the campaign's reporting date, remind admitted residents who have
    not reported. The 7-day reminder is caught up until the 1-day one takes over."""
    today = local_date(moment)
    sent = 0
    admissions = Admission.objects.filter(
        status=AdmissionStatus.ADMITTED,
        reported_on__isnull=True,
        assessment__application__campaign__reporting_by__gte=today,
        assessment__application__campaign__reporting_by__lte=today + _days(max(REPORTING_REMINDER_DAYS)),
    ).select_related(
        "assessment__application__campaign",
        "assessment__application__applicant__user",
        "assessment__specialty_base",
    )
    for admission in admissions.order_by("pk"):
        reporting_by = admission.assessment.application.campaign.reporting_by
        days = min(d for d in REPORTING_REMINDER_DAYS if reporting_by - _days(d) <= today)
        values = {
            "base": admission.assessment.specialty_base,
            "date": reporting_by.isoformat(),
            "number": admission.notice_number,
        }
        sent += bool(
            notify_once(
                recipient=admission.assessment.application.applicant.user,
                key=f"reporting:{admission.pk}:{days}",
                kind="admission.reporting_reminder",
                subject=_("报到提醒：请于%(date)s前到%(base)s报到") % values,
                body=_(
                    "您已被%(base)s录取（通知书编号 %(number)s），请于%(date)s前报到；无故逾期2周未报到将取消培训资格。"
                )
                % values
                + f"\n{absolute_url('offers')}",
            )
        )
    return sent


def agreement_reminders(moment: datetime.datetime | None = None):
    """The day after the agreement was due (reporting date + the campaign's agreement days) and
    until it is recorded, remind the base's admission office once per resident."""
    today = local_date(moment)
    admissions = (
        Admission.objects.filter(
            status=AdmissionStatus.REPORTED, agreement_signed_on__isnull=True, reported_on__lt=today
        )
        .select_related(
            "assessment__application__campaign",
            "assessment__application__applicant",
            "assessment__specialty_base__training_base",
        )
        .order_by("pk")
    )
    sent = 0
    offices = {}
    for admission in admissions:
        campaign = admission.assessment.application.campaign
        due = agreement_due(admission.reported_on, campaign.agreement_days)
        if today <= due:
            continue
        applicant = admission.assessment.application.applicant
        training_base = admission.assessment.specialty_base.training_base
        if training_base.pk not in offices:
            offices[training_base.pk] = list(
                User.objects.filter(role=Role.BASE_OFFICE, training_base=training_base, is_active=True)
            )
        values = {
            "name": applicant.full_name,
            "kind": agreement_kind(applicant.applicant_type),
            "due": due.isoformat(),
            "number": admission.notice_number,
        }
        for office in offices[training_base.pk]:
            sent += bool(
                notify_once(
                    recipient=office,
                    key=f"agreement:{admission.pk}:{office.pk}",
                    kind="admission.agreement_reminder",
                    subject=_("待签订协议：%(name)s") % values,
                    body=_("%(name)s（录取通知书编号 %(number)s）已报到，%(kind)s应于%(due)s前签订，尚未登记。")
                    % values
                    + f"\n{absolute_url('reporting')}",
                )
            )
    return sent


SWEEPS = (window_reminders, acceptance_reminders, reporting_reminders, agreement_reminders)


def send_reminders(moment: datetime.datetime | None = None):
    """Every sweep; returns {sweep name: reminders sent}."""
    return {sweep.__name__: sweep(moment) for sweep in SWEEPS}
