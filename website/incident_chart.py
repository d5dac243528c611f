"""The hourly timeline of a brand's complaints against their usual band, incidents shaded.

Drawn on the server like `website.charts` (same frame, colours and escaping): bars are the
complaints of each hour, the band runs from the usual level to the top of the usual
range (above it an hour counts as "above usual"), and incident hours are shaded.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from carescore.read.incidents import Timeline
from website.charts import GRID, INK, SERIES_STYLES, _fmt, _frame

SHADE = "#f6d5cf"
BAND = "#cfe0f1"


def incident_timeline(
    timeline: Timeline, title: str, desc: str, legend: tuple[str, str, str]
) -> Markup:
    """`legend`: the names of the complaints, the usual band and the incident shading."""
    width, height = 640, 240
    left, right, top, bottom = 40, 12, 12, 58
    plot_w, plot_h = width - left - right, height - top - bottom
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
    every = max(1, round(len(days) / 7))
    for j, i in enumerate(days):
        if j % every == 0:
            label = hours[i].start.strftime("%d/%m")
            body.append(
                f'<text x="{_fmt(left + i * step)}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'fill="{INK}">{escape(label)}</text>'
            )
    ly = height - 14
    for k, (fill, name) in enumerate(zip((colour, BAND, SHADE), legend, strict=True)):
        lx = left + k * 200
        body.append(
            f'<rect x="{lx}" y="{ly - 10}" width="14" height="12" fill="{fill}" stroke="{GRID}"/>'
            f'<text x="{lx + 20}" y="{ly}" fill="{INK}">{escape(name)}</text>'
        )
    return _frame(width, height, title, desc, body)
