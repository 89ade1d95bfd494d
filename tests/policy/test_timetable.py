import datetime
import itertools
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from policy.timetable import (
    Phase,
    assessment_state,
    choice_window,
    invitation_state,
    phase_at,
    publication_state,
    steps,
    window_is_open,
)
from tests import factories

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def campaign(hubei):
    return factories.campaign(hubei, year=2026)


@pytest.mark.parametrize(
    ("moment", "phase"),
    [
        (at(2026, 3, 1, 12), Phase.NOT_STARTED),
        (at(2026, 3, 25, 0), Phase.PREPARATION),
        (at(2026, 4, 7, 23, 59, 59), Phase.PREPARATION),
        (at(2026, 4, 8, 0, 0, 0), Phase.ROUND1_REGISTRATION),
        (at(2026, 4, 23, 23, 59, 59), Phase.ROUND1_REGISTRATION),
        (at(2026, 4, 24, 0, 0, 0), Phase.ROUND1_ASSESSMENT),
        (at(2026, 5, 27, 9), Phase.ROUND1_PUBLICITY),
        (at(2026, 6, 15, 23, 59, 59), Phase.ROUND2_REGISTRATION),
        (at(2026, 6, 16, 0), Phase.ROUND2_ASSESSMENT),
        (at(2026, 6, 26, 0), Phase.ROUND2_PUBLICITY),
        (at(2026, 7, 1, 0), Phase.REPORTING),
        (at(2026, 9, 2, 0), Phase.REGISTRATION_ROSTER),
    ],
)
def test_phase_follows_the_timetable_in_shanghai_time(campaign, moment, phase):
    assert phase_at(campaign, moment) == phase


def test_utc_instants_are_read_in_shanghai_time(campaign):
    # 16:00 UTC on 7 April is already 00:00 on 8 April in Shanghai: round 1 is open.
    assert phase_at(campaign, datetime.datetime(2026, 4, 7, 16, tzinfo=datetime.UTC)) == Phase.ROUND1_REGISTRATION


def test_a_window_closing_on_a_day_is_open_until_24_00(campaign):
    opens, closes = campaign.round1_opens, campaign.round1_closes
    assert not window_is_open(opens, closes, at(2026, 4, 7, 23, 59, 59))
    assert window_is_open(opens, closes, at(2026, 4, 8, 0, 0, 0))
    assert window_is_open(opens, closes, at(2026, 4, 23, 23, 59, 59, 999999))
    assert not window_is_open(opens, closes, at(2026, 4, 24, 0, 0, 0))


def test_steps_cover_the_season_without_gaps(campaign):
    season = steps(campaign)
    for before, after in itertools.pairwise(season):
        assert before.last_day + datetime.timedelta(days=1) == after.first_day
    assert season[-1].last_day is None


def test_campaign_dates_must_follow_the_notice_order(campaign):
    campaign.round1_closes = datetime.date(2026, 4, 1)
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "round1_closes" in error.value.message_dict


@pytest.mark.parametrize(
    ("moment", "is_open", "reason"),
    [
        (at(2026, 3, 30, 10), False, "第一批次注册和填报志愿 4月8日起"),
        (at(2026, 4, 8, 0), True, ""),
        (at(2026, 4, 23, 23, 59), True, ""),
        (at(2026, 4, 24, 0), False, "第二批次注册和填报志愿 6月1日起"),
        (at(2026, 6, 15, 12), True, ""),
        (at(2026, 6, 16, 0), False, "第二批次注册和填报志愿已于6月15日 24时结束"),
    ],
)
def test_the_choice_button_says_when_choosing_opens_or_when_it_ended(campaign, moment, is_open, reason):
    state = choice_window(campaign, moment)
    assert (bool(state), str(state.reason)) == (is_open, reason)


def test_assessment_publication_and_invitation_windows_name_their_days(campaign):
    before = at(2026, 4, 14, 10)
    assert str(assessment_state(campaign, 1, before).reason) == "第一批次考核 4月24日起"
    assert assessment_state(campaign, 1, before).opens_on == datetime.date(2026, 4, 24)
    assert str(assessment_state(campaign, 2, before).reason) == "第二批次考核 6月16日起"
    assert assessment_state(campaign, 1, at(2026, 5, 26, 23, 59))
    assert str(assessment_state(campaign, 1, at(2026, 5, 27, 0)).reason) == "第一批次考核已于5月26日 24时结束"
    assert publication_state(campaign, 1, at(2026, 5, 31, 23, 59))
    assert str(publication_state(campaign, 1, at(2026, 6, 1, 0)).reason) == "第一批次拟录取名单发布已于5月31日 24时结束"
    assert str(invitation_state(campaign, before).reason) == "第二批次邀请复试 6月1日起"
    assert invitation_state(campaign, at(2026, 6, 30, 12))
