from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from admissions.models.applications import Application
from bases.models import SpecialtyBase, TrainingBase
from portal.permissions import scope_via
from portal.uploads import private_storage


class Stage(models.TextChoices):
    PENDING_REVIEW = "pending_review", _("待资格审核")
    QUALIFIED = "qualified", _("资格审核通过")
    DISQUALIFIED = "disqualified", _("资格审核未通过")
    PROPOSED = "proposed", _("拟录取")
    NOT_ADMITTED = "not_admitted", _("未录取")
    DECLINED = "declined", _("本人放弃")
    REMOVED = "removed", _("经异议核实取消拟录取")
    ADMITTED = "admitted", _("已录取")


# Stages that hold a place of the quota.
HOLDING_STAGES = [Stage.PROPOSED, Stage.ADMITTED]


class Opinion(models.TextChoices):
    ADMIT = "admit", _("建议录取")
    RESERVE = "reserve", _("建议备选")
    REJECT = "reject", _("不建议录取")


class Confirmation(models.TextChoices):
    PENDING = "pending", _("待确认")
    ACCEPTED = "accepted", _("接受录取")
    DECLINED = "declined", _("放弃录取")


class AssessmentMode(models.TextChoices):
    ON_SITE = "on_site", _("现场")
    VIDEO = "video", _("网络视频")


class AssessmentManager(models.Manager):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.copy_from_application()
        return super().bulk_create(objs, *args, **kwargs)


