"""The template context the pages render with: Jinja's, with its calls made cheaper.

A template calls a function or a macro through `Context.call`, which asks each callable
whether it wants the context, the evaluation context or the environment passed first
(`jinja2.pass_context` and its kin mark a function with `jinja_pass_arg`). Jinja asks
twice per call, once of the callable's `__call__`, with `hasattr` on objects that mostly
lack the attribute; a page makes a hundred such calls (links, messages, macros), and the
asking cost about as much as the call. For a plain function, a bound method of one and a
macro the answer is the function's own `jinja_pass_arg` (a macro has none), read here
from its `__dict__`; anything else, and a function that wants the template context (which
a call inside a loop or a block derives anew), goes through Jinja's own `call`.

An `{% import %}` asks which of the context's global names the imported template lacks,
as `context.globals_keys - template.globals.keys()`: a set less a view of a `ChainMap`,
which Python answers name by name through the view (about 45 us for the site's 26
globals, twice a page). The context keeps its names in a set whose difference reads the
`ChainMap` once (about 5 us), with the same answer.
"""

from __future__ import annotations

from types import FunctionType, MethodType
from typing import Any

from flask import Flask
from jinja2.runtime import Context, Macro
from jinja2.utils import _PassArg


class _GlobalNames(set):
    """A context's global names; less another mapping's names, read in one pass."""

    def __sub__(self, other: Any) -> set:
        return set.difference(self, other)


class PageContext(Context):
    """Jinja's context; `call` and the global names answer as Jinja's do
    (tests/site/test_templating.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals_keys = _GlobalNames(self.globals_keys)

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        kind = type(__obj)
        if kind is FunctionType:
            pass_arg = __obj.__dict__.get("jinja_pass_arg")
        elif kind is MethodType and type(__obj.__func__) is FunctionType:
            pass_arg = __obj.__func__.__dict__.get("jinja_pass_arg")
        elif kind is Macro:
            pass_arg = None
        else:
            return Context.call(__self, __obj, *args, **kwargs)
        if pass_arg is not None:
            if pass_arg is _PassArg.eval_context:
                args = (__self.eval_ctx, *args)
            elif pass_arg is _PassArg.environment:
                args = (__self.environment, *args)
            else:
                return Context.call(__self, __obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


def init_app(app: Flask) -> None:
    """Every template the app renders gets a `PageContext` (the pages, the embeds, the
    error pages, the feeds)."""
    app.jinja_env.context_class = PageContext
