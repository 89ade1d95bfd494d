"""Server-side SVG bar charts: no JavaScript, no external assets, no inline styles (the
Content-Security-Policy allows none) — only SVG presentation attributes.

`bar_chart([(label, value, max)], title=...)` draws one horizontal bar per row: a line with the label
at the left and the figures "value/max · percent" at the right, under it a full-width track for `max`
and a bar for `value` on it. The chart is 400 units wide and scales to its container (templates put
it in a `.narrow` box, so it is drawn about 1:1 on a phone and on a desktop alike); a label too long
for its line is shortened with "…" and read in full in the bar's <title>. Each bar carries a <title> read out by screen
readers and shown as a tooltip; the chart as a whole is an image labelled by its own <title>.
"""

import itertools

from django.utils.html import format_html, format_html_join

from policy.rules.kpis import completion_rate

WIDTH = 400
FONT_SIZE = 15
LABEL_HEIGHT = 22
BAR_HEIGHT = 14
ROW_GAP = 12
LABEL_CHARS = 17  # a label longer than this would run into the figures
TRACK = "#e5e7eb"
BAR = "#2563eb"
BAR_FULL = "#15803d"  # the plan met
TEXT = "#1f2937"
FONT = "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', sans-serif"

_ids = itertools.count(1)


def _figures(value, maximum):
    rate = completion_rate(admitted=value, places=maximum)
    return f"{value}/{maximum} · {rate}%" if rate is not None else f"{value}/{maximum} · —"


def bar_chart(rows, *, title, testid="kpi-chart"):
    """An inline <svg> string (marked safe) with one bar per (label, value, max) of `rows`."""
    rows = list(rows)
    chart_id = f"chart-{next(_ids)}"
    row_height = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    height = max(len(rows), 1) * row_height + ROW_GAP
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-testid="{}" role="img" '
            'aria-labelledby="{}-title" viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMinYMin meet" '
            'font-family="{}" font-size="{}" fill="{}"><title id="{}-title">{}</title>',
            testid,
            chart_id,
            WIDTH,
            height,
            FONT,
            FONT_SIZE,
            TEXT,
            chart_id,
            title,
        )
    ]
    if not rows:
        parts.append(format_html('<text x="0" y="{}">—</text>', LABEL_HEIGHT))
    for index, (label, value, maximum) in enumerate(rows):
        top = ROW_GAP // 2 + index * row_height
        bar_top = top + LABEL_HEIGHT
        share = min(value / maximum, 1) if maximum else 0
        figures = _figures(value, maximum)
        shown = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        parts.append(
            format_html(
                '<g class="bar-row" data-label="{label}" data-value="{value}" data-max="{maximum}">'
                "<title>{label}：{figures}</title>"
                '<text class="bar-label" x="0" y="{text_y}">{shown}</text>'
                '<text class="bar-value" x="{width}" y="{text_y}" text-anchor="end">{figures}</text>'
                '<rect x="0" y="{bar_y}" width="{width}" height="{bar_height}" rx="3" fill="{track}"/>'
                '<rect class="bar" x="0" y="{bar_y}" width="{bar_width}" height="{bar_height}" rx="3" fill="{colour}"/>'
                "</g>",
                label=label,
                value=value,
                maximum=maximum,
                figures=figures,
                shown=shown,
                text_y=top + LABEL_HEIGHT - 6,
                width=WIDTH,
                bar_y=bar_top,
                bar_height=BAR_HEIGHT,
                track=TRACK,
                bar_width=f"{round(share * WIDTH, 1):g}",
                colour=BAR_FULL if maximum and value >= maximum else BAR,
            )
        )
    return format_html("{}</svg>", format_html_join("", "{}", ((part,) for part in parts)))
