"""C2SP tlog-tiles (https://c2sp.org/tlog-tiles): paths, tile bytes, entry bundles, and a tile reader.

A tile at level ``L`` and index ``N`` is the concatenation of the stored hashes at tree level
``8*L``, indices ``256*N ...`` (256 of them when full, ``W`` for a partial tile ``.p/<W>``).
Hashes at the 7 tree levels inside a tile are recomputed from its bottom row.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Sequence

from . import merkle

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT


def _encode_index(n: int) -> str:
    groups = f"{n:d}"
    groups = "0" * (-len(groups) % 3) + groups
    parts = [groups[i : i + 3] for i in range(0, len(groups), 3)]
    return "/".join([*("x" + p for p in parts[:-1]), parts[-1]])


def tile_path(level: int, index: int, width: int = TILE_WIDTH) -> str:
    """``tile/<L>/<N>[.p/<W>]`` with N in 3-digit groups, all but the last prefixed ``x``."""
    if not 0 < width <= TILE_WIDTH or level < 0 or index < 0:
        raise ValueError("invalid tile coordinates")
    suffix = "" if width == TILE_WIDTH else f".p/{width}"
    return f"tile/{level}/{_encode_index(index)}{suffix}"


def entries_path(index: int, width: int = TILE_WIDTH) -> str:
    """``tile/entries/<N>[.p/<W>]`` for the entry bundle of leaves 256*N ..."""
    return tile_path(0, index, width).replace("tile/0/", "tile/entries/", 1)


def tile_width(level: int, index: int, size: int) -> int:
    """Width of tile (level, index) in a tree of ``size`` leaves (0 when it does not exist yet)."""
    row = size >> (TILE_HEIGHT * level)
    return max(0, min(TILE_WIDTH, row - index * TILE_WIDTH))


def tiles_for_size(size: int) -> list[tuple[int, int, int]]:
    """Every (level, index, width) tile a tree of ``size`` leaves publishes."""
    out: list[tuple[int, int, int]] = []
    level = 0
    while size >> (TILE_HEIGHT * level):
        row = size >> (TILE_HEIGHT * level)
        out.extend((level, n, tile_width(level, n, size)) for n in range(-(-row // TILE_WIDTH)))
        level += 1
    return out


def tile_bytes(store: merkle.HashStore, level: int, index: int, width: int) -> bytes:
    """The tile's data, read straight from the stored hashes at tree level 8*level."""
    start = index * TILE_WIDTH
    keys = [(TILE_HEIGHT * level, start + i) for i in range(width)]
    return b"".join(store.get_hashes(keys))


def encode_entry_bundle(entries: Iterable[bytes]) -> bytes:
    """Each entry as a 2-byte big-endian length followed by its bytes."""
    parts = []
    for entry in entries:
        if len(entry) > 0xFFFF:
            raise ValueError("an entry bundle cannot hold an entry over 65535 bytes")
        parts.append(struct.pack(">H", len(entry)) + entry)
    return b"".join(parts)


def decode_entry_bundle(data: bytes) -> list[bytes]:
    """Inverse of :func:`encode_entry_bundle`; refuses truncated data."""
    out, pos = [], 0
    while pos < len(data):
        if pos + 2 > len(data):
            raise ValueError("entry bundle truncated in a length prefix")
        (length,) = struct.unpack_from(">H", data, pos)
        if pos + 2 + length > len(data):
            raise ValueError("entry bundle truncated in an entry")
        out.append(data[pos + 2 : pos + 2 + length])
        pos += 2 + length
    return out


class TileReader:
    """A read-only :class:`~liuhen.tlog.merkle.HashStore` backed by fetched tiles (for witnesses/clients).

    ``fetch(path) -> bytes`` gets a tile by its path; tiles are cached. Every hash is recomputed from a
    tile's bottom row, so a client needs only ``fetch`` plus a trusted checkpoint to check proofs:
    proofs built from tiles are verified against the checkpoint's root like any other.
    """

    def __init__(self, fetch: Callable[[str], bytes], size: int) -> None:
        self.fetch, self.size = fetch, size
        self._cache: dict[tuple[int, int], list[bytes]] = {}

    def _tile(self, level: int, index: int) -> list[bytes]:
        if (level, index) not in self._cache:
            width = tile_width(level, index, self.size)
            if width == 0:
                raise KeyError(f"tile ({level}, {index}) is beyond tree size {self.size}")
            data = self.fetch(tile_path(level, index, width))
            if len(data) != width * merkle.HASH_SIZE:
                raise ValueError(f"tile ({level}, {index}) has {len(data)} bytes, expected {width * 32}")
            self._cache[(level, index)] = [data[i : i + 32] for i in range(0, len(data), 32)]
        return self._cache[(level, index)]

    def _hash(self, level: int, index: int) -> bytes:
        tile_level, sub = divmod(level, TILE_HEIGHT)
        first = index << sub  # bottom-row index of the subtree's leftmost hash
        row = self._tile(tile_level, first // TILE_WIDTH)
        start = first % TILE_WIDTH
        hashes = row[start : start + (1 << sub)]
        if len(hashes) != 1 << sub:
            raise KeyError(f"stored hash ({level}, {index}) is not complete at size {self.size}")
        while len(hashes) > 1:
            hashes = [merkle.node_hash(a, b) for a, b in zip(hashes[0::2], hashes[1::2], strict=True)]
        return hashes[0]

    def get_hashes(self, keys: Sequence[merkle.NodeKey]) -> list[bytes]:
        return [self._hash(level, index) for level, index in keys]
