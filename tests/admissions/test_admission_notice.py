"""The applicant's round pages and the admission notice: confirmation during publicity only, the
admitted state from the clock before the sweep, adjustment, round-2 invitations, the notice PDF
(Chinese text, embedded CJK font, full ID number for its owner) and its public verification."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from admissions.models import (
    Admission,
    Application,
    Assessment,
    Confirmation,
    Invitation,
    InvitationStatus,
    Stage,
)
from admissions.services.admission import admit_due
from admissions.services.assessments import review_qualification
from admissions.services.choices import submit_choice
from admissions.services.invitations import invite_applicant
from admissions.services.publicity import confirm_offer
from admissions.tasks import store_admission_notice
from bases.services.quotas import do_set_quota
from policy.rules.scoring import composite
from portal.privacy import mask_id_number
from tests import factories
from tests.admissions.test_publicity_pages import at, build_round1, pdf_text
from tests.applicant_helpers import complete_applicant
from tests.bases.test_brochure_pdf import _embedded_fonts


@pytest.fixture
def round1(world, people):
    return build_round1(world, people)


@pytest.fixture
def admitted(round1):
    """Wang accepted during publicity and the sweep admitted it on 05-13."""
    wang = round1.applicants[0]
    with at(2026, 5, 6, 9):
        confirm_offer(actor=wang.user, assessment=round1.assessments[0], accept=True)
    with at(2026, 5, 13, 0, 30):
        assert admit_due() == 1
    return Admission.objects.select_related("assessment").get()


def _reader(content):
    return PdfReader(io.BytesIO(content))


def _result(page):
    return page.split('data-testid="verify-result"', 1)[1].split("</section>", 1)[0]


def test_the_notice_pdf_carries_the_admission_in_chinese_and_its_code_checks_out(client, settings, round1, admitted):
    settings.SITE_URL = "https://portal.example.org"
    wang = round1.applicants[0]
    client.force_login(wang.user)
    # Asked for in English: an issued notice is in Chinese all the same.
    response = client.get(reverse("admission-notice", args=[admitted.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = _reader(response.content)
    text = pdf_text(response.content)
    assert "住院医师规范化培训录取通知书" in text
    assert wang.full_name in text and "内科" in text and "协和医院" in text
    assert wang.id_number in text, "the applicant's own notice carries the full ID number"
    assert admitted.notice_number in text and admitted.verification_code in text
    assert "2026年9月1日" in text, "the reporting deadline of the campaign"
    assert "https://portal.example.org/verify/?notice=" in text, "the site's public address, not the request's"

    fonts = _embedded_fonts(reader)
    cjk = {name: program for name, (key, program) in fonts.items() if "CJK" in name.replace("-", "")}
    assert cjk, f"no embedded CJK font among {sorted(fonts)}"
    assert all(b"NotoSansCJK" in program or b"NotoSerifCJK" in program for program in cjk.values())

    client.logout()
    verify = reverse("admission-verify")
    found = client.get(verify, {"notice": admitted.notice_number, "code": admitted.verification_code.lower()})
    page = found.content.decode()
    assert "核验通过" in page and wang.full_name in page and "协和医院" in page and "内科" in page
    assert mask_id_number(wang.id_number) in page and wang.id_number not in page
    wrong_code = client.get(verify, {"notice": admitted.notice_number, "code": "000000000000"}).content.decode()
    wrong_number = client.get(verify, {"notice": "2026999", "code": admitted.verification_code}).content.decode()
    for miss in (wrong_code, wrong_number):
        assert "未查到" in miss and wang.full_name not in miss and "核验通过" not in miss
    assert _result(wrong_code) == _result(wrong_number), "a miss never tells which of the two was wrong"
    assert 'data-testid="verify-result"' not in client.get(verify).content.decode()
    prefilled = client.get(verify, {"notice": admitted.notice_number}).content.decode()
    assert f'value="{admitted.notice_number}"' in prefilled and 'data-testid="verify-result"' not in prefilled
    assert "errorlist" not in prefilled


def test_only_the_applicant_and_the_offices_of_its_base_open_the_notice(client, round1, admitted, people, monkeypatch):
    monkeypatch.setattr("admissions.services.notices.render_pdf", lambda *args, **kwargs: b"%PDF-1.7 test")
    url = reverse("admission-notice", args=[admitted.pk])
    assert client.get(url).status_code == 302  # to the login page
    for user, status in (
        (round1.applicants[1].user, 403),
        (people["other_applicant"], 403),
        (people["tongji_office"], 403),
        (people["hunan_province"], 403),
        (round1.applicants[0].user, 200),
        (people["xiehe_office"], 200),
        (people["province"], 200),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    assert client.get(reverse("admission-notice", args=[admitted.pk + 100])).status_code == 404


def test_confirm_and_decline_during_publicity_only_and_only_ones_own(client, round1):
    wang, li = round1.applicants
    wang_offer, li_offer = round1.assessments
    with at(2026, 5, 6, 9):
        client.force_login(wang.user)
        page = client.get(reverse("offers")).content.decode()
        assert "接受录取" in page and "放弃录取" in page and "2026年5月12日24时" in page
        assert client.post(reverse("offer-confirm", args=[li_offer.pk]), {"decision": "accept"}).status_code == 403
        response = client.post(reverse("offer-confirm", args=[wang_offer.pk]), {"decision": "accept"}, follow=True)
        assert "您已确认接受录取" in response.content.decode()

        client.force_login(li.user)
        unchecked = client.post(reverse("offer-confirm", args=[li_offer.pk]), {"decision": "decline"}, follow=True)
        assert "请勾选确认框" in unchecked.content.decode()
        assert Assessment.objects.get(pk=li_offer.pk).stage == Stage.PROPOSED
        client.post(reverse("offer-confirm", args=[li_offer.pk]), {"decision": "decline", "confirm_decline": "1"})
    wang_offer.refresh_from_db(), li_offer.refresh_from_db()
    assert wang_offer.confirmation == Confirmation.ACCEPTED and wang_offer.stage == Stage.PROPOSED
    assert (li_offer.confirmation, li_offer.stage) == (Confirmation.DECLINED, Stage.DECLINED)

    client.force_login(wang.user)
    with at(2026, 5, 13, 9):
        page = client.get(reverse("offers")).content.decode()
        assert 'data-testid="confirm-actions"' not in page
        response = client.post(
            reverse("offer-confirm", args=[wang_offer.pk]), {"decision": "decline", "confirm_decline": "1"}, follow=True
        )
    assert "公示期已结束，不能再更改确认" in response.content.decode()
    wang_offer.refresh_from_db()
    assert (wang_offer.confirmation, wang_offer.stage) == (Confirmation.ACCEPTED, Stage.PROPOSED)


def test_the_page_shows_admitted_by_the_clock_before_the_sweep_runs(client, round1):
    wang = round1.applicants[0]
    with at(2026, 5, 6, 9):
        confirm_offer(actor=wang.user, assessment=round1.assessments[0], accept=True)
    client.force_login(wang.user)
    with at(2026, 5, 12, 23, 59):
        page = client.get(reverse("offers")).content.decode()
    assert 'data-testid="stage">拟录取<' in page
    with at(2026, 5, 13, 0, 0):
        page = client.get(reverse("offers")).content.decode()
    assert not Admission.objects.exists(), "the sweep has not run"
    assert 'data-testid="stage">已录取<' in page and "录取通知书正在生成" in page
    assert "请于2026年9月1日前到培训基地报到" in page
    with at(2026, 5, 13, 0, 5):
        admit_due()
        page = client.get(reverse("offers")).content.decode()
    admission = Admission.objects.get()
    assert 'data-testid="stage">已录取<' in page
    assert reverse("admission-notice", args=[admission.pk]) in page


def test_scores_show_once_decided_with_the_composite(client, round1):
    client.force_login(round1.applicants[0].user)
    with at(2026, 5, 6, 9):
        page = client.get(reverse("offers")).content.decode()
    assert "90.0" in page and "88.5" in page
    expected = composite(Decimal("90.0"), Decimal("88.5"))  # equal weights by default
    assert f'data-testid="composite">{expected} ' in page


def test_an_applicant_not_admitted_consents_to_adjustment(client, world, people):
    state = build_round1(world, people, places=1, publish=False)
    li = state.applicants[1]
    client.force_login(li.user)
    with at(2026, 4, 28, 9):
        page = client.get(reverse("offers")).content.decode()
        assert 'data-testid="stage">未录取<' in page
        assert 'data-testid="adjustment"' in page and "外科" in page and "同意调剂" in page
        assert "本人同意调剂到协和医院 · 外科" in page
        assert "内科</strong>" not in page.split('data-testid="adjustment"')[1].split("</ul>")[0]
        other = client.post(
            reverse("offer-adjust", args=[state.assessments[0].pk]), {"specialty_base": state.surgery.pk}
        )
        assert other.status_code == 403
        response = client.post(
            reverse("offer-adjust", args=[state.assessments[1].pk]), {"specialty_base": state.surgery.pk}, follow=True
        )
    page = response.content.decode()
    assert "已记录您同意调剂" in page
    adjustment = Assessment.objects.get(is_adjustment=True)
    assert adjustment.specialty_base == state.surgery and adjustment.adjustment_consent_at is not None
    assert 'data-testid="adjustment"' not in page, "one adjustment only"
    assert "外科" in page and 'class="badge adjustment"' in page


def test_adjustment_is_not_offered_once_the_assessment_window_closed(client, world, people):
    state = build_round1(world, people, places=1, publish=False)
    client.force_login(state.applicants[1].user)
    with at(2026, 5, 27, 9):
        page = client.get(reverse("offers")).content.decode()
        response = client.post(
            reverse("offer-adjust", args=[state.assessments[1].pk]), {"specialty_base": state.surgery.pk}, follow=True
        )
    assert 'data-testid="adjustment"' not in page
    assert "考核时间为" in response.content.decode()
    assert not Assessment.objects.filter(is_adjustment=True).exists()


def build_invitations(world, people):
    """Zhao, refused in round 1, is invited on 06-03 by Xiehe's paediatrics (a shortage
    specialty) and Tongji's internal medicine."""
    campaign = world["hubei_campaign"]
    paediatrics = factories.specialty("0300", "儿科")
    campaign.shortage_specialties.add(paediatrics)
    xiehe_paediatrics = factories.specialty_base(world["xiehe"], paediatrics, capacity=5)

    for specialty_base in (world["xiehe_internal"], xiehe_paediatrics, world["tongji_internal"]):
        do_set_quota(actor=None, campaign=campaign, specialty_base=specialty_base, places=2)
    zhao = complete_applicant(3)
    with at(2026, 4, 12, 9):
        choice = submit_choice(
            actor=zhao.user, applicant=zhao, campaign=campaign, specialty_base=world["xiehe_internal"]
        ).application
    with at(2026, 4, 28, 9):
        review_qualification(actor=people["xiehe_staff"], application=choice, passed=False, note="学历证明材料不全")
    with at(2026, 6, 3, 10):
        tongji = invite_applicant(
            actor=people["tongji_office"], applicant=zhao, campaign=campaign, specialty_base=world["tongji_internal"]
        )
        xiehe = invite_applicant(
            actor=people["xiehe_office"],
            applicant=zhao,
            campaign=campaign,
            specialty_base=xiehe_paediatrics,
            message="欢迎参加儿科复试",
        )
    return {"zhao": zhao, "tongji": tongji, "xiehe": xiehe}


