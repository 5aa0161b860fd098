"""The item structure of a HEIF still (HEIC, AVIF): primary image, its size, tile grid, rotation, EXIF.

FFmpeg's ``mov`` demuxer (PyAV 18 / FFmpeg 8.1) opens a HEIF file as one video stream per coded image
item, with ``stream.id`` = item ID, and marks the tiles of a grid ``dependent``; the grid itself is an
FFmpeg *stream group*, which PyAV does not expose. So the ``meta`` box is read here (stdlib only,
bounds-checked, read-only) to learn what FFmpeg leaves out. Anything malformed gives ``None``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

STILL_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"mif1", b"mif2", b"avif"})
_MAX_META = 16 * 1024 * 1024
_MAX_EXTENTS = 64  # per item; real files use one
_MAX_ITEM = 4 * 1024 * 1024  # EXIF blocks and grid descriptors are small; refuse to read more


@dataclass(frozen=True, slots=True)
class Grid:
    """A ``grid`` derived image: ``tiles`` (item IDs, row-major) laid out and cropped to width x height."""

    rows: int
    columns: int
    width: int
    height: int
    tiles: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class HeifStill:
    """The primary image of a HEIF file. ``width``/``height`` are as displayed (after ``rotation``)."""

    primary: int
    item_type: str
    width: int | None
    height: int | None
    rotation: int  # anticlockwise degrees: 0, 90, 180 or 270 (the ``irot`` property)
    grid: Grid | None
    exif: bytes | None  # TIFF bytes of the primary image's EXIF item


@dataclass(slots=True)
class _Meta:
    primary: int = 0
    types: dict[int, bytes] | None = None
    locations: dict[int, tuple[int, list[tuple[int, int]]]] | None = None  # id -> (method, extents)
    refs: dict[tuple[bytes, int], list[int]] | None = None
    props: list[tuple[bytes, bytes]] | None = None
    assoc: dict[int, list[int]] | None = None
    idat: bytes = b""


class _Malformed(Exception):
    pass


def read_heif_still(fh: BinaryIO) -> HeifStill | None:
    """Describe the primary image of the HEIF still in ``fh``; ``None`` if it is not one or is malformed."""
    try:
        meta = _read_meta(fh)
        return None if meta is None else _still(fh, meta)
    except (_Malformed, struct.error, ValueError, KeyError, IndexError, OSError):
        return None


def _boxes(data: bytes, start: int = 0, end: int | None = None) -> list[tuple[bytes, int, int]]:
    """(type, payload start, box end) of each box in ``data[start:end]``."""
    end = len(data) if end is None else end
    found, pos = [], start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            size, header = struct.unpack_from(">Q", data, pos + 8)[0], 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise _Malformed(f"box {kind!r} overruns its parent")
        found.append((kind, pos + header, pos + size))
        pos += size
    return found


def _read_meta(fh: BinaryIO) -> _Meta | None:
    """Walk the top-level boxes by seeking; parse ``meta`` only if ``ftyp`` names a still-image brand."""
    brands: set[bytes] = set()
    position = 0
    for _ in range(64):
        fh.seek(position)
        head = fh.read(16)
        if len(head) < 8:
            return None
        size, kind = struct.unpack_from(">I4s", head)
        header = 8
        if size == 1 and len(head) == 16:
            size, header = struct.unpack_from(">Q", head, 8)[0], 16
        if size < header:
            return None
        if kind == b"ftyp":
            fh.seek(position + header)
            body = fh.read(min(size - header, 4096))
            brands = {body[i : i + 4] for i in range(0, len(body) - 3, 4) if i != 4}
        elif kind == b"meta":
            if not brands & STILL_BRANDS or size > _MAX_META:
                return None
            fh.seek(position + header)
            return _parse_meta(fh.read(size - header))
        position += size
    return None


def _parse_meta(data: bytes) -> _Meta:
    meta = _Meta(types={}, locations={}, refs={}, props=[], assoc={})
    for kind, start, end in _boxes(data, 4):  # meta is a full box
        body = data[start:end]
        if kind == b"pitm":
            meta.primary = struct.unpack_from(">H" if body[0] == 0 else ">I", body, 4)[0]
        elif kind == b"iinf":
            meta.types = _item_types(body)
        elif kind == b"iloc":
            meta.locations = _locations(body)
        elif kind == b"iref":
            meta.refs = _references(body)
        elif kind == b"iprp":
            meta.props, meta.assoc = _properties(body)
        elif kind == b"idat":
            meta.idat = body
    return meta


def _item_types(body: bytes) -> dict[int, bytes]:
    types = {}
    for kind, start, end in _boxes(body, 6 if body[0] == 0 else 8):
        if kind != b"infe" or body[start] < 2:
            continue
        wide = body[start] == 3
        item = struct.unpack_from(">I" if wide else ">H", body, start + 4)[0]
        type_at = start + 4 + (4 if wide else 2) + 2
        if type_at + 4 > end:
            raise _Malformed("infe too short")
        types[item] = body[type_at : type_at + 4]
    return types


def _uint(body: bytes, pos: int, size: int) -> tuple[int, int]:
    if size == 0:
        return 0, pos
    if size not in (4, 8) or pos + size > len(body):
        raise _Malformed("bad iloc field size")
    return struct.unpack_from(">I" if size == 4 else ">Q", body, pos)[0], pos + size


def _locations(body: bytes) -> dict[int, tuple[int, list[tuple[int, int]]]]:
    version = body[0]
    offset_size, length_size = body[4] >> 4, body[4] & 15
    base_size, index_size = body[5] >> 4, (body[5] & 15) if version in (1, 2) else 0
    count, pos = struct.unpack_from(">H" if version < 2 else ">I", body, 6)[0], 8 if version < 2 else 10
    locations = {}
    for _ in range(count):
        item, pos = (
            struct.unpack_from(">H" if version < 2 else ">I", body, pos)[0],
            pos + (2 if version < 2 else 4),
        )
        method = 0
        if version in (1, 2):
            method, pos = struct.unpack_from(">H", body, pos)[0] & 15, pos + 2
        base, pos = _uint(body, pos + 2, base_size)  # skips data_reference_index
        extents, pos = struct.unpack_from(">H", body, pos)[0], pos + 2
        if extents > _MAX_EXTENTS:
            raise _Malformed("implausibly many extents")
        spans = []
        for _ in range(extents):
            _, pos = _uint(body, pos, index_size)
            offset, pos = _uint(body, pos, offset_size)
            length, pos = _uint(body, pos, length_size)
            spans.append((base + offset, length))
        locations[item] = (method, spans)
    return locations


def _references(body: bytes) -> dict[tuple[bytes, int], list[int]]:
    code, step = (">H", 2) if body[0] == 0 else (">I", 4)
    refs: dict[tuple[bytes, int], list[int]] = {}
    for kind, start, _end in _boxes(body, 4):
        source = struct.unpack_from(code, body, start)[0]
        count = struct.unpack_from(">H", body, start + step)[0]
        targets = struct.unpack_from(f">{count}{code[1]}", body, start + step + 2)
        refs.setdefault((kind, source), []).extend(targets)
    return refs


def _properties(body: bytes) -> tuple[list[tuple[bytes, bytes]], dict[int, list[int]]]:
    props: list[tuple[bytes, bytes]] = []
    assoc: dict[int, list[int]] = {}
    for kind, start, end in _boxes(body):
        if kind == b"ipco":
            props = [(k, body[s:e]) for k, s, e in _boxes(body, start, end)]
        elif kind == b"ipma":
            _associations(body[start:end], assoc)
    return props, assoc


def _associations(body: bytes, assoc: dict[int, list[int]]) -> None:
    version, wide_index = body[0], body[3] & 1
    count, pos = struct.unpack_from(">I", body, 4)[0], 8
    for _ in range(count):
        item, pos = (
            struct.unpack_from(">H" if version < 1 else ">I", body, pos)[0],
            pos + (2 if version < 1 else 4),
        )
        n, pos = body[pos], pos + 1
        for _ in range(n):
            if wide_index:
                index, pos = struct.unpack_from(">H", body, pos)[0] & 0x7FFF, pos + 2
            else:
                index, pos = body[pos] & 0x7F, pos + 1
            assoc.setdefault(item, []).append(index)


def _item_property(meta: _Meta, item: int, kind: bytes) -> bytes | None:
    for index in (meta.assoc or {}).get(item, []):
        if 0 < index <= len(meta.props or []) and (meta.props or [])[index - 1][0] == kind:
            return (meta.props or [])[index - 1][1]
    return None


def _item_bytes(fh: BinaryIO, meta: _Meta, item: int) -> bytes:
    method, spans = (meta.locations or {})[item]
    if method not in (0, 1) or sum(length for _, length in spans) > _MAX_ITEM:
        raise _Malformed("item stored in a way not read here")
    parts = []
    for offset, length in spans:
        if method == 1:
            parts.append(meta.idat[offset : offset + length])
        else:
            fh.seek(offset)
            parts.append(fh.read(length))
    return b"".join(parts)


def _still(fh: BinaryIO, meta: _Meta) -> HeifStill | None:
    item_type = (meta.types or {}).get(meta.primary)
    if item_type is None:
        return None
    grid = _grid(fh, meta) if item_type == b"grid" else None
    ispe = _item_property(meta, meta.primary, b"ispe")
    width, height = struct.unpack_from(">II", ispe, 4) if ispe and len(ispe) >= 12 else (None, None)
    if grid is not None:
        width, height = grid.width, grid.height
    irot = _item_property(meta, meta.primary, b"irot")
    rotation = 90 * (irot[0] & 3) if irot else 0
    if rotation in (90, 270):
        width, height = height, width
    return HeifStill(
        primary=meta.primary,
        item_type=item_type.decode("latin-1"),
        width=width,
        height=height,
        rotation=rotation,
        grid=grid,
        exif=_exif(fh, meta),
    )


def _grid(fh: BinaryIO, meta: _Meta) -> Grid | None:
    data = _item_bytes(fh, meta, meta.primary)
    wide = data[1] & 1
    width, height = struct.unpack_from(">II" if wide else ">HH", data, 4)
    rows, columns = data[2] + 1, data[3] + 1
    tiles = tuple((meta.refs or {}).get((b"dimg", meta.primary), []))
    if len(tiles) != rows * columns or not width or not height:
        return None
    return Grid(rows=rows, columns=columns, width=width, height=height, tiles=tiles)


def _exif(fh: BinaryIO, meta: _Meta) -> bytes | None:
    """The ``Exif`` item describing the primary image (``cdsc`` reference), else the first one."""
    candidates = [item for item, kind in (meta.types or {}).items() if kind == b"Exif"]
    linked = [i for i in candidates if meta.primary in (meta.refs or {}).get((b"cdsc", i), [])]
    for item in linked + candidates:
        try:
            data = _item_bytes(fh, meta, item)
            skip = struct.unpack_from(">I", data)[0]
        except (_Malformed, struct.error, KeyError):
            continue
        tiff = data[4 + skip :]
        if tiff[:4] in (b"II*\0", b"MM\0*"):
            return tiff
    return None
