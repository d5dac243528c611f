"""SVG charts drawn on the server: readable without JavaScript and without a chart library.

Each chart carries a <title> and <desc> (read by screen readers as the image's name and
description); the templates put the same figures in a table beside it. Every label goes
through `escape`, and colours are SVG attributes, not inline styles, so the strict CSP holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from markupsafe import Markup, escape

# Colours that keep 4.5:1 contrast on white, told apart by dash pattern and marker too.
SERIES_STYLES = (
    ("#0b5394", ""),
    ("#a33b00", "6 4"),
    ("#2d6a1f", "2 3"),
    ("#6b2d8f", "10 3 2 3"),
)
INK = "#1a1a1a"
GRID = "#c8c8c8"
_ids = count(1)


@dataclass
class Series:
    """One line: a name and a value per x label (None leaves a gap), on a 0-100 scale."""

    name: str
    values: Sequence[float | None]


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _frame(width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    uid = f"chart{next(_ids)}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{uid}-t {uid}-d" font-family="system-ui, sans-serif" '
        f'font-size="12">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every input is escaped above


def line_chart(
    labels: Sequence[str], series: Sequence[Series], title: str, desc: str, unit: str = ""
) -> Markup:
    """Monthly lines on a fixed 0-100 axis (scores and percentages), gaps where data is missing."""
    width, height = 640, 260
    left, right, top, bottom = 44, 28, 14, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(labels), 1)
    step = plot_w / max(n - 1, 1)

    def x(i: int) -> float:
        return left + (i * step if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - max(0.0, min(100.0, v)) / 100)

    body = []
    for tick in (0, 25, 50, 75, 100):
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_fmt(y(tick))}" y2="{_fmt(y(tick))}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{_fmt(y(tick) + 4)}" text-anchor="end" fill="{INK}">'
            f"{tick}{escape(unit)}</text>"
        )
    every = max(1, round(n / 8))
    for i, label in enumerate(labels):
        if i % every == 0 or i == n - 1:
            body.append(
                f'<text x="{_fmt(x(i))}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'fill="{INK}">{escape(label)}</text>'
            )
    for index, line in enumerate(series):
        colour, dash = SERIES_STYLES[index % len(SERIES_STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(line.values):
            if value is None:
                runs.append([])
            else:
                runs[-1].append((x(i), y(value)))
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{_fmt(a)},{_fmt(b)}" for a, b in run)
                body.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dash_attr}/>'
                )
            for a, b in run:
                body.append(f'<circle cx="{_fmt(a)}" cy="{_fmt(b)}" r="3.5" fill="{colour}"/>')
        lx = left + index * 150
        ly = height - 14
        body.append(
            f'<line x1="{lx}" x2="{lx + 28}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attr}/>'
            f'<text x="{lx + 34}" y="{ly}" fill="{INK}">{escape(line.name)}</text>'
        )
    return _frame(width, height, title, desc, body)


def bar_chart(items: Sequence[tuple[str, float]], title: str, desc: str) -> Markup:
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    row, label_w, width = 26, 170, 640
    height = max(row * len(items) + 10, 40)
    top = max((v for _, v in items), default=0) or 1
    body = []
    for i, (label, value) in enumerate(items):
        y = 6 + i * row
        bar = (width - label_w - 70) * value / top
        body.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" fill="{INK}">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{_fmt(bar)}" height="{row - 8}" '
            f'fill="{SERIES_STYLES[0][0]}"/>'
            f'<text x="{_fmt(label_w + bar + 6)}" y="{y + 15}" fill="{INK}">'
            f"{escape(_fmt(value))}</text>"
        )
    return _frame(width, height, title, desc, body)


def badge(label: str, value: str, colour: str) -> str:
    """A small two-part badge (the shape people know from README badges), as an SVG document."""
    left_w = 8 + 7 * len(label)
    right_w = 10 + 7 * len(value)
    width = left_w + right_w
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{escape(label)}: {escape(value)}">'
        f"<title>{escape(label)}: {escape(value)}</title>"
        f'<rect width="{left_w}" height="20" fill="#333"/>'
        f'<rect x="{left_w}" width="{right_w}" height="20" fill="{colour}"/>'
        f'<g fill="#fff" font-family="Verdana, DejaVu Sans, sans-serif" font-size="11">'
        f'<text x="{left_w / 2}" y="14" text-anchor="middle">{escape(label)}</text>'
        f'<text x="{left_w + right_w / 2}" y="14" text-anchor="middle">{escape(value)}</text>'
        f"</g></svg>"
    )


def score_colour(carescore: float | None) -> str:
    """Badge colour by band; all keep white text above 4.5:1 contrast."""
    if carescore is None:
        return "#595959"
    if carescore >= 70:
        return "#1e6b21"
    if carescore >= 50:
        return "#8a5a00"
    return "#b3261e"
