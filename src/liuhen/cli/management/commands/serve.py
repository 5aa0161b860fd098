"""``liuhen serve``: gunicorn in the foreground, with the background task worker and the scheduler beside it.

SIGTERM or SIGINT (Ctrl-C) reaches every child: nothing is left running when ``serve`` ends.
This module is also gunicorn's configuration module (``--config python:…``): see
:func:`post_worker_init`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve Liuhen with gunicorn (and run the background worker and scheduler unless --no-worker)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("LIUHEN_WORKERS", "2")))
        parser.add_argument("--no-worker", action="store_true", help="no background worker and scheduler")

    def handle(self, *args, **opts):
        bind = f"{opts['host']}:{opts['port']}"
        liuhen = [sys.executable, "-m", "liuhen.cli.main"]
        helpers: list[subprocess.Popen] = []
        if not opts["no_worker"]:
            helpers.append(subprocess.Popen([*liuhen, "db_worker"]))
            helpers.append(subprocess.Popen([*liuhen, "scheduler", "--parent", str(os.getpid())]))
        gunicorn = subprocess.Popen(_gunicorn_command(bind, opts["workers"]))
        children = [gunicorn, *helpers]

        def forward(signum, _frame):
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, forward)
        signal.signal(signal.SIGINT, forward)
        self.stdout.write(f"Liuhen 留痕 serving on http://{bind}/", ending="\n")
        self.stdout.flush()
        try:
            result = gunicorn.wait()
        finally:
            forward(signal.SIGTERM, None)
            for child in helpers:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        if result not in (0, -signal.SIGINT, -signal.SIGTERM):
            raise CommandError(f"gunicorn exited with status {result}")


def post_worker_init(worker) -> None:
    """gunicorn hook, run in each worker before it accepts connections: import the URL configuration
    (and with it every view module) now. Django does it lazily on the first request, which made the
    first request each worker served about a second slower."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the property does the import


def _gunicorn_command(bind: str, workers: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "liuhen.wsgi:application",
        "--config", f"python:{__name__}",  # only for post_worker_init; every setting is given here
        "--bind", bind,
        "--workers", str(workers),
        "--threads", "4",
        "--timeout", "120",
        "--graceful-timeout", "10",
        "--no-control-socket",  # one fixed path under $HOME would clash between several instances
        "--access-logfile", "-",
    ]  # fmt: skip
