"""Build EXIF (TIFF) blocks by hand, in either byte order, and splice them into a JPEG after SOI."""

from __future__ import annotations

import struct
from fractions import Fraction

import av

Value = str | list[int] | list[tuple[int, int]]
Entries = dict[int, tuple[int, Value]]  # tag -> (TIFF field type, value)

ASCII, BYTE, LONG, RATIONAL = 2, 1, 4, 5


def _raw(order: str, kind: int, value: Value) -> tuple[bytes, int]:
    if kind == ASCII:
        assert isinstance(value, str)
        return value.encode("ascii") + b"\0", len(value) + 1
    if kind == RATIONAL:
        return b"".join(struct.pack(order + "II", n, d) for n, d in value), len(value)  # type: ignore[misc]
    code = {BYTE: "B", LONG: "I"}[kind]
    return struct.pack(f"{order}{len(value)}{code}", *value), len(value)


def _ifd(order: str, entries: Entries, at: int) -> bytes:
    data_at = at + 2 + 12 * len(entries) + 4
    head, tail = struct.pack(order + "H", len(entries)), b""
    for tag in sorted(entries):
        kind, value = entries[tag]
        raw, count = _raw(order, kind, value)
        if len(raw) <= 4:
            head += struct.pack(order + "HHI", tag, kind, count) + raw.ljust(4, b"\0")
        else:
            head += struct.pack(order + "HHII", tag, kind, count, data_at + len(tail))
            tail += raw + b"\0" * (len(raw) % 2)
    return head + struct.pack(order + "I", 0) + tail


def tiff(
    order: str, *, ifd0: Entries | None = None, exif: Entries | None = None, gps: Entries | None = None
) -> bytes:
    """A TIFF block; ``order`` is ``"<"`` (II) or ``">"`` (MM). Sub-IFD pointers are filled in."""
    ifd0 = dict(ifd0 or {})
    if exif is not None:
        ifd0[0x8769] = (LONG, [0])
    if gps is not None:
        ifd0[0x8825] = (LONG, [0])
    at = 8 + len(_ifd(order, ifd0, 8))
    if exif is not None:
        ifd0[0x8769] = (LONG, [at])
        at += len(_ifd(order, exif, at))
    if gps is not None:
        ifd0[0x8825] = (LONG, [at])
    header = (b"II*\0" if order == "<" else b"MM\0*") + struct.pack(order + "I", 8)
    block = header + _ifd(order, ifd0, 8)
    if exif is not None:
        block += _ifd(order, exif, len(block))
    if gps is not None:
        block += _ifd(order, gps, len(block))
    return block


def with_app1(jpeg: bytes, payload: bytes) -> bytes:
    """``jpeg`` with an APP1 segment carrying ``payload`` inserted right after SOI."""
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def gps_entries(
    lat_ref: str, lat: list[tuple[int, int]], lon_ref: str, lon: list[tuple[int, int]]
) -> Entries:
    return {1: (ASCII, lat_ref), 2: (RATIONAL, lat), 3: (ASCII, lon_ref), 4: (RATIONAL, lon)}


def jpeg_bytes(width: int = 64, height: int = 48) -> bytes:
    """A plain grey baseline JPEG from FFmpeg's mjpeg encoder (no EXIF)."""
    encoder = av.CodecContext.create("mjpeg", "w")
    encoder.width, encoder.height, encoder.pix_fmt = width, height, "yuvj420p"
    encoder.time_base = Fraction(1, 25)
    frame = av.VideoFrame(width, height, "yuvj420p")
    for plane in frame.planes:
        plane.update(bytes([90]) * plane.buffer_size)
    return b"".join(bytes(p) for p in encoder.encode(frame) + encoder.encode(None))