@pytest.fixture
def invited(world, people):
    return build_invitations(world, people)


def test_round_two_invitations_shortage_first_accepting_one_declines_the_other(client, invited, people):
    zhao = invited["zhao"]
    client.force_login(zhao.user)
    with at(2026, 6, 4, 9):
        response = client.get(reverse("offers"))
        page = response.content.decode()
        assert [i.pk for i in response.context["invitations"]] == [invited["xiehe"].pk, invited["tongji"].pk]
        assert "学历证明材料不全" in page and 'data-testid="stage">资格审核未通过<' in page
        assert page.index("儿科") < page.index("同济医院 · 内科")
        assert "欢迎参加儿科复试" in page

        client.force_login(people["other_applicant"])
        assert client.post(reverse("offer-invitation-accept", args=[invited["tongji"].pk])).status_code == 403
        client.force_login(zhao.user)
        response = client.post(reverse("offer-invitation-accept", args=[invited["tongji"].pk]), follow=True)
    page = response.content.decode()
    assert "其他邀请已自动谢绝" in page
    statuses = dict(Invitation.objects.values_list("pk", "status"))
    assert statuses == {invited["tongji"].pk: InvitationStatus.ACCEPTED, invited["xiehe"].pk: InvitationStatus.DECLINED}
    assert page.count('data-testid="invitation-status">已谢绝<') == 1
    assert page.count('data-testid="invitation-status">已接受<') == 1
    assert "谢绝</button>" not in page
    assert Application.objects.get(applicant=zhao, round=2).specialty_base == invited["tongji"].specialty_base


