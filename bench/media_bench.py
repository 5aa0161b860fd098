"""Benchmark A/V intake: a large file through tus (tuspy → ``liuhen serve`` over loopback) against a
baseline of ``openssl dgst -sha256`` + ``cp`` of the same file on the same disk, in the same run.

Run: ``.venv/bin/python -m bench.media_bench [MiB]`` (default 1024). Prints: baseline seconds, Liuhen
seconds and their ratio (target ≤ 2×), the server's peak RSS (largest ``VmHWM`` of its processes, target
< 200 MB) with RSS sampled during the upload, the same for one 4 GiB upload (the issue's memory case;
``LIUHEN_BENCH_BIG_MIB``, 0 to skip), and the aggregate rate of 4 parallel uploads. The
Liuhen time covers creation, the PATCH stream (fsync, SHA-256), the completion hand-off (probe, copy
into the write-once blob store with fsync, database record, ledger entries) until the final response.
Work files live under ``$LIUHEN_BENCH_DIR`` (default: a temporary folder in ``./var``), so both sides
use the same disk.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from tusclient.client import TusClient

ROOT = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024
LIUHEN = [sys.executable, "-m", "liuhen.cli.main"]
_SETUP = """
from liuhen.accounts.models import Agency
from liuhen.accounts.services import token_issue, user_create
from liuhen.cases.services import case_open, party_create
agency = Agency.objects.create(code="bench", name="基准测试局", short_name="基准", case_prefix="基罚", profile_id="dalian-cg")
u = user_create(username="bench", password="pw-bench-2026", agency=agency, roles=["officer", "handler"], full_name="基准", certificate_no="21999999")
party = party_create(created_by=u, kind="person", name="某", id_type="居民身份证", id_number="210203199001011234")
case = case_open(opened_by=u, procedure="general", initiation_kind="ex_officio", cause="基准", parties=[party])
print("LIUHEN-BENCH", case.pk, token_issue(user=u))
"""

try:  # the shared runner's result type, when it exists
    from bench.common import BenchResult  # type: ignore[import-not-found]
except ImportError:

    @dataclass(frozen=True)
    class BenchResult:  # type: ignore[no-redef]
        name: str
        value: float
        unit: str
        note: str = ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _make_file(path: Path, size: int, seed: bytes) -> None:
    block = b"".join(hashlib.sha512(seed + i.to_bytes(4, "big")).digest() for i in range(16384))  # 1 MiB
    with open(path, "wb") as fh:
        for i in range(size // MIB):
            fh.write(block[i % 64 :] + block[: i % 64])  # each MiB differs a little
        fh.write(block[: size % MIB])


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _mem_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class Server:
    def __init__(self, work: Path) -> None:
        self.env = {
            **os.environ,
            "LIUHEN_DATA_DIR": str(work / "data"),
            "DJANGO_SETTINGS_MODULE": "liuhen.settings",
        }
        self.env.pop("DATABASE_URL", None)  # its own SQLite under the data dir
        self.env["LIUHEN_MAX_MEDIA_BYTES"] = str(64 * 1024 * MIB)
        self.url = f"http://127.0.0.1:{_free_port()}"
        subprocess.run([*LIUHEN, "migrate", "-v0"], env=self.env, check=True)
        out = subprocess.run(
            [*LIUHEN, "shell", "-c", _SETUP], env=self.env, check=True, capture_output=True, text=True
        )
        _, case_id, self.token = next(
            x for x in out.stdout.splitlines() if x.startswith("LIUHEN-BENCH")
        ).split()
        self.case_id = int(case_id)
        port = self.url.rsplit(":", 1)[1]
        self.proc = subprocess.Popen(
            [*LIUHEN, "serve", "--port", port, "--no-worker"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.options(f"{self.url}/api/uploads/", timeout=10)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("liuhen serve did not start")

    def rss_kb(self, field: str = "VmRSS") -> int:
        return max(_mem_kb(p, field) for p in _descendants(self.proc.pid))

    def upload(self, path: Path, n: int = 0) -> None:
        client = TusClient(f"{self.url}/api/uploads/", headers={"Authorization": f"Bearer {self.token}"})
        client.uploader(
            file_path=str(path),
            chunk_size=256 * MIB,
            metadata={"case_id": str(self.case_id), "title": f"bench {n}"},
        ).upload()

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=30)


def _baseline(path: Path) -> float:
    copy = path.with_suffix(".copy")
    os.sync()  # both sides start with no dirty pages of earlier work waiting for the disk
    start = time.perf_counter()
    subprocess.run(["openssl", "dgst", "-sha256", str(path)], check=True, capture_output=True)
    subprocess.run(["cp", str(path), str(copy)], check=True)
    elapsed = time.perf_counter() - start
    copy.unlink()
    return elapsed


def _timed_upload(server: Server, path: Path) -> tuple[float, list[int]]:
    samples: list[int] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            samples.append(server.rss_kb())
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    os.sync()
    sampler.start()
    start = time.perf_counter()
    server.upload(path)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    return elapsed, samples


def _parallel(server: Server, work: Path, size: int) -> float:
    files = []
    for n in range(4):
        files.append(work / f"parallel-{n}.bin")
        _make_file(files[-1], size, f"parallel-{n}".encode())
    threads = [threading.Thread(target=server.upload, args=(f, n)) for n, f in enumerate(files)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    for f in files:
        f.unlink()
    return 4 * size / MIB / elapsed


def _big_upload(server: Server, work: Path) -> tuple[int, float, int] | None:
    """One large upload: (MiB, seconds, largest RSS sampled in KiB); the file is removed after."""
    mib = int(os.environ.get("LIUHEN_BENCH_BIG_MIB", "4096"))
    if mib <= 0:
        return None
    path = work / "big.bin"
    _make_file(path, mib * MIB, b"big")
    try:
        elapsed, samples = _timed_upload(server, path)
    finally:
        path.unlink()
    return mib, elapsed, max([*samples, server.rss_kb("VmHWM")])


def run(size_mib: int | None = None) -> list[BenchResult]:
    size = (size_mib or int(os.environ.get("LIUHEN_BENCH_MIB", "1024"))) * MIB
    parent = Path(os.environ.get("LIUHEN_BENCH_DIR", ROOT / "var"))
    parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="media-bench-", dir=parent))
    server = None
    try:
        source = work / "bodycam.bin"
        _make_file(source, size, b"bench")
        server = Server(work)
        idle_kb = server.rss_kb()
        baseline = _baseline(source)
        liuhen, samples = _timed_upload(server, source)
        baseline_after = _baseline(source)
        peak_kb = server.rss_kb("VmHWM")
        big = _big_upload(server, work)
        rate4 = _parallel(server, work, size // 4)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    base = min(baseline, baseline_after)
    mib = size // MIB
    return [
        BenchResult(
            "media.baseline_sha256_cp_s", round(base, 2), "s", f"{mib} MiB openssl dgst -sha256 + cp"
        ),
        BenchResult(
            "media.tus_upload_s", round(liuhen, 2), "s", f"{mib} MiB tuspy → liuhen serve, to record"
        ),
        BenchResult("media.tus_vs_baseline_ratio", round(liuhen / base, 2), "x", "target ≤ 2"),
        BenchResult("media.tus_rate", round(mib / liuhen, 1), "MiB/s", "single upload"),
        BenchResult("media.server_rss_idle", round(idle_kb / 1024, 1), "MB", "largest process, before"),
        BenchResult(
            "media.server_rss_during_upload_max",
            round(max(samples or [0]) / 1024, 1),
            "MB",
            f"{len(samples)} samples, min {round(min(samples or [0]) / 1024, 1)} MB",
        ),
        BenchResult("media.server_peak_rss", round(peak_kb / 1024, 1), "MB", "VmHWM, target < 200"),
        *_big_results(big),
        BenchResult(
            "media.parallel4_rate", round(rate4, 1), "MiB/s", f"4 × {mib // 4} MiB at once, aggregate"
        ),
    ]


def _big_results(big: tuple[int, float, int] | None) -> list[BenchResult]:
    if big is None:
        return []
    mib, elapsed, peak_kb = big
    return [
        BenchResult(f"media.tus_upload_{mib}mib_s", round(elapsed, 2), "s", f"one {mib} MiB upload"),
        BenchResult(
            f"media.server_peak_rss_{mib}mib", round(peak_kb / 1024, 1), "MB", "VmHWM after it, target < 200"
        ),
    ]


if __name__ == "__main__":
    for result in run(int(sys.argv[1]) if len(sys.argv) > 1 else None):
        print(f"{result.name:38} {result.value:>10} {result.unit:6} {result.note}")
