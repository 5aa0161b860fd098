"""Fast at a million cases (issue 14): p50/p95 of the case list (first page, a deep page by cursor and
by offset, each filter), search by party name and by cause, the inbox, and — where they exist — the
statistics dashboard, the 评查 list, the check register and the publication list, through the Django
test client as logged-in users, on SQLite and PostgreSQL, at 10,000, 100,000 and 1,000,000 cases
(200,000 per agency × the 5 demo agencies at 1M). Targets on this 2-core machine: p95 < 100 ms for lists
and search, < 300 ms for dashboards.

Data: ``bench/scale_load.py`` (bulk SQL; one party a case; documents, findings and compliance rows on
2 % of the cases, copied from cases made through the services). Each (database, size) runs in its own
process on a fresh data directory, deleted afterwards; PostgreSQL is a throwaway cluster
(``scripts/with-postgres.sh``). Run alone: ``.venv/bin/python -m bench scale`` (the plan in
``LIUHEN_BENCH_SCALE``, default ``sqlite:10000,100000,1000000;postgresql:10000,100000,1000000``;
``LIUHEN_BENCH_SCALE_ROUNDS``, default 30), or one point:
``.venv/bin/python -m bench.scale_bench --cases 100000 --db sqlite``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import BenchResult

ROOT = Path(__file__).resolve().parents[1]
MARK = "SCALE-BENCH-JSON "
PLAN = os.environ.get("LIUHEN_BENCH_SCALE", "sqlite:10000,100000,1000000;postgresql:10000,100000,1000000")
ROUNDS = int(os.environ.get("LIUHEN_BENCH_SCALE_ROUNDS", "30"))
LIST_MS, DASHBOARD_MS = 100.0, 300.0
LABEL = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _size(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k"


def run() -> list[BenchResult]:
    results: list[BenchResult] = []
    for part in PLAN.split(";"):
        db, sizes = part.split(":")
        points = [int(s) for s in sizes.split(",")]
        for n in points:
            results += _point(db, n)
        results += _scaling(db, min(points), max(points), results)
    return results


def _scaling(db: str, small: int, large: int, results: list[BenchResult]) -> list[BenchResult]:
    """How each p95 grows from the smallest size to the largest, measured in the same run: a ratio."""
    if small == large:
        return []
    by_name = {r.name: r for r in results}
    head, tail = f"{db}.{_size(small)}.", f"{db}.{_size(large)}."
    ratios = []
    for name, first in by_name.items():
        last = by_name.get(tail + name.removeprefix(head))
        if name.startswith(head) and name.endswith(".p95") and last is not None and first.value:
            measure = name.removeprefix(head).removesuffix(".p95")
            ratio = round(last.value / first.value, 2)
            note = f"p95 {first.value} ms at {_size(small)} → {last.value} ms at {_size(large)}"
            ratios.append(BenchResult(f"{db}.{measure}.{_size(large)}_over_{_size(small)}", ratio, "x", note))
    return ratios


def _point(db: str, n: int) -> list[BenchResult]:
    """One (database, size) in its own process; a failure is reported as a row, the others still run.
    With ``LIUHEN_BENCH_SCALE_REUSE=1``, a point measured earlier (``--save``) is read back instead."""
    saved = _saved(db, n)
    if os.environ.get("LIUHEN_BENCH_SCALE_REUSE") == "1" and saved.is_file():
        return [BenchResult(**item) for item in json.loads(saved.read_text(encoding="utf-8"))]
    command = [sys.executable, "-m", "bench.scale_bench", "--cases", str(n), "--db", db, "--json"]
    if db == "postgresql":
        command = [str(ROOT / "scripts" / "with-postgres.sh"), *command]
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=3600, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith(MARK):
            saved.parent.mkdir(parents=True, exist_ok=True)
            saved.write_text(line[len(MARK) :], encoding="utf-8")
            return [BenchResult(**item) for item in json.loads(line[len(MARK) :])]
    why = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return [BenchResult(f"{db}.{_size(n)}.failed", round(time.perf_counter() - started), "s", why[:300])]


def _saved(db: str, n: int) -> Path:
    """Where a point's results are kept for a later run to reuse (outside the repository)."""
    base = Path(os.environ.get("LIUHEN_BENCH_DIR") or "/tmp") / "liuhen-scale-results"
    return base / f"{db}-{n}.json"


