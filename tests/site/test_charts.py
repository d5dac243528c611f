"""Server-side SVG: labels escaped, gaps for missing data, a text alternative on every chart."""

from __future__ import annotations

from itertools import pairwise

from tests.site.snapshots import parse_xml
from website import charts

SVG = "{http://www.w3.org/2000/svg}"


def _drawings(markup) -> dict[str, object]:
    """The wide and the narrow drawing of a chart, by name."""
    root = parse_xml(str(markup))
    assert root.tag == "div" and root.get("class") == "charts"
    found = {svg.get("class").split("-")[-1]: svg for svg in root.findall(f"{SVG}svg")}
    assert set(found) == {"wide", "narrow"}
    return found


def test_line_chart_is_valid_svg_with_title_and_description_and_gaps():
    svg = charts.line_chart(
        ["Jan", "Feb", "<Mar>"],
        [charts.Series("A & <b>", [10, None, 90]), charts.Series("B", [None, None, None])],
        "Trend <title>",
        "desc",
    )
    for root in _drawings(svg).values():
        assert root.get("role") == "img"
        assert root.find(f"{SVG}title").text == "Trend <title>"
        assert root.find(f"{SVG}desc").text == "desc"
        assert root.findall(f"{SVG}polyline") == []  # two isolated points, no line across
        assert len(root.findall(f"{SVG}circle")) == 2
    assert "<b>" not in str(svg) and "&lt;Mar&gt;" in str(svg)


def test_partial_points_are_hollow_with_their_interval():
    svg = charts.line_chart(
        ["Oct 2026", "Nov 2026", "Dec 2026"],
        [
            charts.Series(
                "A", [40, 50, 70], [False, False, True], [None, None, 55], [None, None, 85]
            )
        ],
        "t",
        "d",
    )
    root = _drawings(svg)["wide"]
    hollow = root.findall(f"{SVG}circle[@class='partial']")
    assert len(hollow) == 1 and hollow[0].get("fill") == "#ffffff"
    (interval,) = root.findall(f"{SVG}line[@class='interval']")
    point_y = float(hollow[0].get("cy"))
    assert float(interval.get("y2")) < point_y < float(interval.get("y1"))
    assert interval.get("x1") == hollow[0].get("cx")


def test_legends_wrap_instead_of_overlapping():
    names = ["Nimbus Telecom", "Ondeline Télécom", "Cirrus Mobile", "Parapluie Box"]
    svg = charts.line_chart(["Jan 2026"], [charts.Series(n, [50]) for n in names], "t", "d")
    for name, root in _drawings(svg).items():
        layout = charts.WIDE if name == "wide" else charts.NARROW
        entries = [
            (float(t.get("x")), float(t.get("y")), t.text)
            for t in root.findall(f"{SVG}text[@class='legend']")
        ]
        assert [e[2] for e in entries] == names
        for (x, y, text), (x2, y2, _next) in pairwise(entries):
            assert y2 > y or x2 >= x + layout.text_width(text), (name, text)
        assert all(x + layout.text_width(t) <= layout.width for x, _y, t in entries)
        height = float(root.get("viewBox").split()[3])
        assert max(y for _x, y, _t in entries) < height


def test_bar_chart_scales_to_the_largest_value_and_handles_empty_data():
    for root in _drawings(charts.bar_chart([("a", 10), ("b", 5)], "t", "d")).values():
        widths = [float(r.get("width")) for r in root.findall(f"{SVG}rect")]
        assert widths[0] == 2 * widths[1]
    _drawings(charts.bar_chart([], "t", "d"))


def test_badge_is_a_standalone_svg_document():
    root = parse_xml(charts.badge("Carescore", "72.5/100", charts.standing_colour("top")))
    assert root.get("aria-label") == "Carescore: 72.5/100"
    assert charts.standing_colour(None) != charts.standing_colour("top")
