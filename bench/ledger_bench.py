"""Ledger: single-entry commits/s and batched entries/s on SQLite (file database, WAL), inclusion-proof
latency and `liuhen verify`'s log check at 1,000,000 entries, and re-hashing stored files as a ratio to
`openssl dgst -sha256` over the same files.

Run alone: ``.venv/bin/python -m bench ledger``. The 1,000,000-entry tree is bulk-loaded (entries,
nodes and head written directly, computed by :class:`liuhen.tlog.merkle.MemoryHashStore`), then
checked by the same code as `liuhen verify`. Targets (issue 3): ≥ 2,000 commits/s, ≥ 20,000
entries/s batched, proof p50 < 2 ms, verify ≥ 100,000 entries/s.
"""

from __future__ import annotations

import hashlib
import os
import random
import statistics
import subprocess
import time
from pathlib import Path

from bench.common import BenchResult, django_sandbox

BIG = int(os.environ.get("LIUHEN_BENCH_LEDGER_SIZE", "1000000"))
FILES, FILE_MIB = 8, 32


def _appends(*, database: str = "SQLite WAL", prefix: str = "ledger") -> list[BenchResult]:
    from django.db import transaction

    from liuhen.ledger.services import EntryDraft, ledger_append, ledger_append_many

    n = 3000
    start = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            ledger_append(action="bench.single", objects={"case": i}, details={"note": "单条提交" * 8})
    single = n / (time.perf_counter() - start)
    batches, size = 30, 1000
    start = time.perf_counter()
    for _ in range(batches):
        drafts = [
            EntryDraft("bench.batch", objects={"case": i}, details={"note": "批量" * 16}) for i in range(size)
        ]
        ledger_append_many(drafts=drafts)
    batched = batches * size / (time.perf_counter() - start)
    return [
        BenchResult(
            f"{prefix}.single_commit_rate",
            round(single),
            "commits/s",
            f"{database}, one entry per transaction; target ≥ 2,000 (SQLite)",
        ),
        BenchResult(
            f"{prefix}.batched_rate",
            round(batched),
            "entries/s",
            f"{database}, 1,000 entries per transaction; target ≥ 20,000 (SQLite)",
        ),
    ]


def _bulk_load(total: int) -> float:
    """Extend the log to ``total`` entries by writing rows directly; return seconds taken."""
    from django.db import connection, transaction

    from liuhen.core.canonical import canonical_bytes
    from liuhen.ledger.models import node_key
    from liuhen.ledger.services import _INSERT_ENTRY
    from liuhen.ledger.tree import tree_size
    from liuhen.tlog import merkle

    start, have = time.perf_counter(), tree_size()
    with connection.cursor() as cursor:
        cursor.execute('SELECT body FROM ledger_ledgerentry ORDER BY "index"')
        bodies = [bytes(row[0]) for row in cursor.fetchall()]
    stamp = "2026-01-01T00:00:00.000000Z"
    for index in range(have, total):
        bodies.append(
            canonical_bytes(
                {
                    "v": 1,
                    "index": index,
                    "time": stamp,
                    "action": "bench.bulk",
                    "actor": None,
                    "agency": None,
                    "case": None,
                    "objects": {"case": index % 5000},
                    "contents": [],
                    "details": {"n": index},
                }
            )
        )
    leaves = [hashlib.sha256(b"\x00" + body).digest() for body in bodies]
    store = merkle.MemoryHashStore.from_leaf_hashes(leaves)
    frontier = [store.get_hashes([key])[0] for key in merkle._range_keys(0, total)]
    with transaction.atomic(), connection.cursor() as cursor:
        rows = (
            (i, "2026-01-01 00:00:00", "bench.bulk", None, None, None, "case", i % 5000, bodies[i], leaves[i])
            for i in range(have, total)
        )
        cursor.executemany(_INSERT_ENTRY, rows)
        old = merkle.MemoryHashStore.from_leaf_hashes(leaves[:have])
        new_nodes = (
            (node_key(lvl, i), h)
            for lvl in range(1, len(store.levels))
            for i, h in enumerate(store.levels[lvl])
            if lvl >= len(old.levels) or i >= len(old.levels[lvl])
        )
        cursor.executemany('INSERT INTO ledger_ledgernode ("key", hash) VALUES (%s, %s)', new_nodes)
        cursor.execute(
            "UPDATE ledger_ledgerhead SET size = %s, frontier = %s WHERE id = 1", [total, b"".join(frontier)]
        )
    return time.perf_counter() - start


