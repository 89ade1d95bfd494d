"""Where a campaign stands, derived from its dates and the clock, never from a stored status.

All dates are Asia/Shanghai calendar days; a window that "closes" on a date stays open until
24:00 of that date, i.e. 00:00 of the next day.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ONE_DAY = datetime.timedelta(days=1)


class Phase(models.TextChoices):
    NOT_STARTED = "not_started", _("尚未开始")
    PREPARATION = "preparation", _("招录宣传和动员")
    ROUND1_REGISTRATION = "round1_registration", _("第一批次注册和填报志愿")
    ROUND1_ASSESSMENT = "round1_assessment", _("第一批次考核")
    ROUND1_PUBLICITY = "round1_publicity", _("第一批次拟录取公示")
    ROUND2_REGISTRATION = "round2_registration", _("第二批次注册和填报志愿")
    ROUND2_ASSESSMENT = "round2_assessment", _("第二批次考核")
    ROUND2_PUBLICITY = "round2_publicity", _("第二批次拟录取公示")
    REPORTING = "reporting", _("报到与签订协议")
    REGISTRATION_ROSTER = "registration_roster", _("公布注册名单")


@dataclass(frozen=True)
class Step:
    phase: Phase
    first_day: datetime.date
    last_day: datetime.date | None
    clause: str


def steps(campaign):
    """The campaign's phases in order, each with its first and last day (inclusive)."""
    c = campaign
    starts = [
        (Phase.PREPARATION, c.brochure_submit_by, "三(一)"),
        (Phase.ROUND1_REGISTRATION, c.round1_opens, "三(二)"),
        (Phase.ROUND1_ASSESSMENT, c.round1_assessment_starts, "三(三)1-2"),
        (Phase.ROUND1_PUBLICITY, c.round1_assessment_ends + ONE_DAY, "三(三)3"),
        (Phase.ROUND2_REGISTRATION, c.round2_opens, "三(四)1"),
        (Phase.ROUND2_ASSESSMENT, c.round2_closes + ONE_DAY, "三(四)3"),
        (Phase.ROUND2_PUBLICITY, c.round2_assessment_ends + ONE_DAY, "三(四)3"),
        (Phase.REPORTING, c.round2_publicity_by + ONE_DAY, "三(六)"),
        (Phase.REGISTRATION_ROSTER, c.reporting_by + ONE_DAY, "三(七)"),
    ]
    result = []
    for index, (phase, first_day, clause) in enumerate(starts):
        following = starts[index + 1][1] if index + 1 < len(starts) else None
        result.append(Step(phase, first_day, following - ONE_DAY if following else None, clause))
    return result


def local_date(moment=None):
    return timezone.localtime(moment or timezone.now()).date()


