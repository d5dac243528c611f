"""The brand page's parts that show its score rows or its recent posts, rendered once per
input and kept.

The headline (score, rank, period links), the figures (the table of every measure, the
monthly trend, the delays and the topics, with their charts) and the citation read
nothing but the brand, its score for the period, its monthly snapshots, the request's
language, the links' query (a language asked for by URL) and, for the citation, today's
date; a ranking run is what changes them. The lists of recent posts read the posts and
the language alone. Together they are most of the page's rendering, so the page renders
each once per input (`templates/_brand_parts.html`) and keeps it, a bounded number per
app and worker, the least recently used dropped first.

A part is keyed by the values it shows, not by an id or the data generation: the rows
read for this very request are part of the key, so a kept part can never show other
figures or posts than a fresh rendering would. The statements, incidents and accounts
are rendered on every request.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock

from flask import current_app, url_for
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from carescore.read.brand_page import BrandPageReport
from carescore.store.columns import utcnow
from website.i18n import current_lang

TEMPLATE = "_brand_parts.html"
SCORE_PARTS = ("head", "figures", "citation")
POST_PARTS = ("posts",)
KEPT = 512  # parts of 1 to 15 kB, per worker
_KEY = "carescore.brand_parts"


class _Kept:
    """A small LRU mapping, safe to share between a worker's threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Hashable, Markup] = OrderedDict()
        self.lock = Lock()

    def get(self, key: Hashable) -> Markup | None:
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def put(self, key: Hashable, part: Markup) -> None:
        with self.lock:
            self.items[key] = part
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


def _inputs(report: BrandPageReport, name: str) -> Hashable:
    """Every input of the part `name`. For the score parts, the brand page's own address
    as `url_for` builds it for this request stands for everything their links take from
    the request."""
    if name in POST_PARTS:
        return (current_lang(), repr(report.fails), repr(report.praise), repr(report.unjudged))
    return (
        current_lang(),
        url_for("pages.brand", slug=report.brand.slug),
        utcnow().date(),
        report.brand,
        report.window,
        report.period,
        repr(report.score),
        tuple(report.history),
    )


def kept_parts(report: BrandPageReport) -> Callable[..., Markup]:
    """The template's `kept(name)`: the part `name` (a macro of `TEMPLATE`), rendered from
    the page's own template context the first time its inputs are seen."""
    store = current_app.extensions.get(_KEY) or current_app.extensions.setdefault(_KEY, _Kept(KEPT))
    inputs: dict[str, Hashable] = {}
    module = None

    @pass_context
    def kept(context: Context, name: str) -> Markup:
        nonlocal module
        group = "posts" if name in POST_PARTS else "scores"
        if group not in inputs:
            inputs[group] = _inputs(report, name)
        key = (name, inputs[group])
        part = store.get(key)
        if part is None:
            if module is None:
                template = context.environment.get_template(TEMPLATE)
                module = template.make_module(context.get_all())
            part = getattr(module, name)()
            store.put(key, part)
        return part

    return kept
