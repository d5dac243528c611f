"""`carescore serve`: the site under gunicorn with the production settings."""

from __future__ import annotations

import os
import sys

import click

from carescore.cli.common import engine, settings

CONFIG = "python:website.gunicorn_conf"
APP = "website:create_app()"


@click.command("serve")
@click.option("--bind", default=None, help="address:port (default 127.0.0.1:8000)")
@click.option(
    "--workers", type=int, default=None, help="default: one per CPU (gevent), else 2 x CPUs + 1"
)
def serve(bind: str | None, workers: int | None) -> None:
    """Serve the site with gunicorn and website/gunicorn_conf.py.

    The database is checked first, so a wrong URL or a server that is down is one line
    and a non-zero exit, not a crash loop of workers.
    """
    engine()
    # gunicorn reads the settings again in its own process: the options reach it the same
    # way as every other setting, through the environment it inherits.
    if bind:
        os.environ["CARESCORE_BIND"] = bind
    if workers:
        os.environ["CARESCORE_WORKERS"] = str(workers)
    address = bind or settings().bind
    click.echo(f"serving on http://{address}", err=True)
    args = [sys.executable, "-m", "gunicorn", "-c", CONFIG, APP]
    os.execv(sys.executable, args)  # noqa: S606 - replaces this process with gunicorn
