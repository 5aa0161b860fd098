"""The log itself: entries vs their leaf hashes and positions, stored nodes vs recomputed, head, checkpoints."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import connection

from liuhen.ledger import keys
from liuhen.ledger.models import NODE_LEVEL_SHIFT
from liuhen.ledger.tree import frontier_root, frontier_split
from liuhen.tlog import merkle
from liuhen.tlog.checkpoint import open_checkpoint
from liuhen.tlog.note import NoteError
from liuhen.tlog.verify import Problem

_FETCH = 5000


@dataclass
class LogCheck:
    """What :func:`check_log` found, plus the recomputed tree (reused by the benchmarks)."""

    problems: list[Problem] = field(default_factory=list)
    entries: int = 0
    store: merkle.MemoryHashStore | None = None

    def add(self, kind: str, obj: str, detail: str) -> None:
        self.problems.append(Problem(kind, obj, detail))


def body_index(body: bytes) -> int | None:
    """The top-level ``index`` of a canonical entry without a full JSON parse.

    Canonical JSON sorts keys, so the top-level ``"index"`` is the last one before ``"objects"``;
    a quote inside a JSON string is always escaped, so the search cannot match inside a value.
    """
    end = body.rfind(b',"objects":')
    start = body.rfind(b',"index":', 0, end if end >= 0 else len(body))
    if start < 0:
        return None
    digits = body[start + 9 : end if end >= 0 else len(body)]
    return int(digits) if digits.isdigit() else None


def _rows(sql: str):  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(_FETCH):
            yield from rows


def _check_entries(report: LogCheck) -> list[bytes]:
    """Walk the entries in index order; return the leaf hashes recomputed from their bodies."""
    leaves: list[bytes] = []
    sha = hashlib.sha256
    for index, body, stored_leaf in _rows(
        'SELECT "index", body, leaf_hash FROM ledger_ledgerentry ORDER BY "index"'
    ):
        body = bytes(body)
        while len(leaves) < index:
            report.add("missing", f"entry {len(leaves)}", "no ledger row holds this index")
            leaves.append(b"")
        leaf = sha(b"\x00" + body).digest()
        if leaf != bytes(stored_leaf):
            report.add("modified", f"entry {index}", "its bytes do not hash to its stored leaf hash")
        claimed = body_index(body)
        if claimed != index:
            report.add("reordered", f"entry {index}", f"the row at index {index} holds entry {claimed}")
        leaves.append(leaf)
    report.entries = len(leaves)
    return leaves


def _check_nodes(report: LogCheck, store: merkle.MemoryHashStore) -> None:
    mask = (1 << NODE_LEVEL_SHIFT) - 1
    seen = [0] * len(store.levels)
    for key, value in _rows('SELECT "key", hash FROM ledger_ledgernode ORDER BY "key"'):
        level, index = key >> NODE_LEVEL_SHIFT, key & mask
        if level >= len(store.levels) or index >= len(store.levels[level]):
            report.add("extra", f"node {level}/{index}", "stored Merkle node beyond the entries")
            continue
        seen[level] += 1
        if bytes(value) != store.levels[level][index]:
            report.add(
                "modified", f"node {level}/{index}", "stored Merkle node differs from the recomputed one"
            )
    for level in range(1, len(store.levels)):
        if seen[level] != len(store.levels[level]):
            missing = len(store.levels[level]) - seen[level]
            report.add("missing", f"nodes at level {level}", f"{missing} stored Merkle node(s) absent")


def _check_head(report: LogCheck, store: merkle.MemoryHashStore) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT size, frontier FROM ledger_ledgerhead WHERE id = 1")
        row = cursor.fetchone()
    size, frontier = (int(row[0]), frontier_split(bytes(row[1]))) if row else (0, [])
    if store.size > size:
        report.add("extra", f"entries {size}..{store.size - 1}", f"beyond the ledger head's size {size}")
    elif store.size < size:
        report.add("missing", f"entries {store.size}..{size - 1}", f"the ledger head counts {size} entries")
    elif frontier_root(frontier) != merkle.tree_root(store, size):
        report.add("modified", "ledger head", "its tree edge does not match the entries")


def _check_checkpoints(report: LogCheck, store: merkle.MemoryHashStore) -> None:
    verifiers = keys.verifiers()
    previous = None
    for pk, note_text in _rows("SELECT id, note FROM ledger_ledgercheckpoint ORDER BY id"):
        name = f"checkpoint {pk}"
        try:
            checkpoint, _ = open_checkpoint(note_text, verifiers, origin=None)
        except (NoteError, ValueError) as exc:
            report.add("bad signature", name, str(exc))
            continue
        if previous is not None and (
            checkpoint.size < previous.size
            or (checkpoint.size == previous.size and checkpoint.root_hash != previous.root_hash)
        ):
            report.add(
                "inconsistent checkpoints",
                name,
                f"size {checkpoint.size} after {previous.size} (rollback or fork)",
            )
        previous = checkpoint
        if checkpoint.size > store.size:
            report.add(
                "missing", f"entries {store.size}..{checkpoint.size - 1}", f"signed by {name} but absent"
            )
        elif merkle.tree_root(store, checkpoint.size) != checkpoint.root_hash:
            report.add(
                "modified", f"entries 0..{checkpoint.size - 1}", f"do not reproduce the signed root of {name}"
            )


def check_log() -> LogCheck:
    report = LogCheck()
    leaves = _check_entries(report)
    store = merkle.MemoryHashStore.from_leaf_hashes([leaf or bytes(32) for leaf in leaves])
    report.store = store
    _check_nodes(report, store)
    _check_head(report, store)
    _check_checkpoints(report, store)
    return report
