"""Publishing a publicity list goes through a release (portal.releases): the office prepares it and
sees who enters the list, with rank and composite score, and the places listed per specialty base;
a second person of the same office publishes it (never the one who prepared it); it can be undone
for RELEASE_UNDO_MINUTES, before any applicant or objector acts on it, restoring the lists, ranks
and quotas exactly and withdrawing the candidates' message once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from admissions.models import Assessment, PublicityEntry, PublicityList, Stage
from admissions.selectors.places import places_taken
from admissions.selectors.rounds import candidate_sheet
from admissions.services.assessments import decide_admission
from admissions.services.publicity import LIST_RELEASE, confirm_offer, prepare_list_release, raise_objection
from bases.models import Quota
from portal.errors import DomainError
from portal.models import AuditEvent, Notification, Release, ReleaseStatus, Role
from portal.releases import cancel_release, confirm_release, do_open_release, undo_release, undo_window
from tests import factories
from tests.admissions.test_publicity_pages import at, build_round1

PREPARED = (2026, 4, 29, 16, 0)


def _later(minutes):
    moment = datetime.datetime(*PREPARED) + datetime.timedelta(minutes=minutes)
    return at(*moment.timetuple()[:6])


@pytest.fixture
def state(world, people):
    """Two candidates of Xiehe's internal medicine (2 places) proposed, not yet published; a
    second office user of Xiehe."""
    state = build_round1(world, people, places=2, candidates=2, publish=False)
    state.second = factories.user(Role.BASE_OFFICE, training_base=world["xiehe"])
    state.xiehe = world["xiehe"]
    state.internal = world["xiehe_internal"]
    return state


def prepare(state):
    with at(*PREPARED):
        return prepare_list_release(
            actor=state.office, campaign=state.campaign, training_base=state.xiehe, round_number=1
        )


def confirmed(state):
    release = prepare(state)
    with _later(5):
        return confirm_release(actor=state.second, release=release)


def stale_list_release(*, campaign, training_base, round_number=2):
    """A list release of `training_base` waiting for confirmation, prepared by another office user
    of it, whose list no longer matches the proposals (confirming it is refused as stale): for the
    access and API tests to aim at."""
    return do_open_release(
        actor=factories.user(Role.BASE_OFFICE, training_base=training_base),
        kind=LIST_RELEASE,
        subject=f"campaign:{campaign.pk}:training_base:{training_base.pk}:round:{round_number}",
        title=f"{training_base.name}第{round_number}批次拟录取名单公示",
        payload={"campaign": campaign.pk, "training_base": training_base.pk, "round": round_number, "assessments": [0]},
        preview={"last_day": "2026-06-20", "entering": [], "bases": []},
        province_id=training_base.province_id,
        training_base_id=training_base.pk,
    )


def live_state(state):
    """What the public and the candidates see: the lists and their entries, each candidate's row,
    the ranking and the places of the quotas."""
    sheet = candidate_sheet(campaign=state.campaign, specialty_base=state.internal, round_number=1)
    return {
        "lists": list(PublicityList.objects.values_list("pk", "last_day")),
        "entries": list(PublicityEntry.objects.values_list("publicity_list", "assessment")),
        "assessments": list(
            Assessment.objects.order_by("pk").values(
                "pk", "stage", "confirmation", "confirmed_at", "interview_score", "exam_score", "decided_by"
            )
        ),
        "ranks": [(c.applicant.full_name, c.rank, c.composite) for c in sheet.candidates],
        "quotas": [(quota.specialty_base_id, quota.places, places_taken(quota)) for quota in Quota.objects.all()],
    }


def test_the_preview_shows_who_enters_with_rank_and_the_places_listed_per_specialty_base(state):
    release = prepare(state)
    assert release.status == ReleaseStatus.PENDING
    assert release.preview["entering"] == [
        {"name": "申请人1", "specialty": "内科", "rank": 1, "composite": "89.3", "adjustment": False},
        {"name": "申请人2", "specialty": "内科", "rank": 2, "composite": "88.3", "adjustment": False},
    ]
    assert release.preview["bases"] == [{"specialty": "内科", "places": 2, "listed_before": 0, "listed_after": 2}]
    assert release.preview["last_day"] == "2026-05-12"
    # Nothing is public and no candidate is told yet; the second person is.
    assert not PublicityList.objects.exists()
    assert not Notification.objects.filter(kind="publicity.started").exists()
    assert list(Notification.objects.filter(kind="release.pending").values_list("recipient", flat=True)) == [
        state.second.pk
    ]


def test_a_release_by_the_person_who_prepared_it_is_refused(state, client, world, people):
    release = prepare(state)
    with _later(5), pytest.raises(DomainError) as refused:
        confirm_release(actor=state.office, release=release)
    assert refused.value.code == "same_person" and refused.value.status == 403
    assert "须由本办公室另一名工作人员确认" in refused.value.message
    # Neither another base's office nor the specialty's staff may confirm it.
    for outsider in (people["tongji_office"], people["xiehe_staff"]):
        with _later(5), pytest.raises(PermissionDenied):
            confirm_release(actor=outsider, release=release)
    release.refresh_from_db()
    assert release.status == ReleaseStatus.PENDING and not PublicityList.objects.exists()

    # The page shows the preparer the button disabled, with the reason.
    client.force_login(state.office)
    with _later(5):
        page = client.get(reverse("release", args=[release.pk])).content.decode()
        response = client.post(reverse("release-confirm", args=[release.pk]), follow=True)
    assert "disabled" in page.split("确认发布</button>")[0].rsplit("<button", 1)[1]
    assert "准备人不能自己确认" in page
    assert "准备人不能自己确认" in response.content.decode()
    assert not PublicityList.objects.exists()


def test_the_second_person_publishes_and_the_audit_log_names_both(state):
    release = confirmed(state)
    publicity = PublicityList.objects.get()
    assert publicity.published_by == state.second
    assert sorted(publicity.entries.values_list("assessment", flat=True)) == [a.pk for a in state.assessments]
    told = Notification.objects.filter(kind="publicity.started")
    assert sorted(told.values_list("recipient", flat=True)) == sorted(a.user.pk for a in state.applicants)
    assert release.undo_until == release.released_at + datetime.timedelta(minutes=30)
    event = AuditEvent.objects.get(action="release.confirm")
    assert event.actor == state.second
    assert (event.after["prepared_by"], event.after["released_by"]) == (state.office.username, state.second.username)
    assert event.training_base_id == state.xiehe.pk


def test_an_undo_restores_lists_ranks_and_quotas_exactly_and_notifies_once(state):
    before = live_state(state)
    release = confirmed(state)
    assert live_state(state) != before

    with _later(20):
        undo_release(actor=state.office, release=release, reason="名单有误")
    assert live_state(state) == before
    release.refresh_from_db()
    assert (release.status, release.closed_by, release.reason) == (ReleaseStatus.UNDONE, state.office, "名单有误")

    withdrawn = Notification.objects.filter(kind="release.withdrawn")
    assert sorted(withdrawn.values_list("recipient", flat=True)) == sorted(a.user.pk for a in state.applicants)
    assert "已撤回" in withdrawn.first().subject and "通知作废" in withdrawn.first().body
    with _later(21), pytest.raises(DomainError) as again:
        undo_release(actor=state.second, release=release)
    assert again.value.code == "release_not_released"
    assert Notification.objects.filter(kind="release.withdrawn").count() == 2

    event = AuditEvent.objects.get(action="release.undo")
    assert event.after["prepared_by"] == state.office.username
    assert event.after["released_by"] == state.second.username
    assert event.after["closed_by"] == state.office.username
    assert AuditEvent.objects.filter(action="publicity.withdrawn").count() == 1

    # The same list can be prepared and published again.
    with _later(25):
        again = prepare_list_release(
            actor=state.second, campaign=state.campaign, training_base=state.xiehe, round_number=1
        )
        confirm_release(actor=state.office, release=again)
    assert PublicityList.objects.get().entries.count() == 2


@pytest.mark.parametrize("act", ["accept", "decline", "object"])
def test_no_undo_once_an_applicant_or_an_objector_has_acted(state, people, act):
    release = confirmed(state)
    first = state.assessments[0]
    entry = PublicityEntry.objects.get(assessment=first)
    with _later(10):
        if act == "object":
            raise_objection(actor=people["other_applicant"], entry=entry, contact="13900001111", text="学历存疑")
        else:
            confirm_offer(actor=state.applicants[0].user, assessment=first, accept=act == "accept")
        assert not undo_window(release)
        with pytest.raises(DomainError) as refused:
            undo_release(actor=state.second, release=release)
    assert refused.value.code == "release_acted_on"
    assert PublicityList.objects.count() == 1
    assert not Notification.objects.filter(kind="release.withdrawn").exists()


def test_no_undo_after_the_window(state, settings):
    settings.RELEASE_UNDO_MINUTES = 10
    release = confirmed(state)  # released at PREPARED + 5 minutes
    with _later(15):
        assert undo_window(release)
    with _later(16):
        assert "撤回期限已于" in undo_window(release).reason
        with pytest.raises(DomainError) as refused:
            undo_release(actor=state.office, release=release)
    assert refused.value.code == "undo_window_over"
    assert PublicityList.objects.count() == 1


def test_a_list_that_changed_since_its_preview_is_not_published(state):
    release = prepare(state)
    with _later(2):
        decide_admission(actor=state.office, assessment=state.assessments[1], admit=False)
    with _later(5), pytest.raises(DomainError) as refused:
        confirm_release(actor=state.second, release=release)
    assert refused.value.code == "release_stale"
    assert not PublicityList.objects.exists()
    assert Assessment.objects.get(pk=state.assessments[1].pk).stage == Stage.NOT_ADMITTED


def test_one_pending_release_per_list_until_it_is_cancelled(state):
    release = prepare(state)
    with at(*PREPARED), pytest.raises(DomainError) as refused:
        prepare_list_release(actor=state.second, campaign=state.campaign, training_base=state.xiehe, round_number=1)
    assert refused.value.code == "release_pending"
    with _later(1):
        cancel_release(actor=state.second, release=release)
    assert Release.objects.get(pk=release.pk).status == ReleaseStatus.CANCELLED
    with _later(2), pytest.raises(DomainError):
        confirm_release(actor=state.second, release=release)
    with _later(3):
        prepare_list_release(actor=state.second, campaign=state.campaign, training_base=state.xiehe, round_number=1)
    assert Release.objects.filter(status=ReleaseStatus.PENDING).count() == 1


def test_the_api_prepares_confirms_and_undoes(state, api, people):
    office, second = api(state.office), api(state.second)
    with at(*PREPARED):
        prepared = office.post(reverse("api-publicity-lists"), {"round": 1}, format="json")
    assert prepared.status_code == 202, prepared.content
    pk = prepared.json()["id"]
    with _later(5):
        assert api(people["tongji_office"]).post(reverse("api-release-confirm", args=[pk])).status_code == 404
        assert second.post(reverse("api-release-confirm", args=[pk])).json()["status"] == "released"
        listed = office.get(reverse("api-releases"), {"status": "released"}).json()["results"]
        assert [row["id"] for row in listed] == [pk] and listed[0]["undo_refusal"] == ""
        undone = office.post(reverse("api-release-undo", args=[pk]), {"reason": "重发"}, format="json")
    assert undone.status_code == 200 and undone.json()["status"] == "undone"
    assert undone.json()["closed_by"] == state.office.username
    assert not PublicityList.objects.exists()
