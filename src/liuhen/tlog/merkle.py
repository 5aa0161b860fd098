"""RFC 9162 Merkle tree hashing, proofs and their verification, over a store of subtree hashes.

The tree is kept as *stored hashes* (the scheme of Go's ``golang.org/x/mod/sumdb/tlog`` and of
c2sp.org/tlog-tiles): for every **complete** subtree of 2**level leaves starting at leaf
``index * 2**level`` the store holds one 32-byte hash under the key ``(level, index)``. Level 0 holds
the leaf hashes. Appending a leaf writes the leaf hash plus one node per newly completed subtree
(O(log n) writes, O(log n) reads); a root, an inclusion proof or a consistency proof needs
O(log n) reads, fetched in one batch through :meth:`HashStore.get_hashes`. Because a level ``8*L``
row of the store is exactly the bottom row of level-``L`` tiles, tiles can be served from it directly.

Nothing here imports anything outside the standard library.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

NodeKey = tuple[int, int]  # (level, index) of a complete subtree
HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


class ProofError(ValueError):
    """A proof did not verify, or a proof was requested for impossible sizes or indices."""


def leaf_hash(entry: bytes) -> bytes:
    """RFC 9162 §2.1.1 leaf hash: SHA-256(0x00 || entry)."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 §2.1.1 interior node hash: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


class HashStore(Protocol):
    """Where the stored hashes live (a dict in tests, a database table in production)."""

    def get_hashes(self, keys: Sequence[NodeKey]) -> list[bytes]:
        """Return the hashes for ``keys`` in the same order; raise ``KeyError`` for a missing one."""
        ...


class MemoryHashStore:
    """In-memory :class:`HashStore`: one list per level, so level rows are contiguous."""

    def __init__(self) -> None:
        self.levels: list[list[bytes]] = []
        self.size = 0

    def get_hashes(self, keys: Sequence[NodeKey]) -> list[bytes]:
        try:
            return [self.levels[level][index] for level, index in keys]
        except IndexError as exc:
            raise KeyError(f"no stored hash for one of {list(keys)!r}") from exc

    def put_hashes(self, nodes: Mapping[NodeKey, bytes]) -> None:
        """Store new nodes; they must extend their level row (the tree is append-only)."""
        for (level, index), value in sorted(nodes.items()):
            while len(self.levels) <= level:
                self.levels.append([])
            row = self.levels[level]
            if index != len(row):
                raise ValueError(f"stored hash ({level}, {index}) is not the next one in its row")
            row.append(value)

    def append_leaf(self, leaf: bytes) -> None:
        """Append one leaf hash and persist what :func:`append` computes."""
        self.put_hashes(append(self, self.size, leaf))
        self.size += 1

    @classmethod
    def from_leaf_hashes(cls, leaves: Sequence[bytes]) -> MemoryHashStore:
        """Build all stored hashes at once, level by level (much faster than repeated appends)."""
        store = cls()
        row = list(leaves)
        sha = hashlib.sha256
        while row:
            store.levels.append(row)
            row = [sha(b"\x01" + a + b).digest() for a, b in zip(row[0::2], row[1::2], strict=False)]
        store.size = len(leaves)
        return store


def append(store: HashStore, size: int, leaf: bytes) -> dict[NodeKey, bytes]:
    """Return the stored hashes to persist when ``leaf`` becomes leaf number ``size``."""
    if len(leaf) != HASH_SIZE:
        raise ValueError("leaf hash must be 32 bytes")
    completed = 0
    while (size >> completed) & 1:
        completed += 1
    siblings = store.get_hashes([(lvl, (size >> lvl) - 1) for lvl in range(completed)])
    new = {(0, size): leaf}
    current = leaf
    for lvl, sibling in enumerate(siblings):
        current = node_hash(sibling, current)
        new[(lvl + 1, size >> (lvl + 1))] = current
    return new


def _range_keys(lo: int, hi: int) -> list[NodeKey]:
    """Complete subtrees covering leaves [lo, hi), left to right (lo aligned as in RFC 9162 splits)."""
    keys: list[NodeKey] = []
    while lo < hi:
        level = (hi - lo).bit_length() - 1
        while lo & ((1 << level) - 1):
            level -= 1
        keys.append((level, lo >> level))
        lo += 1 << level
    return keys


