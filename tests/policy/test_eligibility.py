"""The eligibility rules of the Hubei notice 二 and 四(四), clause by clause, as a table.

The engine is pure: each case builds the facts an applicant, a specialty base and the 2026 campaign
present, and checks both the answer and the exact clauses (as a multiset) of every reason given.
"""

import datetime

import pytest
from django.utils import translation

from policy.choices import (
    ApplicantType,
    DegreeLevel,
    MajorCategory,
    QualificationCategory,
    SanctionKind,
    TechnicalTitle,
)
from policy.rules.eligibility import (
    ApplicantFacts,
    CampaignFacts,
    Education,
    SanctionRecord,
    SpecialtyBaseFacts,
    decide,
)

WUHAN, YICHANG, SUIZHOU = "武汉市", "宜昌市", "随州市"

SPECIALTIES = {
    "0100": "内科",
    "0200": "儿科",
    "0500": "精神科",
    "0700": "全科",
    "0900": "外科",
    "1700": "眼科",
    "1900": "麻醉科",
    "2200": "放射科",
    "2300": "超声医学科",
    "2800": "口腔全科",
    "3000": "口腔颌面外科",
}
STOMATOLOGY_SPECIALTIES = {"2800", "3000"}
INTERNAL, PAEDIATRICS, PSYCHIATRY, GP, SURGERY = "0100", "0200", "0500", "0700", "0900"
OPHTHALMOLOGY, ANAESTHESIA, RADIOLOGY, ULTRASOUND = "1700", "1900", "2200", "2300"
STOMA_GENERAL, STOMA_SURGERY = "2800", "3000"

# Training bases: id → (city, national?)
XIEHE, WUHAN_PROVINCIAL, YICHANG_CENTRAL, SUIZHOU_CENTRAL = 1, 2, 3, 4
TRAINING_BASES = {
    XIEHE: (WUHAN, True),
    WUHAN_PROVINCIAL: (WUHAN, False),
    YICHANG_CENTRAL: (YICHANG, True),  # offers internal medicine, GP and surgery, but not anaesthesiology
    SUIZHOU_CENTRAL: (SUIZHOU, False),  # Suizhou has no national base at all
}
NATIONAL_OFFERS = frozenset({(WUHAN, code) for code in SPECIALTIES} | {(YICHANG, c) for c in (INTERNAL, GP, SURGERY)})

ALL_CLAUSES = {
    "二(一)1",
    "二(一)2",
    "二(一)3",
    "二(二)1",
    "二(二)2",
    "二(二)3",
    "二(三)1",
    "二(三)2-3",
    "二(三)2",
    "二(三)3",
    "三(二)",
    "三(四)1",
    "二(四)1",
    "二(四)2",
    "二(四)3",
    "二(四)4",
    "四(四)",
}


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def campaign(year=2026, ban_years=3):
    return CampaignFacts(year=year, ban_years=ban_years, national_offers=NATIONAL_OFFERS)


def at(code, training_base=XIEHE):
    city, national = TRAINING_BASES[training_base]
    return SpecialtyBaseFacts(
        training_base_id=training_base,
        specialty_code=code,
        specialty_name=SPECIALTIES[code],
        stomatology=code in STOMATOLOGY_SPECIALTIES,
        city=city,
        national=national,
    )


def edu(graduated="2026-06-30", major=MajorCategory.CLINICAL, level=DegreeLevel.BACHELOR, full_time=True):
    return Education(major, level, full_time, datetime.date.fromisoformat(graduated))


FRESH_CLINICAL = edu()
STOMATOLOGY = edu(major=MajorCategory.STOMATOLOGY)


def person(*educations, applicant_type=ApplicantType.OPEN_RECRUITMENT, **facts):
    """An applicant; with no education given, a full-time clinical bachelor graduating in 2026."""
    facts.setdefault("educations", educations or (FRESH_CLINICAL,))
    return ApplicantFacts(applicant_type=applicant_type, **facts)