# --- one point, in its own process -------------------------------------------------------------


def measure(n: int) -> list[BenchResult]:
    from bench.common import django_sandbox

    data = django_sandbox("liuhen-scale-")
    try:
        return _measure(n)
    finally:
        shutil.rmtree(data, ignore_errors=True)


def _measure(n: int) -> list[BenchResult]:
    from django.db import connection
    from django.test import Client

    from bench.scale_load import RARE_CAUSE, load
    from liuhen.cases.models import Case
    from liuhen.core import keyset

    world = load(n)
    db = connection.vendor
    tag = f"{db}.{_size(n)}"
    print(f"{tag}: {world.cases:,} cases loaded in {world.seconds:.0f} s", file=sys.stderr, flush=True)
    first = world.agencies[0]
    staff = world.people[first.code]
    handler, legal = staff["officer"], staff["legal"]
    notes: list[str] = []
    rebuilt = _rebuild_counters(notes)
    unanalysed = _unanalysed(world.supervisor) if db == "sqlite" else None

    # a deep page: the row 1/2 of the way down the handler's agency's list (100,000 deep at 1M)
    deep = Case.objects.filter(agency=first).order_by("-opened_at", "-id")[world.cases // 10]
    cursor = keyset.encode("next", deep.opened_at, deep.pk)
    year = deep.opened_at.year
    names = world.names
    api = "/api/cases?limit=30"
    measures: dict[str, tuple[object, str, str]] = {
        "list.web_first_page": (handler, "/", "list"),  # htmx: the list alone (the inbox is measured apart)
        "list.api_first_page": (handler, api, "list"),
        "list.api_first_page.legal_unit": (legal, api, "list"),
        "list.api_first_page.supervisor_5_agencies": (world.supervisor, api, "list"),
        "list.api_deep_page.cursor": (handler, f"{api}&cursor={cursor}", "list"),
        "list.web_deep_page.cursor": (handler, f"/?cursor={cursor}", "list"),
        "list.api_deep_page.offset_10000": (handler, f"{api}&offset=10000", "list"),
        "filter.stage": (handler, f"{api}&stage=investigation", "list"),
        "filter.procedure": (handler, f"{api}&procedure=summary", "list"),
        "filter.year": (handler, f"{api}&year={year}", "list"),
        "filter.handler": (legal, f"{api}&handler_id={handler.pk}", "list"),
        "search.party_name_3plus": (handler, f"{api}&q={names.get('party_three', '王建国')}", "list"),
        "search.party_name_2": (handler, f"{api}&q={names.get('party_two', '王伟')}", "list"),
        "search.cause_common": (handler, f"{api}&q=占道经营", "list"),
        "search.cause_rare": (handler, f"{api}&q={RARE_CAUSE}", "list"),
        "search.cause_2_common": (handler, f"{api}&q=经营", "list"),
        "search.case_no": (handler, f"{api}&q={deep.case_no}", "list"),
        "inbox.home_page": (handler, "/", "home"),
        "dashboard.statistics": (
            legal,
            f"/api/statistics/dashboard?from={year}-01-01&to={year}-12-31",
            "dashboard",
        ),
        "dashboard.statistics.supervisor": (
            world.supervisor,
            f"/api/statistics/dashboard?from={year}-01-01&to={year}-12-31",
            "dashboard",
        ),
        "list.file_reviews": (legal, "/api/file-reviews", "list"),
        "list.spot_check_register": (legal, "/api/spot-checks/register", "list"),
        "list.publications": (legal, "/api/publications", "list"),
    }
    clients = {}
    for user in {id(u): u for u, _, _ in measures.values()}.values():
        client = Client()
        client.force_login(user)
        clients[user.pk] = client
    present = {}
    for name, (user, path, kind) in measures.items():  # warm up; skip what is not there
        status, _ = _get(clients[user.pk], path, kind)
        if (
            status == 404
            and kind in ("dashboard", "list")
            and path.startswith("/api/")
            and "cases" not in path
        ):
            notes.append(f"{name}: {path.split('?')[0]} not found (404), skipped")
            continue
        if status != 200:
            notes.append(f"{name}: HTTP {status}, skipped")
            continue
        present[name] = (user, path, kind)
        _get(clients[user.pk], path, kind)
    times: dict[str, list[float]] = {name: [] for name in present}
    for _ in range(ROUNDS):  # interleaved: drift on a shared machine hits every measure alike
        for name, (user, path, kind) in present.items():
            times[name].append(_get(clients[user.pk], path, kind)[1])
    from liuhen.compliance.inbox import inbox

    times["inbox.function"] = [_timed(lambda: inbox(user=handler))[1] for _ in range(ROUNDS)]
    present["inbox.function"] = (handler, "inbox(user=handler)", "list")
    results = []
    for name, values in times.items():
        kind = present[name][2]
        target = DASHBOARD_MS if kind == "dashboard" else LIST_MS
        p50, p95 = statistics.median(values), statistics.quantiles(values, n=20)[-1]
        verdict = "met" if p95 < target else "MISSED"
        results.append(
            BenchResult(
                f"{tag}.{name}.p95",
                round(p95, 1),
                "ms",
                f"p50 {p50:.1f} ms; {ROUNDS} requests; target < {target:.0f} ms: {verdict}",
            )
        )
    if unanalysed is not None:
        results.append(
            BenchResult(
                f"{tag}.list.api_first_page.supervisor_5_agencies.before_analyze.p95",
                round(unanalysed, 1),
                "ms",
                "the same request before ANALYZE: without statistics SQLite reads all five agencies' "
                "cases and sorts them (see docs/scale.md)",
            )
        )
    results.append(
        BenchResult(
            f"{tag}.load",
            round(world.seconds),
            "s",
            f"{world.cases:,} cases, one party each, records on 2 %; stats counters rebuilt in {rebuilt}",
        )
    )
    if notes:
        results.append(BenchResult(f"{tag}.notes", len(notes), "notes", "; ".join(notes)))
    return results


def _unanalysed(user) -> float:
    """p95 of the supervisor's first page before ``ANALYZE``, then ``ANALYZE`` (as PostgreSQL's
    autovacuum does by itself after a bulk load)."""
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(user)
    _get(client, "/api/cases?limit=30", "list")  # warm up: session, templates
    values = [_get(client, "/api/cases?limit=30", "list")[1] for _ in range(8)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return statistics.quantiles(values, n=20)[-1]


def _rebuild_counters(notes: list[str]) -> str:
    try:
        from liuhen.stats.counters import rebuild_all
    except ImportError:
        notes.append("liuhen.stats.counters.rebuild_all absent")
        return "—"
    seconds = _timed(rebuild_all)[1] / 1000
    return f"{seconds:.0f} s"


def _timed(call) -> tuple[object, float]:
    begin = time.perf_counter()
    value = call()
    return value, (time.perf_counter() - begin) * 1000


def _get(client, path: str, kind: str) -> tuple[int, float]:
    headers = {"HX-Request": "true"} if kind == "list" and not path.startswith("/api/") else {}
    response, ms = _timed(lambda: client.get(path, headers=headers))
    return response.status_code, ms  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--json", action="store_true", help="one line of results for the bench runner")
    parser.add_argument("--save", action="store_true", help="keep the results for LIUHEN_BENCH_SCALE_REUSE=1")
    args = parser.parse_args()
    if args.db == "postgresql" and "DATABASE_URL" not in os.environ:
        os.execv(  # noqa: S606 - the throwaway cluster runs this very command
            str(ROOT / "scripts" / "with-postgres.sh"),
            [
                str(ROOT / "scripts" / "with-postgres.sh"),
                sys.executable,
                "-m",
                "bench.scale_bench",
                *sys.argv[1:],
            ],
        )
    results = measure(args.cases)
    if args.save:
        _saved(args.db, args.cases).parent.mkdir(parents=True, exist_ok=True)
        _saved(args.db, args.cases).write_text(json.dumps([r.__dict__ for r in results]), encoding="utf-8")
    if args.json:
        print(MARK + json.dumps([r.__dict__ for r in results]), flush=True)
    else:
        for r in results:
            print(f"{r.name:60} {r.value:>10} {r.unit:5} {r.note}")


if __name__ == "__main__":
    main()
