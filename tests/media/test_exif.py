"""EXIF capture time and GPS from JPEGs built by hand: both byte orders, hemispheres, broken blocks."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from liuhen.core.canonical import canonical_bytes
from liuhen.media import probe
from liuhen.media.exif import ExifFacts, read_exif
from tests.media.exif_builder import ASCII, BYTE, RATIONAL, gps_entries, jpeg_bytes, tiff, with_app1

SYDNEY = gps_entries("S", [(33, 1), (52, 1), (768, 100)], "W", [(151, 1), (12, 1), (3348, 100)])
DALIAN = gps_entries("N", [(38, 1), (54, 1), (504, 10)], "E", [(121, 1), (36, 1), (5292, 100)])


def _jpeg(tmp_path, block: bytes, name: str = "photo.jpg"):
    path = tmp_path / name
    path.write_bytes(with_app1(jpeg_bytes(), b"Exif\0\0" + block))
    return path


def _full_block(order: str) -> bytes:
    return tiff(
        order,
        ifd0={0x0132: (ASCII, "2024:01:01 00:00:00")},
        exif={0x9003: (ASCII, "2024:05:01 08:30:00"), 0x9011: (ASCII, "+08:00")},
        gps={**SYDNEY, 5: (BYTE, [1]), 6: (RATIONAL, [(125, 10)])},
    )


@pytest.mark.parametrize("order", ["<", ">"], ids=["II", "MM"])
def test_given_jpeg_with_south_west_gps_and_offset_when_probed_then_exact_point_and_utc_time(tmp_path, order):
    """GIVEN a JPEG whose EXIF (II or MM) has S/W GPS, altitude below sea level, DateTimeOriginal +08:00
    WHEN probed THEN negative exact decimal degrees, -12.5 m, and the time normalised to UTC."""
    info = probe(_jpeg(tmp_path, _full_block(order)))

    assert (info.kind, info.width, info.height) == ("photo", 64, 48)
    assert (info.gps.lat, info.gps.lon, info.gps.alt) == (
        Decimal("-33.8688"),
        Decimal("-151.2093"),
        Decimal("-12.5"),
    )
    assert info.gps.raw == "exif:S 33/1,52/1,768/100 W 151/1,12/1,3348/100 1 125/10"
    assert (info.captured_at, info.captured_at_source) == ("2024-05-01T00:30:00Z", "exif:DateTimeOriginal")
    assert not info.flagged
    canonical_bytes(info.to_dict())  # no floats anywhere


def test_given_north_east_gps_and_zoneless_time_when_probed_then_positive_point_and_local_time(tmp_path):
    """GIVEN MM EXIF with N/E GPS, no altitude, DateTimeOriginal without OffsetTimeOriginal
    WHEN probed THEN positive degrees (quantised to 1e-7) and the camera's clock time kept zone-less."""
    block = tiff(">", exif={0x9003: (ASCII, "2024:05:01 16:30:00")}, gps=DALIAN)

    info = probe(_jpeg(tmp_path, block))

    assert (info.gps.lat, info.gps.lon, info.gps.alt) == (Decimal("38.9140000"), Decimal("121.6147"), None)
    assert (info.captured_at, info.captured_at_source) == ("2024-05-01T16:30:00", "exif:DateTimeOriginal")


def test_given_jpeg_without_exif_when_probed_then_no_time_no_gps(tmp_path):
    """GIVEN a plain JPEG WHEN probed THEN a photo with neither capture time nor GPS, not flagged."""
    path = tmp_path / "plain.jpg"
    path.write_bytes(jpeg_bytes())

    info = probe(path)

    assert (info.kind, info.captured_at, info.gps, info.flagged) == ("photo", None, None, False)


@pytest.mark.parametrize(
    ("gps", "why"),
    [
        (
            {2: (RATIONAL, [(33, 1), (0, 0), (0, 1)]), 1: (ASCII, "S"), **{k: DALIAN[k] for k in (3, 4)}},
            "0 den",
        ),
        ({k: DALIAN[k] for k in (2, 3, 4)}, "no latitude reference"),
        ({**DALIAN, 1: (ASCII, "X")}, "bad reference"),
        ({**DALIAN, 9: (ASCII, "V")}, "GPSStatus void"),
        ({**DALIAN, 2: (RATIONAL, [(95, 1), (0, 1), (0, 1)])}, "latitude past 90"),
        ({**DALIAN, 2: (ASCII, "38.9")}, "wrong field type"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_given_unusable_gps_when_read_then_no_point_but_time_kept(gps, why):
    """GIVEN GPS tags that do not make a point WHEN read THEN gps is None and the capture time survives."""
    facts = read_exif(tiff("<", exif={0x9003: (ASCII, "2024:05:01 08:30:00")}, gps=gps))

    assert facts.gps is None, why
    assert facts.captured_at == "2024-05-01T08:30:00"


def test_given_unset_or_odd_times_when_read_then_next_tag_or_zone_dropped():
    """GIVEN a blank DateTimeOriginal, a DateTimeDigitized with offset '+99:99' WHEN read
    THEN DateTimeDigitized is used and its unusable offset ignored (kept zone-less)."""
    block = tiff(
        ">",
        ifd0={0x0132: (ASCII, "2020:01:01 00:00:00")},
        exif={
            0x9003: (ASCII, "    :  :     :  :  "),
            0x9004: (ASCII, "2024:05:01 08:30:00"),
            0x9012: (ASCII, "+99:99"),
        },
    )

    assert read_exif(block) == ExifFacts("2024-05-01T08:30:00", "exif:DateTimeDigitized")


def test_given_truncated_or_garbled_exif_when_read_or_probed_then_never_raises(tmp_path):
    """GIVEN every truncation of a valid block, 2,000 seeded random corruptions, and pure garbage
    WHEN read THEN no exception ever; a JPEG carrying garbage EXIF probes as a photo without GPS."""
    good = _full_block("<")
    rng = random.Random(5)
    for cut in range(len(good)):
        read_exif(good[:cut])
    for _ in range(2000):
        broken = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            broken[rng.randrange(len(broken))] = rng.randrange(256)
        read_exif(bytes(broken))

    garbage = probe(_jpeg(tmp_path, b"MM\0*\xff\xff\xff\xf0" + bytes(rng.randrange(256) for _ in range(40))))
    truncated = probe(_jpeg(tmp_path, good[:60], name="cut.jpg"))

    assert (garbage.kind, garbage.gps, garbage.captured_at) == ("photo", None, None)
    assert (truncated.kind, truncated.gps) == ("photo", None)
    assert read_exif(good[:60]) == ExifFacts()
