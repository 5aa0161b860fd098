"""Ledger on PostgreSQL: single-entry commits/s and batched entries/s through the same append path as
on SQLite, against a throwaway PostgreSQL 15 cluster started for the run (``scripts/with-postgres.sh``;
fsync on, as a server would run).

Run alone: ``.venv/bin/python -m bench ledger_pg``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.common import BenchResult

ROOT = Path(__file__).resolve().parents[1]
MARK = "LEDGER-PG-JSON "
CHILD = (
    "import dataclasses, json; from bench.common import django_sandbox; django_sandbox('ledger-pg-'); "
    "from bench.ledger_bench import _appends; "
    f"print({MARK!r} + json.dumps([dataclasses.asdict(r) for r in _appends("
    "database='PostgreSQL 15', prefix='ledger_pg')]))"
)


def run() -> list[BenchResult]:
    env = {**os.environ, "LIUHEN_PG_DURABLE": "1"}
    proc = subprocess.run(
        [str(ROOT / "scripts" / "with-postgres.sh"), sys.executable, "-c", CHILD],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    line = next(line for line in proc.stdout.splitlines() if line.startswith(MARK))
    return [BenchResult(**item) for item in json.loads(line[len(MARK) :])]


if __name__ == "__main__":
    for result in run():
        print(result)
