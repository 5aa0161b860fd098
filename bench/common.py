"""What every bench module returns from ``run()``: a list of :class:`BenchResult` (a rate or a ratio)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BenchResult:
    name: str
    value: float
    unit: str
    note: str = ""


def django_sandbox(prefix: str) -> Path:
    """Point Liuhen at a fresh data directory (file SQLite unless DATABASE_URL is set), set Django up
    and migrate. Call once per process: the runner gives each bench module its own process."""
    data = Path(tempfile.mkdtemp(prefix=prefix, dir=os.environ.get("LIUHEN_BENCH_DIR")))
    os.environ["LIUHEN_DATA_DIR"] = str(data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liuhen.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data
