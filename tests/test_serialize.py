"""The one JSON/CSV writer: one format for times and booleans, formula-safe CSV cells,
and the API's CSV agreeing with `carescore export --format csv` on the same figures."""

from __future__ import annotations

import csv
import io
import math
from datetime import UTC, datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from carescore.cli import main
from carescore.read.serialize import cell, csv_lines, to_json, write
from carescore.store.normalised import NewPost
from carescore.store.posts import store_posts
from tests.factories import HOSTILE, load_acme, load_hostile

T0 = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def test_one_format_for_times_booleans_and_absent_values():
    paris = timezone(timedelta(hours=1))
    moment = datetime(2026, 5, 1, 11, 30, 15, 999_000, tzinfo=paris)
    assert cell(moment) == "2026-05-01T10:30:15Z"
    assert to_json({"at": moment}) == '{"at":"2026-05-01T10:30:15Z"}'
    assert (cell(True), cell(False), cell(None)) == ("true", "false", "")
    assert to_json([True, None]) == "[true,null]"
    assert cell(math.nan) == "" and to_json(math.inf) == "null"
    assert cell({"b": 2, "a": 1}) == '{"a": 1, "b": 2}'
    assert cell(["billing", "outage"]) == "billing outage"
    assert cell([{"platform": "x", "handle": "AcmeHelp"}]) == "x:AcmeHelp"


