from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.uploads import private_storage


class Role(models.TextChoices):
    APPLICANT = "applicant", _("学员")
    SPECIALTY_BASE_STAFF = "specialty_base_staff", _("专业基地")
    BASE_OFFICE = "base_office", _("培训基地招收办公室")
    PROVINCIAL_OFFICE = "provincial_office", _("省毕业后医学教育委员会办公室")
    EMPLOYER = "employer", _("委托单位")


# The roles that work on a campaign's admissions: every one but the applicant's and the employer's.
STAFF_ROLES = (Role.PROVINCIAL_OFFICE, Role.BASE_OFFICE, Role.SPECIALTY_BASE_STAFF)

# The roles that assess candidates [三(三)2]: a specialty base and its training base's office.
ASSESSOR_ROLES = (Role.SPECIALTY_BASE_STAFF, Role.BASE_OFFICE)


# Which scope field each staff role must have; an applicant has none of them.
ROLE_SCOPE = {
    Role.PROVINCIAL_OFFICE: "province",
    Role.BASE_OFFICE: "training_base",
    Role.SPECIALTY_BASE_STAFF: "specialty_base",
    Role.EMPLOYER: "province",
}


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices, default=Role.APPLICANT)
    province = models.ForeignKey(
        "bases.Province", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("所属省份")
    )
    training_base = models.ForeignKey(
        "bases.TrainingBase",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("所属住培基地"),
    )
    specialty_base = models.ForeignKey(
        "bases.SpecialtyBase",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("所属专业基地"),
    )
    organization = models.CharField(_("单位名称"), max_length=120, blank=True, help_text=_("委托单位账号填写"))

    scope_paths = {
        "owner": "id",
        "province": "province_id",
        "training_base": "training_base_id",
        "specialty_base": "specialty_base_id",
    }

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                name="staff_user_has_its_scope",
                condition=(
                    Q(role=Role.APPLICANT)
                    | Q(role=Role.PROVINCIAL_OFFICE, province__isnull=False)
                    | Q(role=Role.EMPLOYER, province__isnull=False)
                    | Q(role=Role.BASE_OFFICE, province__isnull=False, training_base__isnull=False)
                    | Q(
                        role=Role.SPECIALTY_BASE_STAFF,
                        province__isnull=False,
                        training_base__isnull=False,
                        specialty_base__isnull=False,
                    )
                ),
            ),
        ]

    def clean(self):
        super().clean()
        required = ROLE_SCOPE.get(self.role)
        if required and not getattr(self, f"{required}_id"):
            raise ValidationError({required: _("该角色必须指定所属单位。")})
        if self.specialty_base_id:
            self.training_base_id = self.specialty_base.training_base_id
        if self.training_base_id:
            self.province_id = self.training_base.province_id

    @property
    def is_applicant(self):
        return self.role == Role.APPLICANT


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("audit events are append-only")

    def delete(self):
        raise TypeError("audit events are append-only")


class AuditEvent(models.Model):
    """Who did what to which object, when and why. Written only by portal.audit.record_event."""

    occurred_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("操作人")
    )
    actor_label = models.CharField(_("操作人"), max_length=150, help_text=_("操作时的用户名；系统任务为“系统”"))
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    content_type = models.ForeignKey(ContentType, models.PROTECT, verbose_name=_("对象类型"))
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    province = models.ForeignKey(
        "bases.Province", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("省份")
    )
    training_base = models.ForeignKey(
        "bases.TrainingBase", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("住培基地")
    )
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    reason = models.TextField(_("原因"), blank=True)

    objects = AuditEventQuerySet.as_manager()

    scope_paths = {"province": "province_id", "training_base": "training_base_id"}

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["province", "occurred_at"]), models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("audit events are append-only")


class Notification(models.Model):
    """An in-site message (read or unread); its e-mail and SMS copies are `Delivery` rows."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name=_("接收人")
    )
    kind = models.CharField(_("类型"), max_length=64)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    dedupe_key = models.CharField(
        _("去重键"),
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        help_text=_("同一键的消息只发送一次"),
    )

    scope_paths = {"owner": "recipient_id"}

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.subject


class Channel(models.TextChoices):
    EMAIL = "email", _("邮件")
    SMS = "sms", _("短信")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    SENT = "sent", _("已发送")
    # Only where the backend reports it: an SMS gateway's delivery report (回执).
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("发送失败")


class Delivery(models.Model):
    """One copy of a notification by e-mail or SMS and what became of it (回执). "Sent" means the
    mail server or the SMS gateway took it; only a gateway's report says "delivered" (or "failed")."""

    notification = models.ForeignKey(
        Notification, models.CASCADE, related_name="deliveries", verbose_name=_("站内消息")
    )
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    # The attempts of the current series: a resend starts a new series at 0.
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近一次错误"), blank=True)
    address = models.CharField(_("发送地址"), max_length=254, blank=True)
    provider_message_id = models.CharField(_("网关消息编号"), max_length=100, blank=True)
    queued_at = models.DateTimeField(_("排队时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    failed_at = models.DateTimeField(_("失败时间"), null=True, blank=True)

    scope_paths = {"owner": "notification__recipient_id"}

    class Meta:
        verbose_name = _("发送回执")
        verbose_name_plural = _("发送回执")
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="one_delivery_per_channel")]
        indexes = [
            models.Index(fields=["status", "queued_at"]),
            models.Index(
                fields=["channel", "provider_message_id"],
                name="delivery_provider_id",
                condition=~Q(provider_message_id=""),
            ),
        ]

    def __str__(self):
        return f"{self.notification_id} {self.channel} {self.status}"