class Assessment(models.Model):
    """The assessment (考核) of one applicant for one specialty base: its first choice, or another
    specialty base of the same training base when the applicant opted into adjustment (调剂)."""

    STATE_FIELD = "stage"
    TRANSITIONS = {
        Stage.PENDING_REVIEW: {Stage.QUALIFIED, Stage.DISQUALIFIED},
        Stage.QUALIFIED: {Stage.PROPOSED, Stage.NOT_ADMITTED, Stage.DISQUALIFIED},
        Stage.DISQUALIFIED: {Stage.QUALIFIED},
        Stage.PROPOSED: {Stage.NOT_ADMITTED, Stage.DECLINED, Stage.REMOVED, Stage.ADMITTED},
        Stage.NOT_ADMITTED: {Stage.PROPOSED},
    }

    application = models.ForeignKey(Application, models.PROTECT, related_name="assessments", verbose_name=_("志愿"))
    # The application's applicant and campaign, copied when the row is made, because a constraint
    # sees only its own row: one person holds at most one place in a campaign (三(四)1).
    applicant = models.ForeignKey(
        "admissions.Applicant", models.PROTECT, related_name="assessments", editable=False, verbose_name=_("学员")
    )
    campaign = models.ForeignKey("policy.Campaign", models.PROTECT, related_name="+", editable=False)
    specialty_base = models.ForeignKey(
        SpecialtyBase, models.PROTECT, related_name="assessments", verbose_name=_("考核专业基地")
    )
    is_adjustment = models.BooleanField(_("调剂"), default=False)
    adjustment_consent_at = models.DateTimeField(_("同意调剂时间"), null=True, blank=True)
    stage = models.CharField(_("状态"), max_length=16, choices=Stage.choices, default=Stage.PENDING_REVIEW)
    qualification_note = models.TextField(_("资格审核意见"), blank=True, help_text=_("学员可以看到"))
    interview_score = models.DecimalField(_("面试成绩"), max_digits=4, decimal_places=1, null=True, blank=True)
    exam_score = models.DecimalField(_("专业考试成绩"), max_digits=4, decimal_places=1, null=True, blank=True)
    interview_mode = models.CharField(
        _("面试形式"), max_length=8, choices=AssessmentMode.choices, default=AssessmentMode.ON_SITE
    )
    evaluation_basic = models.TextField(_("基本情况分析"), blank=True)
    evaluation_interview = models.TextField(_("面试评价"), blank=True)
    evaluation_exam = models.TextField(_("专业考核评价"), blank=True)
    evaluation_overall = models.TextField(_("整体意见"), blank=True)
    opinion = models.CharField(_("专业基地录取意见"), max_length=8, choices=Opinion.choices, blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    confirmation = models.CharField(
        _("学员确认"), max_length=10, choices=Confirmation.choices, default=Confirmation.PENDING
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = AssessmentManager()

    scope_paths = {"owner": "application__applicant__user_id", **scope_via("specialty_base", SpecialtyBase)}

    class Meta:
        verbose_name = _("考核")
        verbose_name_plural = _("考核")
        constraints = [
            models.UniqueConstraint(fields=["application", "specialty_base"], name="one_assessment_per_base"),
            models.UniqueConstraint(
                fields=["applicant", "campaign"],
                condition=Q(stage__in=HOLDING_STAGES),
                name="one_place_per_applicant_and_campaign",
                violation_error_message=_("同一考生在本年度只能占用一个招收名额。"),
            ),
            models.CheckConstraint(
                condition=Q(interview_score__isnull=True) | Q(interview_score__gte=0, interview_score__lte=100),
                name="interview_score_0_100",
            ),
            models.CheckConstraint(
                condition=Q(exam_score__isnull=True) | Q(exam_score__gte=0, exam_score__lte=100),
                name="exam_score_0_100",
            ),
        ]
        indexes = [models.Index(fields=["specialty_base", "stage"])]

    def __str__(self):
        return f"{self.application.applicant} · {self.specialty_base}"

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.copy_from_application()
        super().save(*args, **kwargs)

    def copy_from_application(self):
        """Set the copied applicant and campaign of a new row; they never change afterwards."""
        self.applicant_id, self.campaign_id = self.application.applicant_id, self.application.campaign_id


class PublicityKind(models.TextChoices):
    PROPOSED = "proposed", _("拟录取名单公示")
    CHANGE = "change", _("拟录取名单变更公示")


class PublicityList(models.Model):
    """A base's published list of proposed admissions (拟录取名单公示, 三(三)3): public until 24:00
    of its last day, at least N working days after publication."""

    campaign = models.ForeignKey("policy.Campaign", models.PROTECT, related_name="+", verbose_name=_("年度招录"))
    training_base = models.ForeignKey(
        TrainingBase, models.PROTECT, related_name="publicity_lists", verbose_name=_("住培基地")
    )
    round = models.PositiveSmallIntegerField(_("批次"))
    kind = models.CharField(_("类型"), max_length=10, choices=PublicityKind.choices, default=PublicityKind.PROPOSED)
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    last_day = models.DateField(_("公示截止日"), help_text=_("当日24时公示期结束"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    note = models.TextField(_("说明"), blank=True)

    scope_paths = scope_via("training_base", TrainingBase)

    class Meta:
        verbose_name = _("拟录取名单公示")
        verbose_name_plural = _("拟录取名单公示")
        ordering = ["-published_at"]

    def __str__(self):
        return f"{self.training_base} 第{self.round}批次{self.get_kind_display()}"


class PublicityEntry(models.Model):
    publicity_list = models.ForeignKey(PublicityList, models.CASCADE, related_name="entries", verbose_name=_("公示"))
    assessment = models.ForeignKey(Assessment, models.PROTECT, related_name="publicity_entries")

    scope_paths = scope_via("publicity_list", PublicityList)

    class Meta:
        verbose_name = _("公示名单条目")
        verbose_name_plural = _("公示名单条目")
        constraints = [
            models.UniqueConstraint(fields=["publicity_list", "assessment"], name="one_entry_per_list"),
        ]

    def __str__(self):
        return str(self.assessment)


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    SUSTAINED = "sustained", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Objection(models.Model):
    """An objection (异议) raised during publicity against one listed candidate."""

    TRANSITIONS = {ObjectionStatus.OPEN: {ObjectionStatus.SUSTAINED, ObjectionStatus.DISMISSED}}

    entry = models.ForeignKey(PublicityEntry, models.PROTECT, related_name="objections", verbose_name=_("公示条目"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("提出人"))
    contact = models.CharField(_("联系方式"), max_length=100)
    text = models.TextField(_("异议内容"))
    raised_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    status = models.CharField(_("状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handling_note = models.TextField(_("处理情况"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("与之重复的异议"),
        help_text=_("作为重复异议一并处理时，指向已处理的那条异议"),
    )

    scope_paths = {"owner": "raised_by_id", **scope_via("entry", PublicityEntry)}

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["raised_by", "raised_at"])]

    def __str__(self):
        return self.text[:40]


class AdmissionStatus(models.TextChoices):
    ADMITTED = "admitted", _("已录取，待报到")
    REPORTED = "reported", _("已报到")
    DISQUALIFIED = "disqualified", _("逾期未报到，取消培训资格")
    WITHDRAWN = "withdrawn", _("放弃录取或退出培训")
    CANCELLED = "cancelled", _("弄虚作假，取消录取")


class Admission(models.Model):
    """录取: publicity ended without a sustained objection and the applicant accepted; then
    reporting (报到) and the agreement or labour contract (三(六)), or the integrity rules (四(四))."""

    STATE_FIELD = "status"
    TRANSITIONS = {
        AdmissionStatus.ADMITTED: {
            AdmissionStatus.REPORTED,
            AdmissionStatus.DISQUALIFIED,
            AdmissionStatus.WITHDRAWN,
            AdmissionStatus.CANCELLED,
        },
        AdmissionStatus.REPORTED: {AdmissionStatus.WITHDRAWN, AdmissionStatus.CANCELLED},
    }

    assessment = models.OneToOneField(Assessment, models.PROTECT, related_name="admission", verbose_name=_("考核"))
    admitted_at = models.DateTimeField(_("录取时间"), default=timezone.now)
    notice_number = models.CharField(_("录取通知书编号"), max_length=32, unique=True)
    verification_code = models.CharField(_("验证码"), max_length=16, unique=True)
    status = models.CharField(
        _("状态"), max_length=14, choices=AdmissionStatus.choices, default=AdmissionStatus.ADMITTED
    )
    reported_on = models.DateField(_("报到日期"), null=True, blank=True)
    agreement_signed_on = models.DateField(_("协议或劳动合同签订日期"), null=True, blank=True)
    late_reporting_allowed_until = models.DateField(
        _("准予延期报到至"), null=True, blank=True, help_text=_("有正当理由并经培训基地同意")
    )
    status_reason = models.TextField(_("原因"), blank=True)
    notice_file = models.FileField(
        _("录取通知书文件"), storage=private_storage, upload_to="admission/", blank=True, editable=False
    )
    # The kept notice is version `notice_version`; `notice_fingerprint` is the digest of the facts it
    # prints (empty until it is first kept). Earlier versions are SupersededNotice rows.
    notice_version = models.PositiveSmallIntegerField(_("录取通知书版本"), default=1, editable=False)
    notice_fingerprint = models.CharField(_("录取通知书所载信息摘要"), max_length=64, blank=True, editable=False)

    scope_paths = {"owner": "assessment__application__applicant__user_id", **scope_via("assessment", Assessment)}

    class Meta:
        verbose_name = _("录取")
        verbose_name_plural = _("录取")

    def __str__(self):
        return self.notice_number


class SupersededNotice(models.Model):
    """An earlier version of an admission's notice, replaced by a new one when a fact it prints
    changed (the reporting deadline, the base's contact, a corrected name). Its file stays on record
    and its verification code answers "superseded" rather than "not found"."""

    admission = models.ForeignKey(Admission, models.PROTECT, related_name="superseded_notices", verbose_name=_("录取"))
    version = models.PositiveSmallIntegerField(_("版本"))
    verification_code = models.CharField(_("验证码"), max_length=16)
    fingerprint = models.CharField(_("所载信息摘要"), max_length=64)
    file = models.FileField(_("通知书文件"), storage=private_storage, upload_to="admission/", blank=True)
    superseded_at = models.DateTimeField(_("被取代时间"), default=timezone.now)

    scope_paths = {
        "owner": "admission__assessment__application__applicant__user_id",
        **scope_via("admission", Admission),
    }

    class Meta:
        verbose_name = _("已被取代的录取通知书")
        verbose_name_plural = _("已被取代的录取通知书")
        ordering = ["admission", "version"]
        constraints = [
            models.UniqueConstraint(fields=["admission", "version"], name="one_notice_per_version"),
            models.UniqueConstraint(fields=["admission", "verification_code"], name="one_notice_per_code"),
        ]

    def __str__(self):
        return f"{self.admission} v{self.version}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("待回复")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已谢绝")
    WITHDRAWN = "withdrawn", _("已撤回")


class Invitation(models.Model):
    """Round 2 (三(四)2): a base invites an unadmitted applicant to re-examination; the applicant
    accepts at most one invitation."""

    TRANSITIONS = {
        InvitationStatus.PENDING: {InvitationStatus.ACCEPTED, InvitationStatus.DECLINED, InvitationStatus.WITHDRAWN}
    }

    campaign = models.ForeignKey("policy.Campaign", models.PROTECT, related_name="+", verbose_name=_("年度招录"))
    specialty_base = models.ForeignKey(
        SpecialtyBase, models.PROTECT, related_name="invitations", verbose_name=_("专业基地")
    )
    applicant = models.ForeignKey(
        "admissions.Applicant", models.PROTECT, related_name="invitations", verbose_name=_("学员")
    )
    message = models.TextField(_("邀请说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(_("邀请时间"), default=timezone.now)
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)

    scope_paths = {"owner": "applicant__user_id", **scope_via("specialty_base", SpecialtyBase)}

    class Meta:
        verbose_name = _("复试邀请")
        verbose_name_plural = _("复试邀请")
        ordering = ["-invited_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "campaign"], condition=Q(status="accepted"), name="one_accepted_invitation"
            ),
            models.UniqueConstraint(
                fields=["applicant", "specialty_base"], condition=Q(status="pending"), name="one_pending_invitation"
            ),
        ]

    def __str__(self):
        return f"{self.specialty_base} → {self.applicant}"
