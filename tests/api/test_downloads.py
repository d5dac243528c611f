"""Downloads say which period they hold: every CSV row and JSON answer carries the period,
the methodology version and is_final, and the file name carries the period."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest

from tests.api.conftest import AS_OF

SLUG = "nimbus-telecom"


def _rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def _filename(response) -> str:
    return response.headers["Content-Disposition"].split('filename="')[1].rstrip('"')


def test_a_monthly_ranking_download_is_that_month_in_every_row_and_its_name(api):
    response = api.get("/api/v1/rankings.csv?sector=telecom&window=month&month=2026-05")
    rows = _rows(response)
    assert _filename(response) == "ranking-telecom-2026-05.csv"
    assert rows and {(r["window"], r["period"], r["is_final"]) for r in rows} == {
        ("month", "2026-05", "true")
    }
    assert all(r["methodology_version"] for r in rows)
    body = api.get("/api/v1/rankings?sector=telecom&window=month&month=2026-05")
    doc = body.get_json()
    assert (doc["period"], doc["is_final"]) == ("2026-05", True)
    assert _filename(body) == "ranking-telecom-2026-05.json"
    assert all((i["position"] is None) == (not i["ranked"]) for i in doc["items"])


def test_a_rolling_ranking_names_its_as_of_day_and_can_be_asked_for_by_it(api):
    latest = api.get("/api/v1/rankings?window=90d").get_json()
    assert latest["period"] == AS_OF.isoformat() and latest["is_final"] is False
    pinned = api.get(f"/api/v1/rankings.csv?window=90d&as_of={AS_OF}")
    assert _filename(pinned) == f"ranking-all-sectors-90d-{AS_OF}.csv"
    assert {r["period"] for r in _rows(pinned)} == {AS_OF.isoformat()}
    assert api.get("/api/v1/rankings?window=90d&as_of=2017-12-01").status_code == 404
    refused = api.get("/api/v1/rankings?window=month&as_of=2026-05-31")
    assert refused.status_code == 400
    assert refused.get_json()["invalid_params"][0]["name"] == "as_of"


def test_a_brand_has_its_own_csv_with_every_figure_of_its_json(api):
    detail = api.get(f"/api/v1/brands/{SLUG}?window=2026-05")
    score = detail.get_json()["score"]
    response = api.get(f"/api/v1/brands/{SLUG}.csv?window=2026-05")
    (row,) = _rows(response)
    assert _filename(response) == f"{SLUG}-2026-05.csv"
    assert _filename(detail) == f"{SLUG}-2026-05.json"
    assert (row["brand"], row["period"], row["is_final"]) == (SLUG, "2026-05", "true")
    for name in ("p90_reply_s", "within_30m", "median_business_s", "median_offhours_s"):
        expected = score[name]
        assert row[name] == ("" if expected is None else repr(float(expected))), name
    assert row["recovery_rate"] == (
        "" if score["recovery_rate"] is None else repr(score["recovery_rate"])
    )
    assert row["methodology_version"] == score["methodology_version"]
    assert row["topics"] and "{" in row["topics"]


def test_topics_and_delays_are_tables_of_their_own_adding_up_to_the_brand_figures(api):
    score = api.get(f"/api/v1/brands/{SLUG}").get_json()["score"]
    topics = api.get(f"/api/v1/brands/{SLUG}/topics").get_json()
    assert {i["topic"]: i["complaints"] for i in topics["items"]} == score["topics"]
    counts = [i["complaints"] for i in topics["items"]]
    assert counts == sorted(counts, reverse=True)
    delays = _rows(api.get(f"/api/v1/brands/{SLUG}/delays.csv?as_of={AS_OF}"))
    assert {r["band"]: int(r["replies"]) for r in delays} == score["delay_histogram"]
    assert {(r["window"], r["period"], r["is_final"]) for r in delays} == {
        ("90d", AS_OF.isoformat(), "false")
    }
    month = api.get(f"/api/v1/brands/{SLUG}/topics.csv?window=2026-04")
    assert _filename(month) == f"{SLUG}-topics-2026-04.csv"
    assert {r["period"] for r in _rows(month)} <= {"2026-04"}


def test_compare_answers_the_period_asked_for_in_json_and_csv(api):
    both = "brands=nimbus-telecom,ondeline"
    doc = api.get(f"/api/v1/compare?{both}&window=2026-04").get_json()
    assert (doc["window"], doc["period"], doc["count"]) == ("month", "2026-04", 2)
    assert [i["brand"]["slug"] for i in doc["items"]] == ["nimbus-telecom", "ondeline"]
    response = api.get(f"/api/v1/compare.csv?{both}&window=2026-04")
    rows = _rows(response)
    assert _filename(response) == "compare-nimbus-telecom-ondeline-2026-04.csv"
    by_slug = {i["brand"]["slug"]: i["score"] for i in doc["items"]}
    for row in rows:
        assert row["period"] == "2026-04"
        assert row["carescore"] == (
            ""
            if by_slug[row["brand"]]["carescore"] is None
            else repr(by_slug[row["brand"]]["carescore"])
        )


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("brands=nimbus-telecom", "brands"),
        ("brands=nimbus-telecom,nope", "brands"),
        ("brands=nimbus-telecom,ondeline&window=2026-04&as_of=2026-04-30", "as_of"),
        ("window=all", "brands"),
    ],
)
def test_compare_refuses_what_it_cannot_answer(api, query, name):
    response = api.get(f"/api/v1/compare?{query}")
    assert response.status_code == 400
    assert response.get_json()["invalid_params"][0]["name"] == name


def test_periods_and_comparisons_on_both_databases(demo_client):
    latest = demo_client.get("/api/v1/rankings?window=90d").get_json()["period"]
    assert demo_client.get(f"/api/v1/rankings?window=90d&as_of={latest}").status_code == 200
    assert demo_client.get("/api/v1/rankings?window=all&as_of=2017-12-01").status_code == 404
    doc = demo_client.get("/api/v1/compare?brands=nimbus-telecom,ondeline").get_json()
    assert (doc["window"], doc["period"]) == ("90d", latest)
    assert all(i["score"]["period"] == latest for i in doc["items"] if i["score"])


def test_search_results_download_with_their_live_scores(api):
    page = api.get("/search?q=TELECOM").get_data(as_text=True)
    assert 'href="/api/v1/search.csv?q=TELECOM"' in page
    doc = api.get("/api/v1/search?q=TELECOM").get_json()
    rows = _rows(api.get("/api/v1/search.csv?q=TELECOM"))
    assert doc["count"] == len(rows) >= 2
    assert [r["slug"] for r in rows] == [i["slug"] for i in doc["items"]]
    assert {r["period"] for r in rows} == {AS_OF.isoformat()}
    assert all(r["window"] == "90d" and r["is_final"] == "false" for r in rows)


def test_the_methodology_accuracy_table_downloads_with_the_figures_it_shows(api):
    page = api.get("/methodology").get_data(as_text=True)
    section = page.split('<section aria-labelledby="accuracy">')[1].split("</section>")[0]
    links = dict(
        (kind, html.unescape(href))
        for href, kind in re.findall(r'<a href="([^"]+)" type="([^"]+)"', section)
    )
    shown = re.findall(r'<td class="num"><strong>([^<]+)</strong></td>', section)
    body = api.get(links["application/json"])
    doc = body.get_json()
    assert doc["count"] == len(shown) == len(doc["items"]) > 0
    assert [f"{i['value']:.3f}" for i in doc["items"]] == shown
    assert _filename(body) == f"accuracy-scorer-{doc['scorer_version']}.json"
    rows = _rows(api.get(links["text/csv"]))
    assert [(r["set"], r["metric"], float(r["value"])) for r in rows] == [
        (i["set"], i["metric"], i["value"]) for i in doc["items"]
    ]
    assert {r["scorer_version"] for r in rows} == {doc["scorer_version"]}
    for row in rows:
        assert float(row["interval_low"]) <= float(row["value"]) <= float(row["interval_high"])


def _shown_lists(page: str) -> list[tuple[str, str, str]]:
    """(sector, brand slug, Carescore as shown) of the home page's best and worst lists."""
    shown = []
    for card in page.split('<section class="sector card"')[1:]:
        sector = re.search(r'aria-labelledby="sector-([a-z0-9-]+)"', card)[1]
        for slug, score in re.findall(
            r'<li><a href="/brands/([a-z0-9-]+)">.*?<span class="score">([^<]+)</span>', card
        ):
            shown.append((sector, slug, score))
    return shown


