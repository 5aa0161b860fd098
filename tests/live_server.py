"""A real ``liuhen serve`` in a subprocess and Debian's Chromium through Playwright, for browser tests.

Not pytest-django's live_server: its teardown flushes tables, which the append-only triggers forbid. The
server gets a fresh ``LIUHEN_DATA_DIR`` (``migrate`` + ``demo``); screenshots go to ``test-artifacts/``.
Chromium is ``/usr/bin/chromium`` (never ``playwright install``); both helpers skip cleanly when the
browser or the playwright package is missing.

Test modules wrap these context managers in their own module-scoped fixtures::

    @pytest.fixture(scope="module")
    def server(tmp_path_factory):
        with live_server(tmp_path_factory.mktemp("liuhen-data")) as running:
            yield running
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
LIUHEN = Path(sys.executable).parent / "liuhen"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "liuhen-demo"


@dataclass(frozen=True)
class LiveServer:
    """A running server: its base URL and the environment to run more ``liuhen`` commands against it."""

    url: str
    env: dict[str, str]

    def liuhen(self, *args: str) -> str:
        """Run ``liuhen ARGS`` on the server's data dir; return stdout (fails the test on error)."""
        done = subprocess.run([str(LIUHEN), *args], env=self.env, capture_output=True, text=True, timeout=180)
        if done.returncode != 0:
            pytest.fail(f"liuhen {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"liuhen serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 — our own local server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"server at {url} did not answer within {timeout} s")


def _stop(process: subprocess.Popen) -> None:
    """Stop ``liuhen serve`` and the gunicorn it started (the whole process group we created)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


@contextmanager
def live_server(data_dir: Path) -> Iterator[LiveServer]:
    """``migrate`` + ``demo`` into ``data_dir``, then ``liuhen serve`` on a free port until the block ends."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests")
    env = {**os.environ, "LIUHEN_DATA_DIR": str(data_dir), "LIUHEN_DEBUG": "0"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    base = f"http://127.0.0.1:{free_port()}"
    running = LiveServer(url=base, env=env)
    running.liuhen("migrate", "-v0")
    running.liuhen("demo")
    log = (data_dir / "server.log").open("wb")
    process = subprocess.Popen(  # its own process group: gunicorn runs as a child of ``liuhen serve``
        [str(LIUHEN), "serve", "--port", base.rsplit(":", 1)[1], "--no-worker", "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_until_up(f"{base}/login/", process)
        yield running
    finally:
        _stop(process)
        log.close()


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright (skips when the package is not installed)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def log_in(page: Any, base: str, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form and wait for the case list."""
    page.goto(f"{base}/")
    assert "/login/" in page.url
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
