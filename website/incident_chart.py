"""The hourly timeline of a brand's complaints against their usual band, incidents shaded.

Drawn on the server like `website.charts` (same frame, colours and escaping): bars are the
complaints of each hour, the band runs from the usual level to the top of the usual
range (above it an hour counts as "above usual"), and incident hours are shaded.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from carescore.read.incidents import Timeline
from website.charts import GRID, INK, SERIES_STYLES, Layout, _fmt, _frame, legend_rows, responsive

SHADE = "#f6d5cf"
BAND = "#cfe0f1"


def incident_timeline(
    timeline: Timeline, title: str, desc: str, legend: tuple[str, str, str]
) -> Markup:
    """`legend`: the names of the complaints, the usual band and the incident shading.
    Drawn wide and narrow like every chart (`website.charts.responsive`)."""
    return responsive(lambda layout: _timeline(layout, timeline, title, desc, legend))


def _timeline(
    layout: Layout, timeline: Timeline, title: str, desc: str, legend: tuple[str, str, str]
) -> Markup:
    width, left, right, top = layout.width, layout.left, layout.right, 12
    plot_w, plot_h = width - left - right, layout.plot_h
    hours = timeline.hours
    n = max(len(hours), 1)
    step = plot_w / n
    peak = max([h.complaints for h in hours] + [h.upper or 0 for h in hours] + [1])

    def y(v: float) -> float:
        return top + plot_h * (1 - v / peak)

    body = []
    for i, h in enumerate(hours):
        if h.in_incident:
            body.append(
                f'<rect x="{_fmt(left + i * step)}" y="{top}" width="{_fmt(step + 0.01)}" '
                f'height="{plot_h}" fill="{SHADE}"/>'
            )
    band = [
        (left + (i + 0.5) * step, h.usual, h.upper)
        for i, h in enumerate(hours)
        if h.usual is not None
    ]
    if band:
        upper = " ".join(f"{_fmt(x)},{_fmt(y(u))}" for x, _, u in band)
        lower = " ".join(f"{_fmt(x)},{_fmt(y(m))}" for x, m, _ in reversed(band))
        body.append(f'<polygon points="{upper} {lower}" fill="{BAND}"/>')
    for tick in sorted({0, round(peak / 2), peak}):
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_fmt(y(tick))}" y2="{_fmt(y(tick))}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{_fmt(y(tick) + 4)}" text-anchor="end" '
            f'fill="{INK}">{tick}</text>'
        )
    colour = SERIES_STYLES[0][0]
    for i, h in enumerate(hours):
        if h.complaints:
            body.append(
                f'<rect x="{_fmt(left + i * step)}" y="{_fmt(y(h.complaints))}" '
                f'width="{_fmt(max(step * 0.8, 0.8))}" '
                f'height="{_fmt(top + plot_h - y(h.complaints))}" '
                f'fill="{colour}"/>'
            )
    if band:
        line = " ".join(f"{_fmt(x)},{_fmt(y(m))}" for x, m, _ in band)
        body.append(
            f'<polyline points="{line}" fill="none" stroke="{INK}" stroke-width="1" '
            'stroke-dasharray="3 2"/>'
        )
    days = [i for i, h in enumerate(hours) if h.start.hour == 0]
    every = max(1, -(-len(days) // (7 if layout.width >= 640 else 4)))
    for j, i in enumerate(days):
        if j % every == 0:
            label = hours[i].start.strftime("%d/%m")
            body.append(
                f'<text x="{_fmt(left + i * step)}" y="{top + plot_h + layout.font + 4}" '
                f'text-anchor="middle" fill="{INK}">{escape(label)}</text>'
            )
    legend_top = top + plot_h + layout.font + 16
    placed, legend_h = legend_rows(layout, legend, 14, legend_top)
    for fill, (lx, ly, name) in zip((colour, BAND, SHADE), placed, strict=True):
        body.append(
            f'<rect x="{_fmt(lx)}" y="{_fmt(ly - 10)}" width="14" height="12" fill="{fill}" '
            f'stroke="{GRID}"/>'
            f'<text class="legend" x="{_fmt(lx + 20)}" y="{_fmt(ly)}" fill="{INK}">'
            f"{escape(name)}</text>"
        )
    return _frame(width, int(legend_top + legend_h + 6), title, desc, body, layout)
