"""The round-2 invitation search lists only whom the service would invite (issue 13, item 6): not
the admitted, not the banned or those placed outside the rounds, not those whose round-1 choice is
still waiting while round 1 is undecided; the page and the API invite the ones it lists."""

import datetime

import pytest
from django.urls import reverse

from admissions.models import Application, Assessment, Invitation, InvitationStatus, Stage
from admissions.services.admission import admit_due
from admissions.services.assessments import review_qualification
from admissions.services.entries import assign_rural_order_graduate
from admissions.services.invitations import invite_applicant
from admissions.services.publicity import confirm_offer
from bases.services.quotas import do_set_quota
from policy.choices import SanctionKind
from policy.models import Campaign, Sanction
from portal.errors import DomainError
from tests.admissions.test_publicity_pages import at, build_round1
from tests.admissions.test_round_pages import _bare_applicants, _queries, message_texts
from tests.applicant_helpers import complete_applicant

# Round 1's lists are due by 05-31 (三(三)3); this campaign opens round 2 that same day, so on it
# round 1 is still undecided while invitations are open, and on 06-01 it is over.
ROUND1_UNDECIDED = (2026, 5, 31, 10)
ROUND1_OVER = (2026, 6, 1, 10)


def ban(applicant, year, kind=SanctionKind.BAN):
    """An integrity decision recorded in `year` about the person behind `applicant`."""
    Sanction.objects.create(
        province=applicant.applications.first().campaign.province,
        id_type=applicant.id_type,
        id_number=applicant.id_number,
        full_name=applicant.full_name,
        kind=kind,
        campaign_year=year,
        reason="录取后无故不报到",
    )


def choose(applicant, campaign, specialty_base):
    """A round-1 choice filed on 04-10, before the sanctions and the assignment recorded after it."""
    with at(2026, 4, 10, 9):
        return Application.objects.create(
            applicant=applicant, campaign=campaign, round=1, specialty_base=specialty_base
        )


@pytest.fixture
def season(world, people):
    """Round 1 at Xiehe's internal medicine: 申请人1 admitted, 申请人2 not admitted; 申请人3 banned
    in 2023 (which covers 2026) and 申请人4 banned in 2022 (which does not), both disqualified;
    申请人5 never reviewed; 申请人6 assigned as a rural order-oriented graduate. Tongji's internal
    medicine invites."""
    Campaign.objects.filter(pk=world["hubei_campaign"].pk).update(round2_opens=datetime.date(2026, 5, 31))
    world["hubei_campaign"].refresh_from_db()
    round1 = build_round1(world, people, places=1, candidates=2)
    campaign, internal = round1.campaign, world["xiehe_internal"]
    admitted, not_admitted = round1.applicants
    with at(2026, 5, 5, 9):
        confirm_offer(actor=admitted.user, assessment=round1.assessments[0], accept=True)
    with at(2026, 5, 13, 9):
        admit_due()
    banned, banned_long_ago, waiting, rural = (complete_applicant(n) for n in (3, 4, 5, 6))
    choices = {
        applicant: choose(applicant, campaign, internal) for applicant in (banned, banned_long_ago, waiting, rural)
    }
    with at(2026, 4, 27, 10):
        for applicant in (banned, banned_long_ago):
            review_qualification(
                actor=people["xiehe_staff"], application=choices[applicant], passed=False, note="材料不全"
            )
    ban(banned, 2023)
    ban(banned_long_ago, 2022)
    do_set_quota(actor=None, campaign=campaign, specialty_base=world["tongji_internal"], places=3)
    quota = campaign.quotas.get(specialty_base=world["tongji_internal"])
    with at(2026, 4, 20, 9):
        assign_rural_order_graduate(
            actor=people["province"],
            quota=quota,
            full_name=rural.full_name,
            id_type=rural.id_type,
            id_number=rural.id_number,
            school="湖北医药学院",
            agreement_region="十堰市",
        )
    assert Assessment.objects.get(pk=round1.assessments[0].pk).stage == Stage.ADMITTED
    return {
        "campaign": campaign,
        "office": people["tongji_office"],
        "tongji_internal": world["tongji_internal"],
        "admitted": admitted,
        "not_admitted": not_admitted,
        "banned": banned,
        "banned_long_ago": banned_long_ago,
        "waiting": waiting,
        "rural": rural,
    }