@pytest.mark.parametrize("period", ["", "window=2026-05"])
def test_the_home_page_lists_download_with_the_brands_and_scores_shown(api, period):
    page = api.get(f"/?{period}").get_data(as_text=True)
    block = next(b for b in page.split('<p class="downloads">') if "/api/v1/leaders" in b)
    block = block.split("</p>")[0]
    links = {
        kind: html.unescape(h) for h, kind in re.findall(r'href="([^"]+)" type="([^"]+)"', block)
    }
    shown = _shown_lists(page)
    assert shown
    body = api.get(links["application/json"])
    doc = body.get_json()
    assert [(i["sector"], i["brand"], f"{i['carescore']:.1f}") for i in doc["items"]] == shown
    named = doc["period"] if doc["window"] == "month" else f"{doc['window']}-{doc['period']}"
    assert _filename(body) == f"leaders-{named}.json"
    rows = _rows(api.get(links["text/csv"]))
    assert [(r["sector"], r["brand"], r["group"]) for r in rows] == [
        (i["sector"], i["brand"], i["group"]) for i in doc["items"]
    ]
    assert {(r["window"], r["period"]) for r in rows} == {(doc["window"], doc["period"])}
    assert all(r["methodology_version"] for r in rows)
    if period == "window=2026-05":
        assert doc["period"] == "2026-05" and {r["is_final"] for r in rows} == {"true"}
    for group in ("best", "worst"):
        ranks = [i["rank_sector"] for i in doc["items"] if i["group"] == group]
        assert all(r is not None for r in ranks)
