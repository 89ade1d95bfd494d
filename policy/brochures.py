"""What a brochure (招生简章) must contain, checked before the province sees it.

The sections follow the Hubei notice 三(一)1 (base overview, applicant types, plan, requirements,
how to apply, assessment time and method, rights and duties, pay) and the Inner Mongolia notice
二(一) (pay split into wages, social insurance and board and lodging; quality measures; the
"two equal treatments" policy placed prominently).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

TWO_EQUAL_TREATMENTS = _(
    "面向社会招收的普通高校应届毕业生培训对象培训合格当年在医疗卫生机构就业的，在招聘、派遣、落户等方面，"
    "按当年应届毕业生同等对待。对经住培合格的本科学历临床医师，在人员招聘、职称晋升、岗位聘用、薪酬待遇等方面，"
    "与临床医学、中医专业学位硕士研究生同等对待。"
)


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    clause: str
    min_chars: int
    hint: str


SECTIONS = (
    Section("overview", _("基地基本情况"), "三(一)1", 80, _("医院规模、床位、专业基地、带教条件等")),
    Section("requirements", _("报名条件"), "三(一)1", 40, _("学历、专业、执业资格等要求")),
    Section("how_to_apply", _("报名方法"), "三(一)1", 40, _("报名平台、所需材料、时间")),
    Section("assessment", _("考核时间和方式"), "三(一)1", 30, _("资格审核、面试、专业考试的时间与形式")),
    Section("rights_and_duties", _("培训对象职责、权利和义务"), "三(一)1", 40, _("培训期间的职责、权利与义务")),
    Section("pay_wages", _("待遇：工资"), "二(一)", 20, _("基本工资、绩效、补助标准")),
    Section("pay_social_insurance", _("待遇：社会保障"), "二(一)", 20, _("五险一金等")),
    Section("pay_board_lodging", _("待遇：食宿"), "二(一)", 20, _("住宿、就餐安排")),
    Section("quality_beds", _("质量保障：管床"), "二(一)", 20, _("每名住院医师管理床位数")),
    Section("quality_procedures", _("质量保障：技能操作"), "二(一)", 20, _("病种、病例数与技能操作要求")),
    Section("quality_teachers", _("质量保障：师资力量"), "二(一)", 20, _("带教师资数量与资质")),
    Section("quality_process", _("质量保障：过程管理"), "二(一)", 20, _("轮转、考核、督导等过程管理措施")),
    Section("contacts", _("联系方式"), "三(二)", 10, _("招收办公室联系人、电话、QQ群")),
)
SECTION_KEYS = tuple(section.key for section in SECTIONS)


@dataclass(frozen=True)
class Gap:
    key: str
    label: str
    problem: str

    def __str__(self):
        return f"{self.label}：{self.problem}"


def brochure_gaps(*, sections, applicant_types, planned_places):
    """Every missing or too-thin part of a brochure; an empty list means it may be submitted."""
    gaps = []
    if not applicant_types:
        gaps.append(Gap("applicant_types", _("招收人员类型"), _("请至少选择一种招收人员类型。")))
    if not planned_places:
        gaps.append(Gap("plan", _("招收计划"), _("本基地在本年度还没有招收计划，请联系省级管理部门。")))
    for section in SECTIONS:
        text = "".join((sections.get(section.key) or "").split())
        if not text:
            gaps.append(Gap(section.key, section.label, _("未填写。")))
        elif len(text) < section.min_chars:
            gaps.append(
                Gap(
                    section.key,
                    section.label,
                    _("内容过于简略：至少 %(min)s 字，现为 %(len)s 字。")
                    % {"min": section.min_chars, "len": len(text)},
                )
            )
    return gaps
