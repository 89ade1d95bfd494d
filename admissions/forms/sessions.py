"""Forms of the assessment sessions (考核场次). They parse input only: the window, capacity, clash
and once-only rules are checked by admissions.services.sessions."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from admissions.models import AssessmentMode, SessionPart


class SessionForm(forms.Form):
    part = forms.ChoiceField(label=_("考核内容"), choices=SessionPart.choices)
    mode = forms.ChoiceField(label=_("考核形式"), choices=AssessmentMode.choices, initial=AssessmentMode.ON_SITE)
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("开始"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("结束"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label=_("考核地点"), required=False, max_length=200, help_text=_("现场考核填写"))
    video_link = forms.URLField(
        label=_("视频会议链接"), required=False, max_length=500, assume_scheme="https", help_text=_("网络视频考核填写")
    )
    capacity = forms.IntegerField(label=_("容纳人数"), min_value=1, max_value=999, initial=30)
    note = forms.CharField(
        label=_("考生须知"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def times(self):
        """(starts_at, ends_at) in the site's time zone, from a valid form."""
        data = self.cleaned_data

        def moment(time):
            return timezone.make_aware(datetime.datetime.combine(data["day"], time))

        return moment(data["start"]), moment(data["end"])

    def service_arguments(self):
        starts_at, ends_at = self.times()
        data = self.cleaned_data
        return {
            "part": data["part"],
            "mode": data["mode"],
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": data["place"],
            "video_link": data["video_link"],
            "capacity": data["capacity"],
            "note": data["note"],
        }


class MoveRequestForm(forms.Form):
    to_session = forms.TypedChoiceField(label=_("调换到"), coerce=int)
    reason = forms.CharField(label=_("申请理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_session"].choices = list(choices)


class MoveDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=pgettext_lazy("decision on a session change request", "处理"),
        choices=[("1", _("同意")), ("0", _("不同意"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("处理意见"), required=False, max_length=500)
