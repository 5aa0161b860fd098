"""``liuhen serve``: gunicorn in the foreground, with the background task worker beside it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve Liuhen with gunicorn (and run the background worker unless --no-worker)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("LIUHEN_WORKERS", "2")))
        parser.add_argument(
            "--no-worker", action="store_true", help="do not start the background task worker"
        )

    def handle(self, *args, **opts):
        bind = f"{opts['host']}:{opts['port']}"
        worker = None
        if not opts["no_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "liuhen.cli.main", "db_worker"])
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "liuhen.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(opts["workers"]),
            "--threads",
            "4",
            "--timeout",
            "120",
            "--access-logfile",
            "-",
        ]
        self.stdout.write(f"Liuhen 留痕 serving on http://{bind}/")
        try:
            result = subprocess.call(cmd)
        except KeyboardInterrupt:
            result = 0
        finally:
            if worker is not None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=10)
        if result not in (0, -signal.SIGINT, -signal.SIGTERM):
            raise CommandError(f"gunicorn exited with status {result}")
