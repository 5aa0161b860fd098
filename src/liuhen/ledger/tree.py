"""The Merkle tree in the database: the append-side frontier and a batched :class:`HashStore`.

Level 0 of the stored hashes is ``ledger_ledgerentry.leaf_hash`` (by ``index``); levels ≥ 1 are
``ledger_ledgernode`` rows keyed ``level << 48 | index``. Every read is one SQL statement per table,
so a root or a proof costs at most two queries whatever the tree size.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from liuhen.ledger.models import node_key
from liuhen.tlog import merkle

_CHUNK = 500  # keys per IN (...) list, well under SQLite's variable limit


def frontier_split(blob: bytes) -> list[bytes]:
    return [bytes(blob[i : i + 32]) for i in range(0, len(blob), 32)]


def frontier_append(frontier: list[bytes], size: int, leaf: bytes) -> list[tuple[int, bytes]]:
    """Add leaf number ``size``; update ``frontier`` in place and return the new (key, hash) nodes."""
    current, level, nodes = leaf, 0, []
    while (size >> level) & 1:
        current = merkle.node_hash(frontier.pop(), current)
        level += 1
        nodes.append((node_key(level, size >> level), current))
    frontier.append(current)
    return nodes


def frontier_root(frontier: Sequence[bytes]) -> bytes:
    """The root of the tree whose right edge is ``frontier`` (largest subtree first)."""
    if not frontier:
        return merkle.EMPTY_ROOT
    root = frontier[-1]
    for h in reversed(frontier[:-1]):
        root = merkle.node_hash(h, root)
    return root


def tree_size() -> int:
    """The number of committed entries (the head row; no table scan)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT size FROM ledger_ledgerhead WHERE id = 1")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


class DatabaseHashStore:
    """:class:`liuhen.tlog.merkle.HashStore` over the ledger tables (current connection)."""

    def get_hashes(self, keys: Sequence[merkle.NodeKey]) -> list[bytes]:
        leaves = sorted({index for level, index in keys if level == 0})
        nodes = sorted({node_key(level, index) for level, index in keys if level > 0})
        found_leaves = _select('SELECT "index", leaf_hash FROM ledger_ledgerentry WHERE "index" IN ', leaves)
        found_nodes = _select('SELECT "key", hash FROM ledger_ledgernode WHERE "key" IN ', nodes)
        out = []
        for level, index in keys:
            found = found_leaves.get(index) if level == 0 else found_nodes.get(node_key(level, index))
            if found is None:
                raise KeyError(f"no stored hash ({level}, {index})")
            out.append(found)
        return out


def _select(sql: str, ids: Sequence[int]) -> dict[int, bytes]:
    found: dict[int, bytes] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            cursor.execute(sql + "(" + ",".join(["%s"] * len(chunk)) + ")", chunk)
            found.update((key, bytes(value)) for key, value in cursor.fetchall())
    return found