def test_declining_an_invitation_and_no_answer_after_the_window(client, invited):
    client.force_login(invited["zhao"].user)
    with at(2026, 6, 4, 9):
        client.post(reverse("offer-invitation-decline", args=[invited["xiehe"].pk]))
    assert Invitation.objects.get(pk=invited["xiehe"].pk).status == InvitationStatus.DECLINED
    with at(2026, 7, 1, 9):
        page = client.get(reverse("offers")).content.decode()
        response = client.post(reverse("offer-invitation-accept", args=[invited["tongji"].pk]), follow=True)
    assert "接受</button>" not in page
    assert "复试邀请只能在第二批次招录期间" in response.content.decode()
    assert Invitation.objects.get(pk=invited["tongji"].pk).status == InvitationStatus.PENDING


def test_other_roles_cannot_open_the_offers_page(client, people):
    client.force_login(people["xiehe_office"])
    assert client.get(reverse("offers")).status_code == 403
    assert client.post(reverse("offer-confirm", args=[1]), {"decision": "accept"}).status_code == 403


def test_the_offers_page_queries_stay_flat_as_invitations_and_assessments_grow(client, world, people, invited):
    zhao = invited["zhao"]
    client.force_login(zhao.user)
    campaign = world["hubei_campaign"]

    def count():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("offers"))
        assert response.status_code == 200
        return len(captured), response.content.decode()

    with at(2026, 6, 4, 9):
        small, _page = count()
        bases = [factories.specialty_base(world["tongji"], factories.specialty(f"80{n:02d}")) for n in range(6)]
        Invitation.objects.bulk_create(
            [
                Invitation(
                    campaign=campaign,
                    specialty_base=base,
                    applicant=zhao,
                    invited_by=people["tongji_office"],
                    status=InvitationStatus.DECLINED,
                )
                for base in bases
            ]
        )
        first = Application.objects.get(applicant=zhao, round=1)
        Assessment.objects.bulk_create(
            [Assessment(application=first, specialty_base=base, is_adjustment=True) for base in bases]
        )
        large, page = count()
    assert page.count('data-testid="invitation"') == 8 and page.count('data-testid="offer"') == 7
    assert large == small


