"""French and English: locale choice, the language switch, and per-locale number formats.

The locale comes from `?lang=en|fr` when present (a shareable, cacheable URL), otherwise
from Accept-Language, otherwise English. Once a visitor picks a language, every link the
site builds carries it, so the choice survives navigation without a cookie.

The French catalogue is committed both as `.po` (to edit) and `.mo` (what runs), so a
fresh clone works with no build step; tests/site/test_i18n.py fails when a string of the
templates, of `website/` or of the vocabulary has no French translation, when the .po keeps
a message nothing uses any more, or when the .mo is not the .po compiled. After changing
strings:

    .venv/bin/pybabel extract -F website/translations/babel.cfg -k _l -k lazy_gettext \
        --no-location --omit-header -o website/translations/messages.pot .
    .venv/bin/pybabel update -i website/translations/messages.pot -d website/translations \
        --ignore-obsolete
    (translate the new entries in website/translations/fr/LC_MESSAGES/messages.po)
    .venv/bin/pybabel compile -d website/translations
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any
from weakref import WeakKeyDictionary

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import format_percent, get_decimal_symbol, get_group_symbol
from babel.support import Translations
from flask import Flask, Response, g, request, url_for
from flask.globals import _cv_app, _cv_request
from flask_babel import Babel, format_date, format_time, get_locale, get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

from carescore.vocab import (
    LABEL_NAMES,
    NOT_JUDGED_NAME,
    SORT_NAMES,
    WINDOW_NAMES,
    sector_name,
    topic_name,
)

LANGUAGES = ("en", "fr")
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
# The catalogues are package data: found where the package is installed, like the
# templates and static files (website/__init__.py), so a wheel carries and finds them.
TRANSLATIONS = str(resources.files("website") / "translations")
DASH = "—"
NBSP = "\u00a0"


def current_lang() -> str:
    """This request's language, looked up once (tables format hundreds of figures).

    Read from the app context's `g` itself: each access through the `g` proxy costs
    about a microsecond, and a ranking's figures ask for the language a hundred times.
    """
    ctx = _cv_app.get(None)
    found = getattr(ctx.g, "lang", None) if ctx is not None else None
    if found is None:
        found = g.lang = str(get_locale() or "en")
    return found


def _select_locale() -> str:
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        g.explicit_lang = asked
        return asked
    return request.accept_languages.best_match(LANGUAGES) or "en"


def _keep_lang(endpoint: str, values: dict[str, Any]) -> None:
    """Links built while a language was chosen by URL keep that language."""
    lang = g.get("explicit_lang") if request else None
    if lang and not endpoint.startswith(("static", "api")):
        values.setdefault("lang", lang)


def switch_url(lang: str) -> str:
    """This page in another language (the home page when the page has no endpoint)."""
    asked = _cv_request.get().request  # once, not through the `request` proxy each time
    endpoint = asked.endpoint
    if endpoint is None or endpoint == "static":
        return url_for("pages.home", lang=lang)
    args = {k: v for k, v in asked.args.items() if k != "lang"}
    return url_for(endpoint, **(asked.view_args or {}), **args, lang=lang)


def duration(seconds: float | None) -> str:
    """A reply delay as people say it: "45 s", "12 min", "1 h 05", "2 d 3 h" ("2 j 3 h")."""
    if seconds is None:
        return DASH
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}{NBSP}s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes}{NBSP}min"
    if minutes < 24 * 60:
        return f"{minutes // 60}{NBSP}h{NBSP}{minutes % 60:02d}"
    hours = round(seconds / 3600)
    day = "j" if current_lang() == "fr" else "d"
    return f"{hours // 24}{NBSP}{day}{NBSP}{hours % 24}{NBSP}h"


@lru_cache(maxsize=8)
def _number_symbols(lang: str) -> tuple[str, str, str]:
    """The locale's decimal mark, group separator and percent template, from CLDR via Babel.

    Formatting through Babel on every call costs ~15 µs; a ranking table formats hundreds
    of figures, so the symbols are read once per locale and applied with str.format.
    """
    locale = Locale.parse(lang)
    template = format_percent(0.42, locale=locale).replace("42", "{}")
    return get_decimal_symbol(locale), get_group_symbol(locale), template


def number(value: float | None, digits: int = 0) -> str:
    """A count or score with the locale's separators: "1,234.5" / "1 234,5"."""
    if value is None:
        return DASH
    decimal, group, _ = _number_symbols(current_lang())
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