def _fold(hashes: Sequence[bytes]) -> bytes:
    """Combine the left-to-right complete subtrees of a range into the range's RFC 9162 hash."""
    result = hashes[-1]
    for h in reversed(hashes[:-1]):
        result = node_hash(h, result)
    return result


def _ranges_hashes(store: HashStore, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
    """MTH(D[lo:hi]) for each range, with a single batched store read."""
    per_range = [_range_keys(lo, hi) for lo, hi in ranges]
    flat = store.get_hashes([key for keys in per_range for key in keys])
    out, pos = [], 0
    for keys in per_range:
        out.append(_fold(flat[pos : pos + len(keys)]))
        pos += len(keys)
    return out


def tree_root(store: HashStore, size: int) -> bytes:
    """Root hash of the first ``size`` leaves (SHA-256 of the empty string for size 0)."""
    if size == 0:
        return EMPTY_ROOT
    return _ranges_hashes(store, [(0, size)])[0]


def root_from_leaves(hashes: Sequence[bytes]) -> bytes:
    """Root hash of a tree whose leaf hashes are given (RFC 9162 §2.1.1 MTH)."""
    if not hashes:
        return EMPTY_ROOT
    return tree_root(MemoryHashStore.from_leaf_hashes(hashes), len(hashes))


def _split(n: int) -> int:
    """Largest power of two strictly smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def _inclusion_ranges(index: int, lo: int, hi: int) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
    return ranges[::-1]


def inclusion_proof(store: HashStore, index: int, size: int) -> list[bytes]:
    """RFC 9162 §2.1.3.1 inclusion proof of leaf ``index`` in the tree of ``size`` leaves."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of size {size}")
    return _ranges_hashes(store, _inclusion_ranges(index, 0, size))


def _consistency_ranges(old: int, new: int) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    lo, hi, m, complete = 0, new, old, True
    while m != hi - lo:
        k = _split(hi - lo)
        if m <= k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo, m, complete = lo + k, m - k, False
    if not complete:
        ranges.append((lo, hi))
    return ranges[::-1]


def consistency_proof(store: HashStore, old: int, new: int) -> list[bytes]:
    """RFC 9162 §2.1.4.1 consistency proof between tree sizes ``old`` and ``new``."""
    if not 0 <= old <= new:
        raise ProofError(f"no consistency proof from size {old} to size {new}")
    if old in (0, new):
        return []
    return _ranges_hashes(store, _consistency_ranges(old, new))


def _check_hashes(hashes: Iterable[bytes]) -> None:
    for h in hashes:
        if len(h) != HASH_SIZE:
            raise ProofError("every hash must be 32 bytes")


def verify_inclusion(*, leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> None:
    """RFC 9162 §2.1.3.2; raise :class:`ProofError` unless ``proof`` puts ``leaf`` at ``index`` under ``root``."""
    _check_hashes([leaf, root, *proof])
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError("inclusion proof is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("inclusion proof is too short")
    if r != root:
        raise ProofError("inclusion proof does not lead to the root hash")


def verify_consistency(
    *, old: int, new: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """RFC 9162 §2.1.4.2; raise :class:`ProofError` unless ``proof`` shows ``new`` extends ``old``."""
    if not 0 <= old <= new:
        raise ProofError(f"tree size went from {old} down to {new}")
    if old == new:  # plain equality (the RFC 9162 vectors accept opaque equal roots here)
        if proof or old_root != new_root or (old == 0 and old_root != EMPTY_ROOT):
            raise ProofError("equal sizes need an empty proof and equal roots")
        return
    if old == 0:
        # RFC 9162 defines proofs only for 0 < old < new; every tree trivially extends the empty one,
        # so callers (the witness) handle that case themselves rather than "verify" it here.
        raise ProofError("a consistency proof from the empty tree proves nothing")
    _check_hashes([old_root, new_root, *proof])
    if not proof:
        raise ProofError("consistency proof is empty")
    _walk_consistency(old, new, old_root, new_root, proof)


def _walk_consistency(old: int, new: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> None:
    path = list(proof)
    if old & (old - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("consistency proof is too long")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("consistency proof is too short")
    if fr != old_root or sr != new_root:
        raise ProofError("consistency proof does not match the two roots")