def _proofs(total: int) -> list[BenchResult]:
    from liuhen.ledger.checkpoints import checkpoint_issue
    from liuhen.ledger.proofs import inclusion_proof_text
    from liuhen.ledger.tree import DatabaseHashStore
    from liuhen.tlog import merkle

    checkpoint_issue()
    rng, store = random.Random(7), DatabaseHashStore()
    raw, text = [], []
    for _ in range(1000):
        index = rng.randrange(total)
        t = time.perf_counter()
        merkle.inclusion_proof(store, index, total)
        raw.append(time.perf_counter() - t)
        t = time.perf_counter()
        inclusion_proof_text(index)
        text.append(time.perf_counter() - t)
    return [
        BenchResult(
            "ledger.inclusion_proof_p50",
            round(statistics.median(raw) * 1000, 3),
            "ms",
            f"{total:,} entries, hashes only; target < 2",
        ),
        BenchResult(
            "ledger.tlog_proof_text_p50",
            round(statistics.median(text) * 1000, 3),
            "ms",
            "entry + checkpoint + proof text (`prove-inclusion`)",
        ),
    ]


def _verify(total: int) -> list[BenchResult]:
    from liuhen.ledger.integrity import check_log

    start = time.perf_counter()
    report = check_log()
    elapsed = time.perf_counter() - start
    assert not report.problems and report.entries == total, report.problems[:3]
    return [
        BenchResult(
            "ledger.verify_rate",
            round(total / elapsed),
            "entries/s",
            f"{total:,} entries: leaf hashes, positions, every stored node, head, checkpoints; target ≥ 100,000",
        )
    ]


def _rehash(data_dir: Path) -> list[BenchResult]:
    from liuhen.archive.fixity import rehash
    from liuhen.cases.blobs import blob_store

    source, shas, store = data_dir / "src.bin", [], blob_store()
    for i in range(FILES):
        seed = hashlib.sha512(bytes([i])).digest() * (1024 * 1024 // 64)
        source.write_bytes(seed * FILE_MIB)
        shas.append(store.put_file(source).sha256)
    paths = [str(store.path_for(s)) for s in shas]
    subprocess.run(["openssl", "dgst", "-sha256", *paths], capture_output=True, check=True)  # warm the cache
    start = time.perf_counter()
    subprocess.run(["openssl", "dgst", "-sha256", *paths], capture_output=True, check=True)
    openssl = time.perf_counter() - start
    start = time.perf_counter()
    assert all(store.verify(s) for s in shas)
    sha_only = time.perf_counter() - start
    start = time.perf_counter()
    assert all(rehash(s)[0] == s for s in shas)
    fixity = time.perf_counter() - start
    total_mib = FILES * FILE_MIB
    return [
        BenchResult(
            "ledger.rehash_sha256_vs_openssl",
            round(sha_only / openssl, 2),
            "x",
            f"blob store verify over {total_mib} MiB (page cache warm); 1.0 = openssl speed",
        ),
        BenchResult(
            "ledger.fixity_sha256_sm3_vs_openssl",
            round(fixity / openssl, 2),
            "x",
            "fixity pass: SHA-256 and SM3 together, vs openssl SHA-256 alone",
        ),
        BenchResult("ledger.openssl_sha256_rate", round(total_mib / openssl), "MiB/s", "the baseline"),
    ]


def run() -> list[BenchResult]:
    data_dir = django_sandbox("ledger-bench-")
    results = _appends()
    load = _bulk_load(BIG)
    results.append(
        BenchResult(
            "ledger.bulk_load",
            round(BIG / load),
            "entries/s",
            "bench set-up: direct row writes, not the append path",
        )
    )
    results += _proofs(BIG)
    results += _verify(BIG)
    results += _rehash(data_dir)
    return results


if __name__ == "__main__":
    for result in run():
        print(result)