def percent(value: float | None) -> str:
    """A share as a whole percentage in the locale's pattern ("41%", "41 %")."""
    if value is None:
        return DASH
    return _number_symbols(current_lang())[2].format(number(value * 100))


def under(low: float | None, high: float | None, kind: str) -> Markup:
    """A figure's interval on a line of its own below it (`_macros.html`'s `under`), as
    one call: a ranking shows three per brand, and a macro call costs several times a
    function's. `kind` is the filter that formats both ends: percent or duration."""
    if low is None or high is None:
        return Markup("")
    fmt = _UNDER[kind]
    ends = f"{escape(fmt(low))}–{escape(fmt(high))}"
    return Markup(f'<br><span class="ci">{ends}</span>')  # noqa: S704 - both ends escaped


_UNDER = {"percent": percent, "duration": duration}


@lru_cache(maxsize=1024)
def _month(period: str, lang: str, pattern: str) -> str:
    """A month named once per language: a brand page names the same months dozens of
    times and Babel takes ~40 µs each."""
    year, month = (int(p) for p in period.split("-")[:2])
    return babel_format_date(date(year, month, 1), pattern, locale=lang)


def month_name(period: str | None) -> str:
    """'2026-05' -> 'May 2026' / 'mai 2026'."""
    if not period:
        return DASH
    return _month(period, current_lang(), "MMMM yyyy")


def short_month(period: str) -> str:
    """'2026-05' -> 'May 2026' / 'mai 2026', for chart axes: with the whole year, so
    'Oct 2026' cannot be read as the 26th of October."""
    return _month(period, current_lang(), "MMM yyyy")


def long_date(value: date | datetime | str | None) -> str:
    if value is None:
        return DASH
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    return _long_date(value, current_lang())


@lru_cache(maxsize=1024)
def _long_date(day: date, lang: str) -> str:
    """A day named once per language (`lang` is the request's, which Flask-Babel's
    format_date reads itself): pages name today and the period's days on every request."""
    return format_date(day, "long")


def post_time(value: datetime | None) -> str:
    """When a post was published, to the minute, in UTC: "November 26, 2017, 00:54 UTC".

    UTC because a post's readers are in every time zone and the platform's own page shows
    each reader their own; the minute because replies are timed in minutes.
    """
    if value is None:
        return DASH
    return f"{format_date(value, 'long')}, {format_time(value, 'HH:mm')} UTC"


@lru_cache(maxsize=4)
def _catalogue(lang: str) -> Translations:
    return Translations.load(TRANSLATIONS, [lang])


def warm() -> None:
    """Load each language's catalogue and number symbols before the first request needs
    them (website/warm.py)."""
    for lang in LANGUAGES:
        if lang != "en":
            _catalogue(lang)
        _number_symbols(lang)


def translate(message: str, lang: str) -> str:
    """`message` in `lang` from the catalogue, outside any request's own language (the API
    sends the French and English names of a sector side by side)."""
    return message if lang == "en" else _catalogue(lang).ugettext(message)


def _display(names: dict[str, str], code: str | None) -> str:
    """A code's display name from `carescore.vocab`, in this request's language."""
    if code is None:
        return DASH
    name = names.get(code)
    return _translations().ugettext(name) if name else code


def sector_label(slug: str) -> str:
    return _translations().ugettext(sector_name(slug))


def label_label(code: str | None) -> str:
    """A post's label; no label means the scorer did not judge the post ("Not judged")."""
    if code is None:
        return _translations().ugettext(NOT_JUDGED_NAME)
    return _display(LABEL_NAMES, code)


def window_label(code: str | None) -> str:
    return _display(WINDOW_NAMES, code)


def sort_label(code: str | None) -> str:
    return _display(SORT_NAMES, code)


def post_label(code: str | None) -> str:
    """A post's label inside a sentence ("labelled complaint", « étiqueté plainte »)."""
    return label_label(code).lower()


