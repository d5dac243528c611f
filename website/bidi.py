"""Brand names and other untrusted text isolated from the sentence around them.

A name may be written right to left, or carry bidirectional controls (U+202E and the
like): set inside a translated caption it could reorder the words around it ("Complaint
topics, <name>" read backwards). In HTML a name goes in `<bdi>`; where markup is not
markup (the page's `<title>`, attributes, SVG chart titles, feed titles, the citation
one copies) it is wrapped in the Unicode isolates FIRST STRONG ISOLATE (U+2068) and
POP DIRECTIONAL ISOLATE (U+2069), which do the same for plain text.
"""

from __future__ import annotations

from flask import Flask
from markupsafe import Markup, escape

FSI, PDI = "\u2068", "\u2069"


def isolate(value: object) -> str:
    """Plain text: the value between FSI and PDI (escaped later, like any text)."""
    return f"{FSI}{value}{PDI}"


def bdi(value: object) -> Markup:
    """HTML: the value, escaped, in a <bdi> element."""
    return Markup("<bdi>{}</bdi>").format(escape(value))


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(isolate=isolate, bdi=bdi)
