"""Benchmark the archive package (issue #12): building the 归档信息包 of a case with ~1 GiB of A/V against ``tar
cf`` + ``sha256sum`` of the same files (target ≤ 1.5×), and the standalone 四性 checker against ``openssl
dgst -sha256`` over the package (target ≥ 80 % of its speed), in the same run on the same disk.

Run: ``.venv/bin/python -m bench.archive_package_bench [MiB]`` (default ``LIUHEN_BENCH_ARCHIVE_MIB`` or
1024), or through ``python -m bench archive_package``. Four recordings of random bytes are put into the
blob store of a fresh data directory (under ``$LIUHEN_BENCH_DIR``), the page cache is warmed by one
untimed read; the build and its baseline are timed once, the checker and ``openssl`` best of three. The
package build includes signing every EEP, the case's log bundle, the XLSX and an fsync of every file;
``tar`` does not fsync, so a second baseline adds ``sync``. The checker runs as a receiver runs it
(``python3 -S -m liuhen.archive.check --no-virus-scan``): SHA-256 of every file, SM3 of files up to 64
MiB, format sniffing, signatures and log proofs. Memory: the peak RSS of this process across the build
(``ru_maxrss``) and the checker's own (``VmHWM``).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

try:
    from bench.common import BenchResult, django_sandbox
except ImportError:  # run as a script from bench/
    from common import BenchResult, django_sandbox  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024
RECORDINGS = 4


def _size_mib(argv: list[str]) -> int:
    if argv:
        return int(argv[0])
    return int(os.environ.get("LIUHEN_BENCH_ARCHIVE_MIB", "1024"))


def _recording(path: Path, size: int) -> None:
    """An MP4 as the checker sniffs one (``ftyp`` then ``mdat``), random bytes inside."""
    head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    payload = size - len(head) - 8
    with path.open("wb") as handle:
        handle.write(head + (payload + 8).to_bytes(4, "big") + b"mdat")
        left = payload
        while left:
            chunk = os.urandom(min(left, 4 * MIB))
            handle.write(chunk)
            left -= len(chunk)


def _world(work: Path, total_mib: int):  # type: ignore[no-untyped-def]
    from liuhen.accounts.services import agency_create, user_create
    from liuhen.archive.plan import AvFacts, PackagePlan, PlanFile, PlanItem
    from liuhen.cases.blobs import blob_store
    from liuhen.cases.services import case_open, media_record_create, party_create
    from liuhen.tlog.bundle import file_sha256

    agency = agency_create(
        code="bench", name="基准测试局", short_name="基准", case_prefix="基罚", profile_id=""
    )
    user = user_create(
        username="bench",
        password="pw-bench-2026",
        agency=agency,
        roles=["officer", "handler"],
        full_name="基准",
        certificate_no="21999999",
    )
    party = party_create(
        created_by=user, kind="person", name="某", id_type="居民身份证", id_number="210203199001011234"
    )
    case = case_open(
        opened_by=user, procedure="general", initiation_kind="ex_officio", cause="基准", parties=[party]
    )
    items, paths = [], []
    for n in range(1, RECORDINGS + 1):
        source = work / f"rec-{n}.mp4"
        _recording(source, total_mib * MIB // RECORDINGS)
        blob = blob_store().put_file(source)
        source.unlink()
        media = media_record_create(
            case=case,
            uploaded_by=user,
            sha256=blob.sha256,
            size=blob.size,
            storage_key=blob.key,
            kind="video",
            title="录像",
        )
        path = blob_store().path_for(blob.sha256)  # type: ignore[attr-defined]
        paths.append(path)
        sm3 = _sm3_file(path)
        assert file_sha256(path) == blob.sha256
        av = AvFacts(None, "H.264", "", "ZFJLY-1", None, None, "", ("基准",), "检查")
        plan_file = PlanFile(
            f"media-{media.pk}.mp4", blob.sha256, sm3, blob.size, "MP4", "video/mp4", blob=blob.sha256
        )
        items.append(
            PlanItem(n, f"JZ-2026-Y-0001-{n:03d}", "media", f"media:{media.pk}", "main", "录像", "", "基准",
                     date(2026, 11, 2), "公开", 0, 0, (plan_file,), (), av=av)
        )  # fmt: skip
    plan = PackagePlan(
        case.pk, case.case_no, "JZ-2026-Y-0001", "JZ", agency.name, agency.code, 2026, "30年", (), "基准案",
        ("某",), "", "一中队", ("基准",), date(2026, 10, 1), date(2026, 11, 1), "甲", "乙", date(2026, 11, 28),
        "", tuple(items),
    )  # fmt: skip
    return plan, paths


def _sm3_file(path: Path) -> str:
    import hashlib

    hasher = hashlib.new("sm3")
    with path.open("rb") as handle:
        while chunk := handle.read(4 * MIB):
            hasher.update(chunk)
    return hasher.hexdigest()


def _timed(command: list[str] | str, **kwargs) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


# the checker as the receiver runs it, reporting its own peak RSS (VmHWM is per process image, unlike
# ru_maxrss, which a forked child inherits from this large Django process)
_CHECKER = (
    "import runpy, sys\n"
    "sys.argv = ['check', sys.argv[1], '--no-report', '--no-virus-scan']\n"
    "try:\n    runpy.run_module('liuhen.archive.check', run_name='__main__')\n"
    "except SystemExit as exit:\n    code = exit.code\n"
    "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
    "print('VMHWM', hwm, code)\n"
)


def _check(package: Path) -> tuple[float, int]:
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": os.environ["PATH"]}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-S", "-c", _CHECKER, str(package)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - start
    _mark, hwm_kib, code = proc.stdout.strip().splitlines()[-1].split()
    if code != "0":
        raise RuntimeError(f"the checker failed the package: {proc.stdout}")
    return elapsed, int(hwm_kib)


def run(argv: list[str] | None = None) -> list[BenchResult]:
    total_mib = _size_mib(argv or [])
    data = django_sandbox("liuhen-archive-bench-")
    work = data / "work"
    work.mkdir()
    try:
        return _measure(work, total_mib)
    finally:
        shutil.rmtree(data, ignore_errors=True)


def _measure(work: Path, total_mib: int) -> list[BenchResult]:
    from liuhen.archive.case_bundle import case_bundle
    from liuhen.archive.package import write_package

    plan, paths = _world(work, total_mib)
    names = [str(p) for p in paths]
    _timed(["sha256sum", *names])  # warm the page cache for both sides
    baseline = _timed(["tar", "cf", str(work / "baseline.tar"), *names]) + _timed(["sha256sum", *names])
    synced = baseline + _timed(["sync"])
    (work / "baseline.tar").unlink()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    summary = write_package(plan, work / "package", bundle=case_bundle(plan.case_id))
    build = time.perf_counter() - start
    build_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    files = [str(p) for p in sorted(summary.path.rglob("*")) if p.is_file()]
    checks = [_check(summary.path) for _ in range(3)]  # best of three: two cores, noisy neighbours
    check, checker_rss = min(c[0] for c in checks), max(c[1] for c in checks)
    openssl = min(_timed(["openssl", "dgst", "-sha256", *files]) for _ in range(3))
    size_mib = summary.bytes / MIB
    note = f"{size_mib:.0f} MiB in {RECORDINGS} recordings"
    return [
        BenchResult("tar cf + sha256sum", round(baseline, 2), "s", note),
        BenchResult(
            "package build (write_package)", round(build, 2), "s", "signed EEPs, bundle, XLSX, fsync"
        ),
        BenchResult("build / (tar + sha256sum)", round(build / baseline, 2), "×", "target ≤ 1.5"),
        BenchResult(
            "build / (tar + sha256sum + sync)", round(build / synced, 2), "×", "tar with its data on disk"
        ),
        BenchResult("openssl dgst -sha256 over the package", round(size_mib / openssl, 1), "MiB/s", ""),
        BenchResult("checker (python3 -S)", round(size_mib / check, 1), "MiB/s", "SHA-256 all, SM3 ≤ 64 MiB"),
        BenchResult("checker / openssl speed", round(openssl / check, 2), "×", "target ≥ 0.8"),
        BenchResult(
            "build peak RSS", round(build_rss / 1024, 1), "MiB", f"{rss_before / 1024:.0f} MiB before"
        ),
        BenchResult("checker peak RSS", round(checker_rss / 1024, 1), "MiB", "memory flat: chunks of 1 MiB"),
    ]


if __name__ == "__main__":
    for result in run(sys.argv[1:]):
        print(f"{result.name}: {result.value} {result.unit} {result.note}")