def topic_label(code: str) -> str:
    """The topic's name from the scorer's taxonomy, which holds both languages."""
    return topic_name(code, current_lang())


def _translations():
    """This request's catalogue, looked up once: templates call gettext dozens of times."""
    ctx = _cv_app.get(None)
    found = getattr(ctx.g, "translations", None) if ctx is not None else None
    if found is None:
        found = g.translations = get_translations()
    return found


# Per catalogue: a message without variables, translated, as Markup and %-formatted, the
# way Jinja's i18n extension returns it. A page shows the same hundred such messages on
# every request; each cost a catalogue lookup, a Markup and a formatting.
_FINISHED: WeakKeyDictionary[Any, dict[str, Markup]] = WeakKeyDictionary()


def _text() -> tuple[Any, dict[str, Markup]]:
    """This request's catalogue and its language's finished strings, looked up once per
    request and kept on `g` (outside a request, looked up on every call)."""
    ctx = _cv_app.get(None)
    found = getattr(ctx.g, "_carescore_text", None) if ctx is not None else None
    if found is None:
        translations = _translations()
        found = (translations, _FINISHED.setdefault(translations, {}))
        if ctx is not None:
            ctx.g._carescore_text = found
    return found


# The callables take the evaluation context, not the template context: Jinja passes a
# template context by deriving a new one for every call made inside a loop or a block
# that sets variables, which cost more than the translation.
@pass_eval_context
def _gettext(__eval_ctx: EvalContext, __string: str, **variables: Any) -> str:
    """Jinja's new-style gettext (escaped variables, always %-formatted), in one call
    instead of three (the `_` alias, the wrapper and the catalogue callable)."""
    translations, finished = _text()
    autoescape = __eval_ctx.autoescape
    if not variables and autoescape:
        rv = finished.get(__string)
        if rv is None:
            # the catalogue is part of the code base; Jinja's callables trust it alike
            rv = finished[__string] = Markup(translations.ugettext(__string)) % {}  # noqa: S704
        return rv
    rv = translations.ugettext(__string)
    if autoescape:
        rv = Markup(rv)  # noqa: S704 - the catalogue, not input; variables are escaped
    return rv % variables


@pass_eval_context
def _ngettext(
    __eval_ctx: EvalContext, __singular: str, __plural: str, __num: int, **variables: Any
) -> str:
    """Jinja's new-style ngettext (`num` defaults to the count), in one call."""
    variables.setdefault("num", __num)
    rv = _text()[0].ungettext(__singular, __plural, __num)
    if __eval_ctx.autoescape:
        rv = Markup(rv)  # noqa: S704 - the catalogue, not input; variables are escaped
    return rv % variables


def _install_fast_gettext(app: Flask) -> None:
    """Flask-Babel's template callables look the catalogue up on every call; ours once
    per request.

    `_`, `gettext` and `ngettext` answer like Jinja's new-style callables
    (tests/site/test_i18n.py).
    """
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(_=_gettext, gettext=_gettext, ngettext=_ngettext)


def _vary(response: Response) -> Response:
    if request.path.startswith(("/static/", "/api/")):
        return response
    headers = response.headers
    vary = next((value for name, value in headers if name.lower() == "vary"), None)
    if vary is None:  # the common case, without parsing and rewriting a header set
        headers.add("Vary", "Accept-Language")
    else:
        response.vary.add("Accept-Language")
    return response


def _context() -> dict[str, Any]:
    lang = current_lang()
    other = "fr" if lang == "en" else "en"
    return {
        "lang": lang,
        "other_lang": other,
        "other_lang_name": LANGUAGE_NAMES[other],
        "switch_url": switch_url,
    }


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", TRANSLATIONS)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    Babel(app, locale_selector=_select_locale)
    _install_fast_gettext(app)
    app.url_defaults(_keep_lang)
    app.after_request(_vary)
    app.context_processor(_context)
    app.jinja_env.globals["under"] = under
    app.jinja_env.filters.update(
        duration=duration,
        percent=percent,
        number=number,
        month_name=month_name,
        short_month=short_month,
        long_date=long_date,
        post_time=post_time,
        sector=sector_label,
        topic=topic_label,
        label_name=label_label,
        window_name=window_label,
        sort_name=sort_label,
        post_label=post_label,
    )
