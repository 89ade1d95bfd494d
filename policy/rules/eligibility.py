"""Who may choose which specialty base: the Hubei notice 二 (and 四(四) for sanctions), as pure
functions over plain facts. Every refusal is a Reason naming its clause, in words an applicant
understands; an empty list of reasons means eligible.

The caller gathers the facts (admissions/selectors/facts.py does it from the database); nothing here
touches the database, so every clause is tested in a table without fixtures.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from policy.choices import ApplicantType, DegreeLevel, MajorCategory, SanctionKind, TechnicalTitle
from policy.decisions import Decision, Reason

GENERAL_PRACTICE = "0700"


# 二(二)2: a bachelor major with a set direction leads to that specialty or general practice.
DIRECTED_MAJORS = {
    MajorCategory.ANAESTHESIOLOGY: {"1900"},
    MajorCategory.MEDICAL_IMAGING: {"2200", "2300"},
    MajorCategory.RADIOLOGY: {"2200"},
    MajorCategory.ULTRASOUND: {"2300"},
    MajorCategory.PAEDIATRICS: {"0200"},
    MajorCategory.PSYCHIATRY: {"0500"},
    MajorCategory.OPHTHALMOLOGY: {"1700"},
}


CLINICAL_MAJORS = {MajorCategory.CLINICAL, *DIRECTED_MAJORS}


MEDICAL_MAJORS = {*CLINICAL_MAJORS, MajorCategory.STOMATOLOGY}


# 二(四)4: graduates not admitted to the clinical or stomatology physician licensing exam.
NOT_QUALIFYING_MAJORS = {MajorCategory.TCM, MajorCategory.INTEGRATED, MajorCategory.LAB_TECHNOLOGY}


SELF_REGISTERING = {ApplicantType.OWN_STAFF, ApplicantType.ENTRUSTED, ApplicantType.OPEN_RECRUITMENT}


@dataclass(frozen=True)
class Education:
    major_category: str
    degree_level: int
    full_time: bool
    graduation_date: object  # datetime.date


@dataclass(frozen=True)
class SanctionRecord:
    kind: str
    campaign_year: int
    reason: str = ""


@dataclass(frozen=True)
class ApplicantFacts:
    applicant_type: str
    educations: tuple = ()
    is_chinese_national: bool = True
    declares_fit: bool = True
    qualification_category: str = ""  # "" without a physician qualification certificate
    held_certificate_specialties: frozenset = frozenset()  # specialty codes
    enrolled_academic_student: bool = False
    on_national_platform: bool = False
    technical_title: int = TechnicalTitle.NONE
    employer_city: str = ""
    dispatch_base_id: int | None = None
    dispatch_specialty_code: str = ""
    has_dispatch_letter: bool = False
    sanctions: tuple = ()
    # The kind (ApplicantType) of a place this person holds outside the rounds in this campaign.
    direct_entry_kind: str = ""
    # Proposed for admission or admitted in this campaign, in either round.
    holds_place: bool = False


@dataclass(frozen=True)
class SpecialtyBaseFacts:
    training_base_id: int
    specialty_code: str
    specialty_name: str
    stomatology: bool
    city: str
    national: bool


@dataclass(frozen=True)
class CampaignFacts:
    year: int
    ban_years: int = 3
    national_offers: frozenset = frozenset()  # (city, specialty code) offered by a national base


def _medical_educations(facts):
    return sorted(
        (e for e in facts.educations if e.major_category in MEDICAL_MAJORS and e.degree_level >= DegreeLevel.BACHELOR),
        key=lambda e: e.graduation_date,
    )


def _is_stomatology_graduate(facts):
    medical = _medical_educations(facts)
    if medical:
        return medical[-1].major_category == MajorCategory.STOMATOLOGY
    return facts.qualification_category == "stomatology"


def applicant_reasons(facts, campaign):
    """The reasons that bar the applicant from every specialty base."""
    reasons = []
    if facts.applicant_type not in SELF_REGISTERING:
        reasons.append(
            Reason(
                "二(三)2-3",
                _("专硕研究生由培训基地录入，农村订单定向免费医学毕业生由省卫生健康委统一安排，均不需个人注册报名。"),
            )
        )
    if not facts.is_chinese_national:
        reasons.append(Reason("二(一)1", _("须具有中华人民共和国国籍（包括港澳台）。")))
    if not facts.declares_fit:
        reasons.append(Reason("二(一)3", _("须确认身体条件能够保障正常完成临床培训。")))
    if not _medical_educations(facts) and not facts.qualification_category:
        if any(e.major_category in NOT_QUALIFYING_MAJORS for e in facts.educations):
            reasons.append(
                Reason(
                    "二(四)4",
                    _(
                        "中医、中西医结合、检验医学技术（四年制）等专业毕业生不符合国家临床、口腔类别执业医师资格考试报考资格，"
                        "不予招录。"
                    ),
                )
            )
        elif any(e.major_category in MEDICAL_MAJORS for e in facts.educations):
            reasons.append(Reason("二(一)2", _("临床医学类、口腔医学类专业须为本科及以上学历。")))
        else:
            reasons.append(
                Reason(
                    "二(一)2",
                    _("须为临床医学类或口腔医学类专业本科及以上学历毕业生，或已取得临床、口腔类别执业医师资格证书。"),
                )
            )
    if facts.enrolled_academic_student:
        reasons.append(Reason("二(四)2", _("高校在读学术学位研究生不予招录。")))
    if facts.on_national_platform:
        reasons.append(Reason("二(四)3", _("已纳入国家住院医师规范化培训管理平台的学员不予招录。")))
    if facts.applicant_type == ApplicantType.ENTRUSTED:
        if facts.technical_title >= TechnicalTitle.INTERMEDIATE:
            reasons.append(Reason("二(三)1", _("外单位委托培养住院医师须为尚未晋升中级技术职称的在岗人员。")))
        if not facts.has_dispatch_letter:
            reasons.append(
                Reason("二(三)1", _("外单位委托培养采取单位派遣制，不接收以个人名义报考：请上传委托单位的派遣函。"))
            )
    reasons.extend(place_reasons(facts, campaign))
    return reasons


def place_reasons(facts, campaign):
    """The reasons that bar the person from taking a place in the rounds at all: asked when it
    chooses, is invited and again when a base proposes it, since a sanction, an assignment or
    another place may have come after its choice."""
    reasons = sanction_reasons(facts, campaign)
    if facts.direct_entry_kind == ApplicantType.RURAL_ORDER:
        reasons.append(
            Reason(
                "二(三)3",
                _("已作为农村订单定向免费医学毕业生由省卫生健康委统一安排住培基地，不参加本次招录程序。"),
            )
        )
    elif facts.direct_entry_kind == ApplicantType.PROFESSIONAL_MASTER:
        reasons.append(Reason("二(三)2", _("已由培训基地以专硕研究生类型录入，不参加本次招录程序。")))
    if facts.holds_place:
        reasons.append(
            Reason(
                "三(四)1",
                _("已被拟录取或录取：第二批次只面向未被录取的考生，一人只能占用一个招收名额。"),
            )
        )
    return reasons


def ban_last_year(recorded_year, ban_years):
    """四(四) "3年内不得报名": a ban bars the person at once — the rest of the campaign in which it
    is recorded — and every campaign up to `ban_years` later (recorded in June 2024, three years
    run to June 2027 and cover the 2027 campaign, which opens in April)."""
    return recorded_year + ban_years


def banning_years(campaign_year, ban_years):
    """The years a ban recorded in still covers `campaign_year` (see `ban_last_year`): that year
    and the `ban_years` before it."""
    return range(campaign_year - ban_years, campaign_year + 1)


def ban_covers(recorded_year, campaign_year, ban_years):
    return recorded_year in banning_years(campaign_year, ban_years)


def sanction_reasons(facts, campaign):
    reasons = []
    for sanction in facts.sanctions:
        if sanction.kind == SanctionKind.BAN and ban_covers(sanction.campaign_year, campaign.year, campaign.ban_years):
            reasons.append(
                Reason(
                    "四(四)",
                    _("%(year)s年度录取后无故不报到或退出培训，至%(until)s年度（含）不得报名参加住院医师规范化培训。")
                    % {
                        "year": sanction.campaign_year,
                        "until": ban_last_year(sanction.campaign_year, campaign.ban_years),
                    },
                )
            )
        if sanction.kind == SanctionKind.CANCELLATION and sanction.campaign_year == campaign.year:
            reasons.append(Reason("四(四)", _("因在招收工作中弄虚作假，已取消本年度报名、录取资格。")))
    return reasons


def specialty_reasons(facts, base, campaign):
    """The reasons that bar the applicant from this specialty base in particular."""
    reasons = []
    stomatology_graduate = _is_stomatology_graduate(facts)
    if stomatology_graduate and not base.stomatology:
        reasons.append(Reason("二(二)1", _("口腔医学专业毕业生，申报专业限定为口腔医学类专业。")))
    if base.stomatology and not stomatology_graduate:
        reasons.append(Reason("二(一)2", _("口腔医学类培训专业须为口腔医学专业毕业生或取得口腔类别执业医师资格证书。")))
    medical = _medical_educations(facts)
    latest = medical[-1] if medical else None
    if latest and latest.degree_level == DegreeLevel.BACHELOR and latest.major_category in DIRECTED_MAJORS:
        allowed = DIRECTED_MAJORS[latest.major_category] | {GENERAL_PRACTICE}
        if base.specialty_code not in allowed:
            reasons.append(
                Reason(
                    "二(二)2",
                    _("本科专业已限定专业方向（%(major)s）的本科毕业生，申报专业限定为原本科专业对应的培训专业或全科。")
                    % {"major": MajorCategory(latest.major_category).label},
                )
            )
    if _two_year_rule_applies(facts, campaign) and base.specialty_code != GENERAL_PRACTICE:
        reasons.append(
            Reason(
                "二(二)3",
                _("%(year)s年及以前毕业、尚未取得执业医师资格证书的全日制临床医学专业本科毕业生，申报专业限定为全科。")
                % {"year": campaign.year - 2},
            )
        )
    if base.specialty_code in facts.held_certificate_specialties:
        reasons.append(
            Reason(
                "二(四)1",
                _("已取得%(specialty)s专业《住院医师规范化培训合格证书》，不予招录。")
                % {"specialty": base.specialty_name},
            )
        )
    if facts.applicant_type == ApplicantType.ENTRUSTED:
        reasons.extend(_entrusted_reasons(facts, base, campaign))
    return reasons


def _two_year_rule_applies(facts, campaign):
    if facts.applicant_type == ApplicantType.ENTRUSTED or facts.qualification_category:
        return False
    medical = _medical_educations(facts)
    if not medical or medical[-1].degree_level != DegreeLevel.BACHELOR:
        return False
    return any(
        e.major_category == MajorCategory.CLINICAL
        and e.degree_level == DegreeLevel.BACHELOR
        and e.full_time
        and e.graduation_date.year <= campaign.year - 2
        for e in medical
    )


def _entrusted_reasons(facts, base, campaign):
    if not facts.dispatch_base_id or not facts.dispatch_specialty_code:
        return [
            Reason(
                "二(三)1",
                _("外单位委托培养住院医师须按委托单位指定的培训基地和专业填报，请先填写委托单位指定的基地和专业。"),
            )
        ]
    reasons = []
    if (base.training_base_id, base.specialty_code) != (facts.dispatch_base_id, facts.dispatch_specialty_code):
        reasons.append(Reason("三(二)", _("外单位委托培养住院医师须按委托单位指定的培训基地和专业填报。")))
    if not base.national:
        reasons.append(Reason("二(三)1", _("外单位委托培养住院医师原则上限定申报国家级住培基地。")))
    elif base.city != facts.employer_city and (facts.employer_city, base.specialty_code) in campaign.national_offers:
        reasons.append(
            Reason(
                "二(三)1",
                _(
                    "所在市州（%(city)s）有开设该专业的国家级住培基地，外单位委托培养住院医师限定申报所在市州的国家级基地。"
                )
                % {"city": facts.employer_city},
            )
        )
    return reasons


def decide(facts, base, campaign):
    reasons = [*applicant_reasons(facts, campaign), *specialty_reasons(facts, base, campaign)]
    return Decision(not reasons, tuple(reasons))
