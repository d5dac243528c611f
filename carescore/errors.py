"""Carescore's exceptions: one base, one branch for what a person can fix.

    CarescoreError
    ├── UserError            a message meant for a person; the edges show it as it is
    │   ├── BadInput         a file, an option or a parameter we cannot use
    │   │   ├── RegistryError    a malformed brand registry
    │   │   └── BadCursor        a pagination cursor we did not issue
    │   ├── NotFound         no such brand, sector or snapshot
    │   ├── ConfigError      a setting that makes it unsafe or impossible to start
    │   ├── DatabaseUnavailable  the database does not answer
    │   └── AlreadyRunning   another process holds this job's lock
    └── (collectors.CollectorError: a source cannot go on; the runner counts it)

Each edge turns a `UserError` into its own shape in one place: the CLI prints one line
and exits with status 2 (`carescore.cli`), the API answers an RFC 9457 problem document
(400 for `BadInput`, 404 for `NotFound`), the pages an error page. Anything else is a bug:
logged with its traceback, shown to nobody.

The built-in base each one also derives from (`ValueError`, `LookupError`,
`RuntimeError`) is kept so callers that caught those before still do.
"""

from __future__ import annotations


class CarescoreError(Exception):
    """Every exception Carescore raises on purpose."""


class UserError(CarescoreError):
    """Something a person asked for or configured cannot be done; the message says why."""


class BadInput(UserError, ValueError):
    """Input a person gave us (a file, an option, a query parameter) that we cannot use."""


class RegistryError(BadInput):
    """The registry file is malformed; the message names the line or the entry."""


class BadCursor(BadInput):
    """A pagination cursor that we did not issue."""


class NotFound(UserError, LookupError):
    """The brand, sector or period asked for does not exist."""


class ConfigError(UserError, RuntimeError):
    """A setting that makes it unsafe or impossible to start."""


class DatabaseUnavailable(UserError, RuntimeError):
    """The database cannot be reached; the message is meant for a person."""


class AlreadyRunning(UserError, RuntimeError):
    """Another process holds the lock for this job."""


__all__ = [
    "AlreadyRunning",
    "BadCursor",
    "BadInput",
    "CarescoreError",
    "ConfigError",
    "DatabaseUnavailable",
    "NotFound",
    "RegistryError",
    "UserError",
]