def listed(client, season):
    response = client.get(reverse("round2-invite"), {"specialty_base": season["tongji_internal"].pk})
    assert response.status_code == 200
    return [row.applicant.full_name for row in response.context["rows"]]


def invite(season, applicant):
    return invite_applicant(
        actor=season["office"],
        applicant=applicant,
        campaign=season["campaign"],
        specialty_base=season["tongji_internal"],
    )


def test_the_search_lists_only_whom_the_service_would_invite(client, season):
    client.force_login(season["office"])
    with at(*ROUND1_UNDECIDED):
        assert listed(client, season) == ["申请人2", "申请人4"]
        refusals = {
            "admitted": "已被拟录取或录取",
            "banned": "不得报名参加住院医师规范化培训",
            "waiting": "第一批次志愿尚无结果（待资格审核或待录取决定），第一批次结束后才能邀请。",
            "rural": "农村订单定向免费医学毕业生",
        }
        for who, reason in refusals.items():
            with pytest.raises(DomainError, match=reason):
                invite(season, season[who])
        assert not Invitation.objects.exists()


def test_a_waiting_round1_choice_no_longer_bars_once_round1_is_over(client, season):
    client.force_login(season["office"])
    with at(*ROUND1_OVER):
        assert listed(client, season) == ["申请人2", "申请人4", "申请人5"]
        assert invite(season, season["waiting"]).status == InvitationStatus.PENDING


def test_the_office_invites_from_the_list_and_the_api_refuses_the_unlisted(client, season, api):
    client.force_login(season["office"])
    tongji_internal = season["tongji_internal"]
    with at(*ROUND1_UNDECIDED):
        response = client.post(
            reverse("round2-invite-send"),
            {"applicant": season["not_admitted"].pk, "specialty_base": tongji_internal.pk, "message": "欢迎复试"},
        )
        assert "已向申请人2发出复试邀请（内科）。" in message_texts(response)
        assert Invitation.objects.get().applicant == season["not_admitted"]
        refused = api(season["office"]).post(
            reverse("api-invitations"),
            {"applicant": season["waiting"].pk, "specialty_base": tongji_internal.pk},
            format="json",
        )
    assert refused.status_code == 409 and refused.json()["code"] == "uninvitable"
    assert "第一批次志愿尚无结果" in refused.json()["detail"]


def test_the_search_takes_the_same_queries_however_many_are_barred(client, season):
    def grow(count, start):
        """`count` round-1 choosers: a third banned, a third still waiting, a third not admitted."""
        applicants = _bare_applicants(count, start)
        for n, applicant in enumerate(applicants):
            Application.objects.create(
                applicant=applicant, campaign=season["campaign"], round=1, specialty_base=season["tongji_internal"]
            )
            if n % 3 == 0:
                ban(applicant, 2025)
            elif n % 3 == 1:
                continue
            else:
                Application.objects.filter(applicant=applicant).update(status="withdrawn")

    client.force_login(season["office"])
    url, params = reverse("round2-invite"), {"specialty_base": season["tongji_internal"].pk}
    with at(*ROUND1_UNDECIDED):
        grow(3, 5000)
        small = _queries(client, url, params)
        grow(30, 6000)
        assert _queries(client, url, params) == small
        assert len(listed(client, season)) == 2 + 11


def test_a_cancellation_bars_only_its_own_year(client, season):
    ban(season["banned_long_ago"], 2026, kind=SanctionKind.CANCELLATION)
    ban(season["not_admitted"], 2025, kind=SanctionKind.CANCELLATION)
    client.force_login(season["office"])
    with at(*ROUND1_UNDECIDED):
        assert listed(client, season) == ["申请人2"]
