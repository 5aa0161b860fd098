"""Benchmark the compliance engine: 100,000 synthetic cases with realistic record counts.

Run: ``.venv/bin/python bench/rules_bench.py [N]`` or ``python -m bench rules`` (N from
``LIUHEN_BENCH_RULES_CASES``, default 100,000 as the issue asks; it is a rate, so a smaller N gives
the same figure sooner). Cases are generated in chunks (not timed) and only ``evaluate``
is timed, on one core. Target (issue 4): ≥ 2,000 cases/s on 2 cores.
"""

from __future__ import annotations

import gc
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from liuhen.rules import evaluate, load_profile  # noqa: E402
from liuhen.rules.deadlines import CHINA_TZ  # noqa: E402
from liuhen.rules.snapshot import (  # noqa: E402
    ApprovalSnap,
    CaseSnapshot,
    DocumentSnap,
    InterruptionSnap,
    MediaSnap,
    SignatureSnap,
)

PROFILES = ("dalian-cg", "gaochang-sthj", "longjiang-cg", "xinglongtai-mz", "xinle-fg")
T0 = datetime(2024, 1, 1, 9, tzinfo=CHINA_TZ)
DOC_TYPES = (
    "inquiry_record",
    "inspection_record",
    "sampling_record",
    "evidence_preservation_list",
    "rights_notice",
    "statement_defence_record",
    "legal_review_opinion",
    "head_approval",
    "service_receipt",
    "demand_notice",
    "enforcement_record",
    "rectification_notice",
    "rectification_check_record",
)
SIGS = (
    SignatureSnap("officer", "electronic", T0),
    SignatureSnap("officer", "electronic", T0),
    SignatureSnap("party", "seal", T0),
)
FIELDS = {
    "officers": ["a", "b"],
    "certificate_nos": ["1", "2"],
    "certificates_shown": True,
    "method": "direct",
    "due_date": "2024-02-01",
    "rights": ["statement", "defence", "recusal", "hearing"],
    "page_count": 2,
}


def synthetic_case(rng: random.Random, n: int) -> CaseSnapshot:
    start = T0 + timedelta(hours=rng.randrange(0, 24 * 365))
    docs = tuple(
        DocumentSnap(f"d{n}-{i}", rng.choice(DOC_TYPES), start + timedelta(hours=i), FIELDS, SIGS)
        for i in range(rng.randint(10, 20))
    ) + (DocumentSnap(f"d{n}-p", "penalty_decision", start + timedelta(days=5), FIELDS, SIGS),)
    media = tuple(
        MediaSnap(
            f"m{n}-{i}",
            rng.choice(("inspection", "inquiry", "sampling", "service_left", "whole_operation")),
            start,
            start + timedelta(minutes=20),
            uploaded_at=start + timedelta(hours=rng.randint(1, 30)),
            device_no=f"D{i}",
            officers=("a", "b"),
            document_ids=(docs[i % len(docs)].id,),
        )
        for i in range(rng.randint(4, 12))
    )
    approvals = tuple(
        ApprovalSnap(f"a{n}-{k}", k, "approve", "同意", start + timedelta(days=i), f"p{i}")
        for i, k in enumerate(("handler_proposal", "review", "approval", "legal_review", "head_approval"))
    )
    interruptions = (InterruptionSnap(f"i{n}", media[0].id, "battery", start),) if n % 7 == 0 else ()
    return CaseSnapshot(
        id=f"c{n}",
        profile_id=PROFILES[n % 5],
        case_no=str(n),
        procedure="general",
        initiation_kind="ex_officio",
        stage=rng.choice(("investigation", "decision", "service_enforcement", "closed")),
        opened_at=start,
        flags=frozenset(rng.sample(("evidence_used", "obstruction", "dispute_likely", "major_complex"), 1)),
        enforcement_ended_at=start + timedelta(days=20),
        documents=docs,
        approvals=approvals,
        media=media,
        interruptions=interruptions,
    )


DEFAULT_CASES = int(os.environ.get("LIUHEN_BENCH_RULES_CASES", "100000"))


def measure(total: int = DEFAULT_CASES, chunk: int = 5_000) -> dict[str, float]:
    """Evaluate ``total`` synthetic cases; return the rate and per-case latencies."""
    profiles = {p: load_profile(p) for p in PROFILES}
    rng = random.Random(42)
    now = T0 + timedelta(days=400)
    timings: list[float] = []
    findings = 0
    records = 0
    for offset in range(0, total, chunk):
        cases = [synthetic_case(rng, n) for n in range(offset, min(total, offset + chunk))]
        records += sum(len(c.documents) + len(c.media) + len(c.approvals) for c in cases)
        gc.collect()  # keep generation garbage out of the timed loop
        for snapshot in cases:
            t = time.perf_counter()
            findings += len(evaluate(snapshot, profiles[snapshot.profile_id], now=now))
            timings.append(time.perf_counter() - t)
    elapsed = sum(timings)
    timings.sort()
    return {
        "cases": total,
        "records_per_case": records / total,
        "findings_per_case": findings / total,
        "rate": total / elapsed,
        "mean_ms": elapsed / total * 1000,
        "p99_ms": timings[int(len(timings) * 0.99)] * 1000,
        "max_ms": timings[-1] * 1000,
    }


def run() -> list:
    from bench.common import BenchResult

    m = measure()
    note = f"{m['cases']:,} synthetic cases, {m['records_per_case']:.0f} records each, one core"
    return [
        BenchResult("rules.evaluate_rate", round(m["rate"]), "cases/s", note),
        BenchResult("rules.evaluate_p99", round(m["p99_ms"], 3), "ms", "per case"),
    ]


def main(total: int) -> None:
    m = measure(total)
    print(
        f"cases: {total}  records/case: {m['records_per_case']:.1f}  findings/case: {m['findings_per_case']:.1f}"
    )
    print(
        f"evaluate: {m['rate']:,.0f} cases/s  mean {m['mean_ms']:.3f} ms  "
        f"p99 {m['p99_ms']:.2f} ms  max {m['max_ms']:.2f} ms"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CASES)
