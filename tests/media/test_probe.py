"""probe(): kind, codecs, exact duration, size, capture time and GPS from real tiny files."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from fractions import Fraction

from liuhen.core.canonical import canonical_bytes
from liuhen.media import parse_iso6709, probe


def test_given_body_cam_mp4_when_probed_then_video_facts_capture_time_and_gps(media_files):
    """GIVEN a 1 s 64x48 H.264 MP4 with creation_time and location WHEN probed THEN all are reported."""
    info = probe(media_files["mp4"])

    assert (info.kind, info.video_codec, info.audio_codec) == ("video", "h264", None)
    assert (info.width, info.height) == (64, 48)
    assert info.duration == Fraction(1)
    assert info.captured_at == "2024-05-01T08:30:00Z"
    assert info.captured_at_source == "tag:creation_time"
    assert (info.gps.lat, info.gps.lon, info.gps.alt) == (
        Decimal("31.2304"),
        Decimal("121.4737"),
        Decimal(10),
    )
    assert not info.flagged


def test_given_probe_result_when_serialised_then_canonical_without_floats(media_files):
    """GIVEN an AAC file of 1.024 s WHEN its info is made canonical THEN duration is the exact '128/125'."""
    info = probe(media_files["m4a"])

    assert (info.kind, info.audio_codec, info.width) == ("audio", "aac", None)
    assert info.duration == Fraction(128, 125)
    as_dict = info.to_dict()
    assert as_dict["duration"] == "128/125"
    assert as_dict["captured_at"] == "2024-05-01T08:30:00Z", "+08:00 local time normalised to UTC"
    canonical_bytes(as_dict)  # raises on floats


def test_given_wav_and_mov_when_probed_then_kinds_and_durations(media_files):
    """GIVEN a WAV and a 2 s MPEG-4 MOV without tags WHEN probed THEN audio/video, no capture time."""
    wav, mov = probe(media_files["wav"]), probe(media_files["mov"])

    assert (wav.kind, wav.container, wav.audio_codec, wav.duration) == ("audio", "wav", "pcm_s16le", 1)
    assert (mov.kind, mov.video_codec, mov.duration) == ("video", "mpeg4", 2)
    assert mov.captured_at is None and mov.gps is None


def test_given_jpeg_photos_when_probed_then_photo_and_exif_time_as_local(media_files):
    """GIVEN a JPEG and a JPEG with EXIF DateTime WHEN probed THEN kind photo, EXIF time kept zone-less."""
    plain, exif = probe(media_files["jpeg"]), probe(media_files["exif_jpeg"])

    assert (plain.kind, plain.width, plain.height, plain.duration) == ("photo", 64, 48, None)
    assert plain.captured_at is None
    assert exif.captured_at == "2024-05-01T08:30:00"
    assert exif.captured_at_source == "exif:DateTime"


def test_given_junk_or_missing_file_when_probed_then_unknown_flagged_not_raised(media_files, tmp_path):
    """GIVEN bytes that are not media, and a missing path WHEN probed THEN kind unknown with an error."""
    before = hashlib.sha256(media_files["junk"].read_bytes()).hexdigest()

    junk = probe(media_files["junk"])
    missing = probe(tmp_path / "nope.mp4")

    assert junk.kind == "unknown" and junk.flagged and "InvalidData" in junk.error
    assert missing.kind == "unknown" and missing.error
    assert hashlib.sha256(media_files["junk"].read_bytes()).hexdigest() == before


def test_given_iso6709_variants_when_parsed_then_decimal_degrees_or_none():
    """GIVEN ISO 6709 strings in degree, degree-minute and bad forms WHEN parsed THEN exact points or None."""
    assert parse_iso6709("+38.9140+121.6147/").lon == Decimal("121.6147")
    dm = parse_iso6709("+3830.00-07645.00/")
    assert (dm.lat, dm.lon, dm.alt) == (Decimal("38.5"), Decimal("-76.75"), None)
    dms = parse_iso6709("+403000+0743000+12.5CRSWGS_84/")
    assert (dms.lat, dms.lon, dms.alt) == (Decimal("40.5"), Decimal("74.5"), Decimal("12.5"))
    assert parse_iso6709("+91.0+10.0/") is None
    assert parse_iso6709("north pole") is None
