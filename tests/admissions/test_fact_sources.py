"""The facts a choice reads under its lock come from annotations and a cache; they must say what the
page-wide builder (`_person_facts`) and the database say."""

import pytest

from admissions.models import Applicant
from admissions.selectors.facts import _person_facts, annotated_person, own_records, person_annotations
from bases.models import Specialty
from policy.models import Sanction
from policy.selectors import current_campaign
from tests.applicant_helpers import complete_applicant


def _sanction(campaign, applicant, kind, year):
    Sanction.objects.create(
        province=campaign.province,
        id_type=applicant.id_type,
        id_number=applicant.id_number,
        full_name=applicant.full_name,
        kind=kind,
        campaign_year=year,
        reason="测试",
    )


@pytest.mark.parametrize("records", [[], [("ban", 2025)], [("ban", 2024), ("ban", 2025), ("cancellation", 2026)]])
def test_the_annotations_find_what_the_page_builder_finds(world, records):
    campaign = world["hubei_campaign"]
    applicant = complete_applicant()
    other = complete_applicant(2)
    for kind, year in records:
        _sanction(campaign, applicant, kind, year)
    _sanction(campaign, other, "ban", 2026)  # someone else's record is not this applicant's
    row = Applicant.objects.annotate(**person_annotations(campaign)).get(pk=applicant.pk)
    sanctions, entry_kind, holds_place = annotated_person(row, row)
    expected = _person_facts([applicant], campaign)[applicant.pk]
    assert (set(sanctions), entry_kind, holds_place) == (set(expected[0]), expected[1], expected[2])
    assert sorted((s.kind, s.campaign_year) for s in sanctions) == sorted(records)


def test_certificates_added_or_removed_are_seen_at_once(world):
    applicant = complete_applicant()
    surgery = Specialty.objects.create(code="0900", name="外科", category="clinical")
    assert own_records(applicant).certificate_codes == frozenset()
    applicant.held_certificate_specialties.add(surgery)
    assert own_records(applicant).certificate_codes == {"0900"}
    applicant.held_certificate_specialties.remove(surgery)
    applicant.refresh_from_db()
    assert own_records(applicant).certificate_codes == frozenset()


def test_a_campaign_saved_is_not_read_from_an_old_copy(world):
    campaign = world["hubei_campaign"]
    assert current_campaign(province=campaign.province_id, cached=True).title == campaign.title
    campaign.title = "2026年湖北省住院医师规范化培训招收（更正）"
    campaign.save()
    assert current_campaign(province=campaign.province_id, cached=True).title == campaign.title
