"""What a brochure (招生简章) must contain, checked before the province sees it.

The sections follow the Hubei notice 三(一)1 (base overview, applicant types, plan, requirements,
how to apply, assessment time and method, rights and duties, pay) and the Inner Mongolia notice
二(一) (pay split into wages, social insurance and board and lodging; quality measures; the
"two equal treatments" policy placed prominently).

It also says whether a brochure missed the campaign's dates [三(一)]: late when first submitted after
24:00 of `brochure_submit_by` (or still unsubmitted after it), or first published after 24:00 of
`brochure_publish_by` (or still unpublished after it). "24:00" of a day is 00:00 of the next day,
Asia/Shanghai: 23:59:59 on the day is on time, 00:00 the next day is late. A revision published later
does not make a brochure that was published on time late, so the first submission and first
publication count.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from policy.timetable import end_of_day

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


@dataclass(frozen=True)
class BrochureLateness:
    submission_late: bool
    publication_late: bool
    reasons: tuple

    @property
    def is_late(self):
        return self.submission_late or self.publication_late

    def __bool__(self):
        return self.is_late

    def __str__(self):
        return "；".join(str(reason) for reason in self.reasons)


def brochure_lateness(*, submit_by, publish_by, first_submitted_at, first_published_at, now):
    """The lateness of one brochure given the two deadline days and its first submission and
    publication instants (None when it has not happened yet)."""
    submit_deadline, publish_deadline = end_of_day(submit_by), end_of_day(publish_by)
    reasons = []
    if first_submitted_at is None:
        submission_late = now >= submit_deadline
        if submission_late:
            reasons.append(_("逾期未报送"))
    else:
        submission_late = first_submitted_at >= submit_deadline
        if submission_late:
            reasons.append(_("逾期报送"))
    if first_published_at is None:
        publication_late = now >= publish_deadline
        if publication_late:
            reasons.append(_("逾期未发布"))
    else:
        publication_late = first_published_at >= publish_deadline
        if publication_late:
            reasons.append(_("逾期发布"))
    return BrochureLateness(submission_late, publication_late, tuple(reasons))


def campaign_brochure_lateness(campaign, *, first_submitted_at, first_published_at, now=None):
    return brochure_lateness(
        submit_by=campaign.brochure_submit_by,
        publish_by=campaign.brochure_publish_by,
        first_submitted_at=first_submitted_at,
        first_published_at=first_published_at,
        now=now or timezone.now(),
    )
