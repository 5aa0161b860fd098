"""Capture time and GPS from an EXIF block (a TIFF structure), standard library only. Read-only.

FFmpeg does not expose the EXIF GPS IFD, so the TIFF is walked here: IFD0, then the Exif and GPS
sub-IFDs it points to (no chains are followed, so a crafted file cannot loop). Every offset and count
is bounds-checked; a malformed block gives empty :class:`ExifFacts`, never an exception.

Times: ``DateTimeOriginal`` (then ``DateTimeDigitized``, then ``DateTime``). With its ``OffsetTime*``
tag the time is normalised to UTC (``…Z``); without one it is kept zone-less, as the camera wrote it,
exactly like zone-less container tags in :mod:`liuhen.media.probe`.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import BinaryIO

from liuhen.media.geo import GeoPoint

_MICRO_DEGREE = Decimal("0.0000001")  # as geo.py does for converted degree-minute-second forms
_MILLIMETRE = Decimal("0.001")
_MAX_ENTRIES = 1024
_MAX_JPEG_SEGMENTS = 64
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
# TIFF field type -> (bytes per value, struct code)
_TYPES = {1: (1, "B"), 2: (1, "B"), 3: (2, "H"), 4: (4, "I"), 5: (8, "II"), 7: (1, "B"), 9: (4, "i")}
_TYPES |= {10: (8, "ii"), 13: (4, "I")}
# (time tag, offset tag, name, in Exif IFD?)
_TIME_TAGS = (
    (0x9003, 0x9011, "DateTimeOriginal", True),
    (0x9004, 0x9012, "DateTimeDigitized", True),
    (0x0132, 0x9010, "DateTime", False),
)
_OFFSET = re.compile(r"^[+-]\d\d:\d\d$")

Ifd = dict[int, tuple[int, list[int]]]  # tag -> (field type, flat list of values)


class _Malformed(Exception):
    pass


@dataclass(frozen=True, slots=True)
class ExifFacts:
    """What an EXIF block says about when and where; all ``None`` when it says nothing usable."""

    captured_at: str | None = None
    captured_at_source: str | None = None
    gps: GeoPoint | None = None


def read_exif(tiff: bytes) -> ExifFacts:
    """Parse a TIFF-structured EXIF block (starting at ``II*\\0``/``MM\\0*``). Never raises."""
    try:
        order, ifd0 = _header(tiff)
        exif = _sub_ifd(tiff, order, ifd0, _EXIF_IFD)
        gps = _sub_ifd(tiff, order, ifd0, _GPS_IFD)
    except (_Malformed, struct.error, ValueError, OverflowError):
        return ExifFacts()
    captured_at, source = _capture_time(ifd0, exif)
    return ExifFacts(captured_at=captured_at, captured_at_source=source, gps=_guarded(_gps_point, gps))


def jpeg_exif_block(fh: BinaryIO) -> bytes | None:
    """The TIFF bytes of a JPEG's APP1 ``Exif\\0\\0`` segment, or ``None``. Reads only the header segments."""
    if fh.read(2) != b"\xff\xd8":
        return None
    for _ in range(_MAX_JPEG_SEGMENTS):
        head = fh.read(4)
        if len(head) < 4 or head[0] != 0xFF or head[1] in (0xD9, 0xDA):
            return None
        length = struct.unpack(">H", head[2:])[0]
        if length < 2:
            return None
        if head[1] != 0xE1:
            fh.seek(length - 2, 1)
            continue
        payload = fh.read(length - 2)
        if payload.startswith(b"Exif\0\0"):
            return payload[6:]
    return None


def _guarded(parse: Callable[[Ifd], GeoPoint | None], ifd: Ifd) -> GeoPoint | None:
    try:
        return parse(ifd)
    except (ArithmeticError, ValueError, IndexError):
        return None


def _header(tiff: bytes) -> tuple[str, Ifd]:
    if tiff[:4] == b"II*\0":
        order = "<"
    elif tiff[:4] == b"MM\0*":
        order = ">"
    else:
        raise _Malformed("not a TIFF header")
    return order, _ifd(tiff, order, struct.unpack(order + "I", tiff[4:8])[0])


def _sub_ifd(tiff: bytes, order: str, ifd0: Ifd, tag: int) -> Ifd:
    pointer = ifd0.get(tag)
    if pointer is None or pointer[0] not in (4, 13) or len(pointer[1]) != 1:
        return {}
    try:
        return _ifd(tiff, order, pointer[1][0])
    except (_Malformed, struct.error):
        return {}  # a broken sub-IFD costs only what it holds


