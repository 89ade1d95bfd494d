"""The provincial office's audit browser: its province's audit events, filtered, on a page and as CSV."""

import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from portal.models import Role
from portal.permissions import require_role
from portal.spreadsheets import safe_cell
from province.forms.audit import AuditFilterForm
from province.selectors.audit import SHANGHAI, audit_actions, audit_events, audit_training_bases

PAGE_SIZE = 50


CSV_MAX_ROWS = 100_000


_VALUE_WIDTH = 40


def _filter_form(request):
    return AuditFilterForm(
        request.GET or None,
        training_bases=audit_training_bases(user=request.user),
        actions=audit_actions(user=request.user),
    )


def _filters(form):
    return form.filters() if form.is_bound and form.is_valid() else {}


def _json(value):
    return "" if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _short(value):
    text = value if isinstance(value, str) else _json(value)
    return text if len(text) <= _VALUE_WIDTH else f"{text[: _VALUE_WIDTH - 1]}…"


def compact_changes(before, after):
    """What changed, one short line per field: `places: 3 → 5`; a value that is not a dict on
    either side is shown whole."""
    if not isinstance(before, dict | None) or not isinstance(after, dict | None):
        return [f"{_short(before)} → {_short(after)}"]
    before, after = before or {}, after or {}
    lines = []
    for key in [*before, *(key for key in after if key not in before)]:
        if key not in after:
            lines.append(f"{key}: {_short(before[key])} → ∅")
        elif key not in before:
            lines.append(f"{key}: {_short(after[key])}")
        elif before[key] != after[key]:
            lines.append(f"{key}: {_short(before[key])} → {_short(after[key])}")
    return lines


@login_required
def audit_event_list(request):
    require_role(request.user, Role.PROVINCIAL_OFFICE)
    form = _filter_form(request)
    events = audit_events(user=request.user, **_filters(form))
    if form.is_bound and not form.is_valid():
        events = events.none()  # the errors show by the form; no rows that look filtered but are not
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page:
        event.changes = compact_changes(event.before, event.after)
    return render(request, "province/audit.html", {"form": form, "page": page})


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a stream."""

    def write(self, value):
        return value


def _cell(value):
    return safe_cell("" if value is None else str(value))


def _csv_rows(events):
    yield [
        _("时间"),
        _("操作人"),
        _("操作"),
        _("对象类型"),
        _("对象"),
        _("住培基地"),
        _("原因"),
        _("变更前"),
        _("变更后"),
    ]
    for count, event in enumerate(events[: CSV_MAX_ROWS + 1].iterator(chunk_size=2000), start=1):
        if count > CSV_MAX_ROWS:
            yield [_("仅导出前 %(count)d 条，请缩小筛选范围后再导出其余记录。") % {"count": CSV_MAX_ROWS}]
            return
        yield [
            timezone.localtime(event.occurred_at, SHANGHAI).strftime("%Y-%m-%d %H:%M:%S"),
            _cell(event.actor_label),
            _cell(event.action),
            _cell(event.content_type.name),
            _cell(event.object_repr),
            _cell(event.training_base.name if event.training_base else ""),
            _cell(event.reason),
            _json(event.before),
            _json(event.after),
        ]


def _stream(events):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # the BOM: Excel then reads the file as UTF-8 and shows the Chinese
    for row in _csv_rows(events):
        yield writer.writerow(row)


@login_required
def audit_event_csv(request):
    require_role(request.user, Role.PROVINCIAL_OFFICE)
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        errors = "\n".join(" ".join(messages) for messages in form.errors.values())
        return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
    events = audit_events(user=request.user, **_filters(form))
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in _stream(events)), content_type="text/csv; charset=utf-8"
    )
    filename = _("审计事件-%(date)s.csv") % {"date": f"{timezone.localtime(timezone.now(), SHANGHAI):%Y%m%d}"}
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
