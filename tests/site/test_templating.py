"""The pages' template context (`website.templating`) answers every call as Jinja's own."""

from __future__ import annotations

from jinja2 import (
    DictLoader,
    Environment,
    pass_context,
    pass_environment,
    pass_eval_context,
)
from jinja2.runtime import Context

from carescore.settings import load_settings
from website import create_app
from website.templating import PageContext


def plain(value, suffix="!"):
    return f"<{value}{suffix}>"


@pass_context
def with_context(context, name):
    return f"{name}={context.get(name)}"


@pass_eval_context
def with_eval_context(eval_ctx, value):
    return f"{value} autoescape={eval_ctx.autoescape}"


@pass_environment
def with_environment(environment, value):
    return f"{value} {type(environment).__name__}"


def stops():
    raise StopIteration


class Helper:
    def method(self, value):
        return f"method {value}"

    @pass_context
    def context_method(self, context, name):
        return f"context method {name}={context.get(name)}"

    def __call__(self, value):
        return f"called {value}"


TEMPLATE = (
    "{% macro shout(text, caller=none) %}"
    "[{{ text|upper }}{% if caller %} {{ caller() }}{% endif %}]{% endmacro %}\n"
    '{{ plain("a") }} {{ plain("<b>", suffix="?") }}\n'
    '{{ shout("macro") }} {% call shout("outer") %}inner{% endcall %}\n'
    '{{ with_eval_context("e") }} {{ with_environment("v") }}\n'
    '{{ helper.method("m") }} {{ helper("x") }} {{ helper.context_method("top") }}\n'
    "{{ stops() is undefined }}\n"
    '{% set top = "block" %}{{ with_context("top") }}\n'
    '{% for item in ["one", "two"] %}{% set inner = item ~ "!" %}'
    '{{ with_context("inner") }} {{ with_context("item") }} '
    '{{ helper.context_method("inner") }} {{ plain(item) }} {{ shout(loop.index) }};'
    "{% endfor %}\n"
)


def render(context_class: type[Context]) -> str:
    env = Environment(loader=DictLoader({"page.html": TEMPLATE}), autoescape=True)
    env.context_class = context_class
    env.globals.update(
        plain=plain,
        with_context=with_context,
        with_eval_context=with_eval_context,
        with_environment=with_environment,
        stops=stops,
        helper=Helper(),
    )
    return env.get_template("page.html").render(top="render")


def test_calls_answer_as_jinja_does():
    ours, jinja = render(PageContext), render(Context)
    assert ours == jinja
    assert "&lt;&lt;b&gt;?&gt;" in ours  # a plain function's answer is escaped
    assert "inner=two!" in ours  # a loop's variables reach the context
    assert "context method inner=one!" in ours
    assert "[OUTER inner]" in ours and "autoescape=True" in ours and "True" in ours


def imported(context_class: type[Context]) -> str:
    templates = {
        "lib.html": "{% macro show() %}{{ extra is defined and extra }}{% endmacro %}",
        "page.html": '{% import "lib.html" as lib %}[{{ lib.show() }}]',
    }
    env = Environment(loader=DictLoader(templates), autoescape=True)
    env.context_class = context_class
    env.globals["shared"] = "S"
    lib = env.get_template("lib.html")
    plain_page = env.get_template("page.html").render()
    own_globals = env.get_template("page.html", globals={"extra": "E"}).render()
    return f"{plain_page} {own_globals} {lib.module.show()}"


def test_imports_see_the_globals_as_with_jinja():
    ours, jinja = imported(PageContext), imported(Context)
    assert ours == jinja == "[False] [E] False"


def test_the_site_renders_with_it():
    app = create_app(load_settings(database_url="sqlite://"))
    assert app.jinja_env.context_class is PageContext