def start_of_day(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def end_of_day(day):
    """The instant "24:00" of `day`: the first instant no longer inside it."""
    return start_of_day(day + ONE_DAY)


def phase_at(campaign, moment=None):
    today = local_date(moment)
    current = Phase.NOT_STARTED
    for step in steps(campaign):
        if step.first_day <= today:
            current = step.phase
    return current


def window_is_open(first_day, last_day, moment=None):
    """Whether `moment` lies between 00:00 of `first_day` and 24:00 of `last_day`."""
    moment = moment or timezone.now()
    return start_of_day(first_day) <= moment < end_of_day(last_day)


def open_choice_round(campaign, moment=None):
    """1 or 2 while that round's registration and choice window is open, else None."""
    if window_is_open(campaign.round1_opens, campaign.round1_closes, moment):
        return 1
    if window_is_open(campaign.round2_opens, campaign.round2_closes, moment):
        return 2
    return None


def assessment_window(campaign, round_number):
    """(first day, last day) of a round's assessment: 三(三)1 for round 1, 三(四)3 for round 2."""
    if round_number == 1:
        return campaign.round1_assessment_starts, campaign.round1_assessment_ends
    return campaign.round2_closes + ONE_DAY, campaign.round2_assessment_ends


def publicity_deadline(campaign, round_number):
    """The last day (until 24:00) a round's proposed list may first be published: 三(三)3 for round 1
    ("5月31日前"), 三(四)3 for round 2 ("6月30日24点前")."""
    return campaign.round1_publicity_by if round_number == 1 else campaign.round2_publicity_by


def invitation_window(campaign):
    """(first day, last day) of round-2 invitations (三(四)2): they belong to the round-2 assessment,
    which runs until the round's list is published, not only to the close of self-registration."""
    return campaign.round2_opens, campaign.round2_publicity_by


@dataclass(frozen=True)
class Window:
    """Whether an action's time has come: open, or closed with the sentence a page shows beside the
    disabled button (what opens when, or when it ended) and the day it opens, if it will."""

    is_open: bool
    reason: str = ""
    opens_on: datetime.date | None = None

    def __bool__(self):
        return self.is_open


def _month_day(day):
    return _("%(month)d月%(day)d日") % {"month": day.month, "day": day.day}


def window(name, first_day, last_day, moment=None) -> Window:
    """The window named `name` ("第一批次考核") from 00:00 of `first_day` to 24:00 of `last_day`."""
    if window_is_open(first_day, last_day, moment):
        return Window(True)
    if local_date(moment) < first_day:
        return Window(False, _("%(name)s %(day)s起") % {"name": name, "day": _month_day(first_day)}, opens_on=first_day)
    return Window(False, _("%(name)s已于%(day)s 24时结束") % {"name": name, "day": _month_day(last_day)})


def choice_window(campaign, moment=None) -> Window:
    """Filing, changing or withdrawing a choice (三(二), 三(四)1): the open round's window, else the
    next one to open, else the last one, closed."""
    round1 = window(_("第一批次注册和填报志愿"), campaign.round1_opens, campaign.round1_closes, moment)
    if round1 or round1.opens_on:
        return round1
    return window(_("第二批次注册和填报志愿"), campaign.round2_opens, campaign.round2_closes, moment)


def assessment_state(campaign, round_number, moment=None) -> Window:
    """Reviewing qualifications, recording scores and deciding admissions of a round (三(三)1, 三(四)3)."""
    name = _("第一批次考核") if round_number == 1 else _("第二批次考核")
    return window(name, *assessment_window(campaign, round_number), moment)


def publication_state(campaign, round_number, moment=None) -> Window:
    """Publishing a round's proposed list: from its assessment's first day to the publicity deadline."""
    first_day = assessment_window(campaign, round_number)[0]
    name = _("第一批次拟录取名单发布") if round_number == 1 else _("第二批次拟录取名单发布")
    return window(name, first_day, publicity_deadline(campaign, round_number), moment)


def invitation_state(campaign, moment=None) -> Window:
    """Round-2 invitations (三(四)2)."""
    return window(_("第二批次邀请复试"), *invitation_window(campaign), moment)


def roster_state(campaign, moment=None) -> Window:
    """Publishing the registration roster (三(七)): "招录工作完成后", i.e. once the reporting deadline
    has passed; that everyone has reported or been disqualified is checked against the rows."""
    first_day = campaign.reporting_by + ONE_DAY
    if local_date(moment) < first_day:
        return Window(
            False,
            _("报到截止（%(deadline)s 24时）后才能公布注册名单，%(day)s起")
            % {
                "deadline": _month_day(campaign.reporting_by),
                "day": _month_day(first_day),
            },
            opens_on=first_day,
        )
    return Window(True)


def vacancy_board_state(campaign, moment=None) -> Window:
    """The public vacancy board (空余名额): from the first day of round-1 assessment, when the bases
    decide and applicants not admitted ask for adjustment (调剂, 三(三)2), through round 2 to the
    last day of its publicity (三(四)3) — the time when places free up and are taken again."""
    return window(_("空余名额公告"), campaign.round1_assessment_starts, campaign.round2_publicity_by, moment)