class PasswordResetCode(models.Model):
    """A code texted to an account's mobile number to set a new password. Only its keyed hash is
    kept; it expires, is used once, and stops answering after a few wrong tries."""

    user = models.ForeignKey(User, models.CASCADE, related_name="+", verbose_name=_("账号"))
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("失效时间"))
    wrong_tries = models.PositiveSmallIntegerField(_("输错次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class ReleaseStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    RELEASED = "released", _("已发布")
    UNDONE = "undone", _("已撤回")
    CANCELLED = "cancelled", _("已取消")


class Release(models.Model):
    """A change prepared by one person and put live by a second of the same office (a publicity
    list, a score import, the plan): what to apply (`payload`, parsed input, never the raw file), the
    difference against what was live when it was prepared (`preview`), and once released what it
    replaced (`snapshot`), so that it can be undone within its window. The feature apps say what a
    kind means through the handlers registered in portal.releases."""

    STATE_FIELD = "status"
    TRANSITIONS = {
        ReleaseStatus.PENDING: {ReleaseStatus.RELEASED, ReleaseStatus.CANCELLED},
        ReleaseStatus.RELEASED: {ReleaseStatus.UNDONE},
    }

    kind = models.CharField(_("类型"), max_length=32)
    # What the release changes, in the kind's own terms ("campaign 3, round 1"): at most one release
    # of it waits for confirmation at a time.
    subject = models.CharField(_("对象"), max_length=120)
    title = models.CharField(_("标题"), max_length=200)
    province = models.ForeignKey("bases.Province", models.PROTECT, related_name="+", verbose_name=_("省份"))
    training_base = models.ForeignKey(
        "bases.TrainingBase", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("住培基地")
    )
    specialty_base = models.ForeignKey(
        "bases.SpecialtyBase", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("专业基地")
    )
    status = models.CharField(_("状态"), max_length=10, choices=ReleaseStatus.choices, default=ReleaseStatus.PENDING)
    payload = models.JSONField(_("发布内容"))
    preview = models.JSONField(_("预览"))
    snapshot = models.JSONField(_("发布前状态"), null=True, blank=True)
    notified = models.JSONField(_("已通知的用户"), default=list, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("准备人")
    )
    prepared_at = models.DateTimeField(_("准备时间"), default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("确认发布人")
    )
    released_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    undo_until = models.DateTimeField(_("可撤回至"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("撤回或取消人"),
    )
    closed_at = models.DateTimeField(_("撤回或取消时间"), null=True, blank=True)
    reason = models.TextField(_("撤回或取消原因"), blank=True)

    scope_paths = {
        "province": "province_id",
        "training_base": "training_base_id",
        "specialty_base": "specialty_base_id",
    }

    class Meta:
        verbose_name = _("发布")
        verbose_name_plural = _("发布")
        ordering = ["-prepared_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject"],
                condition=Q(status="pending"),
                name="one_pending_release_per_subject",
                violation_error_message=_("已有一份待确认的发布。"),
            ),
        ]

    def __str__(self):
        return self.title


class IdempotentRequest(models.Model):
    """An API write sent with an `Idempotency-Key` header (portal.idempotency): the answer it got,
    kept for a day so that a retry with the same key returns that answer instead of doing the work
    again. `fingerprint` hashes the method, path and body, so a key reused for another request is
    refused rather than answered with the wrong response."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("账号"))
    key = models.CharField(_("幂等键"), max_length=255)
    method = models.CharField(_("方法"), max_length=8)
    path = models.CharField(_("路径"), max_length=2048)
    fingerprint = models.CharField(_("请求指纹"), max_length=64)
    status = models.PositiveSmallIntegerField(_("响应状态码"), null=True)
    body = models.BinaryField(_("响应内容"), default=b"")
    headers = models.JSONField(_("响应头"), default=dict)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("幂等请求")
        verbose_name_plural = _("幂等请求")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_idempotent_request_per_user_key")]

    def __str__(self):
        return f"{self.user_id} {self.method} {self.path}"


class FormDraft(models.Model):
    """What a user typed into a form and has not saved yet (portal.drafts), so that a dropped
    connection or an expired session does not lose it; one per user and form."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("账号"))
    form_key = models.CharField(_("表单"), max_length=40)
    data = models.JSONField(_("内容"), default=dict)
    updated_at = models.DateTimeField(_("保存时间"), default=timezone.now)

    class Meta:
        verbose_name = _("表单草稿")
        verbose_name_plural = _("表单草稿")
        constraints = [models.UniqueConstraint(fields=["user", "form_key"], name="one_draft_per_user_form")]

    def __str__(self):
        return f"{self.user_id} {self.form_key}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class BulkJob(models.Model):
    """A bulk document job an office started (a training base's admission notices, the roster
    PDF): how far it has got, for the progress bar its page polls, and the file it made. One row
    per `key` (what the job makes, for which scope): starting it again, to retry it or to bring it
    up to date, reuses the row and its file name, so there is never a second job or file of it.
    The feature apps say what a task does (portal.jobs.run_job)."""

    key = models.CharField(_("任务标识"), max_length=120, unique=True)
    title = models.CharField(_("名称"), max_length=200)
    task = models.CharField(_("后台任务"), max_length=120)
    # The office it belongs to: a training base's office, or the province's when training_base is empty.
    province = models.ForeignKey("bases.Province", models.PROTECT, related_name="+", verbose_name=_("省份"))
    training_base = models.ForeignKey(
        "bases.TrainingBase", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("住培基地")
    )
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("发起人"))
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(_("总数"), default=0)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    result = models.FileField(_("结果文件"), storage=private_storage, upload_to="jobs/", blank=True, editable=False)
    error = models.CharField(_("错误"), max_length=2000, blank=True)
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量生成任务")
        verbose_name_plural = _("批量生成任务")

    def __str__(self):
        return self.title

    @property
    def percent(self):
        if self.status == JobStatus.DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0
