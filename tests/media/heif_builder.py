"""Write tiny, valid HEIC files at test time: HEVC tiles from libx265 (via PyAV) in an ISOBMFF ``meta``.

Checked by hand against libheif 1.15 (it reads and decodes these files). Layout: ``ftyp`` + ``meta``
(hdlr pict, pitm, iloc, iinf, iref, iprp) + ``mdat`` holding every item's bytes.
"""

from __future__ import annotations

import io
import struct

import av


def _box(kind: str, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind.encode("ascii") + payload


def _full_box(kind: str, version: int, flags: int, payload: bytes) -> bytes:
    return _box(kind, struct.pack(">I", (version << 24) | flags) + payload)


def _children(data: bytes, start: int, end: int) -> dict[str, tuple[int, int]]:
    found, pos = {}, start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        found.setdefault(kind.decode("latin-1"), (pos + 8, pos + size))
        pos += size
    return found


def _path(data: bytes, *kinds: str) -> tuple[int, int]:
    start, end = 0, len(data)
    for kind in kinds:
        start, end = _children(data, start, end)[kind]
    return start, end


def hevc_tiles(lumas: list[int], width: int, height: int) -> tuple[bytes, list[bytes]]:
    """``hvcC`` and one intra-coded sample per luma value, taken out of an MP4 that PyAV writes."""
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        stream = out.add_stream("libx265", rate=1, options={"x265-params": "keyint=1:info=0:log-level=none"})
        stream.width, stream.height, stream.pix_fmt, stream.codec_tag = width, height, "yuv420p", "hvc1"
        for index, luma in enumerate(lumas):
            frame = av.VideoFrame(width, height, "yuv420p")
            for plane_no, plane in enumerate(frame.planes):
                plane.update(bytes([luma if plane_no == 0 else 128]) * plane.buffer_size)
            frame.pts = index
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    data = buf.getvalue()
    stbl = ("moov", "trak", "mdia", "minf", "stbl")
    stsd_start, stsd_end = _path(data, *stbl, "stsd")
    entry_start = stsd_start + 8 + 8  # full box + entry count, then the hvc1 box header
    hvcc_start, hvcc_end = _children(data, entry_start + 78, stsd_end)["hvcC"]
    stsz, _ = _path(data, *stbl, "stsz")
    fixed, count = struct.unpack_from(">II", data, stsz + 4)
    sizes = [fixed] * count if fixed else list(struct.unpack_from(f">{count}I", data, stsz + 12))
    stco, _ = _path(data, *stbl, "stco")
    offset, samples = struct.unpack_from(">I", data, stco + 8)[0], []
    for size in sizes:
        samples.append(data[offset : offset + size])
        offset += size
    return data[hvcc_start:hvcc_end], samples


def heic(
    *,
    rows: int = 1,
    columns: int = 1,
    tile: tuple[int, int] = (64, 64),
    size: tuple[int, int] | None = None,
    exif: bytes | None = None,
    rotation: int = 0,
) -> bytes:
    """A HEIC still; with several tiles a ``grid`` (cropped to ``size``) is the primary item.

    Tile *i* (row-major) has luma ``40 + 60 * i`` (mod 256), so tests can check where each tile lands.
    """
    count = rows * columns
    hvcc, samples = hevc_tiles([(40 + 60 * i) % 256 for i in range(count)], *tile)
    width, height = size or (tile[0] * columns, tile[1] * rows)
    items = [(i + 1, b"hvc1", sample) for i, sample in enumerate(samples)]
    primary = 1
    if count > 1:
        primary = count + 1
        items.append(
            (primary, b"grid", bytes([0, 0, rows - 1, columns - 1]) + struct.pack(">HH", width, height))
        )
    exif_id = len(items) + 1
    if exif is not None:
        items.append((exif_id, b"Exif", struct.pack(">I", 6) + b"Exif\0\0" + exif))
    ftyp = _box("ftyp", b"heic" + bytes(4) + b"mif1heic")
    meta = _meta(items, primary, hvcc, tile, (width, height), rotation, exif_id if exif else None, base=0)
    meta = _meta(
        items,
        primary,
        hvcc,
        tile,
        (width, height),
        rotation,
        exif_id if exif else None,
        base=len(ftyp) + len(meta) + 8,
    )
    return ftyp + meta + _box("mdat", b"".join(data for _, _, data in items))


def _meta(
    items: list[tuple[int, bytes, bytes]],
    primary: int,
    hvcc: bytes,
    tile: tuple[int, int],
    size: tuple[int, int],
    rotation: int,
    exif_id: int | None,
    *,
    base: int,
) -> bytes:
    tiles = [item for item, kind, _ in items if kind == b"hvc1"]
    grid = primary not in tiles
    hdlr = _full_box("hdlr", 0, 0, bytes(4) + b"pict" + bytes(13))
    pitm = _full_box("pitm", 0, 0, struct.pack(">H", primary))
    extents, offset = b"", base
    for item, _, data in items:
        extents += struct.pack(">HHHII", item, 0, 1, offset, len(data))
        offset += len(data)
    iloc = _full_box("iloc", 0, 0, bytes([0x44, 0x00]) + struct.pack(">H", len(items)) + extents)
    infe = b"".join(
        _full_box("infe", 2, 1 if grid and kind == b"hvc1" else 0, struct.pack(">HH", item, 0) + kind + b"\0")
        for item, kind, _ in items
    )
    iinf = _full_box("iinf", 0, 0, struct.pack(">H", len(items)) + infe)
    refs = _box(
        "dimg", struct.pack(">HH", primary, len(tiles)) + b"".join(struct.pack(">H", t) for t in tiles)
    )
    refs = refs if grid else b""
    if exif_id is not None:
        refs += _box("cdsc", struct.pack(">HHH", exif_id, 1, primary))
    iref = _full_box("iref", 0, 0, refs) if refs else b""
    ipco = _box("hvcC", hvcc) + _full_box("ispe", 0, 0, struct.pack(">II", *tile))
    ipco += _full_box("ispe", 0, 0, struct.pack(">II", *size)) + _box("irot", bytes([rotation // 90]))
    assoc = [struct.pack(">HB", t, 2) + bytes([0x81, 0x02]) for t in tiles]
    primary_props = [0x03] if grid else []
    if rotation:
        primary_props.append(0x84)
    if primary_props and grid:
        assoc.append(struct.pack(">HB", primary, len(primary_props)) + bytes(primary_props))
    elif rotation:
        assoc[0] = struct.pack(">HB", primary, 3) + bytes([0x81, 0x02, 0x84])
    ipma = _full_box("ipma", 0, 0, struct.pack(">I", len(assoc)) + b"".join(assoc))
    return _full_box("meta", 0, 0, hdlr + pitm + iloc + iinf + iref + _box("iprp", _box("ipco", ipco) + ipma))
