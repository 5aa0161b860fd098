"""HEIC stills (single image, tile grid, rotated, with EXIF) as photos with a preview; broken ones fail soft."""

from __future__ import annotations

import hashlib
import io
import random
from decimal import Decimal

import av
import pytest

from liuhen.media import MediaError, preview, probe
from liuhen.media.heif import read_heif_still
from tests.media.exif_builder import ASCII, gps_entries, tiff
from tests.media.heif_builder import heic

LUMA_FULL_RANGE = {40: 28, 100: 98, 160: 168, 220: 238, 24: 9, 84: 79}  # tile luma after yuv -> yuvj


def _luma_at(jpeg, points):
    with av.open(str(jpeg)) as container:
        frame = next(container.decode(video=0))
    plane = frame.planes[0]
    data = bytes(plane)
    return (frame.width, frame.height), [data[y * plane.line_size + x] for x, y in points]


def test_given_single_image_heic_when_probed_and_previewed_then_photo_and_jpeg(tmp_path):
    """GIVEN a one-item 64x48 HEIC WHEN probed and previewed THEN a hevc photo 64x48, and a 64x48 JPEG."""
    path = tmp_path / "IMG_0001.HEIC"
    path.write_bytes(heic(tile=(64, 48)))
    before = hashlib.sha256(path.read_bytes()).hexdigest()

    info = probe(path)
    out = preview(path, tmp_path / "preview.jpg")

    assert (info.kind, info.container, info.video_codec) == ("photo", "heif", "hevc")
    assert (info.width, info.height, info.duration, info.flagged) == (64, 48, None, False)
    assert _luma_at(out, [(32, 24)]) == ((64, 48), [LUMA_FULL_RANGE[40]])
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_given_tiled_heic_with_exif_when_probed_and_previewed_then_whole_picture_time_and_gps(tmp_path):
    """GIVEN a 2x3 grid of 64x64 HEVC tiles cropped to 180x100, with an Exif item (S/W GPS, +08:00 time)
    WHEN probed and previewed THEN one 180x100 photo with GPS and UTC time, and every tile in place."""
    exif = tiff(
        ">",
        exif={0x9003: (ASCII, "2024:05:01 08:30:00"), 0x9011: (ASCII, "+08:00")},
        gps=gps_entries("S", [(33, 1), (52, 1), (768, 100)], "W", [(151, 1), (12, 1), (3348, 100)]),
    )
    path = tmp_path / "grid.heic"
    path.write_bytes(heic(rows=2, columns=3, size=(180, 100), exif=exif))

    info = probe(path)
    out = preview(path, tmp_path / "preview.jpg")

    assert (info.kind, info.width, info.height, info.flagged) == ("photo", 180, 100, False)
    assert (info.gps.lat, info.gps.lon) == (Decimal("-33.8688"), Decimal("-151.2093"))
    assert (info.captured_at, info.captured_at_source) == ("2024-05-01T00:30:00Z", "exif:DateTimeOriginal")
    centres = [(32, 32), (96, 32), (160, 32), (32, 80), (96, 80), (160, 80)]
    size, lumas = _luma_at(out, centres)
    assert size == (180, 100)
    assert lumas == [LUMA_FULL_RANGE[v] for v in (40, 100, 160, 220, 24, 84)]


def test_given_heic_rotated_90_when_probed_and_previewed_then_portrait_and_turned_anticlockwise(tmp_path):
    """GIVEN a 1x2 grid (dark left tile, light right tile) with irot 90° WHEN probed and previewed
    THEN the displayed size is 48x128 and the right tile is now on top (anticlockwise, as ISO 23008-12)."""
    path = tmp_path / "portrait.heic"
    path.write_bytes(heic(rows=1, columns=2, tile=(64, 48), rotation=90))

    info = probe(path)
    size, (top, bottom) = _luma_at(preview(path, tmp_path / "p.jpg"), [(24, 10), (24, 118)])

    assert (info.width, info.height) == (48, 128)
    assert size == (48, 128)
    assert (top, bottom) == (LUMA_FULL_RANGE[100], LUMA_FULL_RANGE[40])


def test_given_every_truncation_of_a_tiled_heic_when_probed_and_previewed_then_no_crash(tmp_path):
    """GIVEN a tiled HEIC cut short at every 7th byte WHEN probed and previewed THEN probe never raises
    and never calls it a video, a sizeless one is flagged, and preview either works or raises MediaError (the caller's "no preview")."""
    whole = heic(
        rows=2, columns=2, size=(100, 80), exif=tiff("<", exif={0x9003: (ASCII, "2024:05:01 08:30:00")})
    )
    path, outcomes = tmp_path / "cut.heic", set()
    for cut in range(0, len(whole), 7):
        path.write_bytes(whole[:cut])
        info = probe(path)
        assert info.kind in ("photo", "unknown"), cut
        assert info.width or info.flagged, cut  # a photo without its size always needs a human look
        try:
            preview(path, tmp_path / "p.jpg")
            outcomes.add("preview")
        except MediaError:
            outcomes.add("no preview")
        outcomes.add(info.kind)
    assert outcomes == {"photo", "unknown", "preview", "no preview"}


def test_given_heic_whose_grid_references_are_gone_when_previewed_then_media_error_and_flagged(tmp_path):
    """GIVEN a tiled HEIC whose 'dimg' references are renamed away WHEN probed and previewed
    THEN it is still a photo but flagged, and preview raises MediaError rather than show one tile."""
    path = tmp_path / "nogrid.heic"
    path.write_bytes(heic(rows=2, columns=2).replace(b"dimg", b"xxxx", 1))

    info = probe(path)

    assert (info.kind, info.width, info.height) == ("photo", 128, 128)
    assert info.flagged and "grid" in info.error
    with pytest.raises(MediaError):
        preview(path, tmp_path / "p.jpg")
    assert not (tmp_path / "p.jpg").exists()


def test_given_randomly_corrupted_heic_when_read_and_probed_then_none_or_a_result_never_an_exception(
    tmp_path,
):
    """GIVEN 400 seeded random corruptions of a tiled HEIC with EXIF WHEN its items are read and 60 are
    probed THEN the item reader returns a result or None and probe returns a MediaInfo, never raising."""
    whole = heic(rows=2, columns=2, exif=tiff("<", exif={0x9003: (ASCII, "2024:05:01 08:30:00")}))
    rng = random.Random(23)
    path = tmp_path / "bad.heic"
    for attempt in range(400):
        broken = bytearray(whole)
        for _ in range(rng.randint(1, 6)):
            broken[rng.randrange(600)] = rng.randrange(256)  # the ftyp + meta part
        read_heif_still(io.BytesIO(bytes(broken)))
        if attempt % 7 == 0:
            path.write_bytes(bytes(broken))
            assert probe(path).kind in ("photo", "video", "unknown")
