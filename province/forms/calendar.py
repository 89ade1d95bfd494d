"""The working-day calendar's entry form: lines of dates with whether each is a working day."""

import datetime
import re

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from policy.services.calendar import DayEntry

# "2027-10-01 休 国庆节" or "2027-09-26 班 国庆调休上班": one day a line, as offices copy the
# State Council's notice.
_LINE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})\s+(休|班|放假|上班)\s+(.+?)\s*$")
MAX_LINES = 120


class CalendarDaysForm(forms.Form):
    lines = forms.CharField(
        label=_("日期（每行一天）"),
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "2027-10-01 休 国庆节\n2027-09-26 班 国庆调休上班"}),
        help_text=_("每行：日期、“休”或“班”、说明，用空格分开。"),
        max_length=20_000,
    )

    def clean_lines(self):
        entries, problems = [], []
        lines = [line for line in self.cleaned_data["lines"].splitlines() if line.strip()]
        if len(lines) > MAX_LINES:
            raise forms.ValidationError(gettext("一次最多录入 %(max)s 行。") % {"max": MAX_LINES})
        for number, line in enumerate(lines, start=1):
            match = _LINE.match(line)
            day = None
            if match:
                try:
                    day = datetime.date.fromisoformat("-".join(f"{int(p):02d}" for p in match[1].split("-")))
                except ValueError:
                    day = None
            if day is None:
                problems.append(gettext("第%(line)s行格式不对：%(text)s") % {"line": number, "text": line.strip()[:40]})
                continue
            entries.append(DayEntry(day, match[2] in ("班", "上班"), match[3]))
        if problems:
            raise forms.ValidationError(problems)
        return entries


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("撤销确认的原因"), max_length=500)
