"""Production gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every value can be overridden by a `CARESCORE_GUNICORN_*` or gunicorn's own
`GUNICORN_CMD_ARGS` environment variable, so one file serves a laptop and a host.
"""

import multiprocessing
import os
import shutil
import tempfile

bind = os.environ.get("CARESCORE_BIND", "127.0.0.1:8000")
# Sync workers: requests read precomputed snapshots, so they are short and CPU-bound.
workers = int(os.environ.get("CARESCORE_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("CARESCORE_THREADS", "1"))
timeout = int(os.environ.get("CARESCORE_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("CARESCORE_ACCESS_LOG_FILE", "-")
errorlog = "-"
loglevel = os.environ.get("CARESCORE_LOG_LEVEL", "info")
access_log_format = (
    '{"remote":"%(h)s","method":"%(m)s","path":"%(U)s","status":%(s)s,'
    '"bytes":%(B)s,"duration_us":%(D)s,"request_id":"%({x-request-id}o)s"}'
)
# Workers share Prometheus counters through files in this directory.
_metrics_dir = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="carescore-metrics-")
)


def on_starting(server):
    os.makedirs(_metrics_dir, exist_ok=True)
    for name in os.listdir(_metrics_dir):
        os.unlink(os.path.join(_metrics_dir, name))


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _metrics_dir.startswith(tempfile.gettempdir()):
        shutil.rmtree(_metrics_dir, ignore_errors=True)
