from itertools import pairwise

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from policy.choices import SanctionKind

# The timetable in the order the notice lists it; clean() checks each date follows the one before.
TIMETABLE_FIELDS = (
    "brochure_submit_by",
    "brochure_publish_by",
    "round1_opens",
    "round1_closes",
    "round1_assessment_starts",
    "round1_assessment_ends",
    "round1_publicity_by",
    "round2_opens",
    "round2_closes",
    "round2_assessment_ends",
    "round2_publicity_by",
    "reporting_by",
)


class Campaign(models.Model):
    """One province's recruitment of one year; every date and rule parameter is data."""

    province = models.ForeignKey("bases.Province", models.PROTECT, related_name="campaigns", verbose_name=_("省份"))
    year = models.PositiveIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=120)
    shortage_specialties = models.ManyToManyField(
        "bases.Specialty", blank=True, related_name="+", verbose_name=_("紧缺专业")
    )

    brochure_submit_by = models.DateField(_("招生简章报送截止"), help_text=_("三(一)1"))
    brochure_publish_by = models.DateField(_("招生简章发布截止"), help_text=_("三(一)2"))
    round1_opens = models.DateField(_("第一批次注册填报开始"), help_text=_("三(二)，当日0时"))
    round1_closes = models.DateField(_("第一批次注册填报截止"), help_text=_("三(二)，当日24时"))
    round1_assessment_starts = models.DateField(_("第一批次考核开始"), help_text=_("三(三)1"))
    round1_assessment_ends = models.DateField(_("第一批次考核结束"), help_text=_("三(三)1"))
    round1_publicity_by = models.DateField(_("第一批次拟录取公示截止"), help_text=_("三(三)3"))
    round2_opens = models.DateField(_("第二批次注册填报开始"), help_text=_("三(四)1，当日0时"))
    round2_closes = models.DateField(_("第二批次注册填报截止"), help_text=_("三(四)1，当日24时"))
    round2_assessment_ends = models.DateField(_("第二批次考核结束"), help_text=_("三(四)3"))
    round2_publicity_by = models.DateField(_("第二批次拟录取公示截止"), help_text=_("三(四)3，当日24时"))
    reporting_by = models.DateField(_("报到截止"), help_text=_("三(六)"))

    publicity_working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=7)
    agreement_days = models.PositiveSmallIntegerField(_("报到后签订协议期限（天）"), default=7)
    no_show_grace_days = models.PositiveSmallIntegerField(_("逾期不报到取消资格（天）"), default=14)
    ban_years = models.PositiveSmallIntegerField(_("不得报名年限"), default=3)

    scope_paths = {"province": "province_id"}

    class Meta:
        verbose_name = _("年度招录")
        verbose_name_plural = _("年度招录")
        ordering = ["province", "-year"]
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="unique_campaign_year")]

    def __str__(self):
        return self.title

    def clean(self):
        dates = [(name, getattr(self, name)) for name in TIMETABLE_FIELDS]
        for (earlier, first), (later, second) in pairwise(dates):
            if first and second and second < first:
                raise ValidationError(
                    {
                        later: _("“%(later)s”不能早于“%(earlier)s”。")
                        % {
                            "later": self._meta.get_field(later).verbose_name,
                            "earlier": self._meta.get_field(earlier).verbose_name,
                        }
                    }
                )


class CalendarYear(models.Model):
    """One year's holidays and make-up workdays (调休) as entered for a province, or, without a
    province, the State Council's list that every province follows unless it enters its own days.

    A year the chinese-calendar package does not know is known only once its office declares it
    complete: until then every working-day question about it is refused, never answered with a
    Monday-to-Friday guess (a guessed publicity period could end a day early).
    """

    province = models.ForeignKey(
        "bases.Province",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("省份"),
        help_text=_("空：国务院办公厅公布的全国安排"),
    )
    year = models.PositiveIntegerField(_("年度"))
    declared_complete_at = models.DateTimeField(_("确认完整时间"), null=True, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("确认人")
    )

    scope_paths = {"province": "province_id"}

    class Meta:
        verbose_name = _("年度工作日安排")
        verbose_name_plural = _("年度工作日安排")
        ordering = ["-year", "province"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="one_calendar_per_province_and_year"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(province__isnull=True), name="one_national_calendar_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.province or _('全国')}"


class WorkingDayOverride(models.Model):
    """A day of a CalendarYear that is not as the week would have it: a holiday on a weekday, or a
    make-up workday on a weekend (or a correction of the package's answer)."""

    calendar_year = models.ForeignKey(CalendarYear, models.CASCADE, related_name="days", verbose_name=_("年度"))
    date = models.DateField(_("日期"))
    is_working_day = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, help_text=_("如：国庆节、国庆调休上班"))

    scope_paths = {"province": "calendar_year__province_id"}

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["calendar_year", "date"], name="one_entry_per_day")]

    def __str__(self):
        return f"{self.date} {self.note}"


class Sanction(models.Model):
    """An integrity decision about a person (诚信处理, 四(四)), matched by identity document when
    the person applies again."""

    province = models.ForeignKey("bases.Province", models.PROTECT, related_name="+", verbose_name=_("省份"))
    id_type = models.CharField(_("证件类型"), max_length=20)
    id_number = models.CharField(_("证件号码"), max_length=30, db_index=True)
    full_name = models.CharField(_("姓名"), max_length=60)
    kind = models.CharField(
        pgettext_lazy("kind of integrity sanction", "处理"), max_length=16, choices=SanctionKind.choices
    )
    campaign_year = models.PositiveIntegerField(_("发生年度"))
    reason = models.TextField(_("事由"))
    decided_at = models.DateTimeField(_("决定时间"), default=timezone.now)

    scope_paths = {"province": "province_id"}

    class Meta:
        verbose_name = _("诚信处理")
        verbose_name_plural = _("诚信处理")
        ordering = ["-decided_at"]

    def __str__(self):
        return f"{self.full_name} {self.get_kind_display()}（{self.campaign_year}）"
