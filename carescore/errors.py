"""Exceptions whose message is meant for a person, turned into one line at the edges."""

from __future__ import annotations

from carescore.settings import ConfigError
from carescore.store.brands import RegistryError
from carescore.store.db import DatabaseUnavailable


class BadInput(ValueError):
    """Input a person gave us (a file, an option) that we cannot use."""


UserError = (BadInput, RegistryError, ConfigError, DatabaseUnavailable)