def _ifd(tiff: bytes, order: str, offset: int) -> Ifd:
    if offset < 8 or offset + 2 > len(tiff):
        raise _Malformed("IFD offset out of range")
    (count,) = struct.unpack_from(order + "H", tiff, offset)
    if count > _MAX_ENTRIES or offset + 2 + 12 * count > len(tiff):
        raise _Malformed("IFD runs past the block")
    entries: Ifd = {}
    for index in range(count):
        tag, kind, n, inline = struct.unpack_from(order + "HHI4s", tiff, offset + 2 + 12 * index)
        if kind not in _TYPES or tag in entries:
            continue
        size, code = _TYPES[kind]
        if size * n <= 4:
            data = inline[: size * n]
        else:
            start = struct.unpack(order + "I", inline)[0]
            if start + size * n > len(tiff):
                continue  # this value lies outside the block; the others may still be good
            data = tiff[start : start + size * n]
        entries[tag] = (kind, list(struct.unpack(f"{order}{code * n}", data)))
    return entries


def _ascii(ifd: Ifd, tag: int) -> str | None:
    entry = ifd.get(tag)
    if entry is None or entry[0] != 2:
        return None
    text = bytes(entry[1]).split(b"\0", 1)[0]
    try:
        return text.decode("ascii").strip()
    except UnicodeDecodeError:
        return None


def _capture_time(ifd0: Ifd, exif: Ifd) -> tuple[str | None, str | None]:
    for tag, offset_tag, name, in_exif in _TIME_TAGS:
        text = _ascii(exif if in_exif else ifd0, tag)
        stamp = _stamp(text, _ascii(exif, offset_tag)) if text else None
        if stamp:
            return stamp, f"exif:{name}"
    return None, None


def _stamp(text: str, offset: str | None) -> str | None:
    try:
        moment = datetime.strptime(text, "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None  # blank "    :  :     :  :  " or "0000:00:00 00:00:00" from unset clocks
    if offset is None or not _OFFSET.match(offset):
        return moment.isoformat()
    try:
        zoned = datetime.fromisoformat(moment.isoformat() + offset)
    except ValueError:
        return moment.isoformat()  # "+99:99": an unusable offset is dropped, the clock time kept
    return zoned.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _gps_point(gps: Ifd) -> GeoPoint | None:
    if _ascii(gps, 9) == "V":  # GPSStatus: measurement void
        return None
    lat = _coordinate(gps, ref_tag=1, value_tag=2, negative="S", positive="N", limit=90)
    lon = _coordinate(gps, ref_tag=3, value_tag=4, negative="W", positive="E", limit=180)
    if lat is None or lon is None:
        return None
    alt = _altitude(gps)
    raw = " ".join(_raw_part(gps, ref, value) for ref, value in ((1, 2), (3, 4), (5, 6)) if value in gps)
    return GeoPoint(lat=lat, lon=lon, alt=alt, raw=f"exif:{raw}")


def _rationals(gps: Ifd, tag: int) -> list[tuple[int, int]]:
    entry = gps.get(tag)
    if entry is None or entry[0] not in (5, 10):
        return []
    values = entry[1]
    return list(zip(values[::2], values[1::2], strict=True))


def _coordinate(
    gps: Ifd, *, ref_tag: int, value_tag: int, negative: str, positive: str, limit: int
) -> Decimal | None:
    ref, parts = _ascii(gps, ref_tag), _rationals(gps, value_tag)
    if ref not in (negative, positive) or not 1 <= len(parts) <= 3:
        return None  # without its N/S or E/W reference the sign is unknown
    if any(den == 0 or num < 0 or den < 0 for num, den in parts):
        return None
    degrees = sum(
        (
            Decimal(num) / Decimal(den) / scale
            for (num, den), scale in zip(parts, (1, 60, 3600), strict=False)
        ),
        Decimal(0),
    )
    if degrees > limit:
        return None
    return (-degrees if ref == negative else degrees).quantize(_MICRO_DEGREE)


def _altitude(gps: Ifd) -> Decimal | None:
    parts = _rationals(gps, 6)
    if len(parts) != 1 or parts[0][1] == 0:
        return None
    below = gps.get(5, (1, [0]))[1][:1] == [1]  # GPSAltitudeRef 1: below sea level
    metres = (Decimal(parts[0][0]) / Decimal(parts[0][1])).quantize(_MILLIMETRE)
    metres = metres.quantize(Decimal(1)) if metres == metres.to_integral_value() else metres.normalize()
    return -metres if below else metres


def _raw_part(gps: Ifd, ref_tag: int, value_tag: int) -> str:
    kind, ref = gps.get(ref_tag, (0, []))
    text = bytes(ref).split(b"\0", 1)[0].decode("ascii", "replace") if kind == 2 else ",".join(map(str, ref))
    values = ",".join(f"{num}/{den}" for num, den in _rationals(gps, value_tag))
    return f"{text or '?'} {values}"
