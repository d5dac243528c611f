"""SVG charts drawn on the server: readable without JavaScript and without a chart library.

Each chart carries a <title> and <desc> (read by screen readers as the image's name and
description); the templates put the same figures in a table beside it. Every label goes
through `escape`, and colours are SVG attributes, not inline styles, so the strict CSP holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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


@dataclass(frozen=True)
class Layout:
    """One drawing size. Each chart is drawn twice, wide and narrow, and the style sheet
    shows the one that fits: text drawn at `font` units stays at least 11 px on screen
    down to a 390 px phone (the narrow drawing is about as wide as the phone's column,
    the wide one is only shown from 40rem up), which one scaled drawing cannot do."""

    name: str
    width: int
    font: int
    left: int
    right: int
    plot_h: int
    x_labels: int  # at most this many month labels on the x axis

    def text_width(self, text: str) -> float:
        """A generous estimate of a label's width, to lay legends out without overlap."""
        return len(text) * self.font * 0.62


WIDE = Layout("wide", 640, 12, 44, 28, 180, 8)
NARROW = Layout("narrow", 360, 12, 34, 12, 170, 4)
LAYOUTS = (WIDE, NARROW)


@dataclass
class Series:
    """One line: a name and a value per x label (None leaves a gap), on a 0-100 scale.

    `partial[i]` marks a point whose month is not final: drawn hollow, with its interval
    `low[i]`-`high[i]` when given.
    """

    name: str
    values: Sequence[float | None]
    partial: Sequence[bool] = ()
    low: Sequence[float | None] = ()
    high: Sequence[float | None] = ()


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _frame(
    width: int, height: int, title: str, desc: str, body: list[str], layout: Layout = WIDE
) -> Markup:
    uid = f"chart{next(_ids)}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{layout.name}" '
        f'viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{uid}-t {uid}-d" font-family="system-ui, sans-serif" '
        f'font-size="{layout.font}">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every input is escaped above


def responsive(draw: Callable[[Layout], Markup]) -> Markup:
    """The chart `draw` makes, wide and narrow, in one wrapper (CSS shows one of them)."""
    drawings = "".join(str(draw(layout)) for layout in LAYOUTS)
    return Markup(f'<div class="charts">{drawings}</div>')  # noqa: S704 - drawn escaped


def legend_rows(
    layout: Layout, names: Sequence[str], key_w: float, top: float
) -> tuple[list[tuple[float, float, str]], float]:
    """Legend entries placed left to right, wrapping to a new row when the next one does
    not fit: [(x, baseline y, name)] and the height the rows take."""
    row_h = layout.font + 8
    x, y, placed = float(layout.left), top + layout.font, []
    for name in names:
        width = key_w + 6 + layout.text_width(name)
        if placed and x + width > layout.width - layout.right:
            x, y = float(layout.left), y + row_h
        placed.append((x, y, name))
        x += width + 18
    return placed, (y - top) + 8 if placed else 0