@pytest.fixture
def renders(monkeypatch):
    """Admissions whose notice was rendered (alone or in a batch), in order; the PDF is a stand-in
    naming the notice."""
    rendered = []

    def render(template_name, context, **kwargs):
        rendered.append(context["admission"].pk)
        return b"%PDF-1.7 " + context["admission"].notice_number.encode()

    def render_batch(template_name, contexts, **kwargs):
        return [render(template_name, context) for context in contexts]

    monkeypatch.setattr("admissions.services.notices.render_pdf", render)
    monkeypatch.setattr("admissions.services.notices.render_pdfs", render_batch)
    return rendered


def test_admission_keeps_the_notice_rendered_once_and_the_page_serves_it(
    client, round1, renders, private_files, django_capture_on_commit_callbacks
):
    wang = round1.applicants[0]
    with at(2026, 5, 6, 9):
        confirm_offer(actor=wang.user, assessment=round1.assessments[0], accept=True)
    with at(2026, 5, 13, 0, 30), django_capture_on_commit_callbacks(execute=True):
        admit_due()
    admission = Admission.objects.get()
    expected = b"%PDF-1.7 " + admission.notice_number.encode()
    assert renders == [admission.pk], "rendered by the task queued at admission"
    assert (private_files / admission.notice_file.name).read_bytes() == expected
    store_admission_notice(admission.pk)  # the broker delivers the task again
    client.force_login(wang.user)
    response = client.get(reverse("admission-notice", args=[admission.pk]))
    assert response.status_code == 200 and response.content == expected
    assert renders == [admission.pk], "neither the second delivery nor the page rendered it again"


def test_a_notice_whose_task_has_not_run_is_rendered_on_first_view_and_kept(client, round1, admitted, renders):
    client.force_login(round1.applicants[0].user)
    url = reverse("admission-notice", args=[admitted.pk])
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content == b"%PDF-1.7 " + admitted.notice_number.encode()
    assert renders == [admitted.pk]


def test_a_file_left_by_a_killed_run_is_replaced_not_served(admitted, renders, private_files):
    """A worker killed between writing the file and committing the row left a file no row names."""
    leftover = private_files / "admission" / f"notice-{admitted.pk}.pdf"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"%PDF-1.7 truncat")
    store_admission_notice(admitted.pk)
    admitted.refresh_from_db()
    assert admitted.notice_file.name == f"admission/notice-{admitted.pk}.pdf"
    assert leftover.read_bytes() == b"%PDF-1.7 " + admitted.notice_number.encode()
    assert sorted(path.name for path in leftover.parent.iterdir()) == [leftover.name]
