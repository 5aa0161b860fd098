"""``python -m bench [name ...]``: run bench modules (each in its own process) and write docs/benchmarks.md.

A bench module is ``bench/<name>_bench.py`` exposing ``run() -> list[BenchResult]``; its docstring's first
paragraph heads its section. A module that fails is reported as such, the others still run.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARK = "BENCH-RESULTS-JSON "
CHILD = (
    "import json, dataclasses, importlib, sys; m = importlib.import_module(sys.argv[1]); "
    f"print({MARK!r} + json.dumps([dataclasses.asdict(r) for r in m.run()]))"
)


def _modules(names: list[str]) -> list[str]:
    found = sorted(p.stem for p in (ROOT / "bench").glob("*_bench.py"))
    return [m for m in found if not names or m in names or m.removesuffix("_bench") in names]


def _run(module: str, timeout: int) -> tuple[list[dict], str, float]:
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, f"bench.{module}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return [], f"timed out after {timeout} s", time.perf_counter() - start
    elapsed = time.perf_counter() - start
    for line in proc.stdout.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK) :]), "", elapsed
    return [], (proc.stderr.strip().splitlines() or ["no output"])[-1], elapsed


def _intro(module: str) -> str:
    text = (ROOT / "bench" / f"{module}.py").read_text(encoding="utf-8")
    if text.startswith('"""'):
        return " ".join(text[3:].split('"""')[0].split("\n\n")[0].split())
    return ""


def _section(module: str, results: list[dict], error: str, elapsed: float) -> str:
    lines = [f"## {module}", "", _intro(module), ""]
    if error:
        lines += [f"**Failed:** {error}", ""]
    if results:
        lines += ["| measure | value | unit | note |", "| --- | ---: | --- | --- |"]
        lines += [f"| {r['name']} | {r['value']} | {r['unit']} | {r['note']} |" for r in results]
    lines += ["", f"_ran in {elapsed:.0f} s on {time.strftime('%Y-%m-%d %H:%M')}_", ""]
    return "\n".join(lines)


def _previous_sections(path: Path) -> dict[str, str]:
    """The sections of an earlier docs/benchmarks.md, by module, so a partial run keeps the others."""
    if not path.is_file():
        return {}
    parts = path.read_text(encoding="utf-8").split("\n## ")[1:]
    return {part.split("\n", 1)[0].strip(): "## " + part.rstrip("\n") + "\n" for part in parts}


def main(argv: list[str]) -> int:
    timeout = int(os.environ.get("LIUHEN_BENCH_TIMEOUT", "900"))
    target = ROOT / "docs" / "benchmarks.md"
    sections, failed = _previous_sections(target) if argv else {}, 0
    for module in _modules(argv):
        print(f"running {module} …", file=sys.stderr, flush=True)
        results, error, elapsed = _run(module, timeout)
        failed += bool(error)
        sections[module] = _section(module, results, error, elapsed)
        print(sections[module])
    header = (
        "# Benchmarks\n\nWritten by `python -m bench` (a partial run keeps the other sections) "
        f"on {time.strftime('%Y-%m-%d %H:%M')} — {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}. Every figure is a rate or a ratio "
        "measured in the same run.\n\n"
    )
    body = "\n".join(sections[name] for name in sorted(sections))
    target.write_text(header + body, encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
