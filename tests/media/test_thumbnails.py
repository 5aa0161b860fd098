"""poster_frame() and preview(): JPEG stills written beside, originals untouched."""

from __future__ import annotations

import hashlib

import pytest

from liuhen.media import MediaError, poster_frame, preview, probe


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_given_video_when_poster_frame_then_a_valid_jpeg_and_original_unchanged(media_files, tmp_path):
    """GIVEN a 1 s MP4 WHEN a poster frame is made THEN a 64x48 JPEG exists and the video is unchanged."""
    before = _digest(media_files["mp4"])

    out = poster_frame(media_files["mp4"], tmp_path / "poster.jpg")

    assert out.read_bytes()[:2] == b"\xff\xd8"
    still = probe(out)
    assert (still.kind, still.video_codec, still.width, still.height) == ("photo", "mjpeg", 64, 48)
    assert _digest(media_files["mp4"]) == before


def test_given_photo_when_preview_with_small_max_side_then_downscaled_jpeg(media_files, tmp_path):
    """GIVEN a 64x48 JPEG WHEN a preview with max_side 32 is made THEN a 32x24 JPEG is written."""
    out = preview(media_files["jpeg"], tmp_path / "preview.jpg", max_side=32)

    still = probe(out)
    assert (still.kind, still.width, still.height) == ("photo", 32, 24)
    assert list(tmp_path.glob(".preview.jpg.tmp-*")) == []


def test_given_audio_or_junk_when_still_requested_then_media_error_and_no_output(media_files, tmp_path):
    """GIVEN a WAV and a junk file WHEN a still is requested THEN MediaError and nothing is written."""
    with pytest.raises(MediaError, match="no picture"):
        poster_frame(media_files["wav"], tmp_path / "a.jpg")
    with pytest.raises(MediaError):
        preview(media_files["junk"], tmp_path / "b.jpg")
    assert not (tmp_path / "a.jpg").exists() and not (tmp_path / "b.jpg").exists()
