"""`kill -9` in the middle of batched appends leaves the database and the log consistent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

APPENDER = """
import django, sys
django.setup()
from django.db import transaction
from liuhen.ledger.services import EntryDraft, ledger_append_many
from liuhen.ledger.checkpoints import checkpoint_issue
n = 0
while True:
    ledger_append_many(drafts=[EntryDraft("kill.batch", details={"batch": n, "i": i}) for i in range(500)])
    n += 1
    if n % 3 == 0:
        checkpoint_issue()
    print(n, flush=True)
"""


def _env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(LIUHEN_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="liuhen.settings")
    return env


def _liuhen(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "liuhen.cli.main", *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_given_a_process_appending_batches_when_killed_9_then_verify_passes_and_appends_resume(tmp_path):
    """GIVEN a process appending 500-entry batches to a file SQLite database WHEN it is SIGKILLed mid-batch
    THEN `liuhen verify` exits 0, only whole batches exist, and a new append continues the tree."""
    env = _env(tmp_path)
    assert _liuhen(env, "migrate", "-v0").returncode == 0
    child = subprocess.Popen([sys.executable, "-c", APPENDER], env=env, stdout=subprocess.PIPE, text=True)
    try:
        for _ in range(4):
            assert child.stdout.readline()
        time.sleep(0.013)  # land somewhere inside the next batch
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    result = _liuhen(env, "verify")
    assert result.returncode == 0, result.stdout + result.stderr
    count = _liuhen(env, "shell", "-c", "from liuhen.ledger.tree import tree_size; print(tree_size())")
    size = int(count.stdout.split()[-1])
    assert size >= 2000 and size % 500 == 0
    assert _liuhen(env, "ledger", "checkpoint").returncode == 0
    assert _liuhen(env, "verify").returncode == 0
