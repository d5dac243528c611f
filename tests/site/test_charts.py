"""Server-side SVG: labels escaped, gaps for missing data, a text alternative on every chart."""

from __future__ import annotations

from tests.site.snapshots import parse_xml
from website import charts

SVG = "{http://www.w3.org/2000/svg}"


def test_line_chart_is_valid_svg_with_title_and_description_and_gaps():
    svg = charts.line_chart(
        ["Jan", "Feb", "<Mar>"],
        [charts.Series("A & <b>", [10, None, 90]), charts.Series("B", [None, None, None])],
        "Trend <title>",
        "desc",
    )
    root = parse_xml(str(svg))
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Trend <title>"
    assert root.find(f"{SVG}desc").text == "desc"
    assert root.findall(f"{SVG}polyline") == []  # two isolated points, no line across the gap
    assert len(root.findall(f"{SVG}circle")) == 2
    assert "<b>" not in str(svg) and "&lt;Mar&gt;" in str(svg)


def test_bar_chart_scales_to_the_largest_value_and_handles_empty_data():
    root = parse_xml(str(charts.bar_chart([("a", 10), ("b", 5)], "t", "d")))
    widths = [float(r.get("width")) for r in root.findall(f"{SVG}rect")]
    assert widths[0] == 2 * widths[1]
    parse_xml(str(charts.bar_chart([], "t", "d")))


def test_badge_is_a_standalone_svg_document():
    root = parse_xml(charts.badge("Carescore", "72.5/100", charts.score_colour(72.5)))
    assert root.get("aria-label") == "Carescore: 72.5/100"
    assert charts.score_colour(None) != charts.score_colour(80)
