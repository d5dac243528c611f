"""The settings an app was built with, for the code that runs inside it.

`create_app` keeps the one `Settings` object it was handed in `app.extensions`; nothing
in the site reads the environment. Flask's own `app.config` keeps only what Flask and its
extensions read (SECRET_KEY, TESTING...), so no collector secret ever lands there.
"""

from __future__ import annotations

from flask import Flask, current_app

from carescore.settings import Settings

KEY = "carescore.settings"


def settings(app: Flask | None = None) -> Settings:
    """The app's settings (the current app's when none is given)."""
    return (app or current_app).extensions[KEY]