@pytest.mark.parametrize(
    "hostile",
    [
        '=HYPERLINK("http://evil.example","click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "-",
        "=",
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_a_leading_quote(hostile):
    assert cell(hostile) == "'" + hostile
    assert cell([hostile]) == "'" + hostile  # a list cell starting with it, too


@pytest.mark.parametrize("number", [-0.5, -3, 0, 1e-05, -1.5e10])
def test_real_numbers_stay_numbers(number):
    assert cell(number) == repr(number)
    assert float(cell(number)) == number


@pytest.mark.parametrize("text", ["-0.5", "+3", "-12", "1e-05", "2026-05-01", "a=b", "x@y"])
def test_text_that_is_a_plain_number_or_harmless_is_left_alone(text):
    assert cell(text) == text


def test_csv_streams_in_chunks_and_stops_at_the_cap():
    rows = ({"n": i} for i in range(2000))
    chunks = list(csv_lines(["n"], rows, cap=1200))
    assert len(chunks) > 2  # streamed, not one string
    lines = "".join(chunks).split("\r\n")
    assert lines[0] == "n" and lines[1] == "0" and lines[1200] == "1199" and lines[1201] == ""


def test_write_counts_what_it_wrote_in_every_format():
    records = [{"a": 1, "b": "=x"}, {"a": 2, "b": None}]
    for fmt in ("csv", "json", "jsonl"):
        out = io.StringIO()
        assert write(iter(records), ("a", "b"), fmt, out) == 2
    assert out.getvalue().splitlines()[0] == '{"a": 1, "b": "=x"}'  # JSON is not neutralised


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _export(db_url, monkeypatch, *args) -> str:
    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _store_thread(session) -> None:
    load_acme(session)
    posts = []
    for day in range(40):
        at = T0 + timedelta(days=day)
        posts.append(NewPost("x", f"q{day}", f"c{day}", at, f"@AcmeHelp my bill is wrong #{day}"))
        if day % 3:
            posts.append(
                NewPost(
                    "x",
                    f"r{day}",
                    "acmehelp",
                    at + timedelta(minutes=7 * day + 1),
                    "sorry, DM us",
                    author_handle="AcmeHelp",
                    in_reply_to_id=f"q{day}",
                )
            )
    store_posts(session, posts)
    session.commit()


def test_api_csv_and_export_csv_agree_on_the_same_figures(app, db_url, session, monkeypatch):
    """Cell for cell, byte for byte, on every column the two tables share."""
    _store_thread(session)
    _export(db_url, monkeypatch, "rank", "--window", "2025-03", "--as-of", "2025-12-31")
    _export(db_url, monkeypatch, "rank", "--window", "2025-04", "--as-of", "2025-12-31")
    client = app.test_client()
    api = _rows(client.get("/api/v1/brands/acme/history.csv").get_data(as_text=True))
    exported = _rows(_export(db_url, monkeypatch, "export", "scores", "--format", "csv"))
    assert [r["period"] for r in api] == [r["period"] for r in exported] == ["2025-03", "2025-04"]
    shared = [c for c in api[0] if c in exported[0]]
    assert {"computed_at", "is_final", "ranked", "reply_rate", "topics", "period_start"} <= set(
        shared
    )
    for from_api, from_export in zip(api, exported, strict=True):
        assert {c: from_api[c] for c in shared} == {c: from_export[c] for c in shared}
    assert api[0]["is_final"] in ("true", "false") and api[0]["computed_at"].endswith("Z")

    api_posts = _rows(client.get("/api/v1/posts.csv?limit=500").get_data(as_text=True))
    exported_posts = {
        r["external_id"]: r
        for r in _rows(_export(db_url, monkeypatch, "export", "posts", "--format", "csv"))
    }
    shared = [c for c in api_posts[0] if c in next(iter(exported_posts.values()))]
    assert {"created_at", "sentiment", "topics", "first_reply_seconds", "label"} <= set(shared)
    assert len(api_posts) == 40
    for row in api_posts:
        assert {c: row[c] for c in shared} == {
            c: exported_posts[row["external_id"]][c] for c in shared
        }


def _no_cell_runs(text: str) -> list[str]:
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert cells
    return [c for c in cells if c.startswith(TRIGGERS) and not c.startswith("'")]


def test_hostile_brand_names_and_handles_never_reach_a_spreadsheet_as_formulas(
    app, db_url, session, monkeypatch
):
    load_hostile(session)
    store_posts(
        session,
        [
            NewPost(
                "x",
                str(i),
                f"a{i}",
                T0 + timedelta(minutes=i),
                text,
                author_handle=text.strip()[:40] or "x",
            )
            for i, text in enumerate(HOSTILE)
        ],
    )
    session.commit()
    client = app.test_client()
    for url in ("/api/v1/brands.csv", "/api/v1/posts.csv?limit=100", "/api/v1/sectors.csv"):
        body = client.get(url).get_data(as_text=True)
        assert _no_cell_runs(body) == [], url
    assert "'=HYPERLINK" in client.get("/api/v1/brands.csv").get_data(as_text=True)
    exported = _export(db_url, monkeypatch, "export", "posts", "--format", "csv")
    assert _no_cell_runs(exported) == []
    # JSON carries the text as it is: it is data, not a spreadsheet.
    names = [b["name"] for b in client.get("/api/v1/brands").get_json()["items"]]
    assert any(n.startswith("=HYPERLINK") for n in names)


def test_api_shapes_write_the_same_json_as_the_generic_walk():
    """The API's models write themselves (pydantic's serializer); the text must be the
    generic writer's: times in UTC to the second with a Z, NaN as null, UTF-8 as is."""
    import json

    from carescore.read.serialize import plain
    from website.api.schemas import AccountPublic, BrandPublic, Public, RulePublic, UTCTime

    class Figures(Public):
        at: UTCTime | None
        share: float | None
        big: float
        counts: dict[str, int]

    paris = timezone(timedelta(hours=2))
    figures = Figures(
        at=datetime(2026, 5, 1, 12, 30, 15, 999_999, tzinfo=paris),
        share=math.nan,
        big=1e16 / 3,
        counts={"a": 1},
    )
    walked = json.dumps(plain(figures), ensure_ascii=False, separators=(",", ":"))
    assert to_json(figures) == walked
    assert '"at":"2026-05-01T10:30:15Z"' in walked and '"share":null' in walked

    brand = BrandPublic(
        slug="café",
        name='Café "Ñ" 🚀',
        sector="telecom",
        country="FR",
        is_demo=False,
        accounts=[AccountPublic(platform="x", handle="cafe")],
    )
    generic = json.dumps(plain(brand), ensure_ascii=False, separators=(",", ":"))
    assert to_json(brand) == generic
    assert to_json(RulePublic(name="n", rule="r")) == '{"name":"n","rule":"r"}'


def _formula_cells(text: str) -> list[str]:
    """Cells a spreadsheet would run: a trigger first, not quoted, not a plain number."""
    loose = []
    for value in _no_cell_runs(text):
        try:
            float(value)
        except ValueError:
            loose.append(value)
    return loose


# Query strings for the CSV routes that need one; every other .csv route is asked bare.
CSV_QUERIES = {
    "compare": "brands=evil,evil-two",
    "search": "q=evil",
    "rankings": "sector=telecom",
    "posts": "limit=100",
}


def test_every_csv_download_and_both_exports_neutralise_formulas(app, db_url, session, monkeypatch):
    """Walks every `.csv` route of the API (a new one is covered without a new test), with
    hostile brand names, sector, handles and texts, and ranked scores; then both exports."""
    load_hostile(session)
    at = datetime.now(UTC) - timedelta(days=3)
    store_posts(
        session,
        [
            NewPost(
                "x",
                f"h{i}",
                f"{text.strip()[:60]}{i}",  # the export's author column
                at + timedelta(minutes=i),
                f"{text} @SUM(1+1)*cmd #fail",
                author_handle=text.strip()[:40] or "x",
                brand_slug="evil" if i % 2 else "evil-two",
            )
            for i, text in enumerate(HOSTILE * 4)
        ],
    )
    session.commit()
    _export(db_url, monkeypatch, "rank", "--window", "90d")
    client = app.test_client()
    routes = sorted(
        {
            r.rule
            for r in app.url_map.iter_rules()
            if r.rule.startswith("/api/v1/") and r.rule.endswith(".csv")
        }
    )
    assert len(routes) >= 10
    with_names = []
    for rule in routes:
        path = rule.replace("<slug>", "evil")
        endpoint = path.removeprefix("/api/v1/").removesuffix(".csv").split("/")[0]
        query = CSV_QUERIES.get(endpoint, "")
        response = client.get(f"{path}?{query}" if query else path)
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:300])
        body = response.get_data(as_text=True)
        assert _formula_cells(body) == [], path
        if "'=HYPERLINK" in body:
            with_names.append(endpoint)
    # The hostile name was there to neutralise in each table that names brands.
    assert {"brands", "rankings", "compare", "search"} <= set(with_names), with_names
    for what in ("posts", "scores"):
        exported = _export(db_url, monkeypatch, "export", what, "--format", "csv")
        assert _formula_cells(exported) == [], what
    assert "'=HYPERLINK" in _export(db_url, monkeypatch, "export", "posts", "--format", "csv")
