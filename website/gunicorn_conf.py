"""Production gunicorn settings: `gunicorn -c python:website.gunicorn_conf wsgi:app`.

The values come from the Carescore settings (CARESCORE_BIND, CARESCORE_WORKERS...), read
once when gunicorn loads this file; gunicorn's own `GUNICORN_CMD_ARGS` still overrides
them, so one file serves a laptop and a host.
"""

import gc
import os
import shutil
import tempfile

from prometheus_client import values as _prometheus_values

from carescore.settings import load_settings

_settings = load_settings()

# gevent workers: one greenlet per connection, so idle, slow or half-sent requests cost a
# few kilobytes each instead of a whole worker (five half-open sockets used to stop all
# five sync workers until the timeout killed them). Requests stay short and CPU-bound:
# they read precomputed snapshots; psycopg and the pool wait cooperatively under gevent.
# Measured in bench/slowclients.py (sync, gthread and gevent side by side).
worker_class = _settings.worker_class
if worker_class == "gevent":
    # Patched here, in the master, before any module of the site is imported (the app is
    # preloaded): patching after the import, as the worker does by itself, leaves already
    # imported modules holding the blocking socket and threading functions, and psycopg
    # chooses its way of waiting for the server when it is imported (a blocking one, that
    # stops the whole worker, unless gevent is already in place).
    from gevent import monkey
    from gevent import sleep as _gevent_sleep

    monkey.patch_all()

from website.access_log import ACCESS_LOG_FORMAT  # noqa: E402  (after the patch, above)

# The monitoring listener, when set, is a second socket of the same workers; the app
# serves /metrics there (website/observability.py tells the listeners apart).
# Rate limits: with the default in-memory storage each worker would keep its own count,
# letting a client through once per worker; the workers share one memory-mapped file
# instead (website/api/hostcounts.py). The app reads the setting after this file has run.
if _settings.ratelimit_storage == "memory://" and _settings.workers > 1:
    _counts_dir = tempfile.mkdtemp(prefix="carescore-ratelimit-")
    os.environ["CARESCORE_RATELIMIT_STORAGE"] = "file://" + os.path.join(_counts_dir, "counts")

bind = [_settings.bind, *([_settings.metrics_bind] if _settings.metrics_bind else [])]
workers = _settings.workers
threads = _settings.threads
# Open connections per gevent worker; a slow client holds one until it finishes or the
# keep-alive timeout closes it. A reverse proxy in front (docs/deploy.md) buffers slow
# clients before they reach gunicorn at all.
worker_connections = _settings.worker_connections
timeout = _settings.timeout
graceful_timeout = 20
keepalive = 5
# The app is imported once by the master and forked: a worker starts in milliseconds, so a
# restart (max_requests, a crash) no longer re-imports the app while requests wait. The
# master imports but never connects: engines and pools are opened lazily in each worker.
preload_app = _settings.preload
# A bound on slow leaks, not a routine: at a few hundred requests per second per worker
# this restarts each worker every minute or so.
max_requests = 20000
max_requests_jitter = 2000
accesslog = _settings.access_log_file
# gunicorn's lines, building only the atoms the format names (website/access_log.py).
logger_class = "website.access_log.AccessLogger"
errorlog = "-"
loglevel = _settings.log_level
access_log_format = ACCESS_LOG_FORMAT
# Workers share Prometheus counters through files in this directory.
_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(
    prefix="carescore-metrics-"
)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_dir
# Loading this file imported the `website` package, and prometheus_client with it, before
# the directory above was set; the library chooses between per-process values and shared
# files when it is imported, so it chooses again now (the site's metrics have labels, so
# their values are made per request, in the workers, with this choice).
_prometheus_values.ValueClass = _prometheus_values.get_value_class()


def on_starting(server):
    os.makedirs(_metrics_dir, exist_ok=True)
    for name in os.listdir(_metrics_dir):
        os.unlink(os.path.join(_metrics_dir, name))


def when_ready(server):
    # With preload_app the master has imported the app and forks every worker from here on:
    # what it loads now, each worker starts with (website/warm.py). Frozen, the master's
    # ~140,000 objects leave the collector's generations, so a worker's full collection
    # scans only what the worker made: measured in process on the demo, 160 ms with them
    # and 23 ms without, each collection landing on some request. It also keeps the
    # inherited pages shared, since a collection writes to every object it scans.
    if preload_app:
        from flask import Flask

        from website.warm import warm

        app = server.app.wsgi()
        if isinstance(app, Flask):
            warm(app)
    gc.freeze()


def post_fork(server, worker):
    # Nothing opened in the master may be shared with a worker; engine_for opens lazily, so
    # this only makes sure a future import-time connection could never be inherited.
    from carescore.store.db import engine_for, web_engine

    engine_for.cache_clear()
    web_engine.cache_clear()


def post_request(worker, req, environ, resp):
    # A gevent worker switches greenlets only when one waits. On a keep-alive connection
    # whose next request has already arrived, the greenlet that just answered reads it
    # without waiting and answers again, while the worker's other connections wait: p50
    # under a millisecond, p99 in the hundreds. Yielding after each request serves the
    # worker's connections in turn (bench/api.py, 20 connections, 5 workers: p99 of the
    # hello-world 142 -> 38 ms, of cached answers 142-149 -> 26-34 ms, of built ones
    # 331-341 -> 70-81 ms; docs/performance.md).
    # The yield is a timer, not sleep(0): sleep(0) queues a callback, and gevent runs up to
    # 50 queued callbacks before it polls again, each here a whole request, so a busy
    # worker accepted a new connection (one per poll with several workers) once per 50
    # requests: under load a new connection's first request waited up to seconds (the
    # rendered home page's p99 of 391-1,700 ms). A timer resumes after the next poll.
    if worker_class == "gevent":
        _gevent_sleep(1e-6)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _metrics_dir.startswith(tempfile.gettempdir()):
        shutil.rmtree(_metrics_dir, ignore_errors=True)
