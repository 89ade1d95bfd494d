"""Assessment day (三(三)2): the sessions a specialty base holds for its interview and exam, on site
or by video, and who sits which session. A seat carries the code printed on the candidate's
assessment notice, by which the office checks the candidate in on the day."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from admissions.models.assessments import Assessment, AssessmentMode
from bases.models import SpecialtyBase
from portal.permissions import scope_via


class SessionPart(models.TextChoices):
    INTERVIEW = "interview", _("面试")
    EXAM = "exam", _("专业考试")


# The assessment's score of each part: a part with a score was sat, a part marked absent has none.
SCORE_FIELDS = {SessionPart.INTERVIEW: "interview_score", SessionPart.EXAM: "exam_score"}


class AssessmentSession(models.Model):
    """One sitting (考核场次) of a specialty base's interview or exam in one round."""

    campaign = models.ForeignKey("policy.Campaign", models.PROTECT, related_name="+", verbose_name=_("年度招录"))
    round = models.PositiveSmallIntegerField(_("批次"), choices=[(1, _("第一批次")), (2, _("第二批次"))])
    specialty_base = models.ForeignKey(
        SpecialtyBase, models.PROTECT, related_name="assessment_sessions", verbose_name=_("专业基地")
    )
    part = models.CharField(_("考核内容"), max_length=10, choices=SessionPart.choices)
    mode = models.CharField(_("考核形式"), max_length=8, choices=AssessmentMode.choices, default=AssessmentMode.ON_SITE)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("考核地点"), max_length=200, blank=True)
    video_link = models.URLField(_("视频会议链接"), max_length=500, blank=True)
    capacity = models.PositiveSmallIntegerField(_("容纳人数"))
    note = models.TextField(_("考生须知"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    scope_paths = scope_via("specialty_base", SpecialtyBase)

    class Meta:
        verbose_name = _("考核场次")
        verbose_name_plural = _("考核场次")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
            models.CheckConstraint(
                condition=Q(mode=AssessmentMode.ON_SITE, place__gt="")
                | Q(mode=AssessmentMode.VIDEO, video_link__gt=""),
                name="session_has_place_or_link",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "round", "specialty_base", "starts_at"])]

    def __str__(self):
        return f"{self.specialty_base} {self.get_part_display()} {self.starts_at:%Y-%m-%d %H:%M}"


class SeatStatus(models.TextChoices):
    ASSIGNED = "assigned", _("已安排")
    PRESENT = "present", _("已签到")
    ABSENT = "absent", _("缺考")
    CANCELLED = "cancelled", _("已取消")


# Seats that take a place of the session and count for the candidate's clash check.
ACTIVE_SEAT_STATUSES = [SeatStatus.ASSIGNED, SeatStatus.PRESENT, SeatStatus.ABSENT]


class SessionSeat(models.Model):
    """A candidate's place in a session (考核安排) for one part of one assessment."""

    STATE_FIELD = "status"
    # Check-in can be corrected on the day (a late arrival marked absent, a wrong tap).
    TRANSITIONS = {
        SeatStatus.ASSIGNED: {SeatStatus.PRESENT, SeatStatus.ABSENT, SeatStatus.CANCELLED},
        SeatStatus.PRESENT: {SeatStatus.ABSENT},
        SeatStatus.ABSENT: {SeatStatus.PRESENT},
    }

    session = models.ForeignKey(AssessmentSession, models.PROTECT, related_name="seats", verbose_name=_("考核场次"))
    assessment = models.ForeignKey(Assessment, models.PROTECT, related_name="seats", verbose_name=_("考核"))
    # Copied when the seat is made, so that a constraint and the clash check see them on the row.
    applicant = models.ForeignKey(
        "admissions.Applicant", models.PROTECT, related_name="seats", editable=False, verbose_name=_("学员")
    )
    part = models.CharField(_("考核内容"), max_length=10, choices=SessionPart.choices, editable=False)
    status = models.CharField(_("状态"), max_length=10, choices=SeatStatus.choices, default=SeatStatus.ASSIGNED)
    verification_code = models.CharField(_("验证码"), max_length=16, unique=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("安排时间"), default=timezone.now)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    attendance_marked_at = models.DateTimeField(_("签到时间"), null=True, blank=True)

    scope_paths = {"owner": "applicant__user_id", **scope_via("session__specialty_base", SpecialtyBase)}

    class Meta:
        verbose_name = _("考核安排")
        verbose_name_plural = _("考核安排")
        ordering = ["session__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "part"],
                condition=Q(status__in=ACTIVE_SEAT_STATUSES),
                name="one_seat_per_assessment_part",
                violation_error_message=_("该考生的这项考核已经安排了场次。"),
            ),
        ]
        indexes = [models.Index(fields=["applicant", "status"]), models.Index(fields=["session", "status"])]

    def __str__(self):
        return f"{self.applicant} · {self.session}"

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.applicant_id = self.assessment.applicant_id
            self.part = self.session.part
        super().save(*args, **kwargs)


class MoveStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("未同意")


class MoveRequest(models.Model):
    """A candidate's one request (调换场次申请) to sit another session of the same part; approved, the
    seat moves and keeps its code."""

    STATE_FIELD = "status"
    TRANSITIONS = {MoveStatus.PENDING: {MoveStatus.APPROVED, MoveStatus.REFUSED}}

    seat = models.OneToOneField(SessionSeat, models.PROTECT, related_name="move_request", verbose_name=_("考核安排"))
    from_session = models.ForeignKey(
        AssessmentSession, models.PROTECT, related_name="+", editable=False, verbose_name=_("原场次")
    )
    to_session = models.ForeignKey(AssessmentSession, models.PROTECT, related_name="+", verbose_name=_("申请场次"))
    reason = models.TextField(_("申请理由"))
    status = models.CharField(_("状态"), max_length=10, choices=MoveStatus.choices, default=MoveStatus.PENDING)
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_note = models.TextField(_("处理意见"), blank=True)

    scope_paths = {"owner": "seat__applicant__user_id", **scope_via("seat__session__specialty_base", SpecialtyBase)}

    class Meta:
        verbose_name = _("调换场次申请")
        verbose_name_plural = _("调换场次申请")
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.seat} → {self.to_session}"
