"""The one page-walking loop every source uses: cursors that never point past a batch."""

from __future__ import annotations

import json

from collectors.base import Batch, Page, Sweep, load_streams, walk_pages


def _pages(answers: dict[str | None, tuple[str | None, str | None]], seen: list):
    """fetch() over canned pages: page token -> (next token, newest on the page)."""

    def fetch(sweep: Sweep) -> Page | None:
        seen.append((sweep.page, sweep.since))
        if sweep.page not in answers:
            return None
        following, newest = answers[sweep.page]
        return Page(Batch(), next=following, newest=newest)

    return fetch


def test_a_sweep_pages_down_then_hands_its_newest_id_to_the_next_run():
    seen: list = []
    fetch = _pages({None: ("p2", "900"), "p2": ("p3", "800"), "p3": (None, "700")}, seen)
    cursors = [b.checkpoint for b in walk_pages(fetch, Sweep(since="500"))]
    assert [json.loads(c) for c in cursors] == [
        {"since": "500", "newest": "900", "page": "p2"},
        {"since": "500", "newest": "900", "page": "p3"},
        {"since": "900", "newest": None, "page": None},
    ]
    assert seen == [(None, "500"), ("p2", "500"), ("p3", "500")]


def test_a_crash_mid_sweep_resumes_at_the_saved_page():
    seen: list = []
    fetch = _pages({"p3": (None, "700")}, seen)
    resumed = Sweep.load(json.dumps({"since": "500", "newest": "900", "page": "p3"}))
    (batch,) = walk_pages(fetch, resumed)
    assert seen == [("p3", "500")]
    assert json.loads(batch.checkpoint)["since"] == "900", "the first page's newest id wins"


def test_streams_keep_every_query_in_one_cursor():
    streams = {"tag:a": Sweep(since="10")}
    fetch = _pages({None: ("n", "30"), "n": ("", "20")}, [])
    key = "tag:b"
    cursors = list(walk_pages(fetch, streams.setdefault(key, Sweep()), streams, key))
    first, last = (load_streams(b.checkpoint) for b in cursors)
    assert first["tag:a"].since == "10" and first[key].page == "n"
    assert last[key] == Sweep(since="30") and last["tag:a"].since == "10"


def test_fetch_may_end_a_sweep_without_a_batch():
    sweep = Sweep(since="5")
    assert list(walk_pages(lambda s: None, sweep)) == []
    assert sweep == Sweep(since="5"), "nothing moves when nothing was read"