def entrusted(*educations, **facts):
    """Staff of a Wuhan hospital dispatched to internal medicine at Xiehe, with the dispatch letter."""
    defaults = {
        "employer_city": WUHAN,
        "dispatch_base_id": XIEHE,
        "dispatch_specialty_code": INTERNAL,
        "has_dispatch_letter": True,
        "technical_title": TechnicalTitle.JUNIOR,
    }
    return person(
        *(educations or (edu("2023-06-30"),)), applicant_type=ApplicantType.ENTRUSTED, **{**defaults, **facts}
    )


def ban(year):
    return SanctionRecord(SanctionKind.BAN, year, "录取后未报到")


def cancellation(year):
    return SanctionRecord(SanctionKind.CANCELLATION, year, "伪造毕业证书")


def case(case_id, facts, base, *clauses, year=2026):
    return pytest.param(facts, base, year, clauses, id=case_id)


CASES = [
    case("baseline/fresh-clinical-bachelor/internal-medicine-allowed", person(), at(INTERNAL)),
    # 二(一)1 nationality (Hong Kong, Macao and Taiwan residents count as nationals)
    case("nationality/foreign/refused", person(is_chinese_national=False), at(INTERNAL), "二(一)1"),
    # 二(一)3 physical fitness
    case("fitness/not-declared/refused", person(declares_fit=False), at(INTERNAL), "二(一)3"),
    # 二(一)2 medical category and degree
    case(
        "degree/clinical-master/internal-medicine-allowed",
        person(edu("2026-06-30", level=DegreeLevel.MASTER)),
        at(INTERNAL),
    ),
    case("degree/stomatology-bachelor/stomatology-general-allowed", person(STOMATOLOGY), at(STOMA_GENERAL)),
    case(
        "degree/junior-college-clinical/refused",
        person(edu(level=DegreeLevel.JUNIOR_COLLEGE)),
        at(INTERNAL),
        "二(一)2",
    ),
    case(
        "degree/junior-college-clinical-with-clinical-certificate/allowed",
        person(
            edu("2018-06-30", level=DegreeLevel.JUNIOR_COLLEGE), qualification_category=QualificationCategory.CLINICAL
        ),
        at(INTERNAL),
    ),
    case("degree/non-medical-bachelor/refused", person(edu(major=MajorCategory.OTHER)), at(INTERNAL), "二(一)2"),
    case("degree/no-education-no-certificate/refused", person(educations=()), at(INTERNAL), "二(一)2"),
    case(
        "degree/licensed-clinical-without-degree-record/internal-medicine-allowed",
        person(educations=(), qualification_category=QualificationCategory.CLINICAL),
        at(INTERNAL),
    ),
    case(
        "degree/licensed-stomatology-without-degree-record/stomatology-allowed",
        person(educations=(), qualification_category=QualificationCategory.STOMATOLOGY),
        at(STOMA_SURGERY),
    ),
    # 二(四)4 majors not admitted to the clinical or stomatology licensing exam
    case("not-qualifying/tcm-bachelor/refused", person(edu(major=MajorCategory.TCM)), at(INTERNAL), "二(四)4"),
    case(
        "not-qualifying/integrated-bachelor/refused",
        person(edu(major=MajorCategory.INTEGRATED)),
        at(INTERNAL),
        "二(四)4",
    ),
    case(
        "not-qualifying/lab-technology-bachelor/refused",
        person(edu(major=MajorCategory.LAB_TECHNOLOGY)),
        at(INTERNAL),
        "二(四)4",
    ),
    # 二(一)2 admits anyone holding a clinical certificate; 二(四)4 bars only those not qualified for the exam.
    case(
        "not-qualifying/tcm-with-clinical-certificate/internal-medicine-allowed",
        person(edu("2019-06-30", major=MajorCategory.TCM), qualification_category=QualificationCategory.CLINICAL),
        at(INTERNAL),
    ),
    case(
        "not-qualifying/lab-technology-with-clinical-certificate/surgery-allowed",
        person(
            edu("2019-06-30", major=MajorCategory.LAB_TECHNOLOGY), qualification_category=QualificationCategory.CLINICAL
        ),
        at(SURGERY),
    ),
    case(
        "not-qualifying/tcm-with-clinical-certificate/stomatology-refused",
        person(edu("2019-06-30", major=MajorCategory.TCM), qualification_category=QualificationCategory.CLINICAL),
        at(STOMA_GENERAL),
        "二(一)2",
    ),
    # 二(二)1 stomatology graduates choose stomatology specialties only, and only they do
    case(
        "stomatology-only/stomatology-graduate/internal-medicine-refused", person(STOMATOLOGY), at(INTERNAL), "二(二)1"
    ),
    case("stomatology-only/stomatology-graduate/general-practice-refused", person(STOMATOLOGY), at(GP), "二(二)1"),
    case("stomatology-only/stomatology-graduate/oral-surgery-allowed", person(STOMATOLOGY), at(STOMA_SURGERY)),
    case(
        "stomatology-only/stomatology-graduated-2020/no-two-year-rule/allowed",
        person(edu("2020-06-30", major=MajorCategory.STOMATOLOGY)),
        at(STOMA_GENERAL),
    ),
    case(
        "stomatology-only/licensed-stomatology-without-degree-record/internal-medicine-refused",
        person(educations=(), qualification_category=QualificationCategory.STOMATOLOGY),
        at(INTERNAL),
        "二(二)1",
    ),
    case("stomatology-only/clinical-graduate/stomatology-refused", person(), at(STOMA_GENERAL), "二(一)2"),
    # 二(二)2 directed bachelor majors: their own specialty or general practice
    case(
        "directed/anaesthesiology/anaesthesia-allowed",
        person(edu(major=MajorCategory.ANAESTHESIOLOGY)),
        at(ANAESTHESIA),
    ),
    case("directed/anaesthesiology/general-practice-allowed", person(edu(major=MajorCategory.ANAESTHESIOLOGY)), at(GP)),
    case(
        "directed/anaesthesiology/internal-medicine-refused",
        person(edu(major=MajorCategory.ANAESTHESIOLOGY)),
        at(INTERNAL),
        "二(二)2",
    ),
    case("directed/medical-imaging/radiology-allowed", person(edu(major=MajorCategory.MEDICAL_IMAGING)), at(RADIOLOGY)),
    case(
        "directed/medical-imaging/ultrasound-allowed", person(edu(major=MajorCategory.MEDICAL_IMAGING)), at(ULTRASOUND)
    ),
    case(
        "directed/medical-imaging/surgery-refused",
        person(edu(major=MajorCategory.MEDICAL_IMAGING)),
        at(SURGERY),
        "二(二)2",
    ),
    case("directed/radiology/radiology-allowed", person(edu(major=MajorCategory.RADIOLOGY)), at(RADIOLOGY)),
    case("directed/ultrasound/ultrasound-allowed", person(edu(major=MajorCategory.ULTRASOUND)), at(ULTRASOUND)),
    case(
        "directed/ultrasound/radiology-refused",
        person(edu(major=MajorCategory.ULTRASOUND)),
        at(RADIOLOGY),
        "二(二)2",
    ),
    case("directed/paediatrics/paediatrics-allowed", person(edu(major=MajorCategory.PAEDIATRICS)), at(PAEDIATRICS)),
    case("directed/psychiatry/psychiatry-allowed", person(edu(major=MajorCategory.PSYCHIATRY)), at(PSYCHIATRY)),
    case(
        "directed/ophthalmology/ophthalmology-allowed",
        person(edu(major=MajorCategory.OPHTHALMOLOGY)),
        at(OPHTHALMOLOGY),
    ),
    case(
        "directed/ophthalmology/internal-medicine-refused",
        person(edu(major=MajorCategory.OPHTHALMOLOGY)),
        at(INTERNAL),
        "二(二)2",
    ),
    case(
        "directed/anaesthesiology-bachelor-then-clinical-master/internal-medicine-allowed",
        person(
            edu("2023-06-30", major=MajorCategory.ANAESTHESIOLOGY),
            edu("2026-06-30", level=DegreeLevel.MASTER),
        ),
        at(INTERNAL),
    ),
    case(
        "directed/anaesthesiology-graduated-2020/two-year-rule-is-for-clinical-only/anaesthesia-allowed",
        person(edu("2020-06-30", major=MajorCategory.ANAESTHESIOLOGY)),
        at(ANAESTHESIA),
    ),
    case(
        "directed/anaesthesiology-graduated-2020/internal-medicine-refused-once",
        person(edu("2020-06-30", major=MajorCategory.ANAESTHESIOLOGY)),
        at(INTERNAL),
        "二(二)2",
    ),
    # 二(二)3 full-time clinical bachelors of campaign year − 2 or earlier without a certificate: general practice
    case(
        "two-year-rule/graduated-2024-12-31/internal-medicine-refused",
        person(edu("2024-12-31")),
        at(INTERNAL),
        "二(二)3",
    ),
    case("two-year-rule/graduated-2024-12-31/general-practice-allowed", person(edu("2024-12-31")), at(GP)),
    case("two-year-rule/graduated-2025-01-01/internal-medicine-allowed", person(edu("2025-01-01")), at(INTERNAL)),
    case("two-year-rule/graduated-2024-06-30/surgery-refused", person(edu("2024-06-30")), at(SURGERY), "二(二)3"),
    case(
        "two-year-rule/graduated-2019-07-01/internal-medicine-refused",
        person(edu("2019-07-01")),
        at(INTERNAL),
        "二(二)3",
    ),
    case(
        "two-year-rule/graduated-2024-with-clinical-certificate/internal-medicine-allowed",
        person(edu("2024-06-30"), qualification_category=QualificationCategory.CLINICAL),
        at(INTERNAL),
    ),
    case(
        "two-year-rule/graduated-2024-part-time/internal-medicine-allowed",
        person(edu("2024-06-30", full_time=False)),
        at(INTERNAL),
    ),
    case(
        "two-year-rule/graduated-2024-entrusted-staff-excepted/internal-medicine-allowed",
        entrusted(edu("2024-06-30")),
        at(INTERNAL),
    ),
    case(
        "two-year-rule/bachelor-2020-then-clinical-master-2023/internal-medicine-allowed",
        person(edu("2020-06-30"), edu("2023-06-30", level=DegreeLevel.MASTER)),
        at(INTERNAL),
    ),
    case(
        "two-year-rule/own-staff-not-excepted/internal-medicine-refused",
        person(edu("2024-06-30"), applicant_type=ApplicantType.OWN_STAFF),
        at(INTERNAL),
        "二(二)3",
    ),
    case(
        "two-year-rule/campaign-2025/graduated-2023-12-31/internal-medicine-refused",
        person(edu("2023-12-31")),
        at(INTERNAL),
        "二(二)3",
        year=2025,
    ),
    case(
        "two-year-rule/campaign-2025/graduated-2024-01-01/internal-medicine-allowed",
        person(edu("2024-01-01")),
        at(INTERNAL),
        year=2025,
    ),
    # 二(四)1-3 exclusions
    case(
        "exclusion/internal-medicine-certificate-held/internal-medicine-refused",
        person(edu("2020-06-30", level=DegreeLevel.MASTER), held_certificate_specialties=frozenset({INTERNAL})),
        at(INTERNAL),
        "二(四)1",
    ),
    case(
        "exclusion/internal-medicine-certificate-held/surgery-allowed",
        person(edu("2020-06-30", level=DegreeLevel.MASTER), held_certificate_specialties=frozenset({INTERNAL})),
        at(SURGERY),
    ),
    case(
        "exclusion/enrolled-academic-degree-student/refused",
        person(enrolled_academic_student=True),
        at(INTERNAL),
        "二(四)2",
    ),
    case("exclusion/on-national-platform/refused", person(on_national_platform=True), at(INTERNAL), "二(四)3"),
    # 二(三)2-3 who registers by themselves
    case("applicant-type/own-staff/allowed", person(applicant_type=ApplicantType.OWN_STAFF), at(INTERNAL)),
    case(
        "applicant-type/professional-master/cannot-self-register",
        person(applicant_type=ApplicantType.PROFESSIONAL_MASTER),
        at(INTERNAL),
        "二(三)2-3",
    ),
    case(
        "applicant-type/rural-order/cannot-self-register",
        person(applicant_type=ApplicantType.RURAL_ORDER),
        at(GP),
        "二(三)2-3",
    ),
    # 二(三)1 and 三(二) entrusted staff
    case("entrusted/named-national-base-in-own-city/allowed", entrusted(), at(INTERNAL)),
    case(
        "entrusted/no-dispatch-letter/refused",
        entrusted(has_dispatch_letter=False),
        at(INTERNAL),
        "二(三)1",
    ),
    case(
        "entrusted/no-named-base-and-specialty/refused",
        entrusted(dispatch_base_id=None, dispatch_specialty_code=""),
        at(INTERNAL),
        "二(三)1",
    ),
    case("entrusted/other-specialty-at-named-base/refused", entrusted(), at(SURGERY), "三(二)"),
    case(
        "entrusted/named-specialty-at-other-base-in-other-city/refused",
        entrusted(),
        at(INTERNAL, YICHANG_CENTRAL),
        "三(二)",
        "二(三)1",
    ),
    case(
        "entrusted/named-base-provincial/refused",
        entrusted(dispatch_base_id=WUHAN_PROVINCIAL),
        at(INTERNAL, WUHAN_PROVINCIAL),
        "二(三)1",
    ),
    case(
        "entrusted/own-city-offers-specialty/national-base-elsewhere-refused",
        entrusted(dispatch_base_id=YICHANG_CENTRAL),
        at(INTERNAL, YICHANG_CENTRAL),
        "二(三)1",
    ),
    case(
        "entrusted/yichang-offers-internal-medicine/wuhan-base-refused",
        entrusted(employer_city=YICHANG),
        at(INTERNAL),
        "二(三)1",
    ),
    case(
        "entrusted/own-city-without-national-base/national-base-elsewhere-allowed",
        entrusted(employer_city=SUIZHOU),
        at(INTERNAL),
    ),
    case(
        "entrusted/own-city-national-base-lacks-specialty/national-base-elsewhere-allowed",
        entrusted(employer_city=YICHANG, dispatch_specialty_code=ANAESTHESIA),
        at(ANAESTHESIA),
    ),
    case(
        "entrusted/own-city-without-national-base/provincial-base-refused",
        entrusted(employer_city=SUIZHOU, dispatch_base_id=SUIZHOU_CENTRAL),
        at(INTERNAL, SUIZHOU_CENTRAL),
        "二(三)1",
    ),
    case("entrusted/no-technical-title/allowed", entrusted(technical_title=TechnicalTitle.NONE), at(INTERNAL)),
    case(
        "entrusted/intermediate-title/refused",
        entrusted(technical_title=TechnicalTitle.INTERMEDIATE),
        at(INTERNAL),
        "二(三)1",
    ),
    case(
        "entrusted/senior-title/refused",
        entrusted(technical_title=TechnicalTitle.SENIOR),
        at(INTERNAL),
        "二(三)1",
    ),
    case(
        "title/intermediate-title-open-recruitment/not-limited",
        person(edu("2020-06-30", level=DegreeLevel.MASTER), technical_title=TechnicalTitle.INTERMEDIATE),
        at(INTERNAL),
    ),
    # 四(四) sanctions: a ban bars at once — the rest of the campaign it was recorded in — and the
    # ban_years campaigns after it
    case(
        "sanction/ban-2023/campaign-2023-itself/refused",
        person(sanctions=(ban(2023),)),
        at(INTERNAL),
        "四(四)",
        year=2023,
    ),
    case("sanction/ban-2023/campaign-2024/refused", person(sanctions=(ban(2023),)), at(INTERNAL), "四(四)", year=2024),
    case("sanction/ban-2023/campaign-2025/refused", person(sanctions=(ban(2023),)), at(INTERNAL), "四(四)", year=2025),
    case("sanction/ban-2023/campaign-2026/refused", person(sanctions=(ban(2023),)), at(INTERNAL), "四(四)"),
    case("sanction/ban-2023/campaign-2027/allowed", person(sanctions=(ban(2023),)), at(INTERNAL), year=2027),
    case("sanction/ban-2022/campaign-2026/allowed", person(sanctions=(ban(2022),)), at(INTERNAL)),
    case("sanction/ban-2026/campaign-2026-itself/refused", person(sanctions=(ban(2026),)), at(INTERNAL), "四(四)"),
    case(
        "sanction/ban-2026/campaign-2029/refused",
        person(qualification_category="clinical", sanctions=(ban(2026),)),
        at(INTERNAL),
        "四(四)",
        year=2029,
    ),
    case(
        "sanction/ban-2026/campaign-2030/allowed",
        person(qualification_category="clinical", sanctions=(ban(2026),)),
        at(INTERNAL),
        year=2030,
    ),
    # 二(三)2-3: a person entered outside the rounds takes no part in them
    case(
        "entry/rural-order-assigned/refused",
        person(direct_entry_kind=ApplicantType.RURAL_ORDER),
        at(INTERNAL),
        "二(三)3",
    ),
    case(
        "entry/professional-master-entered/refused",
        person(direct_entry_kind=ApplicantType.PROFESSIONAL_MASTER),
        at(INTERNAL),
        "二(三)2",
    ),
    # 三(四)1: one person, one place — a proposal or admission bars every other choice
    case("place/already-proposed-or-admitted/refused", person(holds_place=True), at(INTERNAL), "三(四)1"),
    case("sanction/ban-2026/campaign-2027/refused", person(sanctions=(ban(2026),)), at(INTERNAL), "四(四)", year=2027),
    case(
        "sanction/fraud-cancelled-2026/campaign-2026/refused",
        person(sanctions=(cancellation(2026),)),
        at(INTERNAL),
        "四(四)",
    ),
    case(
        "sanction/fraud-cancelled-2026/campaign-2027/allowed",
        person(sanctions=(cancellation(2026),)),
        at(INTERNAL),
        year=2027,
    ),
    case("sanction/fraud-cancelled-2025/campaign-2026/allowed", person(sanctions=(cancellation(2025),)), at(INTERNAL)),
    # several reasons at once: every one is reported
    case(
        "several/foreign-unfit-student-on-platform-banned/all-reported",
        person(
            is_chinese_national=False,
            declares_fit=False,
            enrolled_academic_student=True,
            on_national_platform=True,
            sanctions=(ban(2024), cancellation(2026)),
        ),
        at(INTERNAL),
        "二(一)1",
        "二(一)3",
        "二(四)2",
        "二(四)3",
        "四(四)",
        "四(四)",
    ),
    case(
        "several/graduated-2024-stomatology-specialty-certificate-held/all-reported",
        person(edu("2024-06-30"), held_certificate_specialties=frozenset({STOMA_GENERAL})),
        at(STOMA_GENERAL),
        "二(一)2",
        "二(二)3",
        "二(四)1",
    ),
    case(
        "several/entrusted-senior-no-letter-wrong-base/all-reported",
        entrusted(technical_title=TechnicalTitle.SENIOR, has_dispatch_letter=False),
        at(SURGERY, WUHAN_PROVINCIAL),
        "二(三)1",
        "二(三)1",
        "三(二)",
        "二(三)1",
    ),
    case(
        "several/professional-master-foreign-tcm/all-reported",
        person(
            edu(major=MajorCategory.TCM),
            applicant_type=ApplicantType.PROFESSIONAL_MASTER,
            is_chinese_national=False,
        ),
        at(INTERNAL),
        "二(三)2-3",
        "二(一)1",
        "二(四)4",
    ),
]


