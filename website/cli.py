"""`carescore serve`: the site under gunicorn."""

from __future__ import annotations

import os
import sys

import click


@click.command("serve")
@click.option("--bind", default="127.0.0.1:8000", show_default=True)
@click.option("--workers", type=int, default=None, help="default: from the CPU count")
def serve(bind: str, workers: int | None) -> None:
    """Serve the site with gunicorn (the production server)."""
    args = ["gunicorn", "--bind", bind, "--access-logfile", "-"]
    if workers:
        args += ["--workers", str(workers)]
    else:
        args += ["--workers", str(max(2, (os.cpu_count() or 1) * 2))]
    args.append("wsgi:app")
    click.echo(f"serving on http://{bind}", err=True)
    os.execvp(sys.executable, [sys.executable, "-m", *args])  # noqa: S606 - replaces this process
