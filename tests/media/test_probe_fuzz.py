"""The probe and the stills never raise on what an uploader sends: SVG, HTML, random bytes, truncated
or bit-flipped media. Unknown formats come back as ``kind="unknown"`` (flagged for a person)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liuhen.media import MediaError, MediaInfo, poster_frame, preview, probe

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def _never_raises(path: Path, out: Path) -> MediaInfo:
    info = probe(path)  # must not raise: returns a MediaInfo whatever the bytes
    for make in (preview, poster_frame):
        with contextlib.suppress(MediaError):  # the one documented refusal: "no still from this file"
            make(path, out)
    return info


@pytest.mark.parametrize("content", [SVG, HTML, b"", b"\x00" * 100, b"GIF89a"])
def test_given_svg_html_and_stubs_when_probed_then_unknown_and_flagged(tmp_path, content):
    """GIVEN an SVG with a script, HTML, an empty file and bare magic numbers WHEN probed and asked for
    a still THEN nothing raises but MediaError, and the file is unknown and flagged."""
    path = tmp_path / "upload.bin"
    path.write_bytes(content)

    info = _never_raises(path, tmp_path / "still.jpg")

    assert info.kind == "unknown" and info.flagged


@FUZZ
@given(data=st.binary(max_size=4096))
def test_given_random_bytes_when_probed_then_never_raises(tmp_path_factory, data):
    """GIVEN random bytes WHEN probed and asked for a still THEN a MediaInfo, never an exception."""
    where = tmp_path_factory.mktemp("rand")
    path = where / "upload.bin"
    path.write_bytes(data)

    assert isinstance(_never_raises(path, where / "still.jpg"), MediaInfo)


@FUZZ
@given(
    name=st.sampled_from(["mp4", "mov", "wav", "jpeg"]),
    cut=st.floats(0, 1),
    flips=st.lists(st.integers(0, 10**6), max_size=8),
)
def test_given_truncated_or_corrupted_media_when_probed_then_never_raises(
    media_files, tmp_path_factory, name, cut, flips
):
    """GIVEN a real MP4/MOV/WAV/JPEG cut short at a random point and with random bytes flipped WHEN
    probed and asked for a still THEN a MediaInfo, never an exception other than MediaError."""
    original = bytearray(media_files[name].read_bytes())
    damaged = original[: int(len(original) * cut)]
    for position in flips:
        if damaged:
            damaged[position % len(damaged)] ^= 0xFF
    where = tmp_path_factory.mktemp("cut")
    path = where / f"upload.{name}"
    path.write_bytes(bytes(damaged))

    assert isinstance(_never_raises(path, where / "still.jpg"), MediaInfo)