@pytest.mark.parametrize(("facts", "base", "year", "clauses"), CASES)
def test_decision_names_exactly_the_clauses_that_apply(facts, base, year, clauses):
    decision = decide(facts, base, campaign(year))

    assert sorted(reason.clause for reason in decision.reasons) == sorted(clauses)
    assert decision.allowed is (not clauses)
    assert bool(decision) is decision.allowed
    assert all(reason.message for reason in decision.reasons)


def test_the_table_covers_every_clause_the_rules_cite():
    cited = {clause for param in CASES for clause in param.values[3]}
    assert cited == ALL_CLAUSES
    assert len(CASES) >= 40


def test_ban_length_follows_the_campaign_parameter():
    banned = person(sanctions=(ban(2023),))

    assert not decide(banned, at(INTERNAL), campaign(2025, ban_years=2))
    assert decide(banned, at(INTERNAL), campaign(2026, ban_years=2))


def test_an_entrusted_applicant_is_judged_against_the_named_base_not_its_city_peers():
    # The named base is the only one allowed, even if another national base in the same city offers the specialty.
    other_wuhan_national = SpecialtyBaseFacts(
        training_base_id=99,
        specialty_code=INTERNAL,
        specialty_name="内科",
        stomatology=False,
        city=WUHAN,
        national=True,
    )

    decision = decide(entrusted(), other_wuhan_national, campaign())

    assert [reason.clause for reason in decision.reasons] == ["三(二)"]


