"""Access layer (issue 9): the case list, the case page and ``GET /api/cases/{id}/documents`` before
the issue-9 work (the tree at ``d167983``) and after it (the working tree), in the same run, each as
an officer (``personal.view``: after, the reads of personal data are ledger entries) and as an
archivist (no ``personal.view``: after, personal data is masked); SQLite file database, 1 agency,
2,000 cases, the measured case with 30 documents (10 each of inquiry, inspection and sampling
records; every one names a person, so all 30 are masked for the archivist and logged for the
officer). Target: after ≤ 1.10 × before.

How: the tree before is unpacked with ``git archive`` into a temporary directory (the checkout's git
state is not touched). Each side is a child process of the same Python with ``PYTHONPATH=<tree>/src``
and its own ``LIUHEN_DATA_DIR``; it migrates, builds the same data set through the services both
trees have (``user_create``, ``party_create``, ``case_open``, ``document_create``, ``document_sign``,
``token_issue``), warms up, then answers "time request R × n" over a pipe. The parent interleaves
the sides in small batches (alternating which goes first), so drift on a busy machine hits both
alike, and reports each side's median and the ratio of the medians.

Run alone: ``.venv/bin/python -m bench access``. Knobs: ``LIUHEN_BENCH_ACCESS_ROUNDS`` (default 24
rounds; each round times every measure on both sides, in batches of about
``LIUHEN_BENCH_ACCESS_BATCH_MS`` = 250 ms, at least 2 requests), ``LIUHEN_BENCH_ACCESS_CASES``
(default 2000), ``LIUHEN_BENCH_ACCESS_BEFORE`` (default ``d167983``; ``ebd901d^`` isolates the
access-layer commit from the rest of issue 9) and ``LIUHEN_BENCH_ACCESS_AFTER`` (a commit to measure
instead of the working tree). The ratio is of wall-clock medians; its note adds the median of the
per-round ratios and the ratio of CPU-time medians, which load on the machine disturbs less.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEFORE = os.environ.get("LIUHEN_BENCH_ACCESS_BEFORE", "d167983")
AFTER = os.environ.get("LIUHEN_BENCH_ACCESS_AFTER", "")  # empty: the working tree
ROUNDS = int(os.environ.get("LIUHEN_BENCH_ACCESS_ROUNDS", "24"))
BATCH_MS = float(os.environ.get("LIUHEN_BENCH_ACCESS_BATCH_MS", "250"))
CASES = int(os.environ.get("LIUHEN_BENCH_ACCESS_CASES", "2000"))
TARGET = 1.10
MARK = "ACCESS-BENCH "
PASSWORD = "bench-Passw0rd-2026"

# (name, who, what): who is a web session (officer/archivist) or an API token (…-api).
MEASURES = (
    ("case_list", "officer", "list"),
    ("case_list", "archivist", "list"),
    ("case_page", "officer", "page"),
    ("case_page", "archivist", "page"),
    ("api_case_documents", "officer-api", "api"),
    ("api_case_documents", "archivist-api", "api"),
)
DOC_MIX = ("inquiry_record", "inspection_record", "sampling_record") * 10  # 10 of each, 30 documents
ID_NUMBER = "210211198503152318"  # the example inquiry record's interviewee, and the party's

# --- the child: one tree, one database, answers timing requests on stdin ---------------------------


def _build(n_cases: int) -> dict:
    """The data set, through services present in both trees. Returns what the requests need."""
    from django.db import transaction

    from liuhen.accounts.models import Agency, OrgUnit
    from liuhen.accounts.services import token_issue, user_create
    from liuhen.cases import services
    from liuhen.catalogue import example_fields

    agency = Agency.objects.create(
        code="bench", name="基准测试执法局", short_name="基准", case_prefix="基", profile_id="dalian-cg"
    )
    unit = OrgUnit.objects.create(agency=agency, name="一中队", kind=OrgUnit.Kind.SQUAD)
    people = {}
    for role, cert in (("officer", "21020019001"), ("archivist", "")):
        people[role] = user_create(
            username=f"bench_{role}",
            password=PASSWORD,
            agency=agency,
            roles=[role],
            full_name=f"基准{role}",
            certificate_no=cert,
            unit=unit,
        )
    officer = people["officer"]
    with transaction.atomic():  # one commit: the set-up is not what is measured
        parties = [
            services.party_create(created_by=officer, kind="organisation", name=f"某某商贸有限公司{i}")
            for i in range(50)
        ]
        for i in range(n_cases - 1):
            services.case_open(
                opened_by=officer,
                procedure="general",
                initiation_kind="ex_officio",
                cause=f"占道经营{i}",
                parties=[parties[i % len(parties)]],
                unit=unit,
            )
        person = services.party_create(
            created_by=officer,
            kind="person",
            name="王某某",
            id_type="id_card",
            id_number=ID_NUMBER,
            address="大连市甘井子区某某街道12号",
            phone="13904110000",
        )
        case = services.case_open(
            opened_by=officer,
            procedure="general",
            initiation_kind="ex_officio",
            cause="占道经营（基准案件）",
            parties=[person],
            unit=unit,
        )
        for doc_type in DOC_MIX:
            doc = services.document_create(
                case=case, created_by=officer, doc_type=doc_type, fields=example_fields(doc_type)
            )
            for role in ("officer", "party"):
                services.document_sign(
                    document=doc, recorded_by=officer, signer_role=role, signer_name=role, method="electronic"
                )
    tokens = {f"{role}-api": token_issue(user=user, name="bench") for role, user in people.items()}
    return {"case_id": case.pk, "people": people, "tokens": tokens}


def _clients(data: dict) -> dict:
    from django.test import Client

    clients = {}
    for role, user in data["people"].items():
        clients[role] = Client()
        clients[role].force_login(user)
    for who, token in data["tokens"].items():
        clients[who] = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    return clients


def _path(what: str, case_id: int) -> str:
    return {"list": "/", "page": f"/cases/{case_id}/", "api": f"/api/cases/{case_id}/documents"}[what]


def _probe(clients: dict, case_id: int) -> dict:
    """One request per measure: status, queries, whether the party's ID number shows in clear."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out = {}
    for name, who, what in MEASURES:
        begin = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = clients[who].get(_path(what, case_id))
        elapsed_ms = (time.perf_counter() - begin) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{name} as {who}: HTTP {response.status_code}")
        out[f"{name}/{who}"] = {
            "ms": elapsed_ms,
            "queries": len(queries),
            "bytes": len(response.content),
            "id_in_clear": ID_NUMBER in response.content.decode(),
        }
    return out


