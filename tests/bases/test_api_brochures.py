"""The brochure API: the same cycle and the same scoping as the pages, through the services."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bases.models import Brochure, BrochureComment, BrochureStatus, BrochureVersion
from bases.services.brochures import save_brochure_draft, start_brochure_draft, submit_brochure
from bases.services.quotas import do_set_quota
from policy.choices import ApplicantType
from policy.rules.brochures import SECTION_KEYS, SECTIONS
from tests import factories

COMPLETE = {section.key: f"{section.label}的内容。" + "详" * section.min_chars for section in SECTIONS}
SECRET = "同济医院草稿中的内部说明"


@pytest.fixture
def planned(world):
    """Both Hubei bases have places this year, so a complete brochure may be submitted."""
    for base in ("xiehe_internal", "tongji_internal"):
        do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=world[base], places=5)
    return world


def _draft(world, people, base="xiehe", sections=COMPLETE):
    office = people[f"{base}_office"]
    version = start_brochure_draft(actor=office, campaign=world["hubei_campaign"], training_base=world[base])
    return save_brochure_draft(
        actor=office, version=version, applicant_types=[ApplicantType.OPEN_RECRUITMENT], sections=sections
    )


def _submitted(world, people, base="xiehe"):
    return submit_brochure(actor=people[f"{base}_office"], version=_draft(world, people, base))


def _url(name, version):
    return reverse(name, args=[version.pk])


def test_the_whole_cycle_through_the_api(api, planned, people):
    office, province = api(people["xiehe_office"]), api(people["province"])

    draft = office.post(reverse("api-brochure-draft"))
    assert draft.status_code == 200, draft.content
    version = draft.json()
    assert (version["number"], version["status"], version["is_editable"]) == (1, "draft", True)
    version_url = reverse("api-brochure-version", args=[version["id"]])
    gaps_url = reverse("api-brochure-version-gaps", args=[version["id"]])

    # A first, thin draft: the completeness check names every missing section.
    saved = office.put(
        version_url, {"applicant_types": ["open_recruitment"], "sections": {"overview": "三甲医院。"}}, format="json"
    )
    assert saved.status_code == 200 and saved.json()["sections"]["overview"] == "三甲医院。"
    gaps = office.get(gaps_url).json()
    assert {gap["section"] for gap in gaps} == set(SECTION_KEYS)
    overview = next(gap for gap in gaps if gap["section"] == "overview")
    assert overview["label"] == "基地基本情况" and "至少 80 字" in overview["problem"]

    refused = office.post(reverse("api-brochure-version-submit", args=[version["id"]]))
    assert refused.status_code == 400
    assert refused.json()["code"] == "incomplete_brochure"
    assert {gap["section"] for gap in refused.json()["gaps"]} == set(SECTION_KEYS)
    assert "待遇：食宿" in refused.json()["detail"]

    # Complete it section by section with PATCH: the sections sent are merged into the draft.
    office.patch(version_url, {"sections": {"overview": COMPLETE["overview"]}}, format="json")
    rest = {key: text for key, text in COMPLETE.items() if key != "overview"}
    completed = office.patch(version_url, {"sections": rest}, format="json")
    assert completed.json()["sections"] == COMPLETE
    assert completed.json()["applicant_types"] == ["open_recruitment"]
    assert office.get(gaps_url).json() == []

    submitted = office.post(reverse("api-brochure-version-submit", args=[version["id"]]))
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert submitted.json()["submitted_at"]

    frozen = office.patch(version_url, {"sections": {"contacts": "改一下联系电话：027-12345678"}}, format="json")
    assert frozen.status_code == 409 and frozen.json()["code"] == "frozen"
    early = office.post(reverse("api-brochure-version-publish", args=[version["id"]]))
    assert early.status_code == 409 and "审核通过后才能发布" in early.json()["detail"]

    # The province returns it with one comment per section.
    comments = {section.key: f"请补充{section.label}的细节" for section in SECTIONS}
    returned = province.post(
        reverse("api-brochure-version-return", args=[version["id"]]),
        {"comments": comments, "note": "请按意见修改"},
        format="json",
    )
    assert returned.status_code == 200, returned.content
    body = returned.json()
    assert (body["status"], body["decision_note"]) == ("returned", "请按意见修改")
    assert {c["section"]: c["text"] for c in body["comments"]} == comments
    assert {c["author"] for c in body["comments"]} == {people["province"].username}

    # A new draft starts from the returned text; the returned version and its comments stay.
    second = office.post(reverse("api-brochure-draft")).json()
    assert second["number"] == 2 and second["status"] == "draft" and second["id"] != version["id"]
    assert second["sections"] == COMPLETE and second["applicant_types"] == ["open_recruitment"]
    second_url = reverse("api-brochure-version", args=[second["id"]])
    revised = office.patch(
        second_url, {"sections": {"pay_wages": COMPLETE["pay_wages"] + "另有夜班补助。"}}, format="json"
    )
    assert revised.status_code == 200
    assert office.post(reverse("api-brochure-version-submit", args=[second["id"]])).status_code == 200

    approved = province.post(reverse("api-brochure-version-approve", args=[second["id"]]), {"note": "同意"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    published = office.post(reverse("api-brochure-version-publish", args=[second["id"]]))
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert published.json()["published_at"]

    detail = office.get(reverse("api-brochure", args=[version["brochure"]])).json()
    assert [(v["number"], v["status"]) for v in detail["versions"]] == [(2, "published"), (1, "returned")]
    assert len(detail["versions"][1]["comments"]) == len(SECTIONS)
    [row] = province.get(reverse("api-brochures")).json()["results"]
    assert (row["latest_version_number"], row["latest_status"], row["has_open_version"]) == (2, "published", False)
    assert row["published_at"] and row["campaign_year"] == 2026 and row["training_base_name"] == "协和医院"


def test_a_base_office_cannot_audit_its_own_brochure(api, planned, people):
    version = _submitted(planned, people)
    office = api(people["xiehe_office"])
    approve = office.post(_url("api-brochure-version-approve", version), {"note": "自己批准"})
    assert approve.status_code == 403
    give_back = office.post(_url("api-brochure-version-return", version), {"note": "自己退回"}, format="json")
    assert give_back.status_code == 403
    version.refresh_from_db()
    assert version.status == BrochureStatus.SUBMITTED and not version.comments.exists()


def test_a_base_office_never_sees_another_base_draft(api, planned, people):
    theirs = _draft(planned, people, "tongji", sections={**COMPLETE, "overview": SECRET + COMPLETE["overview"]})
    _draft(planned, people, "xiehe")
    xiehe = api(people["xiehe_office"])

    listing = xiehe.get(reverse("api-brochures"))
    assert [row["training_base_name"] for row in listing.json()["results"]] == ["协和医院"]
    for response in (
        xiehe.get(reverse("api-brochure", args=[theirs.brochure_id])),
        xiehe.get(_url("api-brochure-version", theirs)),
        xiehe.get(_url("api-brochure-version-gaps", theirs)),
        xiehe.patch(_url("api-brochure-version", theirs), {"sections": {"overview": "改掉"}}, format="json"),
        xiehe.post(_url("api-brochure-version-submit", theirs)),
    ):
        assert response.status_code in (403, 404)
        assert SECRET not in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.sections["overview"].startswith(SECRET) and theirs.status == BrochureStatus.DRAFT


def test_hunan_cannot_see_or_audit_hubei_brochures(api, planned, people):
    version = _submitted(planned, people)
    hunan = api(people["hunan_province"])
    assert hunan.get(reverse("api-brochures")).json()["count"] == 0
    assert hunan.get(reverse("api-brochure", args=[version.brochure_id])).status_code in (403, 404)
    assert hunan.post(_url("api-brochure-version-approve", version)).status_code in (403, 404)
    assert api(people["province"]).get(reverse("api-brochures")).json()["count"] == 1


def test_list_filters_on_the_latest_status(api, planned, people):
    _submitted(planned, people, "xiehe")
    _draft(planned, people, "tongji")
    province = api(people["province"])
    submitted = province.get(reverse("api-brochures"), {"status": "submitted"}).json()["results"]
    assert [row["training_base_name"] for row in submitted] == ["协和医院"]
    assert submitted[0]["has_open_version"] is True and submitted[0]["published_at"] is None
    drafts = province.get(reverse("api-brochures"), {"status": "draft"}).json()["results"]
    assert [row["training_base_name"] for row in drafts] == ["同济医院"]
    bad = province.get(reverse("api-brochures"), {"status": "lost"})
    assert bad.status_code == 400 and "无效的状态" in bad.json()["status"]


def test_bad_draft_input_is_a_400_naming_the_field(api, planned, people):
    version = _draft(planned, people)
    office = api(people["xiehe_office"])
    url = _url("api-brochure-version", version)
    wrong_type = office.put(url, {"applicant_types": ["martian"], "sections": {}}, format="json")
    assert wrong_type.status_code == 400 and "不是有效的招收人员类型" in str(wrong_type.json()["applicant_types"])
    wrong_key = office.patch(url, {"sections": {"overveiw": "拼错了栏目"}}, format="json")
    assert wrong_key.status_code == 400 and "未知的栏目：overveiw" in wrong_key.json()["sections"][0]
    not_a_map = office.patch(url, {"sections": "全文"}, format="json")
    assert not_a_map.status_code == 400 and "sections" in not_a_map.json()
    missing = office.put(url, {"sections": {}}, format="json")
    assert missing.status_code == 400 and "applicant_types" in missing.json()
    version.refresh_from_db()
    assert version.sections == COMPLETE


def test_return_needs_a_comment_and_known_sections(api, planned, people):
    version = _submitted(planned, people)
    province = api(people["province"])
    url = _url("api-brochure-version-return", version)
    empty = province.post(url, {"comments": {"overview": "  "}, "note": ""}, format="json")
    assert empty.status_code == 400 and "至少填写一条意见" in empty.json()["detail"]
    unknown = province.post(url, {"comments": {"salary": "写清楚"}}, format="json")
    assert unknown.status_code == 400 and "salary" in unknown.json()["detail"]
    version.refresh_from_db()
    assert version.status == BrochureStatus.SUBMITTED


def test_only_a_base_office_starts_a_draft(api, planned, people):
    for who in ("province", "xiehe_staff", "applicant", "employer"):
        assert api(people[who]).post(reverse("api-brochure-draft")).status_code == 403, who
    assert api(None).post(reverse("api-brochure-draft")).status_code == 403
    assert not Brochure.objects.exists()


def test_specialty_base_staff_reads_its_base_brochure_but_cannot_edit(api, planned, people):
    version = _draft(planned, people)
    staff = api(people["xiehe_staff"])
    assert staff.get(_url("api-brochure-version", version)).json()["sections"] == COMPLETE
    assert staff.patch(_url("api-brochure-version", version), {"sections": {}}, format="json").status_code == 403


def _grow_brochures(world, people, count):
    """`count` more bases with a brochure of two versions each, the first returned with comments."""
    province, campaign = world["hubei"], world["hubei_campaign"]
    for _ in range(count):
        brochure = Brochure.objects.create(campaign=campaign, training_base=factories.training_base(province))
        returned, _draft = BrochureVersion.objects.bulk_create(
            [
                BrochureVersion(brochure=brochure, number=1, status=BrochureStatus.RETURNED, sections=COMPLETE),
                BrochureVersion(brochure=brochure, number=2, status=BrochureStatus.DRAFT, sections=COMPLETE),
            ]
        )
        BrochureComment.objects.bulk_create(
            [
                BrochureComment(version=returned, section=key, text="请补充", author=people["province"])
                for key in COMPLETE
            ]
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.json()


def test_brochure_list_queries_stay_flat_from_a_few_to_many_rows(api, world, people):
    province = api(people["province"])
    _grow_brochures(world, people, 3)
    small, body = _queries(province, reverse("api-brochures"))
    assert body["count"] == 3
    _grow_brochures(world, people, 40)
    many, body = _queries(province, reverse("api-brochures"))
    assert body["count"] == 43 and many == small


def test_brochure_detail_queries_stay_flat_as_versions_and_comments_grow(api, planned, people):
    office = api(people["xiehe_office"])
    version = _submitted(planned, people)
    url = reverse("api-brochure", args=[version.brochure_id])
    small, _body = _queries(office, url)
    BrochureVersion.objects.filter(pk=version.pk).update(status=BrochureStatus.RETURNED)
    for number in range(2, 12):
        older = BrochureVersion.objects.create(
            brochure=version.brochure, number=number, status=BrochureStatus.RETURNED, sections=COMPLETE
        )
        BrochureComment.objects.bulk_create(
            [BrochureComment(version=older, section=key, text="请补充", author=people["province"]) for key in COMPLETE]
        )
    many, body = _queries(office, url)
    assert len(body["versions"]) == 11 and many == small