def _line_chart(
    layout: Layout,
    labels: Sequence[str],
    series: Sequence[Series],
    title: str,
    desc: str,
    unit: str,
) -> Markup:
    width, left, right, top = layout.width, layout.left, layout.right, 14
    plot_w, plot_h = width - left - right, layout.plot_h
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
    every = max(1, -(-n // layout.x_labels))
    shown = range(n - 1, -1, -every)  # counted back from the newest month, always labelled
    for i in shown:
        if i < len(labels):
            anchor = "end" if n > 1 and i == n - 1 else "start" if n > 1 and i == 0 else "middle"
            body.append(
                f'<text x="{_fmt(x(i))}" y="{top + plot_h + layout.font + 6}" '
                f'text-anchor="{anchor}" fill="{INK}">{escape(labels[i])}</text>'
            )
    legend_top = top + plot_h + layout.font + 18
    placed, legend_h = legend_rows(layout, [s.name for s in series], 28, legend_top)
    for index, (line, (lx, ly, name)) in enumerate(zip(series, placed, strict=True)):
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
        for i, value in enumerate(line.values):
            if value is None:
                continue
            a, b = x(i), y(value)
            if i < len(line.partial) and line.partial[i]:
                low = line.low[i] if i < len(line.low) else None
                high = line.high[i] if i < len(line.high) else None
                if low is not None and high is not None:
                    body.append(
                        f'<line class="interval" x1="{_fmt(a)}" x2="{_fmt(a)}" '
                        f'y1="{_fmt(y(low))}" y2="{_fmt(y(high))}" stroke="{colour}" '
                        f'stroke-width="1.5"/>'
                    )
                body.append(
                    f'<circle class="partial" cx="{_fmt(a)}" cy="{_fmt(b)}" r="4.5" '
                    f'fill="#ffffff" stroke="{colour}" stroke-width="2"/>'
                )
            else:
                body.append(f'<circle cx="{_fmt(a)}" cy="{_fmt(b)}" r="3.5" fill="{colour}"/>')
        body.append(
            f'<line x1="{_fmt(lx)}" x2="{_fmt(lx + 28)}" y1="{_fmt(ly - 4)}" '
            f'y2="{_fmt(ly - 4)}" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            f'<text class="legend" x="{_fmt(lx + 34)}" y="{_fmt(ly)}" fill="{INK}">'
            f"{escape(name)}</text>"
        )
    height = int(legend_top + legend_h + 6)
    return _frame(width, height, title, desc, body, layout)


def line_chart(
    labels: Sequence[str], series: Sequence[Series], title: str, desc: str, unit: str = ""
) -> Markup:
    """Monthly lines on a fixed 0-100 axis (scores and percentages), gaps where data is
    missing, hollow points (with their interval) for months not final yet."""
    return responsive(lambda layout: _line_chart(layout, labels, series, title, desc, unit))


def _bar_chart(layout: Layout, items: Sequence[tuple[str, float]], title: str, desc: str) -> Markup:
    """Wide: the label left of its bar, in a column as wide as the longest label. Narrow
    (or a label longer than 45% of the width): the label above its bar, so a long topic
    name keeps its size instead of being cut or squeezing the bar."""
    width, font = layout.width, layout.font
    longest = max((layout.text_width(label) for label, _ in items), default=0) + 16
    stacked = layout is not WIDE or longest > width * 0.45
    label_w = 0 if stacked else int(max(longest, 60))
    row = (font + 24) if stacked else 26
    height = max(row * len(items) + 10, 40)
    top = max((v for _, v in items), default=0) or 1
    room = width - label_w - 70 - (8 if stacked else 0)
    body = []
    for i, (label, value) in enumerate(items):
        y = 6 + i * row
        bar_y = y + font + 4 if stacked else y
        bar = room * value / top
        bar_x = 8 if stacked else label_w
        bar_h = 16 if stacked else 18
        if stacked:
            body.append(f'<text x="8" y="{y + font}" fill="{INK}">{escape(label)}</text>')
        else:
            body.append(
                f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" fill="{INK}">'
                f"{escape(label)}</text>"
            )
        body.append(
            f'<rect x="{bar_x}" y="{bar_y}" width="{_fmt(bar)}" height="{bar_h}" '
            f'fill="{SERIES_STYLES[0][0]}"/>'
            f'<text x="{_fmt(bar_x + bar + 6)}" y="{bar_y + 13}" fill="{INK}">'
            f"{escape(_fmt(value))}</text>"
        )
    return _frame(width, height, title, desc, body, layout)


def bar_chart(items: Sequence[tuple[str, float]], title: str, desc: str) -> Markup:
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    return responsive(lambda layout: _bar_chart(layout, items, title, desc))


def badge(label: str, value: str, colour: str, description: str | None = None) -> str:
    """A small two-part badge (the shape people know from README badges), as an SVG
    document; `description` (default "label: value") is its accessible name."""
    left_w = 8 + 7 * len(label)
    right_w = 10 + 7 * len(value)
    width = left_w + right_w
    name = escape(description or f"{label}: {value}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" '
        f'viewBox="0 0 {width} 20" role="img" '
        f'aria-label="{name}">'
        f"<title>{name}</title>"
        f'<rect width="{left_w}" height="20" fill="#333"/>'
        f'<rect x="{left_w}" width="{right_w}" height="20" fill="{colour}"/>'
        f'<g fill="#fff" font-family="Verdana, DejaVu Sans, sans-serif" font-size="11">'
        f'<text x="{left_w / 2}" y="14" text-anchor="middle">{escape(label)}</text>'
        f'<text x="{left_w + right_w / 2}" y="14" text-anchor="middle">{escape(value)}</text>'
        f"</g></svg>"
    )


STANDING_COLOURS = {"top": "#1e6b21", "middle": "#8a5a00", "bottom": "#b3261e"}
NO_STANDING = "#595959"


def standing_colour(standing: str | None) -> str:
    """Badge colour by the brand's third of its sector (`BadgeFigures.standing`); grey
    when unranked or alone. All keep white text above 4.5:1 contrast."""
    return STANDING_COLOURS.get(standing or "", NO_STANDING)