def _child() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="liuhen-access-bench-", dir=os.environ.get("LIUHEN_BENCH_DIR")))
    os.environ["LIUHEN_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "liuhen.settings"
    try:
        import django

        django.setup()
        from django.core.management import call_command

        import liuhen

        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        data = _build(int(sys.argv[2]))
        built_s = time.perf_counter() - start
        clients = _clients(data)
        case_id = data["case_id"]
        for _ in range(3):  # warm up: templates, URL resolvers, catalogue caches, SQLite pages
            probe = _probe(clients, case_id)
        _say({"ready": True, "liuhen": liuhen.__file__, "built_s": built_s, "probe": probe})
        for line in sys.stdin:
            name, who, what, n = json.loads(line)
            client, path, wall, cpu = clients[who], _path(what, case_id), [], []
            for _ in range(n):
                begin, begin_cpu = time.perf_counter(), time.process_time()
                client.get(path)
                wall.append((time.perf_counter() - begin) * 1000)
                cpu.append((time.process_time() - begin_cpu) * 1000)
            _say({"wall": wall, "cpu": cpu})
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _say(message: dict) -> None:
    print(MARK + json.dumps(message), flush=True)


# --- the parent: two trees, interleaved ------------------------------------------------------------


class _Side:
    """A child process measuring one tree."""

    def __init__(self, label: str, src: Path) -> None:
        self.label = label
        env = dict(
            os.environ, PYTHONPATH=f"{src}{os.pathsep}{ROOT}", DJANGO_SETTINGS_MODULE="liuhen.settings"
        )
        env.pop("LIUHEN_DATA_DIR", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.access_bench", "--child", str(CASES)],
            cwd=src.parent,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.src = src

    def read(self) -> dict:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith(MARK):
                return json.loads(line[len(MARK) :])
        raise RuntimeError(f"{self.label}: child exited with {self.proc.wait()}")

    def ready(self) -> dict:
        message = self.read()
        if not str(Path(message["liuhen"]).resolve()).startswith(str(self.src.resolve())):
            raise RuntimeError(f"{self.label}: imported liuhen from {message['liuhen']}, not {self.src}")
        return message

    def time(self, name: str, who: str, what: str, n: int) -> dict[str, list[float]]:
        """``n`` requests: wall-clock and CPU milliseconds of each."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps([name, who, what, n]) + "\n")
        self.proc.stdin.flush()
        return self.read()

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _unpack(ref: str, into: Path) -> Path:
    """``src/`` of commit ``ref``, unpacked under ``into`` (read from git; no worktree, no checkout)."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref, "src"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    into.mkdir(parents=True)
    with tempfile.TemporaryFile() as tar_file:
        tar_file.write(archive)
        tar_file.seek(0)
        with tarfile.open(fileobj=tar_file) as tar:
            tar.extractall(into, filter="data")
    return into / "src"


def _commit(ref: str) -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", ref], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def _batch(probes: dict, key: str) -> int:
    """Requests per batch: about BATCH_MS of work per side, at least two."""
    slowest = max(probes[label][key]["ms"] for label in probes)
    return max(2, min(20, round(BATCH_MS / slowest)))


def _interleaved(before: _Side, after: _Side, probes: dict) -> dict[str, dict]:
    """Per measure and side: every request's wall and CPU ms, and each round's median (for paired ratios)."""
    times: dict[str, dict] = {
        f"{name}/{who}": {label: {"wall": [], "cpu": [], "rounds": []} for label in ("before", "after")}
        for name, who, _ in MEASURES
    }
    for round_no in range(ROUNDS):
        for name, who, what in MEASURES:
            key = f"{name}/{who}"
            order = (before, after) if round_no % 2 == 0 else (after, before)
            for side in order:
                got, mine = side.time(name, who, what, _batch(probes, key)), times[key][side.label]
                mine["wall"] += got["wall"]
                mine["cpu"] += got["cpu"]
                mine["rounds"].append(statistics.median(got["wall"]))
    return times


def _results(times: dict, probes: dict, before_label: str, after_label: str) -> list:
    from bench.common import BenchResult

    results = []
    for name, who, _ in MEASURES:
        key, role = f"{name}/{who}", who.removesuffix("-api")
        b, a = times[key]["before"], times[key]["after"]
        ratio = statistics.median(a["wall"]) / statistics.median(b["wall"])
        cpu_ratio = statistics.median(a["cpu"]) / statistics.median(b["cpu"])
        paired = statistics.median(x / y for x, y in zip(a["rounds"], b["rounds"], strict=True))
        results += [
            BenchResult(
                f"access.{name}.{role}.before_p50",
                round(statistics.median(b["wall"]), 2),
                "ms",
                _note(before_label, probes["before"][key], name),
            ),
            BenchResult(
                f"access.{name}.{role}.after_p50",
                round(statistics.median(a["wall"]), 2),
                "ms",
                _note(after_label, probes["after"][key], name),
            ),
            BenchResult(
                f"access.{name}.{role}.ratio",
                round(ratio, 3),
                "x",
                f"after/before wall-clock medians, {len(a['wall'])} requests each "
                f"(per-round paired {paired:.3f}, CPU time {cpu_ratio:.3f}); target ≤ {TARGET:.2f}: "
                + ("met" if ratio <= TARGET else "MISSED"),
            ),
        ]
    return results


def _note(label: str, probe: dict, name: str) -> str:
    note = f"{label}; {probe['queries']} queries"
    if name != "case_list":
        note += "; ID number " + ("in clear" if probe["id_in_clear"] else "masked")
    return note


def run() -> list:
    work = Path(tempfile.mkdtemp(prefix="liuhen-access-trees-", dir=os.environ.get("LIUHEN_BENCH_DIR")))
    sides: list[_Side] = []
    try:
        before_src = _unpack(BEFORE, work / "before")
        after_src = _unpack(AFTER, work / "after") if AFTER else ROOT / "src"
        sides = [_Side("before", before_src), _Side("after", after_src)]  # build both at once
        ready = {side.label: side.ready() for side in sides}
        for label, message in ready.items():
            print(
                f"{label}: built in {message['built_s']:.0f} s, {message['probe']}",
                file=sys.stderr,
                flush=True,
            )
        probes = {label: message["probe"] for label, message in ready.items()}
        times = _interleaved(*sides, probes)
    finally:
        for side in sides:
            side.close()
        shutil.rmtree(work, ignore_errors=True)
    after_label = _commit(AFTER) if AFTER else "working tree"
    return _results(times, probes, _commit(BEFORE), after_label)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child()
    else:
        for result in run():
            print(result)
