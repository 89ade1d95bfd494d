"""The facts the eligibility rules (policy/eligibility.py) read, gathered from the database."""

from admissions.models import DocumentKind
from bases.models import BaseLevel, SpecialtyBase, SpecialtyCategory
from policy.eligibility import ApplicantFacts, CampaignFacts, Education, SanctionRecord, SpecialtyBaseFacts, decide
from policy.models import Sanction


def applicant_facts(applicant):
    sanctions = (
        Sanction.objects.filter(id_type=applicant.id_type, id_number=applicant.id_number)
        if applicant.id_number
        else Sanction.objects.none()
    )
    return ApplicantFacts(
        applicant_type=applicant.applicant_type,
        educations=tuple(
            Education(e.major_category, e.degree_level, e.full_time, e.graduation_date)
            for e in applicant.educations.all()
        ),
        is_chinese_national=applicant.is_chinese_national,
        declares_fit=applicant.declares_fit,
        qualification_category=applicant.qualification_category,
        held_certificate_specialties=frozenset(s.code for s in applicant.held_certificate_specialties.all()),
        enrolled_academic_student=applicant.enrolled_academic_student,
        on_national_platform=applicant.on_national_platform,
        technical_title=applicant.technical_title,
        employer_city=applicant.employer_city,
        dispatch_base_id=applicant.dispatch_training_base_id,
        dispatch_specialty_code=applicant.dispatch_specialty.code if applicant.dispatch_specialty_id else "",
        has_dispatch_letter=any(d.kind == DocumentKind.DISPATCH_LETTER for d in applicant.documents.all()),
        sanctions=tuple(SanctionRecord(s.kind, s.campaign_year, s.reason) for s in sanctions),
    )


def campaign_facts(campaign, *, specialty_code=None):
    """The campaign's facts; with `specialty_code`, the national bases' offers of that specialty only
    — all a decision about one specialty base reads, where the whole province has hundreds."""
    offers = SpecialtyBase.objects.filter(
        training_base__province_id=campaign.province_id, training_base__level=BaseLevel.NATIONAL
    )
    if specialty_code is not None:
        offers = offers.filter(specialty__code=specialty_code)
    offers = offers.values_list("training_base__city", "specialty__code")
    return CampaignFacts(year=campaign.year, ban_years=campaign.ban_years, national_offers=frozenset(offers))


def specialty_base_facts(specialty_base):
    return SpecialtyBaseFacts(
        training_base_id=specialty_base.training_base_id,
        specialty_code=specialty_base.specialty.code,
        specialty_name=specialty_base.specialty.name,
        stomatology=specialty_base.specialty.category == SpecialtyCategory.STOMATOLOGY,
        city=specialty_base.training_base.city,
        national=specialty_base.training_base.level == BaseLevel.NATIONAL,
    )


def check_eligibility(*, applicant, specialty_base, campaign):
    base = specialty_base_facts(specialty_base)
    return decide(applicant_facts(applicant), base, campaign_facts(campaign, specialty_code=base.specialty_code))


def eligibility_by_quota(*, applicant, campaign, quotas):
    """{quota id: Decision} for a list of quotas (with specialty_base, its specialty and training
    base selected), gathering the applicant's and the campaign's facts once."""
    facts, context = applicant_facts(applicant), campaign_facts(campaign)
    return {quota.pk: decide(facts, specialty_base_facts(quota.specialty_base), context) for quota in quotas}
