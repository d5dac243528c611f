"""gunicorn's access log, writing the same lines for a fraction of the CPU.

gunicorn builds every atom its log format could name before formatting a line: one per
request header, response header and WSGI environ entry (sixty-odd entries, each key
lower-cased and formatted), then copies them all to escape quotes. Under load that was a
quarter of the CPU a gevent worker spent on a hello-world and a tenth of a built API
answer's (py-spy on a worker, docs/performance.md), for a format that names seven atoms.
`AccessLogger` hands gunicorn's own `atoms` only what the configured format names, so
the line, its escaping and the logging handlers stay gunicorn's
(tests/test_access_log.py compares the lines for several formats).
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn import glogging

# One JSON object per request; the request id is the one the site sends back.
ACCESS_LOG_FORMAT = (
    '{"remote":"%(h)s","method":"%(m)s","path":"%(U)s","status":%(s)s,'
    '"bytes":%(B)s,"duration_us":%(D)s,"request_id":"%({x-request-id}o)s"}'
)
# `%({name}i)s`, `%({name}o)s`, `%({name}e)s`: a request header, response header or
# environ entry, matched without regard to case as gunicorn matches them.
_NAMED = re.compile(r"%\(\{([^}]*)\}([ioe])\)s")
_ATOM = re.compile(r"%\(([^)]*)\)")
# What gunicorn's plain atoms (h, u, r, m, U, q, H, f, a...) read of the environ.
_PLAIN_ENVIRON = (
    "REMOTE_ADDR",
    "HTTP_AUTHORIZATION",
    "REQUEST_METHOD",
    "RAW_URI",
    "PATH_INFO",
    "QUERY_STRING",
    "SERVER_PROTOCOL",
    "HTTP_REFERER",
    "HTTP_USER_AGENT",
)


class _Sent:
    """The response as gunicorn's `atoms` reads it, with only the headers asked for."""

    __slots__ = ("headers", "sent", "status")

    def __init__(self, status: Any, sent: Any, headers: list[tuple[str, str]]) -> None:
        self.status, self.sent, self.headers = status, sent, headers


def _names(format_: str, kind: str) -> frozenset[str]:
    return frozenset(name.lower() for name, k in _NAMED.findall(format_) if k == kind)


class AccessLogger(glogging.Logger):
    """gunicorn's Logger; `atoms` sees only the headers and environ entries the format names."""

    def setup(self, cfg: Any) -> None:
        """The names the format asks for; gunicorn runs this again on a reload."""
        super().setup(cfg)
        format_ = cfg.access_log_format
        self._in = _names(format_, "i")
        self._out = _names(format_, "o")
        self._env = _names(format_, "e")
        self._plain = tuple(dict.fromkeys(a for a in _ATOM.findall(format_) if a[:1] != "{"))

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        env = {key: environ[key] for key in _PLAIN_ENVIRON if key in environ}
        if self._env:
            env.update((k, v) for k, v in environ.items() if k.lower() in self._env)
        headers = getattr(req, "headers", req)
        headers = headers.items() if hasattr(headers, "items") else headers
        asked = [(k, v) for k, v in headers if k.lower() in self._in] if self._in else []
        sent = resp.headers.items() if hasattr(resp.headers, "items") else resp.headers
        named = [(k, v) for k, v in sent if k.lower() in self._out] if self._out else []
        shown = _Sent(resp.status, getattr(resp, "sent", None), named)
        every = super().atoms(shown, asked, env, request_time)
        # gunicorn copies every atom to escape its quotes: only those the format shows.
        atoms = {name: every[name] for name in self._plain if name in every}
        atoms.update((k, v) for k, v in every.items() if k[:1] == "{")
        return atoms