def reasons(facts, base, year=2026):
    return {reason.clause: reason.message for reason in decide(facts, base, campaign(year)).reasons}


def test_two_year_rule_message_names_the_cut_off_year_and_general_practice():
    message = reasons(person(edu("2024-12-31")), at(INTERNAL))["二(二)3"]

    assert "2024年及以前毕业" in message
    assert "全科" in message


def test_directed_major_message_names_the_major():
    assert "麻醉学" in reasons(person(edu(major=MajorCategory.ANAESTHESIOLOGY)), at(INTERNAL))["二(二)2"]


def test_certificate_message_names_the_specialty():
    facts = person(held_certificate_specialties=frozenset({INTERNAL}))

    assert "内科" in reasons(facts, at(INTERNAL))["二(四)1"]


def test_entrusted_city_message_names_the_employer_city():
    message = reasons(entrusted(dispatch_base_id=YICHANG_CENTRAL), at(INTERNAL, YICHANG_CENTRAL))["二(三)1"]

    assert "武汉市" in message
    assert "国家级" in message


def test_ban_message_names_the_year_of_the_offence():
    assert "2023年度" in reasons(person(sanctions=(ban(2023),)), at(INTERNAL), 2025)["四(四)"]


def test_a_refusal_reads_as_message_and_clause():
    decision = decide(person(is_chinese_national=False, declares_fit=False), at(INTERNAL), campaign())

    assert (
        str(decision)
        == "须具有中华人民共和国国籍（包括港澳台）。（二(一)1）；须确认身体条件能够保障正常完成临床培训。（二(一)3）"
    )


def test_ban_message_does_not_tell_a_refused_applicant_the_ban_is_already_over():
    message = reasons(person(sanctions=(ban(2023),)), at(INTERNAL), 2026)["四(四)"]

    assert "2026年度前" not in message
    assert "2027" in message or "至2026年度" in message or "2026年度（含）" in message
